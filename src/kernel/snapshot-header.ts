import { createHash } from 'node:crypto';
import {
  decodeFeatureSet,
  encodeFeatureSet,
  missingFeatures,
  type FeatureSet,
} from '../cpu/cpuid.ts';

/**
 * The first part of a snapshot: magic, format version, Amber's version and
 * the CPUID feature set, with a checksum. A loader reads it before anything
 * else and refuses a snapshot it cannot run.
 */

const MAGIC = 'AMBERSNP';
/** Version of the snapshot format this build writes and reads. */
export const SNAPSHOT_FORMAT_VERSION = 1;
/** Amber's version, recorded for diagnostics. */
export const AMBER_VERSION = '0.1.0';

/** Why a snapshot was refused; `code` is stable for clients. */
export class SnapshotFormatError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SnapshotFormatError';
    this.code = code;
  }
}

/** What the header says. */
export interface SnapshotHeader {
  formatVersion: number;
  amberVersion: string;
  features: FeatureSet;
}

/** Encodes the header for a snapshot taken under `features`. */
export function encodeHeader(features: FeatureSet): Uint8Array {
  const version = Buffer.from(AMBER_VERSION, 'utf8');
  const fs = encodeFeatureSet(features);
  const body = Buffer.alloc(8 + 4 + 2 + version.length + 4 + fs.length);
  body.write(MAGIC, 0, 'latin1');
  body.writeUInt32LE(SNAPSHOT_FORMAT_VERSION, 8);
  body.writeUInt16LE(version.length, 12);
  version.copy(body, 14);
  body.writeUInt32LE(fs.length, 14 + version.length);
  body.set(fs, 18 + version.length);
  const sum = createHash('sha256').update(body).digest();
  return Buffer.concat([body, sum]);
}

/**
 * Decodes and checks a header: magic, format version, checksum, and that
 * `available` can run code that expects the snapshot's feature set.
 */
export function decodeHeader(bytes: Uint8Array, available: FeatureSet): SnapshotHeader {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 8 || b.toString('latin1', 0, 8) !== MAGIC) {
    throw new SnapshotFormatError('SNAPSHOT_BAD_MAGIC', 'not an Amber snapshot (bad magic)');
  }
  if (b.length < 14) throw truncated();
  const formatVersion = b.readUInt32LE(8);
  if (formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw new SnapshotFormatError(
      'SNAPSHOT_UNKNOWN_VERSION',
      `snapshot format version ${formatVersion} is not supported (this Amber reads version ` +
        `${SNAPSHOT_FORMAT_VERSION})`,
    );
  }
  const vlen = b.readUInt16LE(12);
  if (b.length < 18 + vlen) throw truncated();
  const flen = b.readUInt32LE(14 + vlen);
  const end = 18 + vlen + flen;
  if (b.length < end + 32) throw truncated();
  if (b.length > end + 32) {
    throw new SnapshotFormatError('SNAPSHOT_CORRUPT', 'snapshot header has trailing bytes');
  }
  const sum = createHash('sha256').update(b.subarray(0, end)).digest();
  if (!sum.equals(b.subarray(end, end + 32))) {
    throw new SnapshotFormatError('SNAPSHOT_CORRUPT', 'snapshot header checksum does not match');
  }
  let features: FeatureSet;
  try {
    features = decodeFeatureSet(b.subarray(18 + vlen, end));
  } catch (e) {
    throw new SnapshotFormatError(
      'SNAPSHOT_CORRUPT',
      `snapshot feature set: ${(e as Error).message}`,
    );
  }
  const missing = missingFeatures(available, features);
  if (missing.length > 0) {
    throw new SnapshotFormatError(
      'SNAPSHOT_FEATURES_MISSING',
      `this CPU lacks features the snapshot needs: ${missing.join(', ')}`,
    );
  }
  return { formatVersion, amberVersion: b.toString('utf8', 14, 14 + vlen), features };
}

function truncated(): SnapshotFormatError {
  return new SnapshotFormatError('SNAPSHOT_TRUNCATED', 'snapshot header is truncated');
}
