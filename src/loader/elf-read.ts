// Little-endian field readers over an untrusted byte array. Every 64-bit
// field is read as two 32-bit halves and combined into a number: below
// 2^53 the number is exact; above it the number is rounded but still
// larger than every limit we compare against (all limits are far below
// 2^53), so range checks stay correct. Messages that quote a 64-bit field
// format it from its halves so the user sees the exact bytes.

/** A window over file bytes with bounds-checked little-endian reads. */
export class FieldReader {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Length of the file in bytes. */
  get length(): number {
    return this.bytes.byteLength;
  }

  /** Unsigned byte. Preconditions: offset + 1 <= length. */
  u8(offset: number): number {
    return this.view.getUint8(offset);
  }

  /** Unsigned 16-bit field. Preconditions: offset + 2 <= length. */
  u16(offset: number): number {
    return this.view.getUint16(offset, true);
  }

  /** Unsigned 32-bit field. Preconditions: offset + 4 <= length. */
  u32(offset: number): number {
    return this.view.getUint32(offset, true);
  }

  /**
   * Unsigned 64-bit field as a number, exact below 2^53 and monotone above.
   * Preconditions: offset + 8 <= length.
   */
  u64(offset: number): number {
    return this.view.getUint32(offset + 4, true) * 2 ** 32 + this.view.getUint32(offset, true);
  }

  /** The exact hexadecimal text of a 64-bit field, for error messages. */
  hex64(offset: number): string {
    const high = this.view.getUint32(offset + 4, true);
    const low = this.view.getUint32(offset, true);
    if (high === 0) return `0x${low.toString(16)}`;
    return `0x${high.toString(16)}${low.toString(16).padStart(8, '0')}`;
  }
}

/** Hexadecimal text of a number known to be below 2^53. */
export function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/** Whether value is 0 or a power of two (as p_align must be). */
export function isPowerOfTwoOrZero(value: number): boolean {
  if (value === 0) return true;
  if (!Number.isSafeInteger(value) || value < 0) return false;
  // Bitwise operators only see 32 bits, so halve instead: at most 53 steps.
  let rest = value;
  while (rest % 2 === 0) rest /= 2;
  return rest === 1;
}

/** Rounds down to a multiple of size. Preconditions: value < 2^53. */
export function alignDown(value: number, size: number): number {
  return value - (value % size);
}

/** Rounds up to a multiple of size. Preconditions: value + size < 2^53. */
export function alignUp(value: number, size: number): number {
  const rest = value % size;
  return rest === 0 ? value : value + (size - rest);
}
