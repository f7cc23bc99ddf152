/**
 * The IEEE addition, subtraction and multiplication of the extended format,
 * rounded under the precision and rounding control of {@link F80.cw}. Each
 * operation takes its operands as (se, hi, lo) triples and leaves its result
 * in {@link F80}. Division and square root are in f80-divide.ts.
 */
import {
  CLS_FINITE,
  CLS_INF,
  CLS_QNAN,
  CLS_ZERO,
  EMAX_EXT,
  F80,
  SW_DE,
  UA,
  UB,
  BIAS,
  exactZeroSign,
  invalid,
  nanResult,
  precision,
  roundPack,
  setResult,
  unmasked,
  unpack,
} from './float80.ts';
import type { Unpacked } from './float80.ts';

const TWO32 = 4294967296;

/**
 * Takes both operands apart and settles NaNs, unsupported encodings and
 * denormal operands. Returns false when the result is already decided
 * (written, or suppressed by an unmasked exception).
 */
function prepare2(ase: number, ahi: number, alo: number, bse: number, bhi: number, blo: number) {
  unpack(UA, ase, ahi, alo);
  unpack(UB, bse, bhi, blo);
  if (UA.cls >= CLS_QNAN || UB.cls >= CLS_QNAN) {
    nanResult(UA, UB);
    return false;
  }
  if (UA.den | UB.den) {
    F80.flags |= SW_DE;
    if (unmasked(SW_DE)) return false;
  }
  return true;
}

/** Rounds a finite unpacked value (exact) under the precision control. */
function roundUnpacked(u: Unpacked): void {
  roundPack(u.sign, u.exp, u.hi, u.lo, 0, precision(), EMAX_EXT);
}

/** a + b, or a - b when `negB` is 1. */
export function f80Add(
  ase: number,
  ahi: number,
  alo: number,
  bse: number,
  bhi: number,
  blo: number,
  negB: number,
): void {
  if (!prepare2(ase, ahi, alo, bse, bhi, blo)) return;
  UB.sign ^= negB;
  const a = UA;
  const b = UB;
  if (a.cls === CLS_INF || b.cls === CLS_INF) {
    if (a.cls === CLS_INF && b.cls === CLS_INF && a.sign !== b.sign) invalid();
    else setResult(((a.cls === CLS_INF ? a.sign : b.sign) << 15) | 0x7fff, 0x80000000, 0);
    return;
  }
  if (a.cls === CLS_ZERO || b.cls === CLS_ZERO) {
    if (a.cls === CLS_FINITE) roundUnpacked(a);
    else if (b.cls === CLS_FINITE) roundUnpacked(b);
    else setResult(a.sign === b.sign ? a.sign << 15 : exactZeroSign(), 0, 0);
    return;
  }
  addFinite(a, b, precision());
}

/**
 * Adds two finite non-zero unpacked values exactly and rounds the sum at
 * precision `pc`. Exponents may lie outside the format's range: rounding
 * then applies the overflow and underflow rules.
 */
export function addFinite(a: Unpacked, b: Unpacked, pc: number): void {
  // Order by magnitude so that x is the larger.
  let x = a;
  let y = b;
  if (b.exp > a.exp || (b.exp === a.exp && (b.hi > a.hi || (b.hi === a.hi && b.lo > a.lo)))) {
    x = b;
    y = a;
  }
  const d = x.exp - y.exp;
  // Align y: (y0, y1, y2) with lost bits folded into bit 0 of y2.
  let y0 = y.hi;
  let y1 = y.lo;
  let y2 = 0;
  if (d >= 96) {
    y0 = 0;
    y1 = 0;
    y2 = 1;
  } else if (d > 0) {
    let n = d;
    let sticky = 0;
    while (n >= 32) {
      sticky |= y2;
      y2 = y1;
      y1 = y0;
      y0 = 0;
      n -= 32;
    }
    if (n > 0) {
      sticky |= y2 << (32 - n);
      y2 = ((y2 >>> n) | (y1 << (32 - n))) >>> 0;
      y1 = ((y1 >>> n) | (y0 << (32 - n))) >>> 0;
      y0 = y0 >>> n;
    }
    if (sticky !== 0) y2 = (y2 | 1) >>> 0;
  }
  let exp = x.exp;
  let z0: number;
  let z1: number;
  let z2: number;
  if (x.sign === y.sign) {
    z2 = y2;
    let t = x.lo + y1;
    z1 = t >>> 0;
    t = x.hi + y0 + (t >= TWO32 ? 1 : 0);
    if (t >= TWO32) {
      // Carry out: shift right one, keeping the lost bit sticky.
      z2 = ((z2 >>> 1) | ((z1 & 1) << 31) | (z2 & 1)) >>> 0;
      z1 = ((z1 >>> 1) | ((t & 1) << 31)) >>> 0;
      z0 = 0x80000000 | ((t - TWO32) >>> 1);
      exp += 1;
    } else z0 = t;
  } else {
    let t = 0 - y2;
    z2 = t >>> 0;
    let borrow = t < 0 ? 1 : 0;
    t = x.lo - y1 - borrow;
    z1 = t >>> 0;
    borrow = t < 0 ? 1 : 0;
    z0 = (x.hi - y0 - borrow) >>> 0;
    if ((z0 | z1 | z2) === 0) {
      setResult(exactZeroSign(), 0, 0);
      return;
    }
    // Normalize left.
    while (z0 === 0) {
      z0 = z1;
      z1 = z2;
      z2 = 0;
      exp -= 32;
    }
    const n = Math.clz32(z0);
    if (n > 0) {
      z0 = ((z0 << n) | (z1 >>> (32 - n))) >>> 0;
      z1 = ((z1 << n) | (z2 >>> (32 - n))) >>> 0;
      z2 = (z2 << n) >>> 0;
      exp -= n;
    }
  }
  roundPack(x.sign, exp, z0, z1, z2, pc, EMAX_EXT);
}

