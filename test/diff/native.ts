/**
 * Builds the native harness with the system's gcc (once per source version,
 * cached under the OS temp folder) and runs batches of cases through it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DiffCase } from './case.ts';
import { decodeResults, encodeCases, type NativeResult } from './wire.ts';

const SOURCES = ['harness.c', 'harness-entry.S'];
const NATIVE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'native');

let built: string | undefined;

/**
 * Why differential tests cannot run on this host, or undefined when they
 * can. They need an x86-64 Linux host with gcc.
 */
export function nativeSkipReason(): string | undefined {
  if (process.platform !== 'linux') return `host OS is ${process.platform}, not linux`;
  if (process.arch !== 'x64') return `host processor is ${process.arch}, not x86-64`;
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'gcc is not installed';
  }
  return undefined;
}

/** Path of the built harness; builds it on first use. */
export function harnessPath(): string {
  if (built) return built;
  const hash = createHash('sha256');
  for (const name of SOURCES) hash.update(readFileSync(join(NATIVE_DIR, name)));
  const dir = join(tmpdir(), 'amber-diff-harness');
  const exe = join(dir, `harness-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(exe)) {
    mkdirSync(dir, { recursive: true });
    // Several test files may build at once: each builds to its own name and
    // renames, which is atomic, so nobody runs a half-written binary.
    const tmp = `${exe}.${process.pid}.tmp`;
    const srcs = SOURCES.map((name) => join(NATIVE_DIR, name));
    execFileSync('gcc', ['-O2', '-Wall', '-o', tmp, ...srcs], { stdio: 'pipe' });
    renameSync(tmp, exe);
  }
  built = exe;
  return exe;
}

/** Runs cases on the host processor, in one harness process. */
export function runNative(cases: readonly DiffCase[]): NativeResult[] {
  const run = spawnSync(harnessPath(), [], {
    input: encodeCases(cases),
    maxBuffer: 1 << 30,
    timeout: 120_000,
  });
  if (run.error) throw run.error;
  if (run.status !== 0) {
    const why = run.signal ? `signal ${run.signal}` : `status ${run.status}`;
    throw new Error(`native harness failed (${why}): ${run.stderr.toString()}`);
  }
  return decodeResults(run.stdout, cases.length);
}
