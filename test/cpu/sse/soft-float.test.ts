// Differential test of the soft-float against the host processor: every
// scalar SSE/SSE2 arithmetic, compare and conversion operation runs on many
// generated operands under many MXCSR settings, natively (host-sse.c) and
// in Amber, and the result bits, MXCSR and #XM outcome must agree.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fpOut } from '../../../src/cpu/sse/float-bits.ts';
import { mxcsrAfter, XM_TRAP } from '../../../src/cpu/sse/mxcsr.ts';
import { OP_SPECS, type OpSpec } from './soft-float-ops.ts';
import {
  F32_EDGE_VALUES,
  F64_EDGE_VALUES,
  MXCSR_VALUES,
  randomF32,
  randomF64,
  Rng,
} from './soft-float-cases.ts';

function hostOracle(): string | undefined {
  if (process.arch !== 'x64' || process.platform !== 'linux') return undefined;
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'amber-sse-'));
  const exe = join(dir, 'host-sse');
  execFileSync('gcc', ['-O1', '-mno-red-zone', '-o', exe, join(import.meta.dirname, 'host-sse.c')]);
  return exe;
}

const oracle = hostOracle();
afterAll(() => {
  if (oracle) rmSync(join(oracle, '..'), { recursive: true, force: true });
});

interface Case {
  op: string;
  mx: number;
  a: [number, number];
  b: [number, number];
}

const INT_EDGES: [number, number][] = [
  [0, 0],
  [1, 0],
  [-1, -1],
  [0x7fffffff, 0],
  [0x80000000 | 0, -1],
  [0x1000001, 0],
  [0xffffff, 0],
  [-0x1000001, -1],
  [0x7fffffff | 0, 0x7fffffff],
  [0, 0x80000000 | 0],
  [1, 0x200000],
  [-1, 0x1fffff],
  [0x400, 0x200000],
  [0xc00, 0x200000],
  [0x80000000 | 0, 0x7fffffff],
  [0x80, 0x1],
];

function operand(rng: Rng, kind: string, near?: number): [number, number] {
  if (kind === 'f32') return [randomF32(rng, near), 0];
  if (kind === 'f64') return randomF64(rng, near);
  if (kind === 'i32') return [rng.below(2) ? rng.u32() | 0 : (rng.u32() >> rng.below(32)) | 0, 0];
  const hi = rng.u32() >> rng.below(32);
  return [rng.u32() | 0, rng.below(4) ? hi | 0 : 0];
}

function exponentOf(kind: string, x: [number, number]): number | undefined {
  if (kind === 'f32') return (x[0] >>> 23) & 0xff;
  if (kind === 'f64') return (x[1] >>> 20) & 0x7ff;
  return undefined;
}

function edges(kind: string): [number, number][] {
  if (kind === 'f32') return F32_EDGE_VALUES.map((x) => [x, 0]);
  if (kind === 'f64') return F64_EDGE_VALUES;
  return INT_EDGES;
}

function generate(op: string, spec: OpSpec, rng: Rng): Case[] {
  const cases: Case[] = [];
  const zero: [number, number] = [0, 0];
  const ea = edges(spec.a);
  if (spec.b) {
    const eb = edges(spec.b);
    for (const a of ea) for (const b of eb) cases.push({ op, mx: rng.pick(MXCSR_VALUES), a, b });
    for (let n = 0; n < 4000; n++) {
      const a = operand(rng, spec.a);
      const near = rng.below(2) ? exponentOf(spec.a, a) : undefined;
      cases.push({ op, mx: rng.pick(MXCSR_VALUES), a, b: operand(rng, spec.b, near) });
    }
  } else {
    for (const a of ea) for (const mx of MXCSR_VALUES) cases.push({ op, mx, a, b: zero });
    for (let n = 0; n < 3000; n++)
      cases.push({ op, mx: rng.pick(MXCSR_VALUES), a: operand(rng, spec.a), b: zero });
  }
  return cases;
}

