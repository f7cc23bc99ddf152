// Operand generators for the soft-float tests: edge values of each format,
// values built to sit on rounding boundaries, and seeded random patterns
// biased toward the interesting exponent ranges.

/** A small deterministic generator (xorshift32), so failures reproduce. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed | 0 || 1;
  }
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x;
    return x >>> 0;
  }
  below(n: number): number {
    return this.u32() % n;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)];
  }
}

const F32_EDGES = [
  0, 1, 0x7fffff, 0x400000, 0x800000, 0x800001, 0x7f7fffff, 0x7f7ffffe, 0x7f800000, 0x7fc00000,
  0x7fa00000, 0x7f800001, 0x7fffffff, 0x3f800000, 0x3f800001, 0x3fffffff, 0x3f7fffff, 0x4b800000,
  0x33800000, 0x33800001, 0x34000000, 0x00000003, 0x0ffffff0, 0x5f000000, 0x4f000000, 0x4effffff,
  0x4f000001, 0xdf000000, 0x3f000000, 0x3fc00000, 0x40200000, 0x00fffffe,
];

const F64_EDGES: [number, number][] = [
  [0, 0],
  [1, 0],
  [-1, 0xfffff],
  [0, 0x80000],
  [0, 0x100000],
  [1, 0x100000],
  [-1, 0x7fefffff],
  [-2, 0x7fefffff],
  [0, 0x7ff00000],
  [0, 0x7ff80000],
  [0, 0x7ff40000],
  [1, 0x7ff00000],
  [-1, 0x7fffffff],
  [0, 0x3ff00000],
  [1, 0x3ff00000],
  [-1, 0x3fffffff],
  [-1, 0x3fefffff],
  [0, 0x3ca00000],
  [1, 0x3ca00000],
  [0, 0x43e00000],
  [-1, 0x43dfffff],
  [0, 0x41e00000],
  [0x200000, 0x41dfffff],
  [0, 0xc1e00000 | 0],
  [0x100000, 0xc1e00000 | 0],
  [0, 0x47efffff],
  [0xe0000000 | 0, 0x47efffff],
  [0xf0000000 | 0, 0x47efffff],
  [0x10000000, 0x36a00000],
  [0, 0x36a00000],
  [0, 0x3fe00000],
  [0, 0x3ff80000],
];

/** Edge float32 patterns, both signs. */
export const F32_EDGE_VALUES = F32_EDGES.flatMap((x) => [x | 0, x | 0x80000000 | 0]);

/** Edge float64 patterns as [lo, hi], both signs. */
export const F64_EDGE_VALUES = F64_EDGES.flatMap(([lo, hi]): [number, number][] => [
  [lo | 0, hi | 0],
  [lo | 0, hi | 0x80000000 | 0],
]);

/** A random float32 pattern biased toward interesting exponents and sparse significands. */
export function randomF32(rng: Rng, near?: number): number {
  const kind = rng.below(8);
  let exp: number;
  if (near !== undefined && kind < 4) exp = Math.max(0, Math.min(255, near + rng.below(60) - 30));
  else if (kind < 2) exp = rng.below(256);
  else if (kind < 4) exp = rng.below(30);
  else if (kind < 6) exp = 225 + rng.below(31);
  else exp = 110 + rng.below(30);
  let man = rng.u32() & 0x7fffff;
  if (rng.below(3) === 0) man &= ~((1 << rng.below(23)) - 1);
  if (rng.below(5) === 0) man |= (1 << rng.below(23)) - 1;
  return (rng.below(2) << 31) | (exp << 23) | man | 0;
}

/** A random float64 pattern [lo, hi], biased like randomF32. */
export function randomF64(rng: Rng, near?: number): [number, number] {
  const kind = rng.below(8);
  let exp: number;
  if (near !== undefined && kind < 4) exp = Math.max(0, Math.min(2047, near + rng.below(120) - 60));
  else if (kind < 2) exp = rng.below(2048);
  else if (kind < 4) exp = rng.below(60);
  else if (kind < 6) exp = 1990 + rng.below(58);
  else if (kind < 7) exp = 1023 + rng.below(70) - 35;
  else exp = 896 + rng.below(40) - 20; // near float32's normal-range bottom
  let hiMan = rng.u32() & 0xfffff;
  let lo = rng.u32() | 0;
  const sparse = rng.below(3);
  if (sparse === 0) {
    const keep = rng.below(52);
    if (keep < 32) lo &= ~((2 ** keep - 1) | 0);
    else {
      lo = 0;
      hiMan &= ~((1 << (keep - 32)) - 1);
    }
  }
  if (rng.below(6) === 0) lo = -1;
  return [lo, (rng.below(2) << 31) | (exp << 20) | hiMan | 0];
}

/** MXCSR values the cases run under: each rounding mode, FTZ, DAZ, unmasked traps, sticky flags. */
export const MXCSR_VALUES = [
  0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0xffc0, 0xbf80, 0xdf80, 0x0000, 0x6000, 0x1d80,
  0x1780, 0x1b80, 0x0f80, 0x1e80, 0x1f00, 0x1f81, 0x1fbf, 0x9780, 0x1700, 0x5780, 0x7b80,
];
