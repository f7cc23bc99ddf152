/**
 * The store layer: byte objects in a local folder or an S3 bucket
 * (BlobStore, FolderStore, S3Store, openStore), and snapshots kept in them
 * as a manifest over content-addressed, compressed chunks (SnapshotStore).
 * It deals in bytes only: what a header, kernel state or memory chunk means
 * is the snapshot and kernel layers' business.
 *
 * Lock order: there are no locks. Between awaits a SnapshotWriter touches
 * only its own fields (phase, chunk lists, counters, the set of uploads in
 * flight); a SnapshotReader only its prefetch queue. Concurrent writers are
 * safe because chunks are content-addressed and created only if absent, and
 * a manifest is created only if absent: the store, not this process,
 * arbitrates.
 */
export { checkKey, listAll } from './blob-store.ts';
export type { BlobInfo, BlobPage, BlobStore, ListOptions, PutOptions } from './blob-store.ts';
export { FolderStore } from './folder-store.ts';
export type { FolderStoreOptions } from './folder-store.ts';
export { S3Store } from './s3-store.ts';
export type { S3StoreOptions } from './s3-store.ts';
export { openStore, parseStoreLocation } from './open-store.ts';
export type { OpenStoreOptions, StoreEnv, StoreLocation } from './open-store.ts';
export { isStoreError, StoreError } from './store-error.ts';
export type { StoreErrorCode } from './store-error.ts';
export { checkSnapshotId, MANIFEST_VERSION, newSnapshotId } from './manifest.ts';
export type { ChunkRef, MemoryChunkRef, SaveStats, SnapshotManifest } from './manifest.ts';
export { openSnapshotStore, SnapshotStore } from './snapshot-store.ts';
export type {
  LoadedSnapshot,
  SaveOptions,
  SnapshotInput,
  SnapshotStoreOptions,
} from './snapshot-store.ts';
export { SnapshotReader } from './snapshot-reader.ts';
export { SnapshotWriter } from './snapshot-writer.ts';
export type { MemoryChunk, SaveResult } from './snapshot-writer.ts';
export { STREAM_VERSION } from './snapshot-stream.ts';
