import type { BlobStore } from './blob-store.ts';
import { encodeChunk, sha256Hex } from './chunk-codec.ts';
import {
  encodeManifest,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  type ChunkRef,
  type MemoryChunkRef,
  type SaveStats,
  type SnapshotManifest,
} from './manifest.ts';
import { chunkKey, manifestKey } from './snapshot-keys.ts';
import { isStoreError, StoreError } from './store-error.ts';

/** One chunk of the memory file: bytes the memory layer numbered `index`. */
export interface MemoryChunk {
  index: number;
  bytes: Uint8Array;
}

/** What a finished save reports. */
export interface SaveResult extends SaveStats {
  id: string;
  manifest: SnapshotManifest;
  durationMs: number;
}

/** How a writer was set up by SnapshotStore.begin. */
export interface WriterSetup {
  id: string;
  /** Recorded in the manifest. */
  parent: string | null;
  meta: Record<string, unknown>;
  /** Hashes of chunks known to be stored (the parent's): no request needed. */
  known: Set<string>;
  /** Most uploads in flight at once. */
  concurrency: number;
  /** Largest piece the kernel state is cut into. */
  pieceSize: number;
}

type Phase = 'header' | 'kernelState' | 'memory' | 'done';

/**
 * Writes one snapshot, part by part in the snapshot order (header, kernel
 * state, memory chunks by ascending index), then commits it by writing the
 * manifest, create-only, after every chunk is stored. Until commit succeeds
 * the snapshot does not exist; a failed or abandoned writer leaves only
 * chunks, which are content-addressed and never mistaken for a snapshot.
 *
 * The writer keeps the arrays it is given until their upload ends: callers
 * must not change them before commit.
 */
export class SnapshotWriter {
  /** The id the snapshot will have. */
  readonly id: string;
  private phase: Phase = 'header';
  private header: ChunkRef | undefined;
  private kernelState: (ChunkRef & { pieces: ChunkRef[] }) | undefined;
  private readonly memory: MemoryChunkRef[] = [];
  private readonly stats: SaveStats = {
    chunksWritten: 0,
    chunksReused: 0,
    bytesWritten: 0,
    bytesTotal: 0,
  };
  private readonly started = performance.now();
  private readonly pending = new Set<Promise<void>>();
  /** Chunks handled by this save, so a repeated chunk is stored once. */
  private readonly seen = new Set<string>();
  private failure: unknown;

  constructor(
    private readonly blobs: BlobStore,
    private readonly setup: WriterSetup,
  ) {
    this.id = setup.id;
  }

  /**
   * Records `parent` in the manifest without reusing its chunks: an import
   * keeps the lineage of a snapshot whose parent may be in another store.
   */
  recordParent(parent: string | null): void {
    this.setup.parent = parent;
  }

  /** Stores the header. First, once. */
  async writeHeader(bytes: Uint8Array): Promise<void> {
    this.enter('header', 'kernelState');
    this.header = await this.storeChunk(bytes);
  }

  /** Stores the kernel state, cut into pieces. Second, once. */
  async writeKernelState(bytes: Uint8Array): Promise<void> {
    this.enter('kernelState', 'memory');
    const pieces: ChunkRef[] = [];
    let at = 0;
    do {
      pieces.push(await this.storeChunk(bytes.subarray(at, at + this.setup.pieceSize)));
      at += this.setup.pieceSize;
    } while (at < bytes.length);
    this.kernelState = { sha256: sha256Hex(bytes), size: bytes.length, pieces };
  }

  /** Stores one memory chunk; indices must ascend. */
  async writeMemoryChunk(chunk: MemoryChunk): Promise<void> {
    this.enter('memory', 'memory');
    const last = this.memory[this.memory.length - 1];
    if (
      !Number.isSafeInteger(chunk.index) ||
      chunk.index < 0 ||
      (last && chunk.index <= last.index)
    ) {
      throw new StoreError(
        'STORE_INVALID',
        `memory chunk ${chunk.index} is out of order or not an index ` +
          `(after ${last?.index ?? 'none'})`,
      );
    }
    const ref = await this.storeChunk(chunk.bytes);
    this.memory.push({ index: chunk.index, ...ref });
  }

