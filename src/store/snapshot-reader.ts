import type { BlobStore } from './blob-store.ts';
import { decodeChunk, plain, sha256Hex } from './chunk-codec.ts';
import type { ChunkRef, SnapshotManifest } from './manifest.ts';
import { chunkKey } from './snapshot-keys.ts';
import type { MemoryChunk } from './snapshot-writer.ts';
import { isStoreError, StoreError } from './store-error.ts';

/** A chunk as stored and as decoded. */
export interface FetchedChunk {
  stored: Uint8Array;
  bytes: Uint8Array;
}

/**
 * Reads one snapshot's parts, checking every chunk against the hash its
 * manifest records. A missing or altered chunk is STORE_CORRUPT naming the
 * part: the header, a kernel state piece, or a memory chunk.
 */
export class SnapshotReader {
  constructor(
    private readonly blobs: BlobStore,
    /** The snapshot's checked manifest. */
    readonly manifest: SnapshotManifest,
    private readonly concurrency: number,
  ) {}

  /** The header part, which a loader checks before reading anything else. */
  async header(): Promise<Uint8Array> {
    return (await this.fetch(this.manifest.header, 'header')).bytes;
  }

  /** The kernel state part, whole. */
  async kernelState(): Promise<Uint8Array> {
    const { pieces, size, sha256 } = this.manifest.kernelState;
    const parts: Uint8Array[] = [];
    for await (const part of this.prefetch(pieces, (k) => `kernel state piece ${k}`)) {
      parts.push(part.bytes);
    }
    const bytes = pieces.length === 1 ? parts[0] : plain(Buffer.concat(parts, size));
    if (sha256Hex(bytes) !== sha256) throw this.corrupt('kernel state', 'its pieces hash wrongly');
    return bytes;
  }

  /** The memory chunks in ascending index order, fetched a few ahead. */
  async *memory(): AsyncGenerator<MemoryChunk> {
    const refs = this.manifest.memory;
    let k = 0;
    for await (const part of this.prefetch(refs, (n) => `memory chunk ${refs[n].index}`)) {
      yield { index: refs[k++].index, bytes: part.bytes };
    }
  }

  /**
   * Yields the chunks `refs` in order, keeping up to `concurrency` fetches
   * in flight. `name` names the k-th one in errors.
   */
  async *prefetch(refs: ChunkRef[], name: (k: number) => string): AsyncGenerator<FetchedChunk> {
    const queue: Promise<FetchedChunk>[] = [];
    let next = 0;
    const fill = (): void => {
      while (next < refs.length && queue.length < this.concurrency) {
        const k = next++;
        const started = this.fetch(refs[k], name(k));
        // Failures surface when their turn comes; do not let them go unhandled.
        started.catch(() => undefined);
        queue.push(started);
      }
    };
    fill();
    while (queue.length > 0) {
      const chunk = await queue.shift()!;
      fill();
      yield chunk;
    }
  }

  /** One chunk, checked; `what` names it in errors. */
  async fetch(ref: ChunkRef, what: string): Promise<FetchedChunk> {
    let stored: Uint8Array;
    try {
      stored = await this.blobs.get(chunkKey(ref.sha256));
    } catch (error) {
      if (isStoreError(error, 'STORE_NOT_FOUND')) {
        throw this.corrupt(what, `its chunk ${ref.sha256} is missing`, error);
      }
      throw error;
    }
    const bytes = await decodeChunk(stored, ref.sha256, ref.size, this.name(what));
    return { stored, bytes };
  }

  private name(what: string): string {
    return `${what} of snapshot ${this.manifest.id}`;
  }

  private corrupt(what: string, why: string, cause?: unknown): StoreError {
    return new StoreError('STORE_CORRUPT', `${this.name(what)} is corrupt: ${why}`, { cause });
  }
}
