import type { KernelLogger } from '../kernel/kernel-log.ts';
import type { Job } from './job.ts';
import type { JobStore, OutputStream } from './job-store.ts';
import type { PoolEnd } from './worker-pool.ts';

const UTF8 = new TextDecoder('utf-8');

/** A job removed from the queue before it started. */
export interface CancelledEnd {
  kind: 'done';
  outcome: undefined;
  kill: { code: string; reason: string };
}

/**
 * A job this instance accepted and has not finished recording: its record
 * as it changes, the output received so far, and the promise `wait=true`
 * and DELETE wait on. Store writes for one job are chained so that a late
 * "running" record can never overwrite the final one.
 */
export class LiveJob {
  /** Resolves with the final job once its record is written (or failed to be). */
  readonly done: Promise<Job>;
  /** Settles {@link done}. */
  resolveDone!: (job: Job) => void;
  private readonly chunks: Record<OutputStream, Uint8Array[]> = { stdout: [], stderr: [] };
  private writes: Promise<void> = Promise.resolve();
  private queuedAt = performance.now();
  /** Wall clock (epoch ms) when the job was accepted. */
  private readonly acceptedAt = performance.timeOrigin + performance.now();

  constructor(
    readonly tenant: string,
    readonly job: Job,
    private readonly store: JobStore,
    private readonly logger: KernelLogger,
    /** Counts a failed store write (the metrics' store errors). */
    private readonly onStoreError: () => void,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** The guest booted in a worker. */
  started(): void {
    this.job.status = 'running';
    this.job.startedAt = new Date().toISOString();
    const waitedMs = Math.round(performance.now() - this.queuedAt);
    this.logger.info({ jobId: this.job.id, phase: 'start', durationMs: waitedMs }, 'job started');
    void this.persist(() => this.store.save(this.tenant, this.snapshot()));
  }

  /**
   * The guest is about to run its first instruction. Not recorded in the
   * store by itself: the figures reach it with the final record.
   */
  running(info: { loadMs: number; at: number }): void {
    this.job.stats.loadMs = Math.round(info.loadMs);
    this.job.stats.startMs = Math.max(0, Math.round(info.at - this.acceptedAt));
  }

  /** Output arrived from the worker. */
  output(stream: 1 | 2, bytes: Uint8Array): void {
    this.chunks[stream === 1 ? 'stdout' : 'stderr'].push(bytes);
  }

  /** One stream's bytes so far. */
  bytes(stream: OutputStream): Uint8Array {
    return Buffer.concat(this.chunks[stream]);
  }

  /** The job as the API shows it now. */
  view(queuePosition: number | null): Job {
    return { ...this.snapshot(), queuePosition };
  }

  /** Records how the run ended; returns the final job. */
  finish(end: PoolEnd | CancelledEnd): Job {
    const job = this.job;
    job.finishedAt = new Date().toISOString();
    if (end.kind === 'failed') {
      job.status = 'failed';
      job.error = { code: end.code, message: end.message };
    } else if (end.outcome === undefined) {
      // Removed from the queue before it ever ran.
      job.status = 'killed';
      job.error = { code: end.kill.code, message: end.kill.reason };
    } else {
      const o = end.outcome;
      job.status = o.status;
      job.exitCode = o.exitCode;
      job.signal = o.signal;
      job.stdoutTruncated = o.stdoutTruncated;
      job.stderrTruncated = o.stderrTruncated;
      job.stats.instructions = o.instructions;
      job.stats.wallMs = o.wallMs;
      job.unsupportedSyscalls = o.unsupportedSyscalls;
      if (o.kill !== undefined) job.error = { code: o.kill.code, message: o.kill.reason };
      if (o.snapshot !== undefined) {
        job.snapshotId = o.snapshot.id;
        job.pausedFor = o.snapshot.pausedFor;
        job.stats.saveMs = o.snapshot.saveMs;
        job.stats.bytes = o.snapshot.bytes;
        job.stats.chunksWritten = o.snapshot.chunksWritten;
        job.stats.chunksShared = o.snapshot.chunksReused;
      }
    }
    const final = this.snapshot();
    this.logger.info(
      {
        jobId: job.id,
        phase: 'end',
        status: job.status,
        durationMs: job.stats.wallMs,
        instructions: job.stats.instructions,
        bytes: this.bytes('stdout').length + this.bytes('stderr').length,
        ...(job.snapshotId ? { snapshotId: job.snapshotId, saveMs: job.stats.saveMs } : {}),
        ...(job.error ? { code: job.error.code } : {}),
      },
      'job ended',
    );
    return final;
  }

  /**
   * Writes the output and the final record. Never rejects: a store failure
   * is logged and counted, and the job still ends.
   */
  persistFinal(): Promise<void> {
    const final = this.snapshot();
    return this.persist(async () => {
      const start = performance.now();
      const out = this.bytes('stdout');
      const err = this.bytes('stderr');
      // The record goes last: once it says the job ended, its output is there.
      await Promise.all([
        this.store.saveOutput(this.tenant, final.id, 'stdout', out),
        this.store.saveOutput(this.tenant, final.id, 'stderr', err),
      ]);
      await this.store.save(this.tenant, final);
      const durationMs = Math.round(performance.now() - start);
      const bytes = out.length + err.length;
      this.logger.info({ jobId: final.id, phase: 'record', durationMs, bytes }, 'job recorded');
    });
  }

  /** A copy of the record with the output decoded so far. */
  private snapshot(): Job {
    return {
      ...this.job,
      stats: { ...this.job.stats },
      stdout: UTF8.decode(this.bytes('stdout')),
      stderr: UTF8.decode(this.bytes('stderr')),
    };
  }

  private persist(write: () => Promise<void>): Promise<void> {
    this.writes = this.writes.then(write).catch((error: unknown) => {
      this.onStoreError();
      this.logger.error({ jobId: this.job.id, err: String(error) }, 'cannot record job');
    });
    return this.writes;
  }
}
