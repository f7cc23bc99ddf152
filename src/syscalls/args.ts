import type { Task } from '../kernel/task.ts';
import { Errno } from '../linux/errno.ts';

/** Helpers shared by the system call areas: struct encoding and checks. */

export const EFAULT = -Errno.EFAULT;
export const EINVAL = -Errno.EINVAL;

const TWO32 = 4294967296;

/** A little-endian struct being built. */
export class StructWriter {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }

  u16(off: number, v: number): this {
    this.dv.setUint16(off, v, true);
    return this;
  }

  i32(off: number, v: number): this {
    this.dv.setInt32(off, v, true);
    return this;
  }

  /** A 64-bit field from a number (negative numbers are two's complement). */
  i64(off: number, v: number): this {
    if (v === Number.POSITIVE_INFINITY) {
      this.dv.setInt32(off, -1, true);
      this.dv.setInt32(off + 4, -1, true);
      return this;
    }
    this.dv.setUint32(off, ((v % TWO32) + TWO32) % TWO32, true);
    this.dv.setInt32(off + 4, Math.floor(v / TWO32), true);
    return this;
  }

  str(off: number, s: string, max: number): this {
    const b = Buffer.from(s, 'utf8').subarray(0, max - 1);
    this.bytes.set(b, off);
    return this;
  }
}

/** Reads little-endian fields of a struct copied in from the guest. */
export class StructReader {
  private readonly dv: DataView;

  constructor(bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  i32(off: number): number {
    return this.dv.getInt32(off, true);
  }

  u32(off: number): number {
    return this.dv.getUint32(off, true);
  }

  /** A signed 64-bit field as a number. */
  i64(off: number): number {
    return this.dv.getInt32(off + 4, true) * TWO32 + this.dv.getUint32(off, true);
  }

  /** An unsigned 64-bit field as a number (all ones reads as Infinity). */
  u64(off: number): number {
    const hi = this.dv.getUint32(off + 4, true);
    const lo = this.dv.getUint32(off, true);
    if (hi === 0xffffffff && lo === 0xffffffff) return Number.POSITIVE_INFINITY;
    return hi * TWO32 + lo;
  }
}

/** Copies a struct in, or null (the caller answers EFAULT). */
export function readStruct(t: Task, addr: number, size: number): StructReader | null {
  const b = t.copyIn(addr, size);
  return b === null ? null : new StructReader(b);
}

/** Copies a struct out; returns 0 or -EFAULT. */
export function writeStruct(t: Task, addr: number, s: StructWriter): number {
  return t.copyOut(addr, s.bytes) ? 0 : EFAULT;
}

/** A struct timespec as nanoseconds, or an errno for EFAULT/EINVAL. */
export function readTimespecNs(t: Task, addr: number): number | { errno: number } {
  const r = readStruct(t, addr, 16);
  if (r === null) return { errno: EFAULT };
  const sec = r.i64(0);
  const nsec = r.i64(8);
  if (sec < 0 || nsec < 0 || nsec >= 1e9) return { errno: EINVAL };
  return sec * 1e9 + nsec;
}

/** Writes a struct timespec of `ns` nanoseconds (or [sec, nsec]). */
export function writeTimespec(t: Task, addr: number, time: number | [number, number]): number {
  const [sec, nsec] = typeof time === 'number' ? [Math.floor(time / 1e9), time % 1e9] : time;
  return writeStruct(t, addr, new StructWriter(16).i64(0, sec).i64(8, nsec));
}
