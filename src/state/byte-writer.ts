import { StateEncodeError } from './state-error.ts';
import { MAX_BODY_LENGTH } from './wire.ts';

const TWO_POW_31 = 0x8000_0000;

/**
 * A growable byte buffer with the few writes the format needs. Growth doubles
 * capacity, so appending n bytes costs O(n) overall.
 */
export class ByteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for n more bytes. */
  private reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    if (need > MAX_BODY_LENGTH) {
      throw new StateEncodeError('STATE_SECTION_TOO_LARGE', '', 'the state exceeds 4 GiB');
    }
    const grown = new Uint8Array(Math.min(Math.max(need, this.bytes.length * 2), MAX_BODY_LENGTH));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** Writes a non-negative safe integer as unsigned LEB128. */
  varuint(value: number): void {
    this.reserve(8);
    const bytes = this.bytes;
    let at = this.length;
    // Bit operations only hold 32 bits; larger values divide instead.
    while (value >= TWO_POW_31) {
      bytes[at++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    while (value >= 0x80) {
      bytes[at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    bytes[at++] = value;
    this.length = at;
  }

  float64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** Appends bytes as they are. */
  raw(source: Uint8Array): void {
    this.reserve(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }

  /** A view of bytes already written, for fixing up in place. */
  slice(start: number, end: number): Uint8Array {
    return this.bytes.subarray(start, end);
  }

  /**
   * Writes a string as its UTF-8 byte length and bytes. Returns false, having
   * written nothing, if the string holds a lone surrogate.
   */
  utf8(text: string): boolean {
    const size = utf8Length(text);
    if (size < 0) return false;
    this.varuint(size);
    this.reserve(size);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c < 0x80) {
        bytes[at++] = c;
      } else if (c < 0x800) {
        bytes[at++] = 0xc0 | (c >> 6);
        bytes[at++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        bytes[at++] = 0xe0 | (c >> 12);
        bytes[at++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[at++] = 0x80 | (c & 0x3f);
      } else {
        // utf8Length has checked that a low surrogate follows.
        c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
        bytes[at++] = 0xf0 | (c >> 18);
        bytes[at++] = 0x80 | ((c >> 12) & 0x3f);
        bytes[at++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[at++] = 0x80 | (c & 0x3f);
      }
    }
    this.length = at;
    return true;
  }

  /** Everything written, as one array the caller may keep. */
  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** The UTF-8 size of a string, or -1 if it holds a lone surrogate. */
function utf8Length(text: string): number {
  let size = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      size += 1;
    } else if (c < 0xd800 || c > 0xdfff) {
      size += 2;
    } else {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) return -1;
      // Two UTF-16 units become four bytes.
      size += 2;
      i++;
    }
  }
  return size;
}
