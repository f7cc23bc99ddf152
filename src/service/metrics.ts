import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

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

  constructor(live: () => { queued: number; running: number }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'amber_process_' });
    this.jobsFinished = new Counter({
      name: 'amber_jobs_finished_total',
      help: 'Jobs that ended, by final state (exited, killed, failed)',
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
