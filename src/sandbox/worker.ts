/**
 * The body of a sandbox worker thread: it waits for `run` requests from the
 * pool and runs each guest to its end, one at a time, streaming its output
 * back. Guests compute here, never on the service's event loop; the kernel's
 * driver yields between slices, so `kill` messages are seen while a guest
 * runs.
 */
import { parentPort } from 'node:worker_threads';
import type { KernelLogger } from '../kernel/kernel-log.ts';
import { ProcessCreateError } from '../kernel/process.ts';
import { Guest } from './guest.ts';
import type {
  FromWorker,
  KillRequest,
  RunOutcome,
  RunRequest,
  ToWorker,
} from './worker-protocol.ts';

/** The guest being run and how it was asked to die, if it was. */
interface Current {
  jobId: string;
  guest: Guest;
  kill?: { code: string; reason: string };
}

let current: Current | null = null;

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

/** Kernel log lines above debug go to the service's logger. */
const forwardLogger = (jobId: string): KernelLogger => ({
  debug() {},
  info: (obj, msg) => send({ type: 'log', level: 'info', obj: { jobId, ...obj }, msg }),
  warn: (obj, msg) => send({ type: 'log', level: 'warn', obj: { jobId, ...obj }, msg }),
  error: (obj, msg) => send({ type: 'log', level: 'error', obj: { jobId, ...obj }, msg }),
});

function boot(req: RunRequest): Guest | null {
  try {
    return new Guest({
      program: req.program,
      programPath: '/bin/program',
      argv: req.argv,
      env: req.env,
      cwd: '/',
      files: [],
      maxMemoryBytes: req.limits.maxMemoryBytes,
      maxOutputBytes: req.limits.maxOutputBytes,
      logger: forwardLogger(req.jobId),
    });
  } catch (e) {
    const code = e instanceof ProcessCreateError ? e.code : 'GUEST_START_FAILED';
    send({ type: 'failed', jobId: req.jobId, code, message: (e as Error).message });
    return null;
  }
}

function killCurrent(req: KillRequest): void {
  if (current === null || current.jobId !== req.jobId) return;
  current.kill ??= { code: req.code, reason: req.reason };
  current.guest.kill(req.reason);
}

async function run(req: RunRequest): Promise<void> {
  const guest = boot(req);
  if (guest === null) return;
  const me: Current = { jobId: req.jobId, guest };
  current = me;
  send({ type: 'started', jobId: req.jobId });
  if (req.stdin.length > 0) guest.feedStdin(req.stdin);
  if (req.closeStdin) guest.closeStdin();

  // The wall-time limit: the kernel's driver yields between slices, so this
  // timer fires while the guest is still computing.
  const wall = setTimeout(() => {
    killCurrent({
      type: 'kill',
      jobId: req.jobId,
      code: 'LIMIT_WALL_TIME',
      reason: `wall-time limit of ${req.limits.maxWallMs} ms reached`,
    });
  }, req.limits.maxWallMs);
  try {
    const onOutput = (stream: 1 | 2, bytes: Uint8Array) => {
      send({ type: 'output', jobId: req.jobId, stream, bytes }, [bytes.buffer as ArrayBuffer]);
    };
    const result = await guest.run(onOutput, req.limits.maxInstructions);
    if (result.status === 'paused') {
      // No pause is asked for, so none should happen; if one does, there
      // is no snapshot to keep it in, and the job must not hang.
      guest.kill('paused without a snapshot to keep it');
      throw new Error(`the guest paused (${result.pausedFor}) but snapshots are not available`);
    }
    let kill = me.kill;
    if (result.status === 'killed' && kill === undefined) {
      kill = { code: 'LIMIT_INSTRUCTIONS', reason: result.reason ?? 'instruction limit reached' };
    }
    const outcome: RunOutcome = {
      status: result.status,
      exitCode: result.exitCode,
      signal: result.signal,
      ...(result.status === 'killed' && kill !== undefined ? { kill } : {}),
      instructions: result.instructions,
      wallMs: Math.round(result.seconds * 1000),
      stdoutTruncated: guest.stdout.truncated,
      stderrTruncated: guest.stderr.truncated,
      unsupportedSyscalls: result.unsupportedSyscalls,
    };
    send({ type: 'done', jobId: req.jobId, outcome });
  } catch (e) {
    // A kernel bug, not the guest's doing: the job fails with the message.
    send({ type: 'failed', jobId: req.jobId, code: 'GUEST_CRASHED', message: String(e) });
  } finally {
    clearTimeout(wall);
    current = null;
  }
}

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'run') void run(message);
  else if (message.type === 'kill') killCurrent(message);
});
send({ type: 'ready' });