/** a * b. */
export function f80Mul(
  ase: number,
  ahi: number,
  alo: number,
  bse: number,
  bhi: number,
  blo: number,
): void {
  if (!prepare2(ase, ahi, alo, bse, bhi, blo)) return;
  const a = UA;
  const b = UB;
  const sign = a.sign ^ b.sign;
  if (a.cls === CLS_INF || b.cls === CLS_INF) {
    if (a.cls === CLS_ZERO || b.cls === CLS_ZERO) invalid();
    else setResult((sign << 15) | 0x7fff, 0x80000000, 0);
    return;
  }
  if (a.cls === CLS_ZERO || b.cls === CLS_ZERO) {
    setResult(sign << 15, 0, 0);
    return;
  }
  mul64(a.hi, a.lo, b.hi, b.lo);
  let exp = a.exp + b.exp - BIAS + 1;
  let w0 = PROD[0];
  let w1 = PROD[1];
  let w2 = PROD[2];
  if (w0 < 0x80000000) {
    w0 = ((w0 << 1) | (w1 >>> 31)) >>> 0;
    w1 = ((w1 << 1) | (w2 >>> 31)) >>> 0;
    w2 = ((w2 << 1) | (PROD[3] >>> 31)) >>> 0;
    exp -= 1;
  }
  if (PROD[3] !== 0) w2 = (w2 | 1) >>> 0;
  roundPack(sign, exp, w0, w1, w2, precision(), EMAX_EXT);
}

/** Words of the last 128-bit product {@link mul64}, most significant first. */
export const PROD = new Float64Array(4);

// Halves of the last 32x32-bit product (high, low). Typed arrays keep
// these large values unboxed.
const M = new Float64Array(2);

/** M[0]:M[1] = a * b for unsigned 32-bit a and b, exactly. */
function mul32(a: number, b: number): void {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const cross = a1 * b0 + a0 * b1;
  const crossLo = cross % 65536;
  const t = a0 * b0 + crossLo * 65536;
  const carry = t >= TWO32 ? 1 : 0;
  M[1] = t - carry * TWO32;
  M[0] = a1 * b1 + (cross - crossLo) / 65536 + carry;
}

/** Full 64x64-bit product of (ah:al) and (bh:bl) into PROD[0]..PROD[3]. */
export function mul64(ah: number, al: number, bh: number, bl: number): void {
  ah >>>= 0;
  al >>>= 0;
  bh >>>= 0;
  bl >>>= 0;
  mul32(al, bl);
  PROD[3] = M[1];
  let w1 = M[0];
  mul32(al, bh);
  w1 += M[1];
  let w2 = M[0];
  mul32(ah, bl);
  w1 += M[1];
  w2 += M[0];
  mul32(ah, bh);
  w2 += M[1];
  let w3 = M[0];
  // Propagate carries: each word sum stays below 2^35, exact in doubles.
  let c = Math.floor(w1 / TWO32);
  PROD[2] = w1 - c * TWO32;
  w2 += c;
  c = Math.floor(w2 / TWO32);
  PROD[1] = w2 - c * TWO32;
  w3 += c;
  PROD[0] = w3 >>> 0;
}
