/**
 * Bridges between extended values and double-doubles for the
 * transcendentals: exact significands out, correctly rounded extended
 * results in (with an exponent offset, so that results beyond the double
 * range still round and overflow as the extended format does).
 */
import {
  BIAS,
  EMAX_EXT,
  F80,
  PC_64,
  SW_PE,
  SW_UE,
  UA,
  UB,
  roundPack,
  setResult,
} from './float80.ts';
import type { Unpacked } from './float80.ts';
import { addFinite } from './f80-arith.ts';
import { DD } from './double-double.ts';

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const TWO32 = 4294967296;

/** 2^n as a double for any integer n in the normal range. */
export function pow2(n: number): number {
  if (n > 1023) return Infinity;
  if (n < -1074) return 0;
  if (n < -1022) return 2 ** -1022 * 2 ** (n + 1022);
  return 2 ** n;
}

/** DD = the significand of a finite non-zero value, in [1, 2), exactly. */
export function sigDD(u: Unpacked): void {
  DD.hi = (u.hi * 2097152 + (u.lo >>> 11)) / 4503599627370496;
  DD.lo = (u.lo & 0x7ff) / 9223372036854775808;
}

/** DD = the value of u (finite, non-zero, exponent within double range). */
export function valueDD(u: Unpacked): void {
  sigDD(u);
  const s = pow2(u.exp - BIAS) * (u.sign ? -1 : 1);
  DD.hi *= s;
  DD.lo *= s;
}

/** Takes a non-zero finite double apart into `u`, its exponent moved by eoff. */
function unpackDouble(u: Unpacked, v: number, eoff: number): void {
  let bias = 1023;
  if (Math.abs(v) < 2 ** -1000) {
    v *= 2 ** 200;
    bias += 200;
  }
  F64[0] = v;
  const hi = U32[1];
  const lo = U32[0];
  u.sign = hi >>> 31;
  u.exp = ((hi >>> 20) & 0x7ff) - bias + BIAS + eoff;
  u.hi = (0x80000000 | ((hi & 0xfffff) << 11) | (lo >>> 21)) >>> 0;
  u.lo = (lo << 11) >>> 0;
}

/**
 * Rounds (h + l) * 2^eoff to the extended format at 64-bit precision under
 * the current rounding control, into F80. `zeroSign` is the sign of an
 * exact zero result.
 */
export function fromDD(h: number, l: number, eoff: number, zeroSign: number): void {
  if (h === 0) {
    setResult(zeroSign << 15, 0, 0);
    return;
  }
  unpackDouble(UA, h, eoff);
  if (l === 0) {
    roundPack(UA.sign, UA.exp, UA.hi, UA.lo, 0, PC_64, EMAX_EXT);
    return;
  }
  unpackDouble(UB, l, eoff);
  addFinite(UA, UB, PC_64);
}

/**
 * Rounds |u| moved by a sliver towards zero (dir -1) or away from it (+1):
 * the correctly rounded result of a function equal to its argument up to a
 * term far below the last place (sin x, tan x, atan x for tiny x).
 */
export function roundNudged(sign: number, exp: number, hi: number, lo: number, dir: number): void {
  if (dir > 0) {
    roundPack(sign, exp, hi, lo, 1, PC_64, EMAX_EXT);
    return;
  }
  // (hi:lo:0) - 1 in the last of 96 bits, renormalized if it drops a bit.
  let l = lo - 1;
  let h = hi;
  if (l < 0) {
    l += TWO32;
    h -= 1;
  }
  if (h < 0x80000000) {
    roundPack(sign, exp - 1, (h << 1) | (l >>> 31), (l << 1) | 1, 0xffffffff, PC_64, EMAX_EXT);
    return;
  }
  roundPack(sign, exp, h, l, 0xffffffff, PC_64, EMAX_EXT);
}

/** Copies F80 (a finished extended result) for callers that need two. */
export function f80Snapshot(out: { se: number; hi: number; lo: number }): void {
  out.se = F80.se;
  out.hi = F80.hi;
  out.lo = F80.lo;
}

/**
 * Marks a non-zero result inexact (and underflowed when denormal), as the
 * hardware does for fpatan, f2xm1, fyl2x and fyl2xp1 even when the value is
 * exact.
 */
export function alwaysInexact(): void {
  if ((F80.se & 0x7fff) === 0 && F80.hi === 0 && F80.lo === 0) return;
  F80.flags |= SW_PE;
  if ((F80.se & 0x7fff) === 0 && F80.cw & SW_UE) F80.flags |= SW_UE;
}

/** Rounds a double-double result (times 2^eoff) and raises PE if inexact. */
export function finishDD(h: number, l: number, eoff: number): void {
  fromDD(h, l, eoff, h < 0 || Object.is(h, -0) ? 1 : 0);
}
