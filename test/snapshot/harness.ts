/**
 * Helpers for the snapshot tests: booting a guest program in this process,
 * collecting what it prints, pausing it at chosen instruction counts, and
 * continuing snapshots either in this process (a fresh kernel) or in a
 * fresh Node process (resume-worker.ts).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SILENT_LOGGER } from '../../src/kernel/kernel-log.ts';
import { Guest, type PauseOptions, type RunResult } from '../../src/sandbox/guest.ts';
import { loadSnapshot } from '../../src/snapshot/index.ts';
import type { SnapshotStore } from '../../src/store/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Guest instructions allowed before a run counts as a hang. */
export const MAX_INSTRUCTIONS = 1_000_000_000;

/** A guest program run. */
export interface ProgramSpec {
  /** Host path of the static program. */
  program: string;
  args?: string[];
  /** Standard input given before the start. */
  stdin?: string;
  /**
   * Standard input held back: given (and stdin closed) only once the guest
   * has gone idle waiting for it. Absent: stdin is closed from the start.
   */
  lateStdin?: string;
}

/** What a run printed and how it ended. */
export interface Outcome {
  stdout: string;
  stderr: string;
  status: number;
}

/** Boots `spec` as a new guest in this process, with its early stdin fed. */
export function bootGuest(spec: ProgramSpec): Guest {
  const guest = new Guest({
    program: new Uint8Array(readFileSync(spec.program)),
    programPath: `/bin/${basename(spec.program)}`,
    argv: [spec.program, ...(spec.args ?? [])],
    env: [],
    cwd: '/',
    files: [],
    maxMemoryBytes: 1024 ** 3,
    maxOutputBytes: -1,
    logger: SILENT_LOGGER,
  });
  if (spec.stdin) guest.feedStdin(Buffer.from(spec.stdin, 'latin1'));
  if (spec.lateStdin === undefined) guest.closeStdin();
  return guest;
}

/** Standard output and error as a guest produces them, across runs. */
export class Transcript {
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];

  /** The onOutput callback for Guest.run. */
  readonly sink = (fd: 1 | 2, bytes: Uint8Array): void => {
    (fd === 1 ? this.out : this.err).push(Buffer.from(bytes));
  };

  /** Everything so far, as text. */
  text(): { stdout: string; stderr: string } {
    return {
      stdout: Buffer.concat(this.out).toString('latin1'),
      stderr: Buffer.concat(this.err).toString('latin1'),
    };
  }
}

/** A run that must not be killed. */
export async function runGuest(
  guest: Guest,
  transcript: Transcript,
  pause: PauseOptions = {},
): Promise<RunResult> {
  const result = await guest.run(transcript.sink, MAX_INSTRUCTIONS, pause);
  if (result.status === 'killed') throw new Error(`guest killed: ${result.reason}`);
  return result;
}

/**
 * Runs a guest to its exit, feeding `lateStdin` (and closing stdin) when it
 * goes idle waiting for it.
 */
export async function finish(
  guest: Guest,
  transcript: Transcript,
  lateStdin?: string,
): Promise<RunResult> {
  let late = lateStdin;
  for (;;) {
    const result = await runGuest(guest, transcript, { whenIdle: true });
    if (result.status === 'exited') return result;
    if (result.pausedFor !== 'idle' || late === undefined) {
      throw new Error(`guest paused (${result.pausedFor}) with nothing left to give it`);
    }
    feedLate(guest, late);
    late = undefined;
  }
}

/** Gives a guest its held-back input and closes its stdin. */
export function feedLate(guest: Guest, late: string): void {
  if (late.length > 0) guest.feedStdin(Buffer.from(late, 'latin1'));
  guest.closeStdin();
}

/** An uninterrupted run of `spec`, and the instructions it took. */
export async function referenceRun(spec: ProgramSpec): Promise<Outcome & { instructions: number }> {
  const transcript = new Transcript();
  const result = await finish(bootGuest(spec), transcript, spec.lateStdin);
  return { ...transcript.text(), status: result.exitCode, instructions: result.instructions };
}

/** A small seeded PRNG (mulberry32), so that failures can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct instruction counts in [1, total), ascending. */
export function pickPoints(random: () => number, total: number, count: number): number[] {
  const points = new Set<number>();
  while (points.size < Math.min(count, total - 1)) {
    points.add(1 + Math.floor(random() * (total - 1)));
  }
  return [...points].sort((a, b) => a - b);
}

/** Loads snapshot `id` into a fresh kernel in this process. */
export async function loadGuest(store: SnapshotStore, id: string): Promise<Guest> {
  const { kernel } = await loadSnapshot(store, id, SILENT_LOGGER);
  return new Guest(kernel);
}

/** One snapshot for resume-worker.ts to continue to its end. */
export interface ResumeJob {
  id: string;
  /** Input to give when the guest goes idle, then close stdin. */
  lateStdin?: string;
}

/**
 * Continues each snapshot to its end in one fresh Node process, loading it
 * from `location` (with `env` for an S3 store), and returns what each
 * printed after the snapshot and its exit status.
 */
export async function resumeInFreshProcess(
  location: string,
  jobs: ResumeJob[],
  env: Record<string, string> = {},
): Promise<Outcome[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/snapshot/resume-worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(JSON.stringify({ location, jobs }));
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) {
    throw new Error(`resume worker exited ${code}: ${Buffer.concat(err).toString()}`);
  }
  return JSON.parse(Buffer.concat(out).toString()) as Outcome[];
}
