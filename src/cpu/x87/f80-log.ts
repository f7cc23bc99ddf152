/**
 * The x87 logarithmic and exponential instructions on extended values:
 * fpatan, f2xm1, fyl2x and fyl2xp1. Special operands (and arguments outside
 * the documented domains) follow what the hardware does; finite results
 * come from double-double kernels rounded once to 64 bits.
 */
import {
  BIAS,
  CLS_FINITE,
  CLS_INF,
  CLS_QNAN,
  CLS_ZERO,
  F80,
  SW_DE,
  SW_PE,
  SW_ZE,
  UA,
  UB,
  invalid,
  nanResult,
  setResult,
  unmasked,
  unpack,
} from './float80.ts';
import type { Unpacked } from './float80.ts';
import { DD, ddAdd, ddDiv, ddMul } from './double-double.ts';
import { alwaysInexact, finishDD, pow2, sigDD } from './f80-dd.ts';
import {
  LN2_HI,
  LN2_LO,
  LOG2E_HI,
  LOG2E_LO,
  PI_HI,
  PI_LO,
  atanDD,
  expm1DD,
  lnRatioDD,
} from './trans-series.ts';

/** fpatan: atan2(y, x) where y = ST(1) and x = ST(0). */
export function f80Patan(
  yse: number,
  yhi: number,
  ylo: number,
  xse: number,
  xhi: number,
  xlo: number,
): void {
  unpack(UA, yse, yhi, ylo);
  unpack(UB, xse, xhi, xlo);
  const y = UA;
  const x = UB;
  if (y.cls >= CLS_QNAN || x.cls >= CLS_QNAN) {
    nanResult(x, y);
    return;
  }
  if (y.den | x.den) {
    F80.flags |= SW_DE;
    if (unmasked(SW_DE)) return;
  }
  if (y.cls !== CLS_FINITE || x.cls !== CLS_FINITE) {
    patanSpecial(y, x);
    return;
  }
  const swap =
    y.exp > x.exp || (y.exp === x.exp && (y.hi > x.hi || (y.hi === x.hi && y.lo > x.lo)));
  const small = swap ? x : y;
  const large = swap ? y : x;
  const te = small.exp - large.exp;
  sigDD(small);
  const nh = DD.hi;
  const nl = DD.lo;
  sigDD(large);
  ddDiv(nh, nl, DD.hi, DD.lo);
  if (te < -60 && !swap && x.sign === 0) {
    // atan(t) = t (1 - t^2 / 3 ...): t alone is within the last place, and
    // may lie far below the range of doubles.
    // The sliver taken off keeps the rounding on the right side of t.
    const h = DD.hi;
    const l = DD.lo - DD.hi * 2 ** -100;
    finishDD(y.sign ? -h : h, y.sign ? -l : l, te);
    alwaysInexact();
    return;
  }
  const s = pow2(te);
  atanDD(DD.hi * s, DD.lo * s);
  let ah = DD.hi;
  let al = DD.lo;
  if (swap) {
    ddAdd(PI_HI / 2, PI_LO / 2, -ah, -al);
    ah = DD.hi;
    al = DD.lo;
  }
  if (x.sign) {
    ddAdd(PI_HI, PI_LO, -ah, -al);
    ah = DD.hi;
    al = DD.lo;
  }
  finishDD(y.sign ? -ah : ah, y.sign ? -al : al, 0);
  alwaysInexact();
}

function patanSpecial(y: Unpacked, x: Unpacked): void {
  // Multiples of pi/4 by quadrant, rounded like any other result.
  let q: number;
  if (y.cls === CLS_ZERO) q = x.sign ? 4 : 0;
  else if (y.cls === CLS_INF) q = x.cls === CLS_INF ? (x.sign ? 3 : 1) : 2;
  else if (x.cls === CLS_ZERO) q = 2;
  else q = x.sign ? 4 : 0;
  if (q === 0) {
    setResult(y.sign << 15, 0, 0);
    return;
  }
  ddMul(PI_HI, PI_LO, q / 4, 0);
  finishDD(y.sign ? -DD.hi : DD.hi, y.sign ? -DD.lo : DD.lo, 0);
}

