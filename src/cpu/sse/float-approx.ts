/**
 * rcpss/rcpps and rsqrtss/rsqrtps. Hardware returns a table-driven
 * approximation with relative error at most 1.5 * 2^-12; Amber returns the
 * correctly rounded value, which is within that bound and the same on every
 * host. The special cases follow Intel: denormal inputs act as zeros, tiny
 * reciprocals flush to zero, and neither instruction touches MXCSR.
 */
import { f32FromBits, f32ToBits } from './float-bits.ts';
import { F32_DEFAULT_NAN, f32IsNaN } from './float32-ops.ts';

const MIN_NORMAL = 2 ** -126;

/** Approximate 1/x of float32 pattern x. */
export function f32Rcp(x: number): number {
  if (f32IsNaN(x)) return x | 0x400000;
  if ((x & 0x7f800000) === 0) return (x & 0x80000000) | 0x7f800000;
  const r = Math.fround(1 / f32FromBits(x));
  return Math.abs(r) < MIN_NORMAL ? x & 0x80000000 : f32ToBits(r);
}

/** Approximate 1/sqrt(x) of float32 pattern x. */
export function f32Rsqrt(x: number): number {
  if (f32IsNaN(x)) return x | 0x400000;
  if ((x & 0x7f800000) === 0) return (x & 0x80000000) | 0x7f800000;
  if (x < 0) return F32_DEFAULT_NAN;
  return f32ToBits(Math.fround(1 / Math.sqrt(f32FromBits(x))));
}
