import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { StoreError } from './store-error.ts';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

/** First byte of a stored chunk: how the rest is encoded. */
const CODEC_RAW = 0;
const CODEC_DEFLATE = 1;

/** Lowercase hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether `text` looks like a lowercase hex SHA-256. */
export function isSha256Hex(text: unknown): text is string {
  return typeof text === 'string' && /^[0-9a-f]{64}$/.test(text);
}

/**
 * Encodes a chunk for storage: deflate at the fastest level (on the libuv
 * thread pool, so several chunks compress at once), or the bytes as they are
 * when compression does not make them smaller.
 */
export async function encodeChunk(bytes: Uint8Array): Promise<Uint8Array> {
  const packed = (await worthCompressing(bytes)) ? await deflateAsync(bytes, { level: 1 }) : null;
  const codec = packed !== null && packed.length < bytes.length ? CODEC_DEFLATE : CODEC_RAW;
  const body = codec === CODEC_DEFLATE ? packed! : bytes;
  const out = new Uint8Array(1 + body.length);
  out[0] = codec;
  out.set(body, 1);
  return out;
}

/** Bytes of a large chunk compressed on trial before the whole of it. */
const SAMPLE = 64 * 1024;

/**
 * Whether deflating a chunk may pay: a large chunk is first tried on a
 * sample from its middle, and random-looking data (encrypted, compressed)
 * that does not shrink by 1/32 is stored as it is, without deflating the
 * rest (deflate runs at about 25 MiB/s per thread on such data).
 */
async function worthCompressing(bytes: Uint8Array): Promise<boolean> {
  if (bytes.length <= 2 * SAMPLE) return true;
  const at = Math.floor((bytes.length - SAMPLE) / 2);
  const sample = await deflateAsync(bytes.subarray(at, at + SAMPLE), { level: 1 });
  return sample.length < SAMPLE - SAMPLE / 32;
}

/**
 * Decodes a stored chunk and checks it is `size` bytes hashing to `sha256`.
 * `what` names the chunk in the STORE_CORRUPT error ("memory chunk 3 of
 * snapshot X").
 */
export async function decodeChunk(
  stored: Uint8Array,
  sha256: string,
  size: number,
  what: string,
): Promise<Uint8Array> {
  const corrupt = (why: string, cause?: unknown): StoreError =>
    new StoreError('STORE_CORRUPT', `${what} is corrupt: ${why}`, { cause });
  if (stored.length === 0) throw corrupt('empty object');
  const body = stored.subarray(1);
  let bytes: Uint8Array;
  if (stored[0] === CODEC_RAW) {
    bytes = body;
  } else if (stored[0] === CODEC_DEFLATE) {
    try {
      // The size bound stops a forged chunk from inflating without limit.
      bytes = await inflateAsync(body, { maxOutputLength: Math.max(1, size) });
    } catch (error) {
      throw corrupt('cannot be decompressed', error);
    }
  } else {
    throw corrupt(`unknown encoding ${stored[0]}`);
  }
  if (bytes.length !== size) throw corrupt(`${bytes.length} bytes where ${size} were recorded`);
  const actual = sha256Hex(bytes);
  if (actual !== sha256) throw corrupt(`its content hashes to ${actual}, not ${sha256}`);
  return plain(bytes);
}

/** A plain Uint8Array over the same memory (not a Buffer), for callers. */
export function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
