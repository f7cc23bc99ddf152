import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ByteSource } from './byte-source.ts';
import { decodeChunk } from './chunk-codec.ts';
import {
  decodeManifest,
  encodeManifest,
  type ChunkRef,
  type SnapshotManifest,
} from './manifest.ts';
import type { SnapshotReader } from './snapshot-reader.ts';
import type { SaveResult, SnapshotWriter } from './snapshot-writer.ts';
import { isStoreError, StoreError } from './store-error.ts';

/*
 * The single-stream form of a snapshot, all integers little-endian:
 *
 *   preamble  "AMBRSTRM", u32 version, u32 flags (0)
 *   frame*    u8 kind, 3 zero bytes, u32 length, payload, u32 CRC-32 of the
 *             kind, padding, length and payload
 *
 * Frames come in the snapshot's order: INFO (the source manifest, JSON, with
 * its own digest), one HEADER frame, the KERNEL_STATE pieces, the MEMORY
 * chunks, then END. Each data payload is a chunk as a store keeps it (an
 * encoding byte, then raw or deflated bytes) and must decode to the size and
 * SHA-256 that INFO lists for it: those are the per-part checksums. END
 * carries the SHA-256 of every byte before it, so a truncated or spliced
 * stream is refused even when each frame looks right.
 */

const MAGIC = Buffer.from('AMBRSTRM', 'latin1');
/** Stream format version this build writes and reads. */
export const STREAM_VERSION = 1;

const enum Kind {
  Info = 1,
  Header = 2,
  KernelState = 3,
  Memory = 4,
  End = 5,
}

const KIND_NAMES = ['', 'INFO', 'HEADER', 'KERNEL_STATE', 'MEMORY', 'END'];
/** Larger frames are refused before their bytes are buffered. */
const MAX_FRAME = 256 * 1024 * 1024;

/**
 * Encodes the snapshot `reader` reads as one stream. Every chunk is checked
 * on the way out, so a stream is never made from a damaged snapshot.
 */
export async function* encodeSnapshotStream(reader: SnapshotReader): AsyncGenerator<Uint8Array> {
  const m = reader.manifest;
  const hash = createHash('sha256');
  const emit = (bytes: Uint8Array): Uint8Array => {
    hash.update(bytes);
    return bytes;
  };
  const preamble = Buffer.alloc(16);
  MAGIC.copy(preamble);
  preamble.writeUInt32LE(STREAM_VERSION, 8);
  yield emit(preamble);
  yield emit(frame(Kind.Info, encodeManifest(m)));
  yield emit(frame(Kind.Header, (await reader.fetch(m.header, 'header')).stored));
  const pieces = reader.prefetch(m.kernelState.pieces, (k) => `kernel state piece ${k}`);
  for await (const piece of pieces) yield emit(frame(Kind.KernelState, piece.stored));
  const memory = reader.prefetch(m.memory, (k) => `memory chunk ${m.memory[k].index}`);
  for await (const chunk of memory) yield emit(frame(Kind.Memory, chunk.stored));
  yield frame(Kind.End, hash.digest());
}

function frame(kind: Kind, payload: Uint8Array): Uint8Array {
  const out = Buffer.alloc(8 + payload.length + 4);
  out[0] = kind;
  out.writeUInt32LE(payload.length, 4);
  out.set(payload, 8);
  out.writeUInt32LE(crc32(out.subarray(0, 8 + payload.length)), 8 + payload.length);
  return out;
}

/** Opens a writer for the snapshot a stream carries. */
export type BeginImport = (source: SnapshotManifest) => Promise<SnapshotWriter>;

/**
 * Reads a snapshot stream into a store through the writer `begin` opens,
 * committing only after the END frame checked out. A corrupt or truncated
 * stream is STORE_CORRUPT and leaves no snapshot (chunks already stored are
 * checked content, shared or swept later, never a snapshot).
 */
