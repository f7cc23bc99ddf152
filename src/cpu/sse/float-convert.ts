/**
 * Conversions between float32, float64 and integers with MXCSR semantics:
 * rounding by the current mode (or truncation for the cvtt forms), PE for
 * an inexact result, and the "integer indefinite" (the most negative
 * integer) with IE for NaNs and values out of range.
 */
import { MX_DAZ, MX_IE, MX_PE, MX_RC, RC_DOWN, RC_NEAREST, RC_UP } from './mxcsr.ts';
import {
  expOut,
  f32FromBits,
  f32ToBits,
  f64FromBits,
  f64ToBits,
  fpOut,
  frexp,
} from './float-bits.ts';
import { exactSet, FLOAT32, FLOAT64, roundToFormat } from './float-round.ts';
import { f32IsDenormal, f32IsNaN, f32IsSNaN, f32Operand } from './float32-ops.ts';
import { f64IsDenormal, f64IsNaN, f64IsSNaN, f64Operand } from './float64-ops.ts';

const TWO32 = 4294967296;
const TWO31 = 2147483648;
const TWO63 = 9223372036854775808;
const F32_MIN_NORMAL = 2 ** -126;
const F32_MAX = 3.4028234663852886e38;

/** cvtss2sd: float32 bits to float64 (low half returned, high in fpOut.hi). */
export function f32ToF64(x: number, mxcsr: number): number {
  if (f32IsNaN(x)) {
    if (f32IsSNaN(x)) fpOut.flags |= MX_IE;
    fpOut.hi = (x & 0x80000000) | 0x7ff80000 | ((x & 0x7fffff) >>> 3);
    return (x & 7) << 29;
  }
  return f64ToBits(f32Operand(x, mxcsr));
}

/** cvtsd2ss: float64 bits to float32 bits, rounded by the MXCSR mode. */
export function f64ToF32(lo: number, hi: number, mxcsr: number): number {
  if (f64IsNaN(lo, hi)) {
    if (f64IsSNaN(lo, hi)) fpOut.flags |= MX_IE;
    return (hi & 0x80000000) | 0x7fc00000 | ((hi & 0xfffff) << 3) | (lo >>> 29);
  }
  const v = f64Operand(lo, hi, mxcsr);
  return f32ToBits(roundDouble(v, mxcsr));
}

/** Rounds a non-NaN double to float32 under `mxcsr`; returns the value. */
function roundDouble(v: number, mxcsr: number): number {
  if (v === 0 || v === Infinity || v === -Infinity) return v;
  const av = Math.abs(v);
  if ((mxcsr & MX_RC) === 0 && av >= F32_MIN_NORMAL && av <= F32_MAX) {
    // Within float32's normal range, rounding to nearest is Math.fround.
    const r = Math.fround(v);
    if (r !== v) fpOut.flags |= MX_PE;
    return r;
  }
  const m = frexp(v);
  exactSet(m, 0, expOut.e);
  return roundToFormat(FLOAT32, mxcsr);
}

/** cvtsi2ss with a 32-bit integer: float32 bits. */
export function int32ToF32(x: number, mxcsr: number): number {
  return f32ToBits(roundDouble(x | 0, mxcsr));
}

/**
 * cvtsi2ss/cvtsi2sd with a 64-bit integer hi:lo. `toDouble` picks the
 * result format; float64 results return the low half, high in fpOut.hi.
 */
export function int64ToFloat(lo: number, hi: number, toDouble: boolean, mxcsr: number): number {
  // hi * 2^32 and lo are exact doubles; their sum is held exactly as s + e.
  const a = hi * TWO32;
  const b = lo >>> 0;
  const s = a + b;
  const bb = s - a;
  const e = a - (s - bb) + (b - bb);
  let v: number;
  if (s === 0) v = 0;
  else {
    const m = frexp(s);
    exactSet(m, e > 0 ? 1 : e < 0 ? -1 : 0, expOut.e);
    v = roundToFormat(toDouble ? FLOAT64 : FLOAT32, mxcsr);
  }
  return toDouble ? f64ToBits(v) : f32ToBits(v);
}

/** cvtsi2sd with a 32-bit integer: exact. Low half returned, high in fpOut.hi. */
export function int32ToF64(x: number): number {
  return f64ToBits(x | 0);
}

/**
 * Rounds a non-NaN double to an integer of 32 or 64 bits, by the MXCSR
 * mode or (truncate) toward zero. Returns the low half (the high half in
 * fpOut.hi for 64 bits); out of range gives the integer indefinite and IE.
 */
function toInt(v: number, wide: boolean, truncate: boolean, mxcsr: number): number {
  const t = Math.trunc(v);
  const f = v - t;
  let r = t;
  if (f !== 0 && !truncate) {
    const rc = (mxcsr >>> 13) & 3;
    if (rc === RC_NEAREST) {
      const af = Math.abs(f);
      if (af > 0.5 || (af === 0.5 && t % 2 !== 0)) r = t + (f > 0 ? 1 : -1);
    } else if (rc === RC_DOWN) {
      if (f < 0) r = t - 1;
    } else if (rc === RC_UP) {
      if (f > 0) r = t + 1;
    }
  }
  const limit = wide ? TWO63 : TWO31;
  if (!(r >= -limit && r < limit)) {
    fpOut.flags |= MX_IE;
    fpOut.hi = 0x80000000 | 0;
    return wide ? 0 : 0x80000000 | 0;
  }
  if (f !== 0) fpOut.flags |= MX_PE;
  if (!wide) {
    fpOut.hi = r < 0 ? -1 : 0;
    return r | 0;
  }
  const high = Math.floor(r / TWO32);
  fpOut.hi = high | 0;
  return (r - high * TWO32) | 0;
}

/** cvtss2si / cvttss2si (32 or 64-bit result). Raises no DE; DAZ applies. */
export function f32ToInt(x: number, wide: boolean, truncate: boolean, mxcsr: number): number {
  if (f32IsNaN(x)) return toInt(NaN, wide, truncate, mxcsr);
  const v = f32IsDenormal(x) && mxcsr & MX_DAZ ? 0 : f32FromBits(x);
  return toInt(v, wide, truncate, mxcsr);
}

/** cvtsd2si / cvttsd2si (32 or 64-bit result). */
export function f64ToInt(
  lo: number,
  hi: number,
  wide: boolean,
  truncate: boolean,
  mxcsr: number,
): number {
  if (f64IsNaN(lo, hi)) return toInt(NaN, wide, truncate, mxcsr);
  const v = f64IsDenormal(lo, hi) && mxcsr & MX_DAZ ? 0 : f64FromBits(lo, hi);
  return toInt(v, wide, truncate, mxcsr);
}
