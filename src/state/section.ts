import { createHash } from 'node:crypto';
import { ByteReader } from './byte-reader.ts';
import { decodeGraph } from './decode-graph.ts';
import { encodeGraph } from './encode-graph.ts';
import { StateDecodeError, StateEncodeError } from './state-error.ts';
import type { TypeRegistry } from './type-registry.ts';
import {
  MAX_BODY_LENGTH,
  SECTION_HEADER_SIZE,
  SECTION_TRAILER_SIZE,
  STATE_FORMAT_VERSION,
  STATE_MAGIC,
} from './wire.ts';

/**
 * Encodes the object graph reachable from `root` as one self-contained
 * section: header, body, SHA-256. Every object is written once; shared
 * references and cycles come back as such from decodeSection.
 *
 * Not preserved: typed arrays are saved by value, so two views of one buffer
 * load as two independent arrays; symbol-keyed properties and array
 * properties other than elements are not saved; accessors are read through.
 *
 * @throws StateEncodeError naming the path of the first value it cannot save.
 */
export function encodeSection(root: unknown, registry: TypeRegistry): Uint8Array {
  const parts = encodeGraph(root, registry);
  let bodyLength = 0;
  for (const part of parts) bodyLength += part.length;
  if (bodyLength > MAX_BODY_LENGTH) {
    throw new StateEncodeError('STATE_SECTION_TOO_LARGE', '', 'the state exceeds 4 GiB');
  }

  // Header, then the body parts, then the checksum over both.
  const section = new Uint8Array(SECTION_HEADER_SIZE + bodyLength + SECTION_TRAILER_SIZE);
  const view = new DataView(section.buffer);
  section.set(STATE_MAGIC, 0);
  view.setUint16(4, STATE_FORMAT_VERSION, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, bodyLength, true);
  let at = SECTION_HEADER_SIZE;
  for (const part of parts) {
    section.set(part, at);
    at += part.length;
  }
  section.set(sha256(section.subarray(0, at)), at);
  return section;
}

/**
 * Reads a section's header and returns the section's total size in bytes, so
 * that a reader of a stream knows how much to take before decodeSection.
 *
 * @throws StateDecodeError for fewer than SECTION_HEADER_SIZE bytes, a wrong
 * magic, or a format version or flags this build does not know.
 */
export function sectionLength(bytes: Uint8Array): number {
  for (let i = 0; i < STATE_MAGIC.length && i < bytes.length; i++) {
    if (bytes[i] !== STATE_MAGIC[i]) {
      throw new StateDecodeError('STATE_BAD_MAGIC', 'these bytes are not a state section');
    }
  }
  if (bytes.length < SECTION_HEADER_SIZE) {
    throw new StateDecodeError('STATE_TRUNCATED', 'the section header is cut short');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, SECTION_HEADER_SIZE);
  const version = view.getUint16(4, true);
  if (version !== STATE_FORMAT_VERSION) {
    throw new StateDecodeError(
      'STATE_BAD_VERSION',
      `state format version ${version} is not supported; this build reads ${STATE_FORMAT_VERSION}`,
    );
  }
  const flags = view.getUint16(6, true);
  if (flags !== 0) {
    throw new StateDecodeError('STATE_BAD_VERSION', `state section flags ${flags} are not known`);
  }
  return SECTION_HEADER_SIZE + view.getUint32(8, true) + SECTION_TRAILER_SIZE;
}

/**
 * Decodes a section made by encodeSection, checking in order its magic,
 * version, length and checksum, then every type, field, count, reference
 * and string inside. Classes are created through the registry (create, then
 * field assignment, then afterLoad); nothing in the bytes is ever run.
 *
 * @param bytes exactly one section; the result never aliases these bytes.
 * @throws StateDecodeError, and nothing else, for any bytes that are not a
 * valid section for this registry.
 */
export function decodeSection(bytes: Uint8Array, registry: TypeRegistry): unknown {
  const total = sectionLength(bytes);
  if (bytes.length < total) {
    throw new StateDecodeError(
      'STATE_TRUNCATED',
      `the section is ${total} bytes long but only ${bytes.length} are present`,
    );
  }
  if (bytes.length > total) {
    throw new StateDecodeError(
      'STATE_TRAILING_BYTES',
      `${bytes.length - total} bytes follow the section`,
    );
  }
  const bodyEnd = total - SECTION_TRAILER_SIZE;
  const expected = sha256(bytes.subarray(0, bodyEnd));
  for (let i = 0; i < SECTION_TRAILER_SIZE; i++) {
    if (bytes[bodyEnd + i] !== expected[i]) {
      throw new StateDecodeError('STATE_CHECKSUM', 'the section checksum does not match its bytes');
    }
  }
  try {
    return decodeGraph(new ByteReader(bytes, SECTION_HEADER_SIZE, bodyEnd), registry);
  } catch (cause) {
    // Host limits the byte checks cannot foresee: V8's cap on Map and Set
    // sizes, string lengths, or memory for a large but honest buffer.
    if (cause instanceof RangeError) {
      throw new StateDecodeError('STATE_TOO_LARGE', `a host limit was hit: ${cause.message}`, {
        cause,
      });
    }
    throw cause;
  }
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}
