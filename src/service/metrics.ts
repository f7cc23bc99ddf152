import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, in a registry of their own so that two
 * services in one process (tests) do not collide. The gauges of live jobs
 * are read from the service when scraped.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  /** Jobs that reached a final state, by that state. */
  readonly jobsFinished: Counter<'state'>;
  /** Jobs accepted by this instance. */
  readonly jobsSubmitted: Counter;
  /** Guest instructions retired by finished jobs. */
  readonly instructions: Counter;
  /** Store operations that failed, by operation. */
  readonly storeErrors: Counter<'operation'>;
  /** Wall time of saving a paused job's snapshot. */
  readonly saveSeconds: Histogram;
  /** Bytes snapshot saves wrote to the store. */
  readonly savedBytes: Counter;
  /** Wall time of loading a snapshot for a resumed job (or invocation). */
  readonly loadSeconds: Histogram;

  constructor(live: () => { queued: number; running: number }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'amber_process_' });
    this.jobsFinished = new Counter({
      name: 'amber_jobs_finished_total',
      help: 'Jobs that ended, by final state (paused, exited, killed, failed)',
      labelNames: ['state'],
      registers,
    });
    this.jobsSubmitted = new Counter({
      name: 'amber_jobs_submitted_total',
      help: 'Jobs accepted by this instance',
      registers,
    });
    this.instructions = new Counter({
      name: 'amber_guest_instructions_total',
      help: 'Guest instructions executed by jobs that ended',
      registers,
    });
    this.storeErrors = new Counter({
      name: 'amber_store_errors_total',
      help: 'Store operations that failed, by operation',
      labelNames: ['operation'],
      registers,
    });
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    this.saveSeconds = new Histogram({
      name: 'amber_snapshot_save_seconds',
      help: 'Wall time of saving a paused job as a snapshot',
      buckets,
      registers,
    });
    this.savedBytes = new Counter({
      name: 'amber_snapshot_saved_bytes_total',
      help: 'Bytes snapshot saves wrote to the store (compressed chunks and manifests)',
      registers,
    });
    this.loadSeconds = new Histogram({
      name: 'amber_snapshot_load_seconds',
      help: 'Wall time of loading a snapshot for a resumed job or an image invocation',
      buckets,
      registers,
    });
    new Gauge({
      name: 'amber_jobs',
      help: 'Jobs on this instance by live state (queued, running)',
      labelNames: ['state'],
      registers,
      collect() {
        const now = live();
        this.set({ state: 'queued' }, now.queued);
        this.set({ state: 'running' }, now.running);
      },
    });
    new Gauge({
      name: 'amber_queue_length',
      help: 'Jobs waiting for a sandbox worker',
      registers,
      collect() {
        this.set(live().queued);
      },
    });
  }
}
