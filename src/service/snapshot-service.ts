import { z } from 'zod';
import { AMBER_FEATURES, type FeatureSet } from '../cpu/cpuid.ts';
import { decodeHeader, SnapshotFormatError } from '../kernel/snapshot-header.ts';
import { isStoreError, type SnapshotManifest, type SnapshotStore } from '../store/index.ts';
import { SnapshotActionError, snapshotNotFound } from './errors.ts';
import type { ImageService } from './image-service.ts';
import type { TenantSnapshots } from './tenant-snapshots.ts';

const featureSetSchema = z.object({
  version: z.number(),
  vendor: z.string(),
  features: z.array(z.string()),
});

/** A snapshot as GET /v1/snapshots/:id shows it. */
export const snapshotInfoSchema = z
  .object({
    id: z.string(),
    parent: z.string().nullable().describe('the snapshot this one was resumed from'),
    created: z.string(),
    sizes: z
      .object({
        header: z.number(),
        kernelState: z.number(),
        memory: z.number().describe('memory chunks kept (all-zero ones are left out)'),
        total: z.number().describe('header, kernel state and memory, uncompressed'),
        written: z.number().describe('bytes its save uploaded, compressed'),
      })
      .describe('in bytes'),
    chunks: z.object({
      total: z.number(),
      written: z.number().describe('chunks its save uploaded'),
      shared: z.number().describe('chunks it shares with snapshots saved before it'),
    }),
    featureSet: featureSetSchema.nullable().describe('the CPUID feature set it needs'),
    compatible: z.boolean().describe('whether this instance can load it'),
    incompatibility: z.string().nullable().describe('why not, when it cannot'),
    job: z.string().nullable().describe('the job that paused into it, when a job did'),
    pausedFor: z.string().nullable(),
  })
  .meta({ id: 'Snapshot' });

/** See {@link snapshotInfoSchema}. */
export type SnapshotInfo = z.infer<typeof snapshotInfoSchema>;

/**
 * Snapshots of a tenant: describe, delete, export as one stream, import.
 * Resuming is the job service's. Snapshots are in the store, so any
 * instance answers for any of them.
 */
export class SnapshotService {
  /** Set once images exist (they refer to snapshots, and snapshots to them). */
  images: ImageService | undefined;

  constructor(private readonly snapshots: TenantSnapshots) {}

  /** What snapshot `id` is; 404 when the tenant has none such. */
  async info(tenant: string, id: string): Promise<SnapshotInfo> {
    const store = this.snapshots.store(tenant);
    const manifest = await this.manifest(store, id);
    return describe(manifest, await headerOf(store, id, manifest));
  }

  /**
   * Deletes snapshot `id` and the chunks no other snapshot uses; 409 while
   * an image names it.
   */
  async delete(tenant: string, id: string): Promise<{ id: string; chunksDeleted: number }> {
    const store = this.snapshots.store(tenant);
    await this.manifest(store, id);
    const users = (await this.images?.namesUsing(tenant, id)) ?? [];
    if (users.length > 0) {
      throw new SnapshotActionError(
        'SNAPSHOT_IN_USE',
        409,
        `snapshot ${id} is the snapshot of image ${users.join(', ')}; delete or repoint it first`,
      );
    }
    const { chunksDeleted } = await store.delete(id);
    return { id, chunksDeleted };
  }

  /** Snapshot `id` as one stream; 404 (before any byte) when absent. */
  async export(tenant: string, id: string): Promise<AsyncIterable<Uint8Array>> {
    const store = this.snapshots.store(tenant);
    await this.manifest(store, id);
    return store.export(id);
  }

