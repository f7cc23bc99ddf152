import type { Worker } from 'node:worker_threads';
import type { KernelLogger } from '../kernel/kernel-log.ts';
import { spawnSandboxWorker } from '../sandbox/worker-spawn.ts';
import type { FromWorker, RunOutcome, RunRequest } from '../sandbox/worker-protocol.ts';

/** How a pooled run ended: the worker's outcome, or a failure with a code. */
export type PoolEnd =
  { kind: 'done'; outcome: RunOutcome } | { kind: 'failed'; code: string; message: string };

/** One run handed to the pool, with the callbacks that follow its life. */
export interface PoolJob {
  request: RunRequest;
  /** A worker took the job and is booting or loading its guest. */
  onStart(): void;
  /**
   * The guest is about to run its first instruction: `loadMs` spent booting
   * or loading it, `at` the wall clock then (epoch ms).
   */
  onRunning?(info: { loadMs: number; at: number }): void;
  onOutput(stream: 1 | 2, bytes: Uint8Array): void;
  /** Called exactly once, also for a job cancelled while queued. */
  onEnd(end: PoolEnd): void;
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Worker threads; each runs one guest at a time. */
  size: number;
  logger: KernelLogger;
  /** Starts one worker thread (tests may substitute). */
  spawn?: () => Worker;
  /**
   * After a kill request, or past a run's wall-time limit, how long the
   * worker may take to stop its guest before the thread is terminated.
   */
  killGraceMs?: number;
}

/** Wait before replacing a worker that died while loading. */
const RESPAWN_DELAY_MS = 1000;

interface Slot {
  worker: Worker;
  ready: boolean;
  job: PoolJob | null;
  startedAt: number;
  /** Pending forced stop, when a kill was asked for or time ran out. */
  forceTimer: NodeJS.Timeout | undefined;
  watchdog: NodeJS.Timeout | undefined;
  forced: { code: string; reason: string } | undefined;
}

