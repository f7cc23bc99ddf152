/**
 * Float64 arithmetic with MXCSR semantics, on bit patterns held as two int32
 * halves. Each operation returns the low half of its result and leaves the
 * high half in fpOut.hi; it adds the exception flags it raises to
 * fpOut.flags. Operands never pass through a JS number while they may be
 * NaNs, so payloads and the SNaN/QNaN distinction survive.
 */
import { MX_DAZ, MX_DE, MX_IE, MX_PE, MX_RC } from './mxcsr.ts';
import { f64FromBits, f64ToBits, fpOut } from './float-bits.ts';
import { FLOAT64 } from './float-round.ts';
import { arith, beginLane, endLane, OP_ADD, OP_MUL, OP_SQRT, OP_SUB } from './float-arith.ts';

/** High half of the default NaN ("real indefinite"): negative, quiet, payload 0. */
export const F64_DEFAULT_NAN_HI = 0xfff80000 | 0;

const FAST_LOW = 2 ** -900;
const FAST_HIGH = 2 ** 900;
const MIN_NORMAL = 2 ** -1022;
const SPLIT = 134217729;

/** Whether hi:lo is a NaN. */
export function f64IsNaN(lo: number, hi: number): boolean {
  const h = hi & 0x7fffffff;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
}

/** Whether hi:lo is a signalling NaN. */
export function f64IsSNaN(lo: number, hi: number): boolean {
  return f64IsNaN(lo, hi) && (hi & 0x80000) === 0;
}

/** Whether hi:lo is a denormal (nonzero with a zero exponent field). */
export function f64IsDenormal(lo: number, hi: number): boolean {
  return (hi & 0x7ff00000) === 0 && ((hi & 0xfffff) | lo) !== 0;
}

/**
 * The value of a non-NaN operand, applying DAZ (a denormal reads as a zero
 * of its sign) or else raising DE for a denormal.
 */
export function f64Operand(lo: number, hi: number, mxcsr: number): number {
  if (f64IsDenormal(lo, hi)) {
    if (mxcsr & MX_DAZ) return hi < 0 ? -0 : 0;
    fpOut.flags |= MX_DE;
  }
  return f64FromBits(lo, hi);
}

/** Quiets a NaN: returns its low half, the high half (quiet bit set) in fpOut.hi. */
function quiet(lo: number, hi: number): number {
  fpOut.hi = hi | 0x80000;
  return lo;
}

/** Result bits of a value from `arith`, NaN meaning the default NaN. */
function pack(v: number): number {
  if (v !== v) {
    fpOut.hi = F64_DEFAULT_NAN_HI;
    return 0;
  }
  return f64ToBits(v);
}

function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * The common case without the general machinery: round to nearest, normal
 * operands of moderate size, a normal result. Returns the low result half,
 * or undefined when the case is not that simple.
 */
function fast(op: number, a: number, b: number): number | undefined {
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (!(aa >= FAST_LOW && aa <= FAST_HIGH && ab >= FAST_LOW && ab <= FAST_HIGH)) return undefined;
  let r: number;
  let err: number;
  if (op === OP_ADD || op === OP_SUB) {
    if (op === OP_SUB) b = -b;
    r = a + b;
    if (r !== 0 && Math.abs(r) < MIN_NORMAL) return undefined;
    const bb = r - a;
    err = a - (r - bb) + (b - bb);
  } else if (op === OP_MUL) {
    r = a * b;
    const ar = Math.abs(r);
    if (!(ar >= FAST_LOW && ar <= FAST_HIGH)) return undefined;
    err = productError(a, b, r);
  } else {
    r = a / b;
    const ar = Math.abs(r);
    if (!(ar >= FAST_LOW && ar <= FAST_HIGH)) return undefined;
    const p = r * b;
    err = a - p - productError(r, b, p);
  }
  if (err !== 0) fpOut.flags |= MX_PE;
  return f64ToBits(r);
}

/**
 * a OP b for OP_ADD, OP_SUB, OP_MUL or OP_DIV (from float-arith.ts), as the
 * scalar SSE2 instruction computes it: NaN operands propagate (the first
 * one if both are NaNs), quieted, with IE for an SNaN.
 */
export function f64Binary(
  op: number,
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
  mxcsr: number,
): number {
  const aNaN = f64IsNaN(aLo, aHi);
  const bNaN = f64IsNaN(bLo, bHi);
  if (aNaN || bNaN) {
    if (f64IsSNaN(aLo, aHi) || f64IsSNaN(bLo, bHi)) fpOut.flags |= MX_IE;
    return aNaN ? quiet(aLo, aHi) : quiet(bLo, bHi);
  }
  if ((mxcsr & MX_RC) === 0) {
    const r = fast(op, f64FromBits(aLo, aHi), f64FromBits(bLo, bHi));
    if (r !== undefined) return r;
  }
  const before = beginLane();
  const a = f64Operand(aLo, aHi, mxcsr);
  const b = f64Operand(bLo, bHi, mxcsr);
  const r = pack(arith(op, a, b, FLOAT64, mxcsr));
  endLane(before);
  return r;
}

/** Square root of hi:lo, as sqrtsd computes it. */
export function f64Sqrt(lo: number, hi: number, mxcsr: number): number {
  if (f64IsNaN(lo, hi)) {
    if (f64IsSNaN(lo, hi)) fpOut.flags |= MX_IE;
    return quiet(lo, hi);
  }
  const before = beginLane();
  const r = pack(arith(OP_SQRT, f64Operand(lo, hi, mxcsr), 0, FLOAT64, mxcsr));
  endLane(before);
  return r;
}