  /**
   * Stores the snapshot a stream carries, under its own id. A corrupt or
   * truncated stream is 422 SNAPSHOT_CORRUPT and leaves no snapshot; an id
   * the tenant already has is 409 SNAPSHOT_EXISTS; a stream longer than
   * `maxBytes` is 413 UPLOAD_TOO_LARGE, also leaving none.
   */
  async import(
    tenant: string,
    source: AsyncIterable<Uint8Array>,
    maxBytes: number,
  ): Promise<SnapshotInfo> {
    const store = this.snapshots.store(tenant);
    const counted = { bytes: 0, over: false };
    let id: string;
    try {
      id = (await store.import(capped(source, maxBytes, counted))).id;
    } catch (error) {
      if (counted.over) {
        throw new SnapshotActionError(
          'UPLOAD_TOO_LARGE',
          413,
          `the snapshot stream is larger than ${maxBytes} bytes`,
        );
      }
      if (isStoreError(error, 'STORE_CONFLICT')) {
        throw new SnapshotActionError('SNAPSHOT_EXISTS', 409, error.message, { cause: error });
      }
      if (isStoreError(error, 'STORE_CORRUPT') || isStoreError(error, 'STORE_INVALID')) {
        throw new SnapshotActionError('SNAPSHOT_CORRUPT', 422, error.message, { cause: error });
      }
      throw error;
    }
    return this.info(tenant, id);
  }

  /** Whether the tenant has snapshot `id`. */
  async exists(tenant: string, id: string): Promise<boolean> {
    try {
      await this.manifest(this.snapshots.store(tenant), id);
      return true;
    } catch (error) {
      if (error instanceof SnapshotActionError && error.code === 'SNAPSHOT_NOT_FOUND') return false;
      throw error;
    }
  }

  private async manifest(store: SnapshotStore, id: string): Promise<SnapshotManifest> {
    try {
      return await store.manifest(id);
    } catch (error) {
      // A malformed id names no snapshot either.
      if (isStoreError(error, 'STORE_NOT_FOUND') || isStoreError(error, 'STORE_INVALID')) {
        throw snapshotNotFound(id, error);
      }
      throw error;
    }
  }
}

/** `source`, ending in an error once more than `max` bytes have passed. */
async function* capped(
  source: AsyncIterable<Uint8Array>,
  max: number,
  counted: { bytes: number; over: boolean },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    counted.bytes += chunk.length;
    if (counted.bytes > max) {
      counted.over = true;
      throw new Error(`more than ${max} bytes`);
    }
    yield chunk;
  }
}

/** The feature set in the header, and whether this CPU can run it. */
interface HeaderFacts {
  featureSet: FeatureSet | null;
  incompatibility: string | null;
}

async function headerOf(
  store: SnapshotStore,
  id: string,
  manifest: SnapshotManifest,
): Promise<HeaderFacts> {
  const bytes = await (await store.open(id)).header();
  try {
    return { featureSet: decodeHeader(bytes, AMBER_FEATURES).features, incompatibility: null };
  } catch (error) {
    if (!(error instanceof SnapshotFormatError)) throw error;
    // The header names the set only once it checks out against this CPU;
    // the worker that saved the snapshot also kept the set in its manifest.
    const saved = featureSetSchema.safeParse(manifest.meta.featureSet);
    return { featureSet: saved.success ? saved.data : null, incompatibility: error.message };
  }
}

function describe(m: SnapshotManifest, header: HeaderFacts): SnapshotInfo {
  const memory = m.memory.reduce((sum, chunk) => sum + chunk.size, 0);
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: m.id,
    parent: m.parent,
    created: m.created,
    sizes: {
      header: m.header.size,
      kernelState: m.kernelState.size,
      memory,
      total: m.stats.bytesTotal,
      written: m.stats.bytesWritten,
    },
    chunks: {
      total: 1 + m.kernelState.pieces.length + m.memory.length,
      written: m.stats.chunksWritten,
      shared: m.stats.chunksReused,
    },
    featureSet: header.featureSet
      ? { ...header.featureSet, features: [...header.featureSet.features] }
      : null,
    compatible: header.incompatibility === null,
    incompatibility: header.incompatibility,
    job: text(m.meta.jobId),
    pausedFor: text(m.meta.pausedFor),
  };
}
