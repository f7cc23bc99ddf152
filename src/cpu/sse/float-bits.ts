/**
 * Shared plumbing of the soft-float code: bit-pattern conversions through
 * module scratch arrays, exact powers of two, and the output record the
 * operations report through (so that no operation allocates).
 */

const F64 = new Float64Array(1);
const F64_WORDS = new Int32Array(F64.buffer);
const F32 = new Float32Array(1);
const F32_WORD = new Int32Array(F32.buffer);

/**
 * What the last soft-float operation produced besides its return value:
 * `flags` accumulates MXCSR exception flags (the caller clears it before an
 * instruction and reads it after all lanes); `hi` is the high half of a
 * float64 or int64 result whose low half was returned.
 */
export const fpOut = { flags: 0, hi: 0 };

/** The double whose bit pattern is hi:lo. Not for NaN patterns: JS may not keep them. */
export function f64FromBits(lo: number, hi: number): number {
  F64_WORDS[0] = lo;
  F64_WORDS[1] = hi;
  return F64[0];
}

/** Low half of the bit pattern of `x`; the high half goes to fpOut.hi. */
export function f64ToBits(x: number): number {
  F64[0] = x;
  fpOut.hi = F64_WORDS[1];
  return F64_WORDS[0];
}

/** High half of the bit pattern of `x`. */
export function f64HighBits(x: number): number {
  F64[0] = x;
  return F64_WORDS[1];
}

/** The float32 with bit pattern `bits`, as an exact double. Not for NaNs. */
export function f32FromBits(bits: number): number {
  F32_WORD[0] = bits;
  return F32[0];
}

/** Bit pattern of `x` as float32; `x` must be representable (or infinite). */
export function f32ToBits(x: number): number {
  F32[0] = x;
  return F32_WORD[0];
}

/** 2^n for every n where it is a double: -1074 <= n <= 1023. */
const POW2 = new Float64Array(2098);
for (let n = -1074, v = 2 ** -1074; n <= 1023; n++, v *= 2) POW2[n + 1074] = v;

/** 2^n; 0 below -1074 and Infinity above 1023. */
export function pow2(n: number): number {
  if (n < -1074) return 0;
  return n > 1023 ? Infinity : POW2[n + 1074];
}

/**
 * x * 2^n without intermediate rounding, provided the true result and `x`
 * are both representable: steps of at most 2^±1000 move monotonically from
 * x to the result, so no step can lose a bit the result keeps.
 */
export function scale(x: number, n: number): number {
  while (n > 1000) {
    x *= POW2[1000 + 1074];
    n -= 1000;
  }
  while (n < -1000) {
    x *= POW2[-1000 + 1074];
    n += 1000;
  }
  return x * POW2[n + 1074];
}

/**
 * Splits a finite nonzero double into a significand in [1, 2) (signed like
 * x) and an exponent, which goes to `expOut.e`. Subnormals are normalised.
 */
export function frexp(x: number): number {
  F64[0] = x;
  let biased = (F64_WORDS[1] >>> 20) & 0x7ff;
  let adjust = 0;
  if (biased === 0) {
    F64[0] = x * 18446744073709551616; // 2^64 makes any subnormal normal.
    biased = (F64_WORDS[1] >>> 20) & 0x7ff;
    adjust = 64;
  }
  expOut.e = biased - 1023 - adjust;
  F64_WORDS[1] = (F64_WORDS[1] & 0x800fffff) | (1023 << 20);
  return F64[0];
}

/** Exponent output of frexp. */
export const expOut = { e: 0 };

/** Unbiased exponent of a positive normal double. */
export function exponentOf(a: number): number {
  F64[0] = a;
  return ((F64_WORDS[1] >>> 20) & 0x7ff) - 1023;
}

/** Whether a positive normal double is a power of two. */
export function isPowerOfTwo(a: number): boolean {
  F64[0] = a;
  return (F64_WORDS[1] & 0xfffff) === 0 && F64_WORDS[0] === 0;
}
