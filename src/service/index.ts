/**
 * The service layer: jobs and their life cycle (JobService: submit, pause,
 * resume, kill, shut down by pausing), the pool of sandbox worker threads
 * that runs them and saves the ones that pause (WorkerPool), job records in
 * the store (JobStore), snapshots and images per tenant (SnapshotService,
 * ImageService, TenantSnapshots), configuration, metrics and the errors the
 * API answers with. It knows nothing of HTTP: routes/ and src/server.ts
 * call it.
 *
 * Lock order: there are no locks. Between awaits a JobService touches only
 * its map of live jobs and the pool's queue; each live job chains its own
 * store writes, so its records are written in the order its states change.
 * Snapshots are immutable once their manifest exists, so readers need no
 * coordination; an image record is replaced whole by one put, and the
 * last writer wins.
 */
export { ConfigError, configFromEnv } from './config.ts';
export type { ServiceConfig } from './config.ts';
export {
  AuthError,
  ImageActionError,
  invalidField,
  JobActionError,
  JobSubmitError,
  ServiceError,
  SnapshotActionError,
} from './errors.ts';
export { FINAL_STATUSES, JOB_STATUSES, jobSchema, limitsSchema, pauseSchema } from './job.ts';
export type { Job, JobStatus } from './job.ts';
export { invokeBodySchema, resumeBodySchema, submitFormSchema } from './job-input.ts';
export type { InvokeBody, ResumeBody, SubmitForm } from './job-input.ts';
export { BlobJobStore } from './job-store.ts';
export type { JobStore, OutputStream } from './job-store.ts';
export { JobService } from './job-service.ts';
export type { JobServiceDeps, ResumeInput } from './job-service.ts';
export { IMAGE_NAME, ImageService, imageSchema } from './image-service.ts';
export type { Image } from './image-service.ts';
export { SnapshotService, snapshotInfoSchema } from './snapshot-service.ts';
export type { SnapshotInfo } from './snapshot-service.ts';
export { OPEN_TENANT, TenantSnapshots } from './tenant-snapshots.ts';
export { ServiceMetrics } from './metrics.ts';
export { WorkerPool } from './worker-pool.ts';
export type { PoolEnd, PoolJob, WorkerPoolOptions } from './worker-pool.ts';
