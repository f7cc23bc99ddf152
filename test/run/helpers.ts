/**
 * Runs one program twice, natively on the host and on Amber, and reports what
 * each printed and how it ended, so a test can compare the two.
 *
 * Amber runs in this process through the sandbox's Guest class (a spawned
 * `amber run` costs about half a second of start-up each); only the tests of
 * the command line itself spawn it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { constants } from 'node:os';
import { TIME_M } from '../../src/fs/inode.ts';
import { SILENT_LOGGER } from '../../src/kernel/kernel-log.ts';
import { Guest } from '../../src/sandbox/guest.ts';

/** What a program printed and how it ended. */
export interface RunOutcome {
  stdout: string;
  stderr: string;
  /** The exit status as a shell reports it: the code, or 128 + signal. */
  status: number;
}

/** A program run: the same for the native and the Amber side. */
export interface RunSpec {
  /** Host path of the static program; argv[0] is this path on both sides. */
  program: string;
  args?: string[];
  /** The whole environment, as K=V strings (nothing is inherited). */
  env?: string[];
  /** Standard input; empty when left out. */
  stdin?: string | Uint8Array;
  /** Working directory; `/` when left out. */
  cwd?: string;
  /**
   * Host files copied into the guest before start, at the same path, with
   * the host file's permission bits and modification time (so that `ls -l`
   * shows the same on both sides).
   */
  files?: string[];
  /** Guest instructions allowed on Amber before the run counts as a hang. */
  maxInstructions?: number;
}

/** Default guest instructions allowed per run, so a runaway guest fails the test. */
const MAX_INSTRUCTIONS = 2_000_000_000;

/**
 * Runs the program natively under `env -i` with exactly the given
 * environment, arguments, input and working directory.
 */
export function runNative(spec: RunSpec): RunOutcome {
  const result = spawnSync('env', ['-i', ...(spec.env ?? []), spec.program, ...(spec.args ?? [])], {
    input: spec.stdin ?? '',
    cwd: spec.cwd ?? '/',
    encoding: 'latin1',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  // A program may end without reading all its input (head does); the pipe
  // then breaks under spawnSync's writer, which is no failure of the program.
  const broken = (result.error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
  if (result.error && !(broken && (result.status !== null || result.signal !== null))) {
    throw result.error;
  }
  let status = result.status ?? 0;
  if (result.signal !== null) {
    status = 128 + constants.signals[result.signal];
  }
  return { stdout: result.stdout, stderr: result.stderr, status };
}

/** Runs the program on Amber, in this process. */
export async function runOnAmber(spec: RunSpec): Promise<RunOutcome> {
  const guest = new Guest({
    program: new Uint8Array(readFileSync(spec.program)),
    programPath: `/bin/${basename(spec.program)}`,
    argv: [spec.program, ...(spec.args ?? [])],
    env: spec.env ?? [],
    cwd: spec.cwd ?? '/',
    files: [],
    maxMemoryBytes: 1024 ** 3,
    maxOutputBytes: -1,
    logger: SILENT_LOGGER,
  });
  for (const path of spec.files ?? []) {
    const st = statSync(path);
    const inode = guest.kernel.fs.addFile(
      path,
      new Uint8Array(readFileSync(path)),
      st.mode & 0o7777,
    );
    inode.stamp(st.mtimeMs * 1e6, TIME_M);
  }

  const input = spec.stdin ?? '';
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  if (bytes.length > 0) guest.feedStdin(new Uint8Array(bytes));
  guest.closeStdin();

  const chunks: { 1: Buffer[]; 2: Buffer[] } = { 1: [], 2: [] };
  const result = await guest.run((fd, data) => {
    chunks[fd].push(Buffer.from(data));
  }, spec.maxInstructions ?? MAX_INSTRUCTIONS);
  if (result.status === 'killed') {
    throw new Error(`Amber killed ${spec.program}: ${result.reason}`);
  }
  return {
    stdout: Buffer.concat(chunks[1]).toString('latin1'),
    stderr: Buffer.concat(chunks[2]).toString('latin1'),
    status: result.exitCode,
  };
}

/** Runs the program natively and on Amber. */
export async function runBoth(spec: RunSpec): Promise<{ native: RunOutcome; amber: RunOutcome }> {
  const native = runNative(spec);
  const amber = await runOnAmber(spec);
  return { native, amber };
}
