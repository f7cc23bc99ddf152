import { randomUUID } from 'node:crypto';
import type { KernelLogger } from '../kernel/kernel-log.ts';
import type { GuestLimits, PauseRule, RunRequest } from '../sandbox/worker-protocol.ts';
import { isStoreError } from '../store/index.ts';
import { invalidField, JobActionError, JobSubmitError, snapshotNotFound } from './errors.ts';
import { FINAL_STATUSES, newJob, type Job } from './job.ts';
import { argv0, checkPause, checkProgram, signalNumber, type SubmitForm } from './job-input.ts';
import type { JobStore, OutputStream } from './job-store.ts';
import { LiveJob, type CancelledEnd } from './live-job.ts';
import type { ServiceMetrics } from './metrics.ts';
import type { TenantSnapshots } from './tenant-snapshots.ts';
import type { PoolEnd, WorkerPool } from './worker-pool.ts';

/** What a JobService is built from. */
export interface JobServiceDeps {
  store: JobStore;
  pool: WorkerPool;
  logger: KernelLogger;
  metrics: ServiceMetrics;
  /** Defaults for a job's limits, and the most it may ask for. */
  limits: GuestLimits;
  instanceId: string;
  /** Where each tenant's snapshots are saved and loaded. */
  snapshots: TenantSnapshots;
}

/** How a resumed job continues its snapshot. */
export interface ResumeInput {
  /** Bytes appended to standard input. */
  stdin: Uint8Array;
  closeStdin: boolean;
  /** A signal number or name, delivered before the guest continues. */
  signal?: number | string;
  limits?: Partial<GuestLimits>;
  pause: PauseRule;
}

/** What a new run is, before it has a job id. */
type Launch = Pick<RunRequest, 'source' | 'stdin' | 'closeStdin' | 'signal' | 'pause'>;

/**
 * Jobs and their life cycle on one instance: accept, queue, run in the
 * worker pool, pause into snapshots, resume them, record in the store,
 * kill, and shut down. Jobs this instance runs are kept in memory until
 * they end or pause (and their final record is written); any other job is
 * read from the store, so every instance sharing it answers for every job.
 */
export class JobService {
  private readonly live = new Map<string, LiveJob>();
  private accepting = true;
  private stopping: Promise<void> | undefined;

  constructor(private readonly deps: JobServiceDeps) {}

  /** Whether new jobs are taken (false once shutting down). */
  get isAccepting(): boolean {
    return this.accepting;
  }

  /**
   * Validates and records a job, then queues it; resolves with it queued or
   * running. `programName` (the uploaded file's name) becomes argv[0], so
   * that multi-call programs such as busybox find their applet.
   */
  async submit(tenant: string, form: SubmitForm, programName?: string): Promise<Job> {
    this.checkAccepting();
    const limits = this.limitsFor(form.limits ?? {});
    checkPause(form.pause ?? {});
    checkProgram(form.binary);
    return this.launch(tenant, limits, null, {
      source: {
        kind: 'boot',
        program: new Uint8Array(form.binary),
        argv: [argv0(programName), ...(form.args ?? [])],
        env: Object.entries(form.env ?? {}).map(([k, v]) => `${k}=${v}`),
      },
      stdin: new Uint8Array(form.stdin ?? []),
      closeStdin: form.closeStdin ?? true,
      signal: 0,
      pause: form.pause ?? {},
    });
  }

  /**
   * Starts a new job from snapshot `snapshotId` of this tenant, on this
   * instance; 404 when the tenant has no such snapshot. The snapshot itself
   * is never changed.
   */
  async resume(tenant: string, snapshotId: string, input: ResumeInput): Promise<Job> {
    this.checkAccepting();
    const limits = this.limitsFor(input.limits ?? {});
    checkPause(input.pause);
    const signal = signalNumber(input.signal);
    await this.checkSnapshot(tenant, snapshotId);
    return this.launch(tenant, limits, snapshotId, {
      source: { kind: 'restore', snapshotId },
      stdin: input.stdin,
      closeStdin: input.closeStdin,
      signal,
      pause: input.pause,
    });
  }

  /** Resolves once the job has ended (this instance's jobs only). */
  async waitFor(tenant: string, id: string): Promise<Job> {
    const live = this.live.get(id);
    if (live === undefined || live.tenant !== tenant) return this.get(tenant, id);
    return live.done;
  }

