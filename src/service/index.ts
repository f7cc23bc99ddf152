/**
 * The service layer: jobs and their life cycle (JobService), the pool of
 * sandbox worker threads that runs them (WorkerPool), job records in the
 * store (JobStore), configuration, metrics and the errors the API answers
 * with. It knows nothing of HTTP: routes/ and src/server.ts call it.
 *
 * Lock order: there are no locks. Between awaits a JobService touches only
 * its map of live jobs and the pool's queue; each live job chains its own
 * store writes, so its records are written in the order its states change.
 */
export { ConfigError, configFromEnv } from './config.ts';
export type { ServiceConfig } from './config.ts';
export { AuthError, invalidField, JobActionError, JobSubmitError, ServiceError } from './errors.ts';
export { FINAL_STATUSES, JOB_STATUSES, jobSchema, limitsSchema, pauseSchema } from './job.ts';
export type { Job, JobStatus } from './job.ts';
export { submitFormSchema } from './job-input.ts';
export type { SubmitForm } from './job-input.ts';
export { BlobJobStore } from './job-store.ts';
export type { JobStore, OutputStream } from './job-store.ts';
export { JobService } from './job-service.ts';
export type { JobServiceDeps } from './job-service.ts';
export { ServiceMetrics } from './metrics.ts';
export { WorkerPool } from './worker-pool.ts';
export type { PoolEnd, PoolJob, WorkerPoolOptions } from './worker-pool.ts';