/** f2xm1: 2^x - 1. */
export function f80F2xm1(se: number, hi: number, lo: number): void {
  unpack(UA, se, hi, lo);
  const a = UA;
  if (a.cls >= CLS_QNAN) {
    nanResult(a, null);
    return;
  }
  if (a.cls === CLS_ZERO) {
    setResult(se, 0, 0);
    return;
  }
  if (a.cls === CLS_INF) {
    if (a.sign) setResult(0xbfff, 0x80000000, 0);
    else setResult(0x7fff, 0x80000000, 0);
    return;
  }
  if (a.den) {
    F80.flags |= SW_DE;
    if (unmasked(SW_DE)) return;
  }
  const ue = a.exp - BIAS;
  if (ue >= 0 && (a.hi !== 0x80000000 || a.lo !== 0 || ue > 0)) {
    // Outside [-1, 1] the hardware hands the operand back, inexact.
    F80.flags |= SW_PE;
    setResult(se, hi, lo);
    return;
  }
  sigDD(a);
  if (a.sign) {
    DD.hi = -DD.hi;
    DD.lo = -DD.lo;
  }
  if (ue < -60) {
    // 2^x - 1 = x ln2 (1 + x ln2 / 2) for tiny x, kept scaled by 2^ue.
    const xh = DD.hi;
    const xl = DD.lo;
    const t = xh * pow2(ue) * LN2_HI;
    ddMul(xh, xl, LN2_HI, LN2_LO);
    ddAdd(DD.hi, DD.lo, (DD.hi * t) / 2, 0);
    finishDD(DD.hi, DD.lo, ue);
    alwaysInexact();
    return;
  }
  const s = pow2(ue);
  ddMul(DD.hi * s, DD.lo * s, LN2_HI, LN2_LO);
  expm1DD(DD.hi, DD.lo);
  finishDD(DD.hi, DD.lo, 0);
  alwaysInexact();
}

/**
 * fyl2x (`plus1` false): y * log2(x); fyl2xp1 (`plus1` true):
 * y * log2(1 + x). y is ST(1), x is ST(0).
 */
export function f80Yl2x(
  yse: number,
  yhi: number,
  ylo: number,
  xse: number,
  xhi: number,
  xlo: number,
  plus1: boolean,
): void {
  unpack(UA, yse, yhi, ylo);
  unpack(UB, xse, xhi, xlo);
  const y = UA;
  const x = UB;
  if (y.cls >= CLS_QNAN || x.cls >= CLS_QNAN) {
    nanResult(x, y);
    return;
  }
  // fyl2x settles its special operands before looking for denormals;
  // fyl2xp1 only its invalid one.
  if (plus1 && x.sign === 1 && x.cls === CLS_INF) {
    invalid();
    return;
  }
  if (!plus1 && yl2xSpecial(y, x)) return;
  if (y.den | x.den) {
    F80.flags |= SW_DE;
    if (unmasked(SW_DE)) return;
  }
  if (plus1 && yl2xp1Special(y, x)) return;
  const ey = y.exp - BIAS;
  let eoff = ey;
  if (plus1) log2OnePlus(x);
  else log2Of(x);
  eoff += LOG_EOFF;
  const lh = DD.hi;
  const ll = DD.lo;
  sigDD(y);
  ddMul(DD.hi, DD.lo, lh, ll);
  const sign = y.sign ^ (lh < 0 ? 1 : 0);
  finishDD(y.sign ? -DD.hi : DD.hi, y.sign ? -DD.lo : DD.lo, eoff);
  if ((F80.se & 0x7fff) === 0 && F80.hi === 0 && F80.lo === 0) F80.se = sign << 15;
  else alwaysInexact();
}

/** Exponent offset of the last log2 kernel result (for tiny x in log2OnePlus). */
let LOG_EOFF = 0;

/** DD = log2(x) for finite x > 0. */
function log2Of(x: Unpacked): void {
  sigDD(x);
  log2Scaled(DD.hi, DD.lo, x.exp - BIAS);
}

/** DD = log2((mh + ml) * 2^e) for mh + ml in [1, 2). */
function log2Scaled(mh: number, ml: number, e: number): void {
  LOG_EOFF = 0;
  if (mh > Math.SQRT2) {
    mh /= 2;
    ml /= 2;
    e += 1;
  }
  // ln m = 2 atanh((m - 1) / (m + 1)).
  ddAdd(mh, ml, -1, 0);
  const nh = DD.hi;
  const nl = DD.lo;
  ddAdd(mh, ml, 1, 0);
  ddDiv(nh, nl, DD.hi, DD.lo);
  lnRatioDD(DD.hi, DD.lo);
  ddMul(DD.hi, DD.lo, LOG2E_HI, LOG2E_LO);
  ddAdd(e, 0, DD.hi, DD.lo);
}

