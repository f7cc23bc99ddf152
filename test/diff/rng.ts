/**
 * A seeded pseudo-random generator and the edge values that case generators
 * draw operands from, so that every run produces the same cases.
 */

/** Operand sizes in bytes. */
export type Size = 1 | 2 | 4 | 8;

/** All four integer operand sizes. */
export const SIZES: readonly Size[] = [1, 2, 4, 8];

/** Mask of an operand size, as a bigint. */
export function sizeMask(size: Size): bigint {
  return (1n << BigInt(8 * size)) - 1n;
}

/** A small, fast, seeded generator (mulberry32 mixing on a 32-bit state). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniformly random unsigned 32-bit integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }

  /** One element of a list. */
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  /** A uniformly random unsigned 64-bit value. */
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }

  /**
   * A value of `size` bytes that is often interesting: an edge value half of
   * the time, else uniformly random, or random with few bits set or clear.
   */
  operand(size: Size): bigint {
    const mask = sizeMask(size);
    const roll = this.int(8);
    if (roll < 4) return this.pick(edgeValues(size));
    if (roll === 4) return this.u64() & this.u64() & this.u64() & mask;
    if (roll === 5) return (this.u64() | this.u64() | this.u64()) & mask;
    if (roll === 6) return BigInt(this.int(256) - 128) & mask;
    return this.u64() & mask;
  }

  /** A full 64-bit register value whose low `size` bytes are `low`. */
  withGarbageAbove(low: bigint, size: Size): bigint {
    if (size === 8) return low;
    return (this.u64() & ~sizeMask(size) & ((1n << 64n) - 1n)) | low;
  }
}

const edgeCache = new Map<Size, bigint[]>();

/** Edge values of one operand size, as unsigned numbers. */
export function edgeValues(size: Size): bigint[] {
  const cached = edgeCache.get(size);
  if (cached) return cached;
  const bits = BigInt(8 * size);
  const mask = sizeMask(size);
  const sign = 1n << (bits - 1n);
  const set = new Set<bigint>([
    0n,
    1n,
    2n,
    3n,
    0x7fn,
    0x80n,
    0xffn,
    0x100n,
    mask,
    mask - 1n,
    sign,
    sign - 1n,
    sign + 1n,
    sign - 2n,
    mask / 3n,
    (mask / 3n) * 2n,
    0xfn,
    0x10n,
    1n << (bits / 2n),
    (1n << (bits / 2n)) - 1n,
  ]);
  const list = [...set].map((v) => v & mask);
  edgeCache.set(size, list);
  return list;
}

/** Two's-complement value of `v` read as a signed `size`-byte number. */
export function signed(v: bigint, size: Size): bigint {
  const bits = BigInt(8 * size);
  v &= sizeMask(size);
  return v >= 1n << (bits - 1n) ? v - (1n << bits) : v;
}
