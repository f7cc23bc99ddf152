import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isSha256Hex, sha256Hex } from './chunk-codec.ts';
import { StoreError } from './store-error.ts';

/** Value of the manifest's `format` field. */
export const MANIFEST_FORMAT = 'amber-snapshot-manifest';
/** Manifest version this build writes and reads. */
export const MANIFEST_VERSION = 1;

/** A content-addressed chunk: its object is `chunks/<sha256>`. */
export interface ChunkRef {
  /** SHA-256 of the chunk's uncompressed bytes, lowercase hex. */
  sha256: string;
  /** Uncompressed size in bytes. */
  size: number;
}

/** A chunk of the memory file, as the memory layer numbered it. */
export interface MemoryChunkRef extends ChunkRef {
  index: number;
}

/** Counts a save reports and its manifest keeps. */
export interface SaveStats {
  /** Chunks this save uploaded. */
  chunksWritten: number;
  /** Chunks already in the store (from the parent or another snapshot). */
  chunksReused: number;
  /** Bytes uploaded, compressed (a save's result adds its manifest's size). */
  bytesWritten: number;
  /** Uncompressed bytes of header, kernel state and memory together. */
  bytesTotal: number;
}

/**
 * What a snapshot is made of. Written last and create-only: a snapshot
 * exists exactly when its manifest does.
 */
export interface SnapshotManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  id: string;
  /** The snapshot this one was resumed from, when known. */
  parent: string | null;
  /** ISO 8601 time of the save. */
  created: string;
  /** The caller's own data (JSON). */
  meta: Record<string, unknown>;
  /** The header part: one chunk. */
  header: ChunkRef;
  /** The kernel state part, cut into pieces stored as chunks, in order. */
  kernelState: ChunkRef & { pieces: ChunkRef[] };
  /** The memory file's chunks, in ascending index order. */
  memory: MemoryChunkRef[];
  stats: SaveStats;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** Refuses a snapshot id that is not 1 to 128 of a-z, 0-9, '.', '_', '-'. */
export function checkSnapshotId(id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new StoreError(
      'STORE_INVALID',
      `invalid snapshot id ${JSON.stringify(id)}: use 1 to 128 of a-z, 0-9, '.', '_', '-', ` +
        'starting with a letter or digit',
    );
  }
}

/** A fresh id that sorts by creation time: `20250102t030405z-<10 hex>`. */
export function newSnapshotId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '').toLowerCase();
  return `${stamp}-${randomBytes(5).toString('hex')}`;
}

const sha = z.string().refine(isSha256Hex, 'not a SHA-256');
const size = z.number().int().nonnegative();
const chunk = z.strictObject({ sha256: sha, size });

const schema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(MANIFEST_VERSION),
  id: z.string().regex(ID_PATTERN),
  parent: z.string().regex(ID_PATTERN).nullable(),
  created: z.string(),
  meta: z.record(z.string(), z.unknown()),
  header: chunk,
  kernelState: z.strictObject({ sha256: sha, size, pieces: z.array(chunk) }),
  memory: z.array(z.strictObject({ index: z.number().int().nonnegative(), sha256: sha, size })),
  stats: z.strictObject({
    chunksWritten: size,
    chunksReused: size,
    bytesWritten: size,
    bytesTotal: size,
  }),
  digest: sha,
});

/**
 * Serialises a manifest with a digest of its own text, so that a flipped
 * bit anywhere in it (not only in a chunk hash) is caught on load.
 */
export function encodeManifest(manifest: SnapshotManifest): Uint8Array {
  const body = JSON.stringify(manifest);
  const sealed = { ...JSON.parse(body), digest: sha256Hex(Buffer.from(body)) };
  return Buffer.from(JSON.stringify(sealed, null, 1));
}

/**
 * Parses and checks a manifest: its digest, every field, and that its parts
 * add up. `id`, when given, is the id it was read under, which it must carry.
 */
export function decodeManifest(bytes: Uint8Array, id?: string): SnapshotManifest {
  const corrupt = (why: string, cause?: unknown): never => {
    const whose = id === undefined ? 'snapshot manifest' : `manifest of snapshot ${id}`;
    throw new StoreError('STORE_CORRUPT', `${whose} is corrupt: ${why}`, { cause });
  };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return corrupt('not JSON', error);
  }
  const version = (raw as { version?: unknown })?.version;
  if (typeof version === 'number' && version > MANIFEST_VERSION) {
    corrupt(`version ${version} is newer than this Amber reads (${MANIFEST_VERSION})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return corrupt(parsed.error.issues.map(describeIssue).join('; '));
  // The digest covers the text as written, so hash the raw object (whose
  // keys keep their written order), not the schema's rebuilt copy.
  const { digest: _digest, ...written } = raw as Record<string, unknown>;
  const { digest, ...manifest } = parsed.data;
  if (sha256Hex(Buffer.from(JSON.stringify(written))) !== digest) corrupt('digest mismatch');
  if (id !== undefined && manifest.id !== id) corrupt(`it names snapshot ${manifest.id}`);
  checkParts(manifest as SnapshotManifest, corrupt);
  return manifest as SnapshotManifest;
}

function checkParts(m: SnapshotManifest, corrupt: (why: string) => never): void {
  const stateSize = m.kernelState.pieces.reduce((sum, piece) => sum + piece.size, 0);
  if (stateSize !== m.kernelState.size) corrupt('kernel state pieces do not add up to its size');
  for (let k = 1; k < m.memory.length; k++) {
    if (m.memory[k].index <= m.memory[k - 1].index) corrupt('memory chunks out of order');
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
