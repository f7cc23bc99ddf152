/**
 * The non-IEEE x87 operations on extended values: partial remainders
 * (fprem, fprem1), fscale and fxtract. Results land in {@link F80}; fxtract's
 * second result lands in {@link F80B}.
 */
import {
  BIAS,
  CLS_FINITE,
  CLS_INF,
  CLS_QNAN,
  CLS_ZERO,
  EMAX_EXT,
  F80,
  PC_64,
  SW_C0,
  SW_C1,
  SW_C2,
  SW_C3,
  SW_DE,
  SW_ZE,
  UA,
  UB,
  invalid,
  nanResult,
  roundPack,
  setResult,
  unmasked,
  unpack,
} from './float80.ts';
import type { Unpacked } from './float80.ts';
import { DIVR, divLoop } from './f80-divide.ts';
import { f80FromInt } from './f80-convert.ts';

/** Second result register, for operations that produce two values. */
export const F80B = { se: 0, hi: 0, lo: 0 };

function prepare2(ase: number, ahi: number, alo: number, bse: number, bhi: number, blo: number) {
  unpack(UA, ase, ahi, alo);
  unpack(UB, bse, bhi, blo);
  if (UA.cls >= CLS_QNAN || UB.cls >= CLS_QNAN) {
    nanResult(UA, UB);
    return false;
  }
  return true;
}

function denormalCheck(a: Unpacked, b: Unpacked): boolean {
  if (a.den | b.den) {
    F80.flags |= SW_DE;
    if (unmasked(SW_DE)) return false;
  }
  return true;
}

/**
 * Partial remainder of a by b: truncating quotient (fprem) or nearest
 * (fprem1, `nearest`). Sets C2 when the reduction is incomplete, otherwise
 * C0, C3 and C1 to quotient bits 2, 1 and 0.
 */
export function f80Prem(
  ase: number,
  ahi: number,
  alo: number,
  bse: number,
  bhi: number,
  blo: number,
  nearest: boolean,
): void {
  if (!prepare2(ase, ahi, alo, bse, bhi, blo)) return;
  const a = UA;
  const b = UB;
  if (a.cls === CLS_INF || b.cls === CLS_ZERO) {
    invalid();
    return;
  }
  if (!denormalCheck(a, b)) return;
  if (a.cls === CLS_ZERO || b.cls === CLS_INF) {
    if (a.cls === CLS_ZERO) setResult(a.sign << 15, 0, 0);
    else roundPack(a.sign, a.exp, a.hi, a.lo, 0, PC_64, EMAX_EXT);
    return;
  }
  let d = a.exp - b.exp;
  let eb = b.exp;
  let sign = a.sign;
  if (d < 0) {
    // |a| < |b|: the quotient is 0, or 1 for fprem1 when |a| > |b| / 2.
    if (nearest && d === -1 && (a.hi > b.hi || (a.hi === b.hi && a.lo > b.lo))) {
      subtractScaled(b, a);
      F80.flags |= SW_C1;
      return;
    }
    roundPack(a.sign, a.exp, a.hi, a.lo, 0, PC_64, EMAX_EXT);
    return;
  }
  let partial = false;
  if (d >= 64) {
    const n = 32 + (d % 32);
    eb += d - n;
    d = n;
    partial = true;
  }
  divLoop(0, a.hi, a.lo, b.hi, b.lo, d + 1);
  let q = DIVR[2] & 7;
  let rh = DIVR[3];
  let rl = DIVR[4];
  if (nearest && !partial) {
    // Compare 2 * rem with b.
    const top = rh >>> 31;
    const h2 = ((rh << 1) | (rl >>> 31)) >>> 0;
    const l2 = (rl << 1) >>> 0;
    const gt = top === 1 || h2 > b.hi || (h2 === b.hi && l2 > b.lo);
    const eq = top === 0 && h2 === b.hi && l2 === b.lo;
    if (gt || (eq && (q & 1) === 1)) {
      q = (q + 1) & 7;
      let t = b.lo - rl;
      const borrow = t < 0 ? 1 : 0;
      rl = t >>> 0;
      t = b.hi - rh - borrow;
      rh = t >>> 0;
      sign ^= 1;
    }
  }
  packRemainder(sign, eb, rh, rl, a.sign);
  if (partial) F80.flags |= SW_C2;
  else {
    if (q & 4) F80.flags |= SW_C0;
    if (q & 2) F80.flags |= SW_C3;
    if (q & 1) F80.flags |= SW_C1;
  }
}