const hex64 = (w: [number, number]): string =>
  (w[1] >>> 0).toString(16).padStart(8, '0') + (w[0] >>> 0).toString(16).padStart(8, '0');

function f32Value(bits: number): number {
  return new Float32Array(new Int32Array([bits]).buffer)[0];
}

/** Within the documented bound of rcpss/rsqrtss: relative error <= 1.5 * 2^-12. */
function approxOk(op: string, a: number, got: number, host: number): boolean {
  const x = f32Value(a);
  const h = f32Value(host);
  const g = f32Value(got);
  if (!Number.isFinite(h) || h === 0 || Number.isNaN(h)) return Object.is(g, h) || got === host;
  const exact = op === 'rcpss' ? 1 / x : 1 / Math.sqrt(x);
  const bound = 1.5 * 2 ** -12 * Math.abs(exact);
  return Math.abs(g - exact) <= bound && Math.abs(h - exact) <= bound;
}

describe.skipIf(!oracle)('soft-float against the host SSE unit', () => {
  if (!oracle) {
    it.skip('needs gcc on an x86-64 Linux host', () => {});
    return;
  }
  const rng = new Rng(0x5eed1234);
  const cases: Case[] = [];
  for (const [op, spec] of Object.entries(OP_SPECS)) cases.push(...generate(op, spec, rng));
  const input = cases.map((c) => `${c.op} ${c.mx.toString(16)} ${hex64(c.a)} ${hex64(c.b)}`);
  const run = spawnSync(oracle, { input: input.join('\n') + '\n', maxBuffer: 1 << 28 });
  const lines = run.stdout.toString().trim().split('\n');

  it('runs every generated case on the host', () => {
    expect(run.status).toBe(0);
    expect(lines.length).toBe(cases.length);
  });

  const byOp = new Map<string, { total: number; bad: string[] }>();
  for (let n = 0; n < cases.length; n++) {
    const c = cases[n];
    const spec = OP_SPECS[c.op];
    const [hr, hmx, hfl, hfault] = lines[n].split(' ');
    fpOut.flags = 0;
    const res = spec.run(c.mx, c.a[0], c.a[1], c.b[0], c.b[1]);
    const after = spec.width === 'approx' ? c.mx : mxcsrAfter(c.mx, fpOut.flags);
    const fault = (after & XM_TRAP) !== 0;
    const hostLo = parseInt(hr.slice(8), 16) | 0;
    const hostHi = parseInt(hr.slice(0, 8), 16) | 0;
    let ok = (after & 0xffff) === parseInt(hmx, 16) && fault === (hfault === '1');
    if (ok && !fault) {
      if (spec.width === 32) ok = res.lo === hostLo;
      else if (spec.width === 64) ok = res.lo === hostLo && res.hi === hostHi;
      else if (spec.width === 'flags') ok = res.rflags === parseInt(hfl, 16);
      else ok = approxOk(c.op, c.a[0], res.lo, hostLo);
    }
    const entry = byOp.get(c.op) ?? { total: 0, bad: [] };
    entry.total++;
    if (!ok)
      entry.bad.push(
        `${input[n]} -> host ${lines[n]}, amber ${hex64([res.lo, res.hi])} ` +
          `${(after & 0xffff).toString(16)} ${res.rflags.toString(16)} ${fault ? 1 : 0}`,
      );
    byOp.set(c.op, entry);
  }

  if (process.env.SSE_DUMP) {
    const all = [...byOp.values()].flatMap((e) => e.bad);
    writeFileSync(process.env.SSE_DUMP, all.join('\n') + '\n');
  }

  for (const [op, entry] of byOp) {
    it(`${op} matches the host on ${entry.total} generated cases`, () => {
      expect(entry.bad.slice(0, 8)).toEqual([]);
      expect(entry.bad.length).toBe(0);
    });
  }
});
