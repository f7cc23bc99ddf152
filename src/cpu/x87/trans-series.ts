/**
 * Double-double kernels of the transcendentals on reduced arguments: sine
 * and cosine on [-pi/4, pi/4], arctangent on [0, 1], atanh on small
 * arguments and expm1 on [-1, 1]. Each is a Horner evaluation of a Taylor
 * series carried far enough for about 100 correct bits; results land in DD.
 */
import { DD, ddAdd, ddDiv, ddDivInt, ddMul } from './double-double.ts';

/** pi as a double-double. */
export const PI_HI = 3.141592653589793;
/** Low part of pi. */
export const PI_LO = 1.2246467991473532e-16;
/** ln 2 as a double-double. */
export const LN2_HI = 0.6931471805599453;
/** Low part of ln 2. */
export const LN2_LO = 2.3190468138462996e-17;
/** log2(e) = 1 / ln 2 as a double-double. */
export const LOG2E_HI = 1.4426950408889634;
/** Low part of log2(e). */
export const LOG2E_LO = 2.0355273740931033e-17;

/** sin(r) for |r| <= pi/4 given as rh + rl. */
export function sinDD(rh: number, rl: number): void {
  ddMul(rh, rl, rh, rl);
  const qh = DD.hi;
  const ql = DD.lo;
  let th = 1;
  let tl = 0;
  for (let n = 14; n >= 1; n--) {
    ddMul(th, tl, qh, ql);
    ddDivInt(DD.hi, DD.lo, 2 * n * (2 * n + 1));
    ddAdd(1, 0, -DD.hi, -DD.lo);
    th = DD.hi;
    tl = DD.lo;
  }
  ddMul(th, tl, rh, rl);
}

/** cos(r) for |r| <= pi/4 given as rh + rl. */
export function cosDD(rh: number, rl: number): void {
  ddMul(rh, rl, rh, rl);
  const qh = DD.hi;
  const ql = DD.lo;
  let th = 1;
  let tl = 0;
  for (let n = 14; n >= 1; n--) {
    ddMul(th, tl, qh, ql);
    ddDivInt(DD.hi, DD.lo, (2 * n - 1) * 2 * n);
    ddAdd(1, 0, -DD.hi, -DD.lo);
    th = DD.hi;
    tl = DD.lo;
  }
}

/** atan(u) by its series, `terms` terms: for |u| well below 1. */
function atanSeries(uh: number, ul: number, terms: number): void {
  ddMul(uh, ul, uh, ul);
  const qh = DD.hi;
  const ql = DD.lo;
  ddDivInt(1, 0, 2 * terms + 1);
  let sh = DD.hi;
  let sl = DD.lo;
  for (let n = terms - 1; n >= 0; n--) {
    ddMul(sh, sl, qh, ql);
    const ph = DD.hi;
    const pl = DD.lo;
    ddDivInt(1, 0, 2 * n + 1);
    ddAdd(DD.hi, DD.lo, -ph, -pl);
    sh = DD.hi;
    sl = DD.lo;
  }
  ddMul(sh, sl, uh, ul);
}

// atan(j / 8) for j = 0..8, computed once by the slow series.
const ATAN_HI = new Float64Array(9);
const ATAN_LO = new Float64Array(9);
for (let j = 0; j <= 8; j++) {
  const c = j / 8;
  if (c <= 0.375) atanSeries(c, 0, 60);
  else {
    // atan(c) = pi/4 + atan((c - 1) / (c + 1)).
    ddDiv(c - 1, 0, c + 1, 0);
    atanSeries(DD.hi, DD.lo, 60);
    ddAdd(PI_HI / 4, PI_LO / 4, DD.hi, DD.lo);
  }
  ATAN_HI[j] = DD.hi;
  ATAN_LO[j] = DD.lo;
}

/** atan(t) for 0 <= t <= 1 given as th + tl. */
export function atanDD(th: number, tl: number): void {
  const j = Math.round(th * 8);
  const c = j / 8;
  // u = (t - c) / (1 + t c), then atan(t) = atan(c) + atan(u).
  ddAdd(th, tl, -c, 0);
  const nh = DD.hi;
  const nl = DD.lo;
  ddMul(th, tl, c, 0);
  ddAdd(1, 0, DD.hi, DD.lo);
  ddDiv(nh, nl, DD.hi, DD.lo);
  atanSeries(DD.hi, DD.lo, 14);
  ddAdd(ATAN_HI[j], ATAN_LO[j], DD.hi, DD.lo);
}

/** 2 atanh(s) = ln((1 + s) / (1 - s)) for |s| <= 1/3. */
export function lnRatioDD(sh: number, sl: number): void {
  ddMul(sh, sl, sh, sl);
  const qh = DD.hi;
  const ql = DD.lo;
  const terms = Math.abs(sh) < 0.18 ? 22 : 36;
  ddDivInt(1, 0, 2 * terms + 1);
  let th = DD.hi;
  let tl = DD.lo;
  for (let n = terms - 1; n >= 0; n--) {
    ddMul(th, tl, qh, ql);
    const ph = DD.hi;
    const pl = DD.lo;
    ddDivInt(1, 0, 2 * n + 1);
    ddAdd(DD.hi, DD.lo, ph, pl);
    th = DD.hi;
    tl = DD.lo;
  }
  ddMul(th, tl, 2 * sh, 2 * sl);
}

/** e^t - 1 for |t| <= 1 given as th + tl. */
export function expm1DD(th: number, tl: number): void {
  let sh = 1;
  let sl = 0;
  for (let n = 27; n >= 2; n--) {
    ddMul(sh, sl, th, tl);
    ddDivInt(DD.hi, DD.lo, n);
    ddAdd(1, 0, DD.hi, DD.lo);
    sh = DD.hi;
    sl = DD.lo;
  }
  ddMul(sh, sl, th, tl);
}