export async function importSnapshotStream(
  source: AsyncIterable<Uint8Array>,
  begin: BeginImport,
): Promise<SaveResult> {
  const input = new FrameReader(new ByteSource(source));
  let writer: SnapshotWriter | undefined;
  try {
    await input.preamble();
    const m = decodeManifest(await input.next(Kind.Info));
    writer = await begin(m);
    await writer.writeHeader(await input.chunk(Kind.Header, m.header, 'header'));
    const pieces: Uint8Array[] = [];
    for (const [k, piece] of m.kernelState.pieces.entries()) {
      pieces.push(await input.chunk(Kind.KernelState, piece, `kernel state piece ${k}`));
    }
    await writer.writeKernelState(Buffer.concat(pieces, m.kernelState.size));
    for (const ref of m.memory) {
      const bytes = await input.chunk(Kind.Memory, ref, `memory chunk ${ref.index}`);
      await writer.writeMemoryChunk({ index: ref.index, bytes });
    }
    await input.end();
    return await writer.commit();
  } catch (error) {
    await writer?.abort();
    await input.close();
    if (isStoreError(error) && error.code !== 'STORE_CORRUPT') throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new StoreError('STORE_CORRUPT', `snapshot stream is corrupt: ${why}`, { cause: error });
  }
}

/** Frame-level reading with the running whole-stream hash. */
class FrameReader {
  private readonly hash: Hash = createHash('sha256');

  constructor(private readonly source: ByteSource) {}

  async preamble(): Promise<void> {
    const bytes = await this.exact(16, 'preamble');
    const b = Buffer.from(bytes);
    if (!b.subarray(0, 8).equals(MAGIC))
      throw new Error('not an Amber snapshot stream (bad magic)');
    const version = b.readUInt32LE(8);
    if (version !== STREAM_VERSION) {
      throw new Error(
        `stream version ${version} is not the one this Amber reads (${STREAM_VERSION})`,
      );
    }
    this.hash.update(bytes);
  }

  /** The payload of the next frame, which must be of `kind`. */
  async next(kind: Kind): Promise<Uint8Array> {
    const head = Buffer.from(await this.exact(8, `${KIND_NAMES[kind]} frame`));
    if (head[0] !== kind) {
      const got = KIND_NAMES[head[0]] ?? `kind ${head[0]}`;
      throw new Error(`expected a ${KIND_NAMES[kind]} frame, found ${got}`);
    }
    const length = head.readUInt32LE(4);
    if (length > MAX_FRAME) throw new Error(`${KIND_NAMES[kind]} frame claims ${length} bytes`);
    const payload = await this.exact(length, `${KIND_NAMES[kind]} frame`);
    const sum = await this.exact(4, `${KIND_NAMES[kind]} frame`);
    if (crc32(payload, crc32(head)) !== Buffer.from(sum).readUInt32LE(0)) {
      throw new Error(`${KIND_NAMES[kind]} frame fails its CRC-32`);
    }
    // END carries the hash of everything before it, so it is left out.
    if (kind !== Kind.End) for (const part of [head, payload, sum]) this.hash.update(part);
    return payload;
  }

  /** The next data frame, decoded and checked against `ref`. */
  async chunk(kind: Kind, ref: ChunkRef, what: string): Promise<Uint8Array> {
    return decodeChunk(await this.next(kind), ref.sha256, ref.size, what);
  }

  /** Checks the END frame and that nothing follows it. */
  async end(): Promise<void> {
    const expected = this.hash.digest();
    const payload = await this.next(Kind.End);
    if (!Buffer.from(payload).equals(expected)) throw new Error('whole-stream checksum mismatch');
    if (!(await this.source.atEnd())) throw new Error('bytes follow the END frame');
  }

  async close(): Promise<void> {
    await this.source.close();
  }

  private async exact(n: number, what: string): Promise<Uint8Array> {
    const bytes = await this.source.read(n);
    if (!bytes) throw new Error(`truncated in the ${what}`);
    return bytes;
  }
}
