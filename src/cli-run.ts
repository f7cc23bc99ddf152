import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  UsageError,
  optionValue,
  parseOptions,
  positiveInt,
  type OptionKind,
  type Parsed,
} from './cli-args.ts';
import { SILENT_LOGGER, type KernelLogger } from './kernel/kernel-log.ts';
import { ProcessCreateError } from './kernel/process.ts';
import { Guest, type PauseOptions, type RunResult } from './sandbox/guest.ts';
import { saveSnapshot } from './snapshot/index.ts';
import type { SnapshotStore } from './store/index.ts';
import { writeAll, writeText } from './cli-output.ts';

export { UsageError } from './cli-args.ts';
export { writeText } from './cli-output.ts';

/** Options `run` and `resume` share. */
export const SESSION_OPTIONS: Record<string, OptionKind> = {
  'max-instructions': 'value',
  stats: 'flag',
  store: 'value',
  'pause-after-instructions': 'value',
  'pause-when-idle': 'flag',
  result: 'value',
};

const RUN_OPTIONS: Record<string, OptionKind> = {
  ...SESSION_OPTIONS,
  env: 'list',
  cwd: 'value',
  file: 'list',
};

/** How a run or resume is driven. */
export interface SessionArgs {
  maxInstructions: number;
  stats: boolean;
  store?: string;
  pause: PauseOptions;
  result?: string;
}

/** Reads the options run and resume share. */
export function sessionArgs(p: Parsed): SessionArgs {
  const pause: PauseOptions = {};
  const after = positiveInt(p, 'pause-after-instructions');
  if (after !== undefined) pause.afterInstructions = after;
  if (p.options.has('pause-when-idle')) pause.whenIdle = true;
  const store = optionValue(p, 'store');
  if ((pause.afterInstructions !== undefined || pause.whenIdle) && store === undefined) {
    throw new UsageError('pausing needs --store, where the snapshot goes');
  }
  return {
    maxInstructions: positiveInt(p, 'max-instructions') ?? Number.POSITIVE_INFINITY,
    stats: p.options.has('stats'),
    ...(store !== undefined ? { store } : {}),
    pause,
    ...(optionValue(p, 'result') !== undefined ? { result: optionValue(p, 'result') } : {}),
  };
}

/** Reads a host file named on the command line. */
export function readHostFile(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/**
 * Runs a guest to its end or its pause, with the caller's standard output
 * and error; saves it when it pauses. Returns the exit status for the
 * command: the program's, 137 when killed, 0 when paused and saved.
 */
export async function driveSession(
  guest: Guest,
  args: SessionArgs,
  options: { store?: SnapshotStore; parent?: string; forwardStdin: boolean },
): Promise<number> {
  const stdin = process.stdin;
  if (options.forwardStdin) {
    stdin.on('data', (chunk: Buffer) => guest.feedStdin(new Uint8Array(chunk)));
    stdin.on('end', () => guest.closeStdin());
    stdin.on('error', () => guest.closeStdin());
  }
  const result = await guest.run(
    (fd, bytes) => writeAll(fd, bytes),
    args.maxInstructions,
    args.pause,
  );
  if (options.forwardStdin) stdin.destroy();
  let snapshot: string | null = null;
  if (result.status === 'paused') {
    const saved = await saveSnapshot(guest.kernel, options.store!, {
      ...(options.parent !== undefined ? { parent: options.parent } : {}),
    });
    snapshot = saved.id;
    writeText(2, `amber: paused, snapshot ${saved.id}\n`);
  }
  if (result.status === 'killed') writeText(2, `amber: killed: ${result.reason}\n`);
  if (args.stats) writeText(2, formatStats(result));
  if (args.result !== undefined) writeResult(args.result, result, snapshot);
  return result.status === 'killed' ? 137 : result.status === 'paused' ? 0 : result.exitCode;
}

function writeResult(path: string, r: RunResult, snapshot: string | null): void {
  const json = {
    status: r.status,
    exitCode: r.status === 'exited' ? r.exitCode : null,
    signal: r.signal || null,
    snapshot,
    instructions: r.instructions,
    unsupportedSyscalls: r.unsupportedSyscalls,
  };
  writeFileSync(path, JSON.stringify(json, null, 2) + '\n');
}

/** `amber run`: parses its arguments (after the word `run`) and runs. */
export async function runCommand(argv: string[], logger: KernelLogger = SILENT_LOGGER) {
  const p = parseOptions(argv, RUN_OPTIONS);
  const session = sessionArgs(p);
  if (p.rest.length === 0) throw new UsageError('run needs a PROGRAM');
  const [program, ...args] = p.rest;
  const env = p.options.get('env') ?? [];
  for (const kv of env) if (!kv.includes('=')) throw new UsageError(`--env takes K=V, not ${kv}`);
  const files = (p.options.get('file') ?? []).map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0 || !spec.slice(eq + 1).startsWith('/')) {
      throw new UsageError(`--file takes HOST=GUEST with an absolute guest path, not ${spec}`);
    }
    return {
      path: spec.slice(eq + 1),
      bytes: readHostFile(spec.slice(0, eq), 'file'),
      mode: 0o644,
    };
  });
  const store =
    session.store !== undefined
      ? (await import('./store/index.ts')).openSnapshotStore(session.store)
      : undefined;
  const bytes = readHostFile(program, 'program');
  let guest: Guest;
  try {
    guest = new Guest({
      program: bytes,
      programPath: `/bin/${basename(program)}`,
      argv: [program, ...args],
      env,
      cwd: optionValue(p, 'cwd') ?? '/',
      files,
      maxMemoryBytes: 4 * 1024 ** 3,
      maxOutputBytes: -1,
      logger,
    });
  } catch (e) {
    if (e instanceof ProcessCreateError) {
      writeText(2, `amber: ${e.message} (${e.code})\n`);
      return 126;
    }
    throw e;
  }
  return driveSession(guest, session, { ...(store ? { store } : {}), forwardStdin: true });
}

/** The --stats report. */
export function formatStats(r: RunResult): string {
  const mips = r.seconds > 0 ? r.instructions / r.seconds / 1e6 : 0;
  const unsupported = r.unsupportedSyscalls.map((u) => `${u.name}(${u.nr}) x${u.count}`).join(', ');
  return (
    `amber: ${r.instructions} instructions in ${r.seconds.toFixed(3)} s ` +
    `(${mips.toFixed(1)} M instructions/s)\n` +
    `amber: unsupported system calls: ${unsupported || 'none'}\n`
  );
}
