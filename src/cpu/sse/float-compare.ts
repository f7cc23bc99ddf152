/**
 * Ordered and unordered comparisons, compare predicates, and min/max for
 * both float formats, with their MXCSR flags: IE for an SNaN operand (and
 * for a QNaN in the signalling comparisons), DE for a denormal one.
 */
import { MX_DAZ, MX_IE } from './mxcsr.ts';
import { fpOut } from './float-bits.ts';
import { f32IsDenormal, f32IsNaN, f32IsSNaN, f32Operand } from './float32-ops.ts';
import { f64IsDenormal, f64IsNaN, f64IsSNaN, f64Operand } from './float64-ops.ts';

/** Relation returned by the comparisons: first operand less than second. */
export const REL_LESS = 0;
/** Equal (including +0 and -0). */
export const REL_EQUAL = 1;
/** First operand greater. */
export const REL_GREATER = 2;
/** At least one operand is a NaN. */
export const REL_UNORDERED = 3;

/**
 * Relation between float32 patterns a and b. `signalling` makes a QNaN
 * operand raise IE too (comiss, and the LT/LE/NLT/NLE predicates).
 */
export function f32Compare(a: number, b: number, signalling: boolean, mxcsr: number): number {
  if (f32IsNaN(a) || f32IsNaN(b)) {
    if (signalling || f32IsSNaN(a) || f32IsSNaN(b)) fpOut.flags |= MX_IE;
    return REL_UNORDERED;
  }
  return relation(f32Operand(a, mxcsr), f32Operand(b, mxcsr));
}

/** Relation between float64 patterns aHi:aLo and bHi:bLo (see f32Compare). */
export function f64Compare(
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
  signalling: boolean,
  mxcsr: number,
): number {
  if (f64IsNaN(aLo, aHi) || f64IsNaN(bLo, bHi)) {
    if (signalling || f64IsSNaN(aLo, aHi) || f64IsSNaN(bLo, bHi)) fpOut.flags |= MX_IE;
    return REL_UNORDERED;
  }
  return relation(f64Operand(aLo, aHi, mxcsr), f64Operand(bLo, bHi, mxcsr));
}

function relation(a: number, b: number): number {
  return a < b ? REL_LESS : a > b ? REL_GREATER : REL_EQUAL;
}

/** Whether cmpps/cmpss predicate `pred` (0-7) signals on a QNaN operand. */
export function predicateSignals(pred: number): boolean {
  return (pred & 3) === 1 || (pred & 3) === 2;
}

/** Truth of predicate `pred` (EQ LT LE UNORD NEQ NLT NLE ORD) for a relation. */
export function predicateHolds(pred: number, rel: number): boolean {
  let t: boolean;
  switch (pred & 3) {
    case 0:
      t = rel === REL_EQUAL;
      break;
    case 1:
      t = rel === REL_LESS;
      break;
    case 2:
      t = rel === REL_LESS || rel === REL_EQUAL;
      break;
    default:
      t = rel === REL_UNORDERED;
  }
  return pred & 4 ? !t : t;
}

/**
 * minss/maxss: the first operand when it is strictly smaller (larger), else
 * the second, so a NaN in either place or two zeros yield the second
 * operand unchanged. Any NaN raises IE.
 */
export function f32MinMax(a: number, b: number, max: boolean, mxcsr: number): number {
  const rel = f32Compare(a, b, true, mxcsr);
  const r = rel === (max ? REL_GREATER : REL_LESS) ? a : b;
  // Under DAZ the chosen denormal comes out as the zero it was read as.
  return mxcsr & MX_DAZ && f32IsDenormal(r) ? r & 0x80000000 : r;
}

/** minsd/maxsd on aHi:aLo and bHi:bLo: returns the low half, high in fpOut.hi. */
export function f64MinMax(
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
  max: boolean,
  mxcsr: number,
): number {
  const rel = f64Compare(aLo, aHi, bLo, bHi, true, mxcsr);
  const first = rel === (max ? REL_GREATER : REL_LESS);
  const lo = first ? aLo : bLo;
  const hi = first ? aHi : bHi;
  if (mxcsr & MX_DAZ && f64IsDenormal(lo, hi)) {
    fpOut.hi = hi & 0x80000000;
    return 0;
  }
  fpOut.hi = hi;
  return lo;
}