/**
 * A fixed set of sandbox worker threads and a first-come queue in front of
 * them. Guests run in the workers, so the event loop that answers HTTP
 * stays free. A worker that dies is replaced; its job fails (or, when the
 * pool stopped it on purpose, is recorded as killed).
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: PoolJob[] = [];
  private readonly spawn: () => Worker;
  private readonly killGraceMs: number;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.spawn = options.spawn ?? (() => spawnSandboxWorker());
    this.killGraceMs = options.killGraceMs ?? 5_000;
  }

  /** Starts the workers; resolves once every one has loaded. */
  async start(): Promise<void> {
    const ready: Promise<void>[] = [];
    for (let i = 0; i < this.options.size; i++) ready.push(this.addSlot());
    await Promise.all(ready);
  }

  /** Worker threads in the pool. */
  get size(): number {
    return this.options.size;
  }

  /** Jobs waiting for a worker. */
  get queueLength(): number {
    return this.queue.length;
  }

  /** Jobs being run. */
  get running(): number {
    return this.slots.filter((s) => s.job !== null).length;
  }

  /** Queues a run; it starts as soon as a worker is free. */
  enqueue(job: PoolJob): void {
    if (this.closed) throw new Error('worker pool is closed');
    this.queue.push(job);
    this.dispatch();
  }

  /** 1 for the next job to start, 2 for the one after...; null if not queued. */
  position(jobId: string): number | null {
    const at = this.queue.findIndex((j) => j.request.jobId === jobId);
    return at < 0 ? null : at + 1;
  }

  /** Removes a queued job (its onEnd is not called); false if not queued. */
  cancel(jobId: string): boolean {
    const at = this.queue.findIndex((j) => j.request.jobId === jobId);
    if (at < 0) return false;
    this.queue.splice(at, 1);
    return true;
  }

  /**
   * Asks the worker running `jobId` to kill its guest; terminates the thread
   * if it has not stopped within the kill grace. False if it is not running.
   */
  kill(jobId: string, code: string, reason: string): boolean {
    const slot = this.slots.find((s) => s.job?.request.jobId === jobId);
    if (slot === undefined) return false;
    slot.worker.postMessage({ type: 'kill', jobId, code, reason });
    slot.forceTimer ??= setTimeout(() => this.force(slot, code, reason), this.killGraceMs);
    return true;
  }

  /**
   * Asks the worker running `jobId` to pause its guest and save it; the run
   * then ends with a paused outcome. False if it is not running.
   */
  pause(jobId: string): boolean {
    const slot = this.slots.find((s) => s.job?.request.jobId === jobId);
    if (slot === undefined) return false;
    slot.worker.postMessage({ type: 'pause', jobId });
    return true;
  }

  /** Terminates every worker; queued jobs are dropped without onEnd. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await Promise.all(
      this.slots.map((s) => {
        this.clearTimers(s);
        return s.worker.terminate();
      }),
    );
  }

  private addSlot(): Promise<void> {
    const slot: Slot = {
      worker: this.spawn(),
      ready: false,
      job: null,
      startedAt: 0,
      forceTimer: undefined,
      watchdog: undefined,
      forced: undefined,
    };
    this.slots.push(slot);
    return new Promise((resolve) => {
      slot.worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          slot.ready = true;
          resolve();
          this.dispatch();
        } else this.onMessage(slot, m);
      });
      // A thread that dies (crash, out of heap, terminated by force) is
      // replaced; resolving here keeps start() from hanging on it.
      slot.worker.on('error', (error) => {
        this.options.logger.error({ err: String(error) }, 'sandbox worker failed');
      });
      slot.worker.on('exit', () => {
        resolve();
        this.replace(slot);
      });
    });
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const job = slot.job;
    if (m.type === 'log') {
      this.options.logger[m.level](m.obj, m.msg);
      return;
    }
    if (m.type === 'ready' || job === null || m.jobId !== job.request.jobId) return;
    if (m.type === 'started') job.onRunning?.({ loadMs: m.loadMs, at: m.at });
    else if (m.type === 'output') job.onOutput(m.stream, m.bytes);
    else if (m.type === 'done') this.finish(slot, { kind: 'done', outcome: m.outcome });
    else if (m.type === 'failed') this.finish(slot, { kind: 'failed', ...m });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job !== null) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.startedAt = performance.now();
      slot.forced = undefined;
      // Past the wall-time limit the worker's own timer should have killed
      // the guest; if the thread is stuck, stop it from here.
      const { maxWallMs } = job.request.limits;
      slot.watchdog = setTimeout(
        () =>
          this.kill(
            job.request.jobId,
            'LIMIT_WALL_TIME',
            `wall-time limit of ${maxWallMs} ms reached`,
          ),
        maxWallMs + this.killGraceMs,
      );
      slot.worker.postMessage(job.request);
      job.onStart();
    }
  }

  private finish(slot: Slot, end: PoolEnd): void {
    const job = slot.job;
    this.clearTimers(slot);
    slot.job = null;
    if (job !== null) job.onEnd(end);
    this.dispatch();
  }

  /** Terminates a worker whose guest did not stop when asked. */
  private force(slot: Slot, code: string, reason: string): void {
    if (slot.job === null) return;
    this.options.logger.warn({ jobId: slot.job.request.jobId, code }, 'terminating sandbox worker');
    slot.forced = { code, reason };
    void slot.worker.terminate();
  }

  private replace(dead: Slot): void {
    this.clearTimers(dead);
    const at = this.slots.indexOf(dead);
    if (at >= 0) this.slots.splice(at, 1);
    const job = dead.job;
    dead.job = null;
    if (job !== null) {
      const wallMs = Math.round(performance.now() - dead.startedAt);
      job.onEnd(
        dead.forced !== undefined
          ? { kind: 'done', outcome: forcedOutcome(dead.forced, wallMs) }
          : { kind: 'failed', code: 'WORKER_CRASHED', message: 'the sandbox worker thread died' },
      );
    }
    if (this.closed) return;
    // A thread that died before it even loaded would die again at once:
    // wait before the next attempt rather than spin.
    if (dead.ready) void this.addSlot();
    else setTimeout(() => this.closed || void this.addSlot(), RESPAWN_DELAY_MS).unref();
  }

  private clearTimers(slot: Slot): void {
    clearTimeout(slot.forceTimer);
    clearTimeout(slot.watchdog);
    slot.forceTimer = undefined;
    slot.watchdog = undefined;
  }
}

/** The outcome recorded for a guest whose thread was terminated. */
function forcedOutcome(kill: { code: string; reason: string }, wallMs: number): RunOutcome {
  return {
    status: 'killed',
    exitCode: 137,
    signal: 9,
    kill,
    // TODO: a terminated thread cannot report its instruction count, so a job
    // stopped this way shows 0 instructions in its stats.
    instructions: 0,
    wallMs,
    stdoutTruncated: false,
    stderrTruncated: false,
    unsupportedSyscalls: [],
  };
}