  /**
   * Waits for every chunk, then writes the manifest: from here on the
   * snapshot exists. A retried commit whose first attempt did land (the reply
   * was lost) finds its own manifest and succeeds.
   */
  async commit(): Promise<SaveResult> {
    if (this.phase !== 'memory') this.refuse('commit before the header and kernel state');
    this.phase = 'done';
    await this.drain();
    if (this.failure !== undefined) throw this.failure;
    const manifest: SnapshotManifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      id: this.id,
      parent: this.setup.parent,
      created: new Date().toISOString(),
      meta: this.setup.meta,
      header: this.header!,
      kernelState: this.kernelState!,
      memory: this.memory,
      stats: { ...this.stats },
    };
    const bytes = encodeManifest(manifest);
    await this.putManifest(bytes);
    const stats = { ...this.stats, bytesWritten: this.stats.bytesWritten + bytes.length };
    return { id: this.id, manifest, durationMs: performance.now() - this.started, ...stats };
  }

  /** Gives up: waits for uploads in flight and writes no manifest. */
  async abort(): Promise<void> {
    this.phase = 'done';
    await this.drain();
  }

  private async putManifest(bytes: Uint8Array): Promise<void> {
    const key = manifestKey(this.id);
    try {
      await this.blobs.put(key, bytes, { createOnly: true });
    } catch (error) {
      if (!isStoreError(error, 'STORE_CONFLICT')) throw error;
      const existing = await this.blobs.get(key).catch(() => undefined);
      if (existing && Buffer.from(existing).equals(Buffer.from(bytes))) return;
      throw new StoreError('STORE_CONFLICT', `snapshot ${this.id} already exists`, {
        cause: error,
      });
    }
  }

  /**
   * Starts storing one chunk, waiting first while too many uploads are in
   * flight; the upload itself finishes in the background.
   */
  private async storeChunk(bytes: Uint8Array): Promise<ChunkRef> {
    if (this.failure !== undefined) throw this.failure;
    const sha256 = sha256Hex(bytes);
    this.stats.bytesTotal += bytes.length;
    if (this.setup.known.has(sha256) || this.seen.has(sha256)) {
      this.stats.chunksReused++;
      return { sha256, size: bytes.length };
    }
    this.seen.add(sha256);
    while (this.pending.size >= this.setup.concurrency) await Promise.race(this.pending);
    if (this.failure !== undefined) throw this.failure;
    const upload = this.upload(sha256, bytes).catch((error: unknown) => {
      this.failure ??= error;
    });
    this.pending.add(upload);
    void upload.finally(() => this.pending.delete(upload));
    return { sha256, size: bytes.length };
  }

  private async upload(sha256: string, bytes: Uint8Array): Promise<void> {
    const key = chunkKey(sha256);
    if (await this.blobs.head(key)) {
      this.stats.chunksReused++;
      return;
    }
    const stored = await encodeChunk(bytes);
    try {
      await this.blobs.put(key, stored, { createOnly: true });
    } catch (error) {
      // Someone (or our own earlier attempt) stored the same content.
      if (isStoreError(error, 'STORE_CONFLICT')) {
        this.stats.chunksReused++;
        return;
      }
      throw error;
    }
    this.stats.chunksWritten++;
    this.stats.bytesWritten += stored.length;
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private enter(phase: Phase, next: Phase): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.phase !== phase) this.refuse(`${phase} written while expecting ${this.phase}`);
    this.phase = next;
  }

  private refuse(why: string): never {
    throw new StoreError('STORE_INVALID', `snapshot ${this.id}: ${why}`);
  }
}
