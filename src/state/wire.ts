/**
 * The byte-level vocabulary of a state section: magic, version, tags and the
 * typed-array kinds. Numbers here are part of the format: a retired tag or
 * kind stays retired and is never given a new meaning.
 *
 * A section is laid out as
 *
 *     header   magic "AmSt", u16 format version, u16 flags (0), u32 body length
 *     body     type table, string table, object headers, object bodies, root
 *     trailer  SHA-256 of header and body
 *
 * with every integer in the header little-endian and every count, length and
 * index in the body an unsigned LEB128 varint (canonical: no trailing zero
 * groups). Objects are numbered breadth-first from the root. An object's
 * header says what to create (array, map, instance of type N, a typed array
 * with its bytes); its body, in a later part, fills it with values, which
 * name other objects by number. So a loader creates every object before
 * filling any, and shared references and cycles need nothing special.
 */

/** The four bytes every section starts with: "AmSt". */
export const STATE_MAGIC: readonly number[] = [0x41, 0x6d, 0x53, 0x74];

/** The section layout this build writes and reads. */
export const STATE_FORMAT_VERSION = 1;

/** Magic, version, flags and body length. */
export const SECTION_HEADER_SIZE = 12;

/** The SHA-256 at the end of each section. */
export const SECTION_TRAILER_SIZE = 32;

/** Largest body the u32 length field can describe. */
export const MAX_BODY_LENGTH = 0xffff_ffff;

// Value tags inside bodies. Tags from TAG_SMALL_INT up hold 0..127 directly.
export const TAG_UNDEFINED = 0x00;
export const TAG_NULL = 0x01;
export const TAG_FALSE = 0x02;
export const TAG_TRUE = 0x03;
/** A safe integer from 128 up, as a varint. */
export const TAG_POS_INT = 0x04;
/** A negative safe integer, its magnitude as a varint. */
export const TAG_NEG_INT = 0x05;
/** Any other number, as its eight IEEE 754 bytes, little-endian. */
export const TAG_FLOAT64 = 0x06;
/** An index into the string table. */
export const TAG_STRING = 0x07;
/** An index into the object table. */
export const TAG_REF = 0x08;
/** The integers 0..127 are this tag plus the integer: one byte each. */
export const TAG_SMALL_INT = 0x80;

// Object kinds in the object headers.
/** Body: varint length, then that many values. */
export const KIND_ARRAY = 0x01;
/** Body: varint count, then (string index, value) pairs. */
export const KIND_PLAIN_OBJECT = 0x02;
/** As KIND_PLAIN_OBJECT, created with a null prototype. */
export const KIND_NULL_PROTO_OBJECT = 0x03;
/** Body: varint count, then (key, value) pairs. */
export const KIND_MAP = 0x04;
/** Body: varint count, then that many values. */
export const KIND_SET = 0x05;
/** Header: varint type index. Body: a value per field the type table lists. */
export const KIND_INSTANCE = 0x06;
/** Header: varint byte length, then the bytes. No body. */
export const KIND_ARRAY_BUFFER = 0x07;
/** Header: kind byte, varint element count, then the bytes. No body. */
export const KIND_TYPED_ARRAY = 0x08;

/** A typed-array constructor the format can name. */
export type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** Typed-array kinds by their byte in the format; the position is the byte. */
export const TYPED_ARRAY_KINDS: readonly TypedArrayConstructor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

/** The kind byte for each typed-array prototype. */
export const TYPED_ARRAY_KIND_BY_PROTO: ReadonlyMap<object, number> = new Map(
  TYPED_ARRAY_KINDS.map((ctor, kind) => [ctor.prototype as object, kind]),
);

/** Whether this host stores numbers little-endian, as the format does. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reverses the bytes of each `size`-byte element in place. Sections store
 * typed-array contents little-endian; a big-endian host swaps after copying.
 */
export function swapElementBytes(bytes: Uint8Array, size: number): void {
  for (let at = 0; at + size <= bytes.length; at += size) {
    for (let lo = at, hi = at + size - 1; lo < hi; lo++, hi--) {
      const t = bytes[lo];
      bytes[lo] = bytes[hi];
      bytes[hi] = t;
    }
  }
}
