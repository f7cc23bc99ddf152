/**
 * The body of a sandbox worker thread: it waits for `run` requests from the
 * pool and runs each guest until it exits or pauses, one at a time,
 * streaming its output back. A guest that pauses (idle, out of budget, or
 * asked to) is saved here, into the store the request names, so snapshot
 * bytes never cross to the service's thread. Guests compute here, never on
 * the service's event loop; the kernel's driver yields between slices, so
 * `pause` and `kill` messages are seen while a guest runs.
 */
import { parentPort } from 'node:worker_threads';
import type { KernelLogger } from '../kernel/kernel-log.ts';
import { ProcessCreateError } from '../kernel/process.ts';
import { saveSnapshot } from '../snapshot/index.ts';
import { Guest, type RunResult } from './guest.ts';
import { bootGuest, restoreGuest, StartError } from './worker-start.ts';
import type {
  FromWorker,
  KillRequest,
  RunOutcome,
  RunRequest,
  SavedRun,
  ToWorker,
} from './worker-protocol.ts';
import { snapshotStoreOf } from './worker-store.ts';

/** The guest being run and how it was asked to stop, if it was. */
interface Current {
  jobId: string;
  guest: Guest | null;
  kill?: { code: string; reason: string };
  /** A pause asked for while the guest was still loading. */
  pauseAsked: boolean;
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

function killCurrent(req: KillRequest): void {
  if (current === null || current.jobId !== req.jobId) return;
  current.kill ??= { code: req.code, reason: req.reason };
  current.guest?.kill(req.reason);
}

function pauseCurrent(jobId: string): void {
  if (current === null || current.jobId !== jobId) return;
  if (current.guest === null) current.pauseAsked = true;
  else current.guest.pauseNow('request');
}

/** Boots or loads the guest; null (with `failed` sent) when it cannot. */
async function start(req: RunRequest, logger: KernelLogger): Promise<Guest | null> {
  try {
    if (req.source.kind === 'boot') return bootGuest(req, req.source, logger);
    return await restoreGuest(req, req.source.snapshotId, logger);
  } catch (e) {
    const code =
      e instanceof ProcessCreateError || e instanceof StartError ? e.code : 'GUEST_START_FAILED';
    send({ type: 'failed', jobId: req.jobId, code, message: (e as Error).message });
    return null;
  }
}

async function run(req: RunRequest): Promise<void> {
  const me: Current = { jobId: req.jobId, guest: null, pauseAsked: false };
  current = me;
  const logger = forwardLogger(req.jobId);
  const loadStart = performance.now();

  // The wall-time limit: the kernel's driver yields between slices, so this
  // timer fires while the guest is still computing (or loading).
  const wall = setTimeout(() => {
    killCurrent({
      type: 'kill',
      jobId: req.jobId,
      code: 'LIMIT_WALL_TIME',
      reason: `wall-time limit of ${req.limits.maxWallMs} ms reached`,
    });
  }, req.limits.maxWallMs);
  try {
    const guest = await start(req, logger);
    if (guest === null) return;
    me.guest = guest;
    if (me.kill !== undefined) guest.kill(me.kill.reason);

    // Input and signal first, so that the guest sees them on its first step.
    if (req.stdin.length > 0) guest.feedStdin(req.stdin);
    if (req.closeStdin) guest.closeStdin();
    if (req.signal !== 0) guest.kernel.sendExternalSignal(req.signal);
    const firstInstruction = guest.kernel.instructions;
    const loadMs = performance.now() - loadStart;
    send({
      type: 'started',
      jobId: req.jobId,
      loadMs,
      at: performance.timeOrigin + performance.now(),
    });

    const onOutput = (stream: 1 | 2, bytes: Uint8Array) => {
      send({ type: 'output', jobId: req.jobId, stream, bytes }, [bytes.buffer as ArrayBuffer]);
    };
    const running = guest.run(onOutput, req.limits.maxInstructions, req.pause);
    // run() starts the kernel before its first await, so a pause asked for
    // during the load can be applied now.
    if (me.pauseAsked) guest.pauseNow('request');
    const result = await running;
    clearTimeout(wall);
    const snapshot = result.status === 'paused' ? await save(req, guest, result, me) : undefined;
    send({
      type: 'done',
      jobId: req.jobId,
      outcome: outcomeOf(result, guest, me, firstInstruction, snapshot),
    });
  } catch (e) {
    // A kernel bug or a failed save, not the guest's doing: the job fails.
    const code = e instanceof StartError ? e.code : 'GUEST_CRASHED';
    send({ type: 'failed', jobId: req.jobId, code, message: String(e) });
  } finally {
    clearTimeout(wall);
    current = null;
  }
}

/** Saves a paused guest; the parent is the snapshot it was loaded from. */
async function save(
  req: RunRequest,
  guest: Guest,
  result: RunResult,
  me: Current,
): Promise<SavedRun | undefined> {
  if (me.kill !== undefined) return undefined;
  if (req.store === undefined) {
    throw new StartError(
      'SNAPSHOT_SAVE_FAILED',
      'the guest paused but no snapshot store was given',
    );
  }
  const store = snapshotStoreOf(req.store);
  const began = performance.now();
  try {
    const parent = req.source.kind === 'restore' ? { parent: req.source.snapshotId } : {};
    const saved = await saveSnapshot(guest.kernel, store, {
      ...parent,
      meta: {
        ...req.meta,
        pausedFor: result.pausedFor ?? 'request',
        featureSet: guest.kernel.featureSet,
      },
    });
    return {
      id: saved.id,
      pausedFor: result.pausedFor ?? 'request',
      saveMs: Math.round(performance.now() - began),
      bytes: saved.bytesWritten,
      chunksWritten: saved.chunksWritten,
      chunksReused: saved.chunksReused,
    };
  } catch (e) {
    throw new StartError(
      'SNAPSHOT_SAVE_FAILED',
      `saving the paused guest failed: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
}

function outcomeOf(
  result: RunResult,
  guest: Guest,
  me: Current,
  firstInstruction: number,
  snapshot: SavedRun | undefined,
): RunOutcome {
  let status = result.status;
  let kill = me.kill;
  // A guest killed while it was pausing is recorded as killed, unsaved.
  if (status === 'paused' && snapshot === undefined) status = 'killed';
  if (status === 'killed' && kill === undefined) {
    kill = { code: 'LIMIT_INSTRUCTIONS', reason: result.reason ?? 'instruction limit reached' };
  }
  return {
    status,
    exitCode: status === 'killed' && result.status === 'paused' ? 137 : result.exitCode,
    signal: status === 'killed' && result.status === 'paused' ? 9 : result.signal,
    ...(status === 'killed' && kill !== undefined ? { kill } : {}),
    ...(snapshot !== undefined ? { snapshot } : {}),
    instructions: result.instructions - firstInstruction,
    wallMs: Math.round(result.seconds * 1000),
    stdoutTruncated: guest.stdout.truncated,
    stderrTruncated: guest.stderr.truncated,
    unsupportedSyscalls: result.unsupportedSyscalls,
  };
}

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'run') void run(message);
  else if (message.type === 'kill') killCurrent(message);
  else if (message.type === 'pause') pauseCurrent(message.jobId);
});
send({ type: 'ready' });
