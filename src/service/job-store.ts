import { isStoreError, StoreError, type BlobStore } from '../store/index.ts';
import { storedJobSchema, type Job, type StoredJob } from './job.ts';

/** Which output stream. */
export type OutputStream = 'stdout' | 'stderr';

/**
 * Where job records live, so that any instance sharing the store can answer
 * for any job. Records are JSON; a job's raw output is kept beside its
 * record once the job has ended. Errors are StoreErrors.
 */
export interface JobStore {
  /** Writes (or replaces) a job's record. */
  save(tenant: string, job: Job): Promise<void>;
  /** A job's record, or undefined when this tenant has no such job. */
  load(tenant: string, id: string): Promise<Job | undefined>;
  /** Writes a finished job's raw output. */
  saveOutput(tenant: string, id: string, stream: OutputStream, bytes: Uint8Array): Promise<void>;
  /** A finished job's raw output, or undefined when none was kept. */
  loadOutput(tenant: string, id: string, stream: OutputStream): Promise<Uint8Array | undefined>;
  /** Resolves when the store answers; rejects with a StoreError otherwise. */
  ping(): Promise<void>;
}

/**
 * A JobStore over a BlobStore (the folder or S3 store of src/store). Keys:
 * `jobs/TENANT/ID.json` for the record, `jobs/TENANT/ID/stdout` and
 * `/stderr` for the output. The tenant is part of the key, so one tenant
 * cannot even name another's jobs.
 */
export class BlobJobStore implements JobStore {
  constructor(
    private readonly blobs: BlobStore,
    private readonly instanceId: string,
  ) {}

  async save(tenant: string, job: Job): Promise<void> {
    const record: StoredJob = { tenant, job };
    await this.blobs.put(recordKey(tenant, job.id), Buffer.from(JSON.stringify(record)));
  }

  async load(tenant: string, id: string): Promise<Job | undefined> {
    const bytes = await this.getOrUndefined(recordKey(tenant, id));
    if (bytes === undefined) return undefined;
    let parsed;
    try {
      parsed = storedJobSchema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch (error) {
      throw corrupt(id, error);
    }
    if (!parsed.success) throw corrupt(id, parsed.error);
    return parsed.data.tenant === tenant ? parsed.data.job : undefined;
  }

  async saveOutput(tenant: string, id: string, stream: OutputStream, bytes: Uint8Array) {
    await this.blobs.put(`jobs/${tenant}/${id}/${stream}`, bytes);
  }

  async loadOutput(tenant: string, id: string, stream: OutputStream) {
    return this.getOrUndefined(`jobs/${tenant}/${id}/${stream}`);
  }

  async ping(): Promise<void> {
    // A write, not a read: an instance that cannot record jobs is not ready.
    const stamp = JSON.stringify({ instance: this.instanceId, at: new Date().toISOString() });
    await this.blobs.put(`instances/${this.instanceId}.json`, Buffer.from(stamp));
  }

  private async getOrUndefined(key: string): Promise<Uint8Array | undefined> {
    try {
      return await this.blobs.get(key);
    } catch (error) {
      if (isStoreError(error, 'STORE_NOT_FOUND')) return undefined;
      throw error;
    }
  }
}

function recordKey(tenant: string, id: string): string {
  return `jobs/${tenant}/${id}.json`;
}

function corrupt(id: string, cause: unknown): StoreError {
  return new StoreError('STORE_CORRUPT', `the record of job ${id} cannot be read`, { cause });
}