/** Result b - a for |b|/2 < |a| < |b| (fprem1 with quotient 1). */
function subtractScaled(b: Unpacked, a: Unpacked): void {
  // a's scale is half of b's: b - a = (2B - A) * 2^(ea - bias - 63).
  const bh2 = ((b.hi << 1) | (b.lo >>> 31)) >>> 0;
  const bl2 = (b.lo << 1) >>> 0;
  let t = bl2 - a.lo;
  const borrow = t < 0 ? 1 : 0;
  const rl = t >>> 0;
  t = bh2 - a.hi - borrow;
  // 2B - A < 2^64 here because B < A * 2 and bit 64 of 2B cancels.
  packRemainder(a.sign ^ 1, a.exp, t >>> 0, rl, a.sign);
}

/** Packs an exact remainder rh:rl weighted at exponent `exp`. */
function packRemainder(sign: number, exp: number, rh: number, rl: number, zeroSign: number): void {
  if ((rh | rl) === 0) {
    setResult(zeroSign << 15, 0, 0);
    return;
  }
  if (rh === 0) {
    rh = rl;
    rl = 0;
    exp -= 32;
  }
  const n = Math.clz32(rh);
  if (n > 0) {
    rh = ((rh << n) | (rl >>> (32 - n))) >>> 0;
    rl = (rl << n) >>> 0;
  }
  roundPack(sign, exp - n, rh, rl, 0, PC_64, EMAX_EXT);
}

/** a * 2^trunc(b) (fscale). */
export function f80Scale(
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
  if (!denormalCheck(a, b)) return;
  if (b.cls === CLS_INF) {
    if (b.sign === 0) {
      if (a.cls === CLS_ZERO) invalid();
      else setResult((a.sign << 15) | 0x7fff, 0x80000000, 0);
    } else if (a.cls === CLS_INF) invalid();
    else setResult(a.sign << 15, 0, 0);
    return;
  }
  if (a.cls !== CLS_FINITE) {
    setResult(ase, ahi, alo);
    return;
  }
  let n = 0;
  if (b.cls === CLS_FINITE) {
    const ue = b.exp - BIAS;
    if (ue >= 16) n = 100000;
    else if (ue >= 0) n = b.hi >>> (31 - ue);
    if (b.sign) n = -n;
  }
  roundPack(a.sign, a.exp + n, a.hi, a.lo, 0, PC_64, EMAX_EXT);
}

/**
 * Splits a into exponent (F80B, a true value) and significand (F80, with
 * a's sign and an exponent of zero).
 */
export function f80Xtract(ase: number, ahi: number, alo: number): void {
  unpack(UA, ase, ahi, alo);
  const a = UA;
  if (a.cls >= CLS_QNAN) {
    nanResult(a, null);
    copyToB();
    return;
  }
  if (a.cls === CLS_ZERO) {
    F80.flags |= SW_ZE;
    if (unmasked(SW_ZE)) return;
    F80B.se = 0xffff;
    F80B.hi = 0x80000000;
    F80B.lo = 0;
    setResult(a.sign << 15, 0, 0);
    return;
  }
  if (a.cls === CLS_INF) {
    F80B.se = 0x7fff;
    F80B.hi = 0x80000000;
    F80B.lo = 0;
    setResult(ase, ahi, alo);
    return;
  }
  if (a.den) {
    F80.flags |= SW_DE;
    if (unmasked(SW_DE)) return;
  }
  const ue = a.exp - BIAS;
  f80FromInt(ue, ue < 0 ? -1 : 0);
  copyToB();
  setResult((a.sign << 15) | BIAS, a.hi, a.lo);
}

function copyToB(): void {
  F80B.se = F80.se;
  F80B.hi = F80.hi;
  F80B.lo = F80.lo;
}
