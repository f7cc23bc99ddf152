// Operand generators for the x87 differential tests: edge encodings that
// exercise every special case and rounding boundary, plus seeded random ones.
import type { Ext } from './oracle.ts';

/** A small seeded generator (xorshift32), so failures reproduce. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number {
    return this.u32() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }
}

const B = 16383;
const positive: Ext[] = [
  [0, 0, 0],
  [0, 0, 1],
  [0, 0x7fffffff, 0xffffffff],
  [0, 0x00001234, 0x56789abc],
  [0, 0x80000000, 0], // pseudo-denormal
  [0, 0x80000001, 5],
  [1, 0x80000000, 0],
  [1, 0xffffffff, 0xffffffff],
  [0x7ffe, 0xffffffff, 0xffffffff],
  [0x7ffe, 0x80000000, 0],
  [B, 0x80000000, 0],
  [B, 0x80000000, 1],
  [B, 0xffffffff, 0xffffffff],
  [B, 0xc0000000, 0],
  [B + 1, 0xc0000000, 0],
  [B + 1, 0xc90fdaa2, 0x2168c235],
  [B - 1, 0x80000000, 0],
  [B, 0x80000080, 0],
  [B, 0x80000180, 0],
  [B, 0x80000080, 1],
  [B, 0xffffff80, 0],
  [B, 0x80000000, 0x400],
  [B, 0x80000000, 0xc00],
  [B, 0x80000000, 0x401],
  [B, 0xffffffff, 0xfffffc00],
  [B + 127, 0xffffff80, 0],
  [B + 127, 0xffffff7f, 0xffffffff],
  [B + 128, 0x80000000, 0],
  [B - 126, 0x80000000, 0],
  [B - 127, 0xffffffff, 0xffffffff],
  [B - 149, 0x80000000, 0],
  [B - 150, 0x80000000, 0],
  [B - 150, 0x80000000, 1],
  [B + 1023, 0xffffffff, 0xfffff800],
  [B + 1023, 0xffffffff, 0xfffffc00],
  [B - 1022, 0x80000000, 0],
  [B - 1023, 0xffffffff, 0xffffffff],
  [B - 1074, 0x80000000, 0],
  [B - 1075, 0x80000000, 1],
  [B + 15, 0x80000000, 0],
  [B + 14, 0xfffe0000, 0],
  [B + 31, 0x80000000, 0],
  [B + 30, 0xffffffff, 0],
  [B + 63, 0x80000000, 0],
  [B + 62, 0xffffffff, 0xffffffff],
  [B + 63, 0xffffffff, 0xffffffff],
  [B + 1, 0xa0000000, 0], // 2.5
  [B + 14, 0xffff0000, 0], // 32767.5
  [B + 15, 0x80010000, 0], // 32768.5
  [B + 100, 0x87654321, 0x12345678],
  [B - 100, 0xfedcba98, 0x76543210],
  [0x7fff, 0x80000000, 0], // infinity
  [0x7fff, 0xc0000000, 0], // quiet NaNs
  [0x7fff, 0xc0000000, 0x1234],
  [0x7fff, 0xd0000000, 0],
  [0x7fff, 0xa0000000, 0], // signalling NaNs
  [0x7fff, 0x80000000, 1],
  [0x7fff, 0x00000000, 0], // pseudo-infinity
  [0x7fff, 0x40000000, 0], // pseudo-NaN
  [B, 0x40000000, 0], // unnormal
  [0x3000, 0x12345678, 0x9abcdef0], // unnormal
];

/** Edge encodings, each with both signs. */
export const EDGES: Ext[] = positive.flatMap((v) => [v, [v[0] | 0x8000, v[1], v[2]] as Ext]);

/** A random finite normal value with its exponent in [lo, hi]. */
export function randomNormal(r: Rng, lo: number, hi: number): Ext {
  const exp = lo + r.below(hi - lo + 1);
  let h = (r.u32() | 0x80000000) >>> 0;
  let l = r.u32();
  // Sometimes make long runs of ones or zeros, which stress rounding.
  const k = r.below(6);
  if (k === 0) l = 0;
  else if (k === 1) l = 0xffffffff;
  else if (k === 2) h = (h | 0x7fffff00) >>> 0;
  return [exp | (r.below(2) << 15), h, l >>> 0];
}

/** A random encoding of any kind (denormals, NaNs, unsupported included). */
export function randomAny(r: Rng): Ext {
  const k = r.below(8);
  if (k === 0) return r.pick(EDGES);
  if (k === 1) return [r.u32() & 0xffff, r.u32(), r.u32()];
  if (k === 2) return [(r.u32() & 0x8000) | 0, r.u32() >>> 1, r.u32()];
  return randomNormal(r, 1, 0x7ffe);
}

/** Control words: every precision and rounding control, masked or not. */
export function randomCw(r: Rng): number {
  const pc = r.pick([0, 2, 3]);
  const rc = r.below(4);
  const masks = r.below(8) === 0 ? r.u32() & 0x3f : 0x3f;
  return 0x1040 | (rc << 10) | (pc << 8) | masks;
}
