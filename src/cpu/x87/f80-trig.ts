/**
 * The x87 trigonometric instructions on extended values: fsin, fcos,
 * fsincos and fptan. Special operands follow the hardware; finite results
 * come from double-double kernels rounded once to 64 bits, which keeps them
 * within one unit in the last place of the hardware's.
 *
 * Like the hardware, these reduce their argument modulo a 66-bit
 * approximation of pi/2 (so results near multiples of pi match it, not the
 * true function), and leave an argument with |x| >= 2^63 alone, setting C2.
 */
import {
  BIAS,
  CLS_FINITE,
  CLS_INF,
  CLS_QNAN,
  CLS_ZERO,
  F80,
  SW_C2,
  SW_DE,
  SW_PE,
  SW_UE,
  UA,
  invalid,
  nanResult,
  setResult,
  unmasked,
  unpack,
} from './float80.ts';
import type { Unpacked } from './float80.ts';
import { DD, ddAdd, ddDiv } from './double-double.ts';
import { finishDD, roundNudged, valueDD } from './f80-dd.ts';
import { cosDD, sinDD } from './trans-series.ts';

/** Second result (cos of fsincos, 1.0 of fptan), pushed after F80's. */
export const F80T = { se: 0, hi: 0, lo: 0 };

/** Function selectors for {@link f80Trig}. */
export const TRIG_SIN = 0;
/** Cosine. */
export const TRIG_COS = 1;
/** Sine and cosine (sine in F80, cosine in F80T). */
export const TRIG_SINCOS = 2;
/** Tangent (in F80; F80T gets 1.0). */
export const TRIG_TAN = 3;

/**
 * Trigonometric function of x. Returns false when |x| >= 2^63 (C2 set, the
 * operand must stay as it is) or when an unmasked exception suppresses the
 * result.
 */
export function f80Trig(se: number, hi: number, lo: number, fn: number): boolean {
  unpack(UA, se, hi, lo);
  const a = UA;
  if (a.cls >= CLS_QNAN || a.cls === CLS_INF) {
    if (a.cls === CLS_INF) invalid();
    else nanResult(a, null);
    copyPair(fn);
    return true;
  }
  if (a.den) {
    F80.flags |= SW_DE;
    if (unmasked(SW_DE)) return false;
  }
  if (a.cls === CLS_FINITE && a.exp - BIAS >= 63) {
    F80.flags |= SW_C2;
    return false;
  }
  if (a.cls === CLS_ZERO) {
    trigZero(a.sign, fn);
    return true;
  }
  if (a.exp - BIAS < -40) {
    trigTiny(a, fn, se, hi, lo);
    return true;
  }
  // Rounding reuses UA: keep the sign.
  const sign = a.sign;
  const k = reduce(a);
  const rh = DD.hi;
  const rl = DD.lo;
  if (fn === TRIG_COS) cosAt(rh, rl, k);
  else if (fn === TRIG_SIN) sinAt(rh, rl, k, sign);
  else if (fn === TRIG_SINCOS) {
    cosAt(rh, rl, k);
    saveT();
    sinAt(rh, rl, k, sign);
  } else tanAt(rh, rl, k, sign);
  return true;
}

function saveT(): void {
  F80T.se = F80.se;
  F80T.hi = F80.hi;
  F80T.lo = F80.lo;
}

/** A NaN result fills both results of fsincos and fptan. */
function copyPair(fn: number): void {
  if (fn === TRIG_SINCOS || fn === TRIG_TAN) saveT();
}

function setOne(): void {
  F80T.se = BIAS;
  F80T.hi = 0x80000000;
  F80T.lo = 0;
}

function trigZero(sign: number, fn: number): void {
  if (fn === TRIG_COS || fn === TRIG_SINCOS) {
    setResult(BIAS, 0x80000000, 0);
    saveT();
  }
  if (fn !== TRIG_COS) setResult(sign << 15, 0, 0);
  if (fn === TRIG_TAN) setOne();
}

function trigTiny(a: Unpacked, fn: number, se: number, hi: number, lo: number): void {
  if (fn === TRIG_COS || fn === TRIG_SINCOS) {
    roundNudged(0, BIAS, 0x80000000, 0, -1);
    saveT();
  }
  if (fn === TRIG_SIN || fn === TRIG_SINCOS) roundNudged(a.sign, a.exp, a.hi, a.lo, -1);
  if (fn === TRIG_TAN) {
    // The hardware returns a tiny argument itself, inexact, in every mode.
    // A denormal comes back as it is (and underflows), a pseudo-denormal
    // normalized.
    if ((se & 0x7fff) === 0 && hi >>> 0 < 0x80000000) {
      F80.flags |= SW_PE | SW_UE;
      if (unmasked(SW_UE)) setResult((a.sign << 15) | (a.exp + 24576), a.hi, a.lo);
      else setResult(se, hi, lo);
    } else {
      F80.flags |= SW_PE;
      setResult((a.sign << 15) | a.exp, a.hi, a.lo);
    }
    setOne();
  }
}