/** DD = log2(1 + x) for finite x > -1, times 2^LOG_EOFF. */
function log2OnePlus(x: Unpacked): void {
  const ue = x.exp - BIAS;
  sigDD(x);
  if (x.sign) {
    DD.hi = -DD.hi;
    DD.lo = -DD.lo;
  }
  if (ue < -60) {
    // log2(1 + x) = x log2(e) (1 - x / 2), kept scaled by 2^ue.
    const t = DD.hi * pow2(ue);
    LOG_EOFF = ue;
    ddAdd(DD.hi, DD.lo, (-DD.hi * t) / 2, 0);
    ddMul(DD.hi, DD.lo, LOG2E_HI, LOG2E_LO);
    return;
  }
  if (ue > 105) {
    log2Of(x);
    return;
  }
  LOG_EOFF = 0;
  const s = pow2(ue);
  const xh = DD.hi * s;
  const xl = DD.lo * s;
  if (ue >= -1) {
    // Far from 0, 1 + x is exact as a double-double: take its logarithm.
    ddAdd(1, 0, xh, xl);
    const e = Math.floor(Math.log2(DD.hi));
    const k = pow2(-e);
    let mh = DD.hi * k;
    let ml = DD.lo * k;
    if (mh < 1) {
      mh *= 2;
      ml *= 2;
      log2Scaled(mh, ml, e - 1);
    } else log2Scaled(mh, ml, e);
    return;
  }
  // ln(1 + x) = 2 atanh(x / (2 + x)).
  ddAdd(2, 0, xh, xl);
  ddDiv(xh, xl, DD.hi, DD.lo);
  lnRatioDD(DD.hi, DD.lo);
  ddMul(DD.hi, DD.lo, LOG2E_HI, LOG2E_LO);
}

function setInf(sign: number): void {
  setResult((sign << 15) | 0x7fff, 0x80000000, 0);
}

/** Special operands of fyl2x; returns true when the result is decided. */
function yl2xSpecial(y: Unpacked, x: Unpacked): boolean {
  if (x.sign && x.cls !== CLS_ZERO) {
    invalid();
    return true;
  }
  const isOne = x.cls === CLS_FINITE && x.exp === BIAS && x.hi === 0x80000000 && x.lo === 0;
  const xBelow1 = x.cls === CLS_ZERO || (x.cls === CLS_FINITE && x.exp < BIAS);
  if (x.cls === CLS_ZERO) {
    if (y.cls === CLS_ZERO) invalid();
    else if (y.cls === CLS_INF) setInf(y.sign ^ 1);
    else {
      F80.flags |= SW_ZE;
      if (!unmasked(SW_ZE)) setInf(y.sign ^ 1);
    }
    return true;
  }
  const den = x.den | y.den ? SW_DE : 0;
  if (x.cls === CLS_INF) {
    if (y.cls === CLS_ZERO) invalid();
    else setInf(y.sign);
    F80.flags |= den;
    return true;
  }
  if (y.cls === CLS_INF) {
    if (isOne) invalid();
    else setInf(y.sign ^ (xBelow1 ? 1 : 0));
    F80.flags |= den;
    return true;
  }
  if (y.cls === CLS_ZERO) {
    setResult((y.sign ^ (xBelow1 ? 1 : 0)) << 15, 0, 0);
    F80.flags |= den;
    return true;
  }
  return false;
}

/** Special operands of fyl2xp1; returns true when the result is decided. */
function yl2xp1Special(y: Unpacked, x: Unpacked): boolean {
  if (x.cls === CLS_ZERO) {
    if (y.cls === CLS_INF) invalid();
    else setResult((y.sign ^ x.sign) << 15, 0, 0);
    return true;
  }
  if (x.cls === CLS_INF) {
    if (y.cls === CLS_ZERO) invalid();
    else setInf(y.sign);
    return true;
  }
  if (y.cls === CLS_INF) {
    setInf(y.sign ^ x.sign);
    return true;
  }
  if (y.cls === CLS_ZERO) {
    setResult((y.sign ^ x.sign) << 15, 0, 0);
    return true;
  }
  if (x.sign === 1 && x.exp >= BIAS) {
    // x <= -1: the hardware hands x back, inexact.
    F80.flags |= SW_PE;
    setResult((x.sign << 15) | x.exp, x.hi, x.lo);
    return true;
  }
  return false;
}
