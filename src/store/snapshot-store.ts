import { listAll, type BlobStore } from './blob-store.ts';
import {
  checkSnapshotId,
  decodeManifest,
  newSnapshotId,
  type SnapshotManifest,
} from './manifest.ts';
import { openStore, type OpenStoreOptions, type StoreEnv } from './open-store.ts';
import { CHUNK_PREFIX, idOfManifestKey, manifestKey, MANIFEST_PREFIX } from './snapshot-keys.ts';
import { SnapshotReader } from './snapshot-reader.ts';
import { encodeSnapshotStream, importSnapshotStream } from './snapshot-stream.ts';
import { SnapshotWriter, type MemoryChunk, type SaveResult } from './snapshot-writer.ts';
import { isStoreError, StoreError } from './store-error.ts';

/** Options of {@link SnapshotStore.begin}. */
export interface SaveOptions {
  /** The snapshot's id; a fresh time-ordered one when absent. */
  id?: string;
  /**
   * The snapshot this one was resumed from: its chunks are reused without
   * asking the store, and it is recorded in the manifest.
   */
  parent?: string;
  /** The caller's own data, kept in the manifest (JSON). */
  meta?: Record<string, unknown>;
}

/** A whole snapshot to save in one call. */
export interface SnapshotInput extends SaveOptions {
  header: Uint8Array;
  kernelState: Uint8Array;
  /** Memory chunks by ascending index; all-zero ones already left out. */
  memory: Iterable<MemoryChunk> | AsyncIterable<MemoryChunk>;
}

/** A snapshot read whole. */
export interface LoadedSnapshot {
  manifest: SnapshotManifest;
  header: Uint8Array;
  kernelState: Uint8Array;
  memory: MemoryChunk[];
}

/** Options of {@link SnapshotStore}. */
export interface SnapshotStoreOptions {
  /** Chunk uploads or downloads in flight at once (default 8). */
  concurrency?: number;
  /** Largest piece the kernel state is cut into (default 1 MiB). */
  pieceSize?: number;
}

/** Chunks younger than this are never swept: a save may still need them. */
const SWEEP_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Snapshots kept in a blob store: `snapshots/<id>.json` manifests over
 * content-addressed, compressed `chunks/<sha256>`. A snapshot exists once
 * its manifest does; snapshots are never changed after that.
 */
export class SnapshotStore {
  private readonly concurrency: number;
  private readonly pieceSize: number;

  constructor(
    /** The blob store underneath. */
    readonly blobs: BlobStore,
    options: SnapshotStoreOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.pieceSize = Math.max(1, options.pieceSize ?? 1024 * 1024);
  }

  /** Where the snapshots are, for messages. */
  get location(): string {
    return this.blobs.location;
  }

  /**
   * Opens a writer for a new snapshot. Fails early when `id` is taken or
   * `parent` does not exist.
   */
  async begin(options: SaveOptions = {}): Promise<SnapshotWriter> {
    const id = options.id ?? newSnapshotId();
    checkSnapshotId(id);
    if (options.id !== undefined && (await this.exists(id))) {
      throw new StoreError('STORE_CONFLICT', `snapshot ${id} already exists in ${this.location}`);
    }
    const known = new Set<string>();
    if (options.parent !== undefined) {
      // TODO: a parent deleted while its child is being saved can take chunks
      // the child reuses with it; the child then fails to load as corrupt.
      const parent = await this.manifest(options.parent);
      for (const ref of [parent.header, ...parent.kernelState.pieces, ...parent.memory]) {
        known.add(ref.sha256);
      }
    }
    return new SnapshotWriter(this.blobs, {
      id,
      parent: options.parent ?? null,
      meta: JSON.parse(JSON.stringify(options.meta ?? {})),
      known,
      concurrency: this.concurrency,
      pieceSize: this.pieceSize,
    });
  }

