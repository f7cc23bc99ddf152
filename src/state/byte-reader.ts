import { StateDecodeError } from './state-error.ts';

const MAX_VARINT_BYTES = 8;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads the format's primitives from a byte range, checking every read
 * against the end of the range: a short or lying section raises
 * StateDecodeError, never a RangeError or a read of someone else's bytes.
 */
export class ByteReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly end: number;
  /** The offset of the next byte to read. */
  pos: number;

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }

  /** Bytes left before the end of the range. */
  remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) throw truncated();
    return this.bytes[this.pos++];
  }

  /** Reads a canonical unsigned LEB128 varint no larger than a safe integer. */
  varuint(): number {
    const bytes = this.bytes;
    if (this.pos >= this.end) throw truncated();
    let b = bytes[this.pos++];
    if (b < 0x80) return b;
    let value = b & 0x7f;
    let scale = 0x80;
    for (let used = 1; ; used++) {
      if (used === MAX_VARINT_BYTES) {
        throw new StateDecodeError('STATE_TOO_LARGE', 'a varint is longer than 8 bytes');
      }
      if (this.pos >= this.end) throw truncated();
      b = bytes[this.pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (b === 0) throw new StateDecodeError('STATE_BAD_VALUE', 'a varint has trailing zeros');
        break;
      }
      scale *= 0x80;
    }
    if (value > Number.MAX_SAFE_INTEGER) {
      throw new StateDecodeError('STATE_TOO_LARGE', 'a varint exceeds 2^53 - 1');
    }
    return value;
  }

  /**
   * Reads a count of items that each take at least `minBytes` bytes, and
   * refuses it unless that many could fit in what is left: no allocation is
   * ever sized by a count the bytes cannot back.
   */
  count(minBytes: number, what: string): number {
    const n = this.varuint();
    if (n * minBytes > this.end - this.pos) {
      throw new StateDecodeError(
        'STATE_TOO_LARGE',
        `${what} claims ${n} items but ${this.end - this.pos} bytes remain`,
      );
    }
    return n;
  }

  float64(): number {
    if (this.end - this.pos < 8) throw truncated();
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** The next n bytes, as a view into the input: copy before keeping. */
  bytesView(n: number): Uint8Array {
    if (n > this.end - this.pos) throw truncated();
    const view = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  /** Reads a byte length and that many bytes of well-formed UTF-8. */
  utf8(): string {
    const size = this.count(1, 'a string');
    const bytes = this.bytes;
    const start = this.pos;
    this.pos += size;

    // Short ASCII strings, the usual case, skip the decoder.
    if (size <= 32) {
      let text = '';
      let i = start;
      for (; i < start + size; i++) {
        const c = bytes[i];
        if (c >= 0x80) break;
        text += String.fromCharCode(c);
      }
      if (i === start + size) return text;
    }
    try {
      return utf8Decoder.decode(bytes.subarray(start, start + size));
    } catch (cause) {
      throw new StateDecodeError('STATE_BAD_STRING', 'a string is not valid UTF-8', { cause });
    }
  }
}

function truncated(): StateDecodeError {
  return new StateDecodeError('STATE_TRUNCATED', 'the section ends in the middle of a record');
}
