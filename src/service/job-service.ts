import { randomUUID } from 'node:crypto';
import type { KernelLogger } from '../kernel/kernel-log.ts';
import { ElfError, parseElf } from '../loader/index.ts';
import type { GuestLimits } from '../sandbox/worker-protocol.ts';
import { isStoreError } from '../store/index.ts';
import { invalidField, JobActionError, JobSubmitError, pauseUnavailable } from './errors.ts';
import { FINAL_STATUSES, type Job } from './job.ts';
import type { SubmitForm } from './job-input.ts';
import type { JobStore, OutputStream } from './job-store.ts';
import { LiveJob, type CancelledEnd } from './live-job.ts';
import type { ServiceMetrics } from './metrics.ts';
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
}

/**
 * Jobs and their life cycle on one instance: accept, queue, run in the
 * worker pool, record in the store, kill, and shut down. Jobs this instance
 * runs are kept in memory until they end (and their final record is
 * written); any other job is read from the store, so every instance sharing
 * it answers for every job.
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
    if (!this.accepting) {
      throw new JobSubmitError('SHUTTING_DOWN', 503, 'this instance is shutting down');
    }
    if (form.pause?.whenIdle === true || form.pause?.afterInstructions !== undefined) {
      throw pauseUnavailable();
    }
    const limits = this.limitsFor(form.limits ?? {});
    checkProgram(form.binary);

    const id = randomUUID();
    const job = newJob(id, limits, this.deps.instanceId);
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
      { jobId: id, phase: 'submit', bytes: form.binary.length },
      'job accepted',
    );

    this.deps.pool.enqueue({
      request: {
        type: 'run',
        jobId: id,
        program: new Uint8Array(form.binary),
        argv: [argv0(programName), ...(form.args ?? [])],
        env: Object.entries(form.env ?? {}).map(([k, v]) => `${k}=${v}`),
        stdin: new Uint8Array(form.stdin ?? []),
        closeStdin: form.closeStdin ?? true,
        limits,
      },
      onStart: () => live.started(),
      onOutput: (stream, bytes) => live.output(stream, bytes),
      onEnd: (end) => this.ended(live, end),
    });
    return this.view(live);
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
    this.stop(live, 'KILLED_BY_CLIENT', 'killed on request');
    return live.done;
  }

  /**
   * Would save a job now and pause it.
   * TODO: snapshots cannot be taken yet, so pausing answers 501
   * PAUSE_UNAVAILABLE (after checking that the job exists).
   */
  async pause(tenant: string, id: string): Promise<never> {
    await this.get(tenant, id);
    throw pauseUnavailable();
  }

  /** Resolves when the store answers and this instance takes jobs. */
  async ready(): Promise<void> {
    if (!this.accepting) {
      throw new JobSubmitError('SHUTTING_DOWN', 503, 'this instance is shutting down');
    }
    await this.deps.store.ping();
  }

  /**
   * Stops taking jobs and lets queued and running ones go on for
   * `graceMs`; then kills what still runs or waits, and stops the
   * workers. Every job's final record is written before this
   * resolves (or its failure logged).
   * TODO: running jobs are killed at the end of the grace period instead of
   * being paused into snapshots, so a deploy loses their work.
   */
  shutdown(graceMs: number): Promise<void> {
    this.stopping ??= this.drain(graceMs);
    return this.stopping;
  }

  private async drain(graceMs: number): Promise<void> {
    this.accepting = false;
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

function newJob(id: string, limits: GuestLimits, instance: string): Job {
  return {
    id,
    status: 'queued',
    queuePosition: null,
    createdAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    signal: null,
    snapshotId: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    stats: { instructions: 0, wallMs: 0, saveMs: 0, bytes: 0 },
    unsupportedSyscalls: [],
    error: null,
    limits,
    instance,
  };
}

/** Refuses, with the loader's code and reason, a program it cannot load. */
function checkProgram(bytes: Uint8Array): void {
  try {
    parseElf(bytes);
  } catch (error) {
    if (error instanceof ElfError) {
      throw new JobSubmitError(error.code, 422, `binary: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** The program's argv[0]: the upload's base name when it is a plain one. */
function argv0(name: string | undefined): string {
  const base = name?.split('/').pop() ?? '';
  return /^[A-Za-z0-9._+-]{1,64}$/.test(base) && !base.startsWith('.') ? base : 'program';
}

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
