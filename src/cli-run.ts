import { readFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { ProcessCreateError } from './kernel/process.ts';
import { SILENT_LOGGER, type KernelLogger } from './kernel/kernel-log.ts';
import { Guest, type RunResult } from './sandbox/guest.ts';

/** Options of `amber run`. */
export interface RunArgs {
  env: string[];
  cwd: string;
  files: { host: string; guest: string }[];
  maxInstructions: number;
  stats: boolean;
  program: string;
  args: string[];
}

/** A command-line mistake: printed with the usage, exit status 2. */
export class UsageError extends Error {}

/** Parses `amber run` arguments (after the word `run`). */
export function parseRunArgs(argv: string[]): RunArgs {
  const out: RunArgs = {
    env: [],
    cwd: '/',
    files: [],
    maxInstructions: Infinity,
    stats: false,
    program: '',
    args: [],
  };
  let k = 0;
  const value = (flag: string) => {
    if (k + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[++k];
  };
  for (; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--') {
      k++;
      break;
    }
    if (!a.startsWith('--')) break;
    if (a === '--env') {
      const kv = value(a);
      if (!kv.includes('=')) throw new UsageError(`--env takes K=V, not ${kv}`);
      out.env.push(kv);
    } else if (a === '--cwd') out.cwd = value(a);
    else if (a === '--file') {
      const spec = value(a);
      const eq = spec.indexOf('=');
      if (eq <= 0 || !spec.slice(eq + 1).startsWith('/')) {
        throw new UsageError(`--file takes HOST=GUEST with an absolute guest path, not ${spec}`);
      }
      out.files.push({ host: spec.slice(0, eq), guest: spec.slice(eq + 1) });
    } else if (a === '--max-instructions') {
      const n = Number(value(a));
      if (!Number.isSafeInteger(n) || n <= 0)
        throw new UsageError('--max-instructions takes a positive integer');
      out.maxInstructions = n;
    } else if (a === '--stats') out.stats = true;
    else throw new UsageError(`unknown option ${a}`);
  }
  if (k >= argv.length) throw new UsageError('run needs a PROGRAM');
  out.program = argv[k];
  out.args = argv.slice(k + 1);
  return out;
}

/** Writes all of `bytes` to a file descriptor, waiting out EAGAIN on non-blocking pipes. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

/** Writes text synchronously, so that it is out before the process exits. */
export function writeText(fd: number, text: string): void {
  writeAll(fd, Buffer.from(text, 'utf8'));
}

function readHostFile(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** Runs a program; resolves with the exit status `amber run` should end with. */
export async function runCommand(
  args: RunArgs,
  logger: KernelLogger = SILENT_LOGGER,
): Promise<number> {
  const program = readHostFile(args.program, 'program');
  const files = args.files.map((f) => ({
    path: f.guest,
    bytes: readHostFile(f.host, 'file'),
    mode: 0o644,
  }));
  let guest: Guest;
  try {
    guest = new Guest({
      program,
      programPath: `/bin/${basename(args.program)}`,
      argv: [args.program, ...args.args],
      env: args.env,
      cwd: args.cwd,
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

  // Standard input: whatever the caller gives, until its end.
  const stdin = process.stdin;
  stdin.on('data', (chunk: Buffer) => guest.feedStdin(new Uint8Array(chunk)));
  stdin.on('end', () => guest.closeStdin());
  stdin.on('error', () => guest.closeStdin());

  const result = await guest.run((fd, bytes) => writeAll(fd, bytes), args.maxInstructions);
  stdin.destroy();
  if (result.status === 'killed') writeText(2, `amber: killed: ${result.reason}\n`);
  if (args.stats) writeText(2, formatStats(result));
  return result.status === 'killed' ? 137 : result.exitCode;
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