// pi/2 rounded to 66 bits, in units of 2^-65: 0x3_243F6A88_85A308D3.
const P2 = 3;
const P1 = 0x243f6a88;
const P0 = 0x85a308d3;

/**
 * Reduces |x| modulo the 66-bit pi/2 to r in [-pi/4, pi/4] (exactly, into
 * DD, with x's sign dropped) and returns the quadrant k mod 4.
 */
function reduce(a: Unpacked): number {
  const ue = a.exp - BIAS;
  if (ue < -1) {
    valueDD(a);
    DD.hi = Math.abs(DD.hi);
    DD.lo = a.sign ? -DD.lo : DD.lo;
    return 0;
  }
  // Long division of X = sig * 2^(ue + 2) by P, one bit at a time.
  const bits = 64 + ue + 2;
  let r2 = 0;
  let r1 = 0;
  let r0 = 0;
  let q = 0;
  for (let j = 0; j < bits; j++) {
    const bit = j < 32 ? (a.hi >>> (31 - j)) & 1 : j < 64 ? (a.lo >>> (63 - j)) & 1 : 0;
    r2 = ((r2 << 1) | (r1 >>> 31)) >>> 0;
    r1 = ((r1 << 1) | (r0 >>> 31)) >>> 0;
    r0 = ((r0 << 1) | bit) >>> 0;
    q = (q << 1) & 3;
    if (r2 > P2 || (r2 === P2 && (r1 > P1 || (r1 === P1 && r0 >= P0)))) {
      let t = r0 - P0;
      let borrow = t < 0 ? 1 : 0;
      r0 = t >>> 0;
      t = r1 - P1 - borrow;
      borrow = t < 0 ? 1 : 0;
      r1 = t >>> 0;
      r2 = r2 - P2 - borrow;
      q |= 1;
    }
  }
  // Round the quotient to nearest: when 2R > P use R - P instead.
  const h2 = ((r2 << 1) | (r1 >>> 31)) >>> 0;
  const h1 = ((r1 << 1) | (r0 >>> 31)) >>> 0;
  const h0 = (r0 << 1) >>> 0;
  let neg = false;
  if (h2 > P2 || (h2 === P2 && (h1 > P1 || (h1 === P1 && h0 > P0)))) {
    let t = P0 - r0;
    let borrow = t < 0 ? 1 : 0;
    r0 = t >>> 0;
    t = P1 - r1 - borrow;
    borrow = t < 0 ? 1 : 0;
    r1 = t >>> 0;
    r2 = P2 - r2 - borrow;
    q = (q + 1) & 3;
    neg = true;
  }
  const big = (r2 * 4294967296 + r1) * 4294967296;
  const sh = big + r0;
  const sl = r0 - (sh - big);
  const s = (neg ? -1 : 1) * 2 ** -65;
  ddAdd(sh * s, sl * s, 0, 0);
  return q;
}

/** Sine of (k pi/2 + r), negated when `neg`. */
function sinAt(rh: number, rl: number, k: number, neg: number): void {
  if (k & 1) cosDD(rh, rl);
  else sinDD(rh, rl);
  const flip = ((k >> 1) & 1) ^ neg;
  finishDD(flip ? -DD.hi : DD.hi, flip ? -DD.lo : DD.lo, 0);
}

/** Cosine of (k pi/2 + r). */
function cosAt(rh: number, rl: number, k: number): void {
  if (k & 1) sinDD(rh, rl);
  else cosDD(rh, rl);
  const flip = ((k + 1) >> 1) & 1;
  finishDD(flip ? -DD.hi : DD.hi, flip ? -DD.lo : DD.lo, 0);
}

function tanAt(rh: number, rl: number, k: number, neg: number): void {
  sinDD(rh, rl);
  const sh = DD.hi;
  const sl = DD.lo;
  cosDD(rh, rl);
  if (k & 1) ddDiv(-DD.hi, -DD.lo, sh, sl);
  else ddDiv(sh, sl, DD.hi, DD.lo);
  finishDD(neg ? -DD.hi : DD.hi, neg ? -DD.lo : DD.lo, 0);
  setOne();
}
