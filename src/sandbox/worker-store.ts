/**
 * The snapshot stores a sandbox worker saves to and loads from, opened once
 * per location and kept for the worker's life (an S3 client keeps its
 * connections warm between jobs), with the chunks it read kept in memory:
 * chunks are content-addressed and never change, so an image restored again
 * and again is read from the store once.
 */
import {
  openStore,
  SnapshotStore,
  type BlobInfo,
  type BlobPage,
  type BlobStore,
  type ListOptions,
  type PutOptions,
} from '../store/index.ts';
import type { StoreRef } from './worker-protocol.ts';

/** Bytes of chunks a worker keeps, over all the stores it opened. */
const CACHE_BYTES = 128 * 1024 * 1024;
/** Chunks larger than this are not kept: they would push out many others. */
const CACHE_CHUNK_MAX = 8 * 1024 * 1024;
const CHUNK_PREFIX = 'chunks/';

/**
 * A blob store that remembers the chunks read through it, least recently
 * used first out. Manifests and every other key pass straight through, so
 * a deleted snapshot is gone at once.
 */
class ChunkCachingStore implements BlobStore {
  private readonly chunks = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly inner: BlobStore) {}

  get location(): string {
    return this.inner.location;
  }

  async get(key: string): Promise<Uint8Array> {
    if (!key.startsWith(CHUNK_PREFIX)) return this.inner.get(key);
    const kept = this.chunks.get(key);
    if (kept !== undefined) {
      // Map order is insertion order: re-inserting marks it recently used.
      this.chunks.delete(key);
      this.chunks.set(key, kept);
      return kept;
    }
    const bytes = await this.inner.get(key);
    this.keep(key, bytes);
    return bytes;
  }

  put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<void> {
    return this.inner.put(key, bytes, options);
  }

  getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    return this.inner.getRange(key, offset, length);
  }

  head(key: string): Promise<BlobInfo | undefined> {
    return this.inner.head(key);
  }

  list(prefix: string, options?: ListOptions): Promise<BlobPage> {
    return this.inner.list(prefix, options);
  }

  delete(key: string): Promise<void> {
    const kept = this.chunks.get(key);
    if (kept !== undefined) {
      this.chunks.delete(key);
      this.bytes -= kept.length;
    }
    return this.inner.delete(key);
  }

  private keep(key: string, bytes: Uint8Array): void {
    if (bytes.length > CACHE_CHUNK_MAX || this.chunks.has(key)) return;
    this.chunks.set(key, bytes);
    this.bytes += bytes.length;
    for (const [old, value] of this.chunks) {
      if (this.bytes <= CACHE_BYTES / open.size) break;
      this.chunks.delete(old);
      this.bytes -= value.length;
    }
  }
}

const open = new Map<string, SnapshotStore>();

/** The snapshot store `ref` names, opened on first use. */
export function snapshotStoreOf(ref: StoreRef): SnapshotStore {
  const key = JSON.stringify([ref.location, ref.durable, ref.env.AMBER_S3_ENDPOINT ?? '']);
  let store = open.get(key);
  if (store === undefined) {
    const blobs = openStore(ref.location, ref.env, { durable: ref.durable });
    store = new SnapshotStore(new ChunkCachingStore(blobs));
    open.set(key, store);
  }
  return store;
}