  /** Saves a whole snapshot: header, kernel state, memory, then manifest. */
  async save(input: SnapshotInput): Promise<SaveResult> {
    const writer = await this.begin(input);
    try {
      await writer.writeHeader(input.header);
      await writer.writeKernelState(input.kernelState);
      for await (const chunk of input.memory) await writer.writeMemoryChunk(chunk);
      return await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  }

  /** The checked manifest of snapshot `id`; STORE_NOT_FOUND when absent. */
  async manifest(id: string): Promise<SnapshotManifest> {
    checkSnapshotId(id);
    let bytes: Uint8Array;
    try {
      bytes = await this.blobs.get(manifestKey(id));
    } catch (error) {
      if (isStoreError(error, 'STORE_NOT_FOUND')) {
        throw new StoreError('STORE_NOT_FOUND', `no snapshot ${id} in ${this.location}`, {
          cause: error,
        });
      }
      throw error;
    }
    return decodeManifest(bytes, id);
  }

  /** Whether snapshot `id` exists (its manifest is present). */
  async exists(id: string): Promise<boolean> {
    checkSnapshotId(id);
    return (await this.blobs.head(manifestKey(id))) !== undefined;
  }

  /** A reader over snapshot `id`, for loading part by part. */
  async open(id: string): Promise<SnapshotReader> {
    return new SnapshotReader(this.blobs, await this.manifest(id), this.concurrency);
  }

  /** Reads a whole snapshot into memory, checking every part. */
  async load(id: string): Promise<LoadedSnapshot> {
    const reader = await this.open(id);
    const header = await reader.header();
    const kernelState = await reader.kernelState();
    const memory: MemoryChunk[] = [];
    for await (const chunk of reader.memory()) memory.push(chunk);
    return { manifest: reader.manifest, header, kernelState, memory };
  }

  /** The ids of every snapshot, in ascending order. */
  async list(): Promise<string[]> {
    const ids: string[] = [];
    for await (const info of listAll(this.blobs, MANIFEST_PREFIX)) {
      const id = idOfManifestKey(info.key);
      if (id !== undefined) ids.push(id);
    }
    return ids.sort();
  }

  /**
   * Deletes snapshot `id`: its manifest first, so it stops existing at once,
   * then the chunks no other snapshot uses. Chunks stay whenever some other
   * manifest cannot be read, since its chunks cannot be known.
   */
  async delete(id: string): Promise<{ chunksDeleted: number }> {
    let own: SnapshotManifest | undefined;
    try {
      own = await this.manifest(id);
    } catch (error) {
      // A damaged manifest is still removed; its chunks are left to sweep().
      if (!isStoreError(error, 'STORE_CORRUPT')) throw error;
    }
    await this.blobs.delete(manifestKey(id));
    if (!own) return { chunksDeleted: 0 };
    const used = await this.chunksInUse();
    if (!used) return { chunksDeleted: 0 };
    const mine = new Set(
      [own.header, ...own.kernelState.pieces, ...own.memory].map((r) => r.sha256),
    );
    const doomed = [...mine].filter((sha) => !used.has(sha));
    await this.deleteChunks(doomed);
    return { chunksDeleted: doomed.length };
  }

  /**
   * Deletes chunks no snapshot uses that are older than `olderThanMs`
   * (default one day, so that saves in progress keep theirs): what failed
   * saves and interrupted imports leave behind.
   */
  async sweep(options: { olderThanMs?: number } = {}): Promise<{ chunksDeleted: number }> {
    const cutoff = Date.now() - (options.olderThanMs ?? SWEEP_GRACE_MS);
    const used = await this.chunksInUse();
    if (!used) return { chunksDeleted: 0 };
    const doomed: string[] = [];
    for await (const info of listAll(this.blobs, CHUNK_PREFIX)) {
      const sha = info.key.slice(CHUNK_PREFIX.length);
      if (!used.has(sha) && info.lastModified.getTime() <= cutoff) doomed.push(sha);
    }
    await this.deleteChunks(doomed);
    return { chunksDeleted: doomed.length };
  }

  /** Snapshot `id` as one stream (see snapshot-stream.ts). */
  async *export(id: string): AsyncGenerator<Uint8Array> {
    yield* encodeSnapshotStream(await this.open(id));
  }

  /**
   * Stores the snapshot a stream carries, under its own id or `options.id`.
   * A corrupt stream is STORE_CORRUPT and leaves no snapshot.
   */
  async import(
    source: AsyncIterable<Uint8Array>,
    options: { id?: string } = {},
  ): Promise<SaveResult> {
    return importSnapshotStream(source, (m) =>
      this.begin({ id: options.id ?? m.id, meta: m.meta }).then((writer) => {
        writer.recordParent(m.parent);
        return writer;
      }),
    );
  }

  /** Hashes of every chunk some manifest names; undefined if one is unreadable. */
  private async chunksInUse(): Promise<Set<string> | undefined> {
    const used = new Set<string>();
    for (const id of await this.list()) {
      let m: SnapshotManifest;
      try {
        m = await this.manifest(id);
      } catch (error) {
        if (isStoreError(error, 'STORE_NOT_FOUND')) continue;
        if (isStoreError(error, 'STORE_CORRUPT')) return undefined;
        throw error;
      }
      for (const ref of [m.header, ...m.kernelState.pieces, ...m.memory]) used.add(ref.sha256);
    }
    return used;
  }

  private async deleteChunks(hashes: string[]): Promise<void> {
    for (let at = 0; at < hashes.length; at += this.concurrency) {
      const batch = hashes.slice(at, at + this.concurrency);
      await Promise.all(batch.map((sha) => this.blobs.delete(`${CHUNK_PREFIX}${sha}`)));
    }
  }
}

/** Opens the snapshot store at `location` (see {@link openStore}). */
export function openSnapshotStore(
  location: string,
  env: StoreEnv = process.env,
  options: OpenStoreOptions & SnapshotStoreOptions = {},
): SnapshotStore {
  return new SnapshotStore(openStore(location, env, options), options);
}