  /** The job as it is now; 404 for an unknown id or another tenant's job. */
  async get(tenant: string, id: string): Promise<Job> {
    const live = this.live.get(id);
    if (live !== undefined && live.tenant === tenant) return this.view(live);
    const stored = await this.deps.store.load(tenant, id);
    if (stored === undefined) throw notFound(id);
    return stored;
  }

  /** The raw bytes of one output stream, so far. */
  async output(tenant: string, id: string, stream: OutputStream): Promise<Uint8Array> {
    const live = this.live.get(id);
    if (live !== undefined && live.tenant === tenant) return live.bytes(stream);
    const job = await this.get(tenant, id);
    const bytes = await this.deps.store.loadOutput(tenant, id, stream);
    // A job still running on another instance has written no output yet.
    return bytes ?? Buffer.from(job[stream]);
  }

  /** Kills a queued or running job of this instance; resolves with it ended. */
  async kill(tenant: string, id: string): Promise<Job> {
    const live = await this.ownLive(tenant, id);
    this.stop(live, 'KILLED_BY_CLIENT', 'killed on request');
    return live.done;
  }

  /**
   * Pauses a running job of this instance now: its worker saves the guest
   * as a snapshot and the job ends `paused` with its `snapshotId`. Resolves
   * with the job once recorded (exited instead, if it ended first).
   */
  async pause(tenant: string, id: string): Promise<Job> {
    const live = await this.ownLive(tenant, id);
    if (live.job.status === 'queued') {
      throw new JobActionError(
        'JOB_NOT_STARTED',
        409,
        `job ${id} is still queued and has no state to save; kill it or pause it once it runs`,
      );
    }
    this.deps.pool.pause(id);
    return live.done;
  }

  /** Resolves when the store answers and this instance takes jobs. */
  async ready(): Promise<void> {
    this.checkAccepting();
    await this.deps.store.ping();
  }

  /**
   * Stops taking jobs and pauses every running one into a snapshot (its
   * record says `paused` with the `snapshotId`, so that another instance
   * can resume it); queued jobs, which have no state yet, are recorded
   * killed with INSTANCE_SHUTDOWN. What has not paused within `graceMs`
   * is killed. Every job's final record is written before this resolves
   * (or its failure logged); then the workers stop.
   */
  shutdown(graceMs: number): Promise<void> {
    this.stopping ??= this.drain(graceMs);
    return this.stopping;
  }

  private async drain(graceMs: number): Promise<void> {
    this.accepting = false;
    for (const live of this.live.values()) {
      const id = live.job.id;
      if (this.deps.pool.cancel(id)) {
        this.ended(live, { kind: 'done', outcome: undefined, kill: SHUTDOWN_KILL });
      } else if (this.deps.pool.pause(id)) {
        this.deps.logger.info({ jobId: id, phase: 'shutdown-pause' }, 'pausing job for shutdown');
      }
    }
    const all = () => Promise.all([...this.live.values()].map((l) => l.done));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
    const first = await Promise.race([all(), graceOver]);
    clearTimeout(timer);
    if (first === 'late') {
      for (const live of this.live.values()) {
        this.stop(live, SHUTDOWN_KILL.code, SHUTDOWN_KILL.reason);
      }
      await all();
    }
    await this.deps.pool.close();
  }

  /**
   * Records a job and queues its run; the job's snapshots go to its
   * tenant's store, with the tenant and job in their manifest.
   */
  private async launch(
    tenant: string,
    limits: GuestLimits,
    resumedFrom: string | null,
    run: Launch,
  ): Promise<Job> {
    const id = randomUUID();
    const job = newJob(id, limits, this.deps.instanceId, resumedFrom);
    const live = new LiveJob(tenant, job, this.deps.store, this.deps.logger, () =>
      this.deps.metrics.storeErrors.inc({ operation: 'save-job' }),
    );
    await this.persistFirst(live);
    this.live.set(id, live);
    if (!this.accepting) {
      // A shutdown began while the record was being written.
      this.ended(live, { kind: 'done', outcome: undefined, kill: SHUTDOWN_KILL });
      return live.done;
    }
    this.deps.metrics.jobsSubmitted.inc();
    this.deps.logger.info(
      { jobId: id, phase: 'submit', ...(resumedFrom ? { snapshotId: resumedFrom } : {}) },
      resumedFrom ? 'resume accepted' : 'job accepted',
    );
    this.deps.pool.enqueue({
      request: {
        type: 'run',
        jobId: id,
        ...run,
        limits,
        store: this.deps.snapshots.ref(tenant),
        meta: { tenant, jobId: id, instance: this.deps.instanceId },
      },
      onStart: () => live.started(),
      onRunning: (info) => live.running(info),
      onOutput: (stream, bytes) => live.output(stream, bytes),
      onEnd: (end) => this.ended(live, end),
    });
    return this.view(live);
  }

