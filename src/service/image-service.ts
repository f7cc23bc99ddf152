import { z } from 'zod';
import { isStoreError, listAll, StoreError, type BlobStore } from '../store/index.ts';
import { ImageActionError, snapshotNotFound } from './errors.ts';
import type { Job } from './job.ts';
import { stdinBytes, type InvokeBody } from './job-input.ts';
import type { JobService } from './job-service.ts';
import type { SnapshotService } from './snapshot-service.ts';

/** An image: a name for a snapshot that answers invocations. */
export const imageSchema = z
  .object({
    name: z.string(),
    snapshotId: z.string().describe('the snapshot every invocation resumes; never changed by one'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Image' });

/** See {@link imageSchema}. */
export type Image = z.infer<typeof imageSchema>;

/** Image names: what a URL path segment and a store key both accept. */
export const IMAGE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const storedImageSchema = z.object({ tenant: z.string(), image: imageSchema });

/**
 * Prewarmed images: a name bound to a snapshot taken where a program waits
 * for its first request. Invoking one resumes the snapshot with the
 * request as standard input and answers with the job once it exits or
 * pauses again; the snapshot is never changed, so invocations can run at
 * once, on any instance. Records are `images/TENANT/NAME.json` in the store.
 */
export class ImageService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly jobs: JobService,
    private readonly snapshots: SnapshotService,
  ) {}

  /** Names `snapshotId` as image `name`, creating or repointing it. */
  async put(
    tenant: string,
    name: string,
    snapshotId: string,
  ): Promise<{ image: Image; created: boolean }> {
    if (!(await this.snapshots.exists(tenant, snapshotId))) throw snapshotNotFound(snapshotId);
    const old = await this.load(tenant, name);
    const now = new Date().toISOString();
    const image = { name, snapshotId, createdAt: old?.createdAt ?? now, updatedAt: now };
    await this.blobs.put(key(tenant, name), Buffer.from(JSON.stringify({ tenant, image })));
    return { image, created: old === undefined };
  }

  /** Image `name`; 404 when the tenant has none such. */
  async get(tenant: string, name: string): Promise<Image> {
    const image = await this.load(tenant, name);
    if (image === undefined) throw notFound(name);
    return image;
  }

  /** The tenant's images, by name. */
  async list(tenant: string): Promise<Image[]> {
    const images: Image[] = [];
    for await (const info of listAll(this.blobs, `images/${tenant}/`)) {
      const name = /\/([^/]+)\.json$/.exec(info.key)?.[1];
      const image = name === undefined ? undefined : await this.load(tenant, name);
      if (image !== undefined) images.push(image);
    }
    return images.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Removes image `name` (its snapshot stays); 404 when absent. */
  async delete(tenant: string, name: string): Promise<Image> {
    const image = await this.get(tenant, name);
    await this.blobs.delete(key(tenant, name));
    return image;
  }

  /** Names of the tenant's images that use snapshot `id`. */
  async namesUsing(tenant: string, id: string): Promise<string[]> {
    return (await this.list(tenant)).filter((i) => i.snapshotId === id).map((i) => i.name);
  }

  /**
   * Resumes the image's snapshot with `body.stdin` (standard input closed
   * after it unless `closeStdin` is false) on this instance, and resolves
   * with the job once it has exited, paused again or failed. Its `stdout`
   * is what the guest wrote since the restore.
   */
  async invoke(tenant: string, name: string, body: InvokeBody): Promise<Job> {
    const image = await this.get(tenant, name);
    const job = await this.jobs.resume(tenant, image.snapshotId, {
      stdin: stdinBytes(body),
      closeStdin: body.closeStdin ?? true,
      ...(body.limits ? { limits: body.limits } : {}),
      pause: { whenIdle: true },
    });
    return this.jobs.waitFor(tenant, job.id);
  }

  private async load(tenant: string, name: string): Promise<Image | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await this.blobs.get(key(tenant, name));
    } catch (error) {
      if (isStoreError(error, 'STORE_NOT_FOUND')) return undefined;
      throw error;
    }
    let parsed;
    try {
      parsed = storedImageSchema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch (error) {
      throw corrupt(name, error);
    }
    if (!parsed.success) throw corrupt(name, parsed.error);
    return parsed.data.tenant === tenant ? parsed.data.image : undefined;
  }
}

function key(tenant: string, name: string): string {
  return `images/${tenant}/${name}.json`;
}

function notFound(name: string): ImageActionError {
  return new ImageActionError('IMAGE_NOT_FOUND', 404, `no image ${name}`);
}

function corrupt(name: string, cause: unknown): StoreError {
  return new StoreError('STORE_CORRUPT', `the record of image ${name} cannot be read`, { cause });
}
