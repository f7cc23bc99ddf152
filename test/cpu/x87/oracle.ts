// Builds and drives the host x87 oracle (x87-oracle.c) for differential
// tests of the soft-float. Absent gcc or a non-x86-64 host, `hostOracle`
// says why it cannot run so that tests can skip with that reason.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** An extended value as (sign/exponent, significand high, significand low). */
export type Ext = [number, number, number];

/** One oracle case: an operation, a control word, operands and memory. */
export interface Case {
  op: string;
  cw: number;
  a: Ext;
  b: Ext;
  m: [number, number]; // high, low
}

/** What the host reported after running a case. */
export interface HostOut {
  sw: number;
  fl: number;
  st0: Ext;
  st1: Ext;
  m: [number, number];
  tag: number;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Why the oracle cannot run here, or null when it can. */
export function oracleUnavailable(): string | null {
  if (process.arch !== 'x64') return `host is ${process.arch}, not x86-64: no x87 to compare with`;
  const gcc = spawnSync('gcc', ['--version']);
  if (gcc.error || gcc.status !== 0) return 'gcc is not installed: cannot build the x87 oracle';
  return null;
}

const hex = (n: number) => (n >>> 0).toString(16);

/** Builds the oracle, runs all cases through it, and removes the build. */
export function runOracle(cases: Case[]): HostOut[] {
  const dir = mkdtempSync(join(tmpdir(), 'x87-oracle-'));
  try {
    const exe = join(dir, 'oracle');
    const cc = spawnSync('gcc', ['-O0', '-no-pie', '-o', exe, join(here, 'x87-oracle.c')], {
      encoding: 'utf8',
    });
    if (cc.status !== 0) throw new Error(`oracle build failed: ${cc.stderr}`);
    const input = cases
      .map((c) =>
        [c.op, c.cw, ...c.a, ...c.b, ...c.m]
          .map((v) => (typeof v === 'string' ? v : hex(v)))
          .join(' '),
      )
      .join('\n');
    const run = spawnSync(exe, [], { input: input + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.status !== 0) throw new Error(`oracle failed: ${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    if (lines.length !== cases.length) throw new Error('oracle output is short');
    return lines.map((line) => {
      const v = line.split(' ').map((s) => parseInt(s, 16));
      return {
        sw: v[0],
        fl: v[1],
        st0: [v[2], v[3], v[4]],
        st1: [v[5], v[6], v[7]],
        m: [v[8], v[9]],
        tag: v[10],
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