  /** The live job of this instance, or the right 404 or 409. */
  private async ownLive(tenant: string, id: string): Promise<LiveJob> {
    const live = this.live.get(id);
    if (live === undefined || live.tenant !== tenant) {
      const job = await this.get(tenant, id);
      if (FINAL_STATUSES.has(job.status)) throw finished(job);
      throw new JobActionError(
        'JOB_ON_OTHER_INSTANCE',
        409,
        `job ${id} is ${job.status} on instance ${job.instance}; send the request there`,
      );
    }
    if (FINAL_STATUSES.has(live.job.status)) throw finished(live.job);
    return live;
  }

  private checkAccepting(): void {
    if (!this.accepting) {
      throw new JobSubmitError('SHUTTING_DOWN', 503, 'this instance is shutting down');
    }
  }

  /** 404 unless the tenant's store has the snapshot. */
  private async checkSnapshot(tenant: string, id: string): Promise<void> {
    let exists: boolean;
    try {
      exists = await this.deps.snapshots.store(tenant).exists(id);
    } catch (error) {
      if (isStoreError(error, 'STORE_INVALID')) throw snapshotNotFound(id, error);
      throw error;
    }
    if (!exists) throw snapshotNotFound(id);
  }

  /** Kills a running job or removes a queued one. */
  private stop(live: LiveJob, code: string, reason: string): void {
    const id = live.job.id;
    if (this.deps.pool.cancel(id)) {
      this.ended(live, { kind: 'done', outcome: undefined, kill: { code, reason } });
    } else {
      this.deps.pool.kill(id, code, reason);
    }
  }

  private ended(live: LiveJob, end: PoolEnd | CancelledEnd): void {
    const job = live.finish(end);
    this.deps.metrics.jobsFinished.inc({ state: job.status });
    this.deps.metrics.instructions.inc(job.stats.instructions);
    if (job.snapshotId !== null) {
      this.deps.metrics.saveSeconds.observe(job.stats.saveMs / 1000);
      this.deps.metrics.savedBytes.inc(job.stats.bytes);
    }
    if (job.resumedFrom !== null && job.startedAt !== null && job.status !== 'failed') {
      this.deps.metrics.loadSeconds.observe(job.stats.loadMs / 1000);
    }
    void live.persistFinal().then(() => {
      this.live.delete(job.id);
      live.resolveDone(job);
    });
  }

  private async persistFirst(live: LiveJob): Promise<void> {
    try {
      await this.deps.store.save(live.tenant, live.job);
    } catch (error) {
      this.deps.metrics.storeErrors.inc({ operation: 'save-job' });
      throw error;
    }
  }

  private view(live: LiveJob): Job {
    const position = this.deps.pool.position(live.job.id);
    return live.view(live.job.status === 'queued' ? position : null);
  }

  private limitsFor(asked: Partial<GuestLimits>): GuestLimits {
    const most = this.deps.limits;
    const out = { ...most };
    for (const key of Object.keys(most) as (keyof GuestLimits)[]) {
      const value = asked[key];
      if (value === undefined) continue;
      if (value > most[key]) {
        throw invalidField(`limits.${key}`, `at most ${most[key]} on this instance`);
      }
      out[key] = value;
    }
    return out;
  }
}

const SHUTDOWN_KILL = { code: 'INSTANCE_SHUTDOWN', reason: 'the instance shut down' };

function notFound(id: string): JobActionError {
  return new JobActionError('JOB_NOT_FOUND', 404, `no job ${id}`);
}

function finished(job: Job): JobActionError {
  return new JobActionError('JOB_FINISHED', 409, `job ${job.id} has already ended (${job.status})`);
}

/** Whether an error means the store could not be used (for callers' metrics). */
export function isStoreFailure(error: unknown): boolean {
  return isStoreError(error) && !isStoreError(error, 'STORE_NOT_FOUND');
}
