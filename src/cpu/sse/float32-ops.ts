/**
 * Float32 arithmetic with MXCSR semantics, on int32 bit patterns. Each
 * operation returns the result's bits and adds the exception flags it
 * raises to fpOut.flags. Operands are widened to doubles only once known not
 * to be NaNs, so payloads and the SNaN/QNaN distinction survive.
 */
import { MX_DAZ, MX_DE, MX_IE, MX_PE, MX_RC } from './mxcsr.ts';
import { f32FromBits, f32ToBits, fpOut } from './float-bits.ts';
import { FLOAT32 } from './float-round.ts';
import { arith, beginLane, endLane, OP_ADD, OP_MUL, OP_SQRT, OP_SUB } from './float-arith.ts';

/** The default NaN ("real indefinite"): negative, quiet, payload 0. */
export const F32_DEFAULT_NAN = 0xffc00000 | 0;

const MIN_NORMAL = 2 ** -126;
const MAX = 3.4028234663852886e38;

/** Whether `x` is a float32 NaN pattern. */
export function f32IsNaN(x: number): boolean {
  return (x & 0x7fffffff) > 0x7f800000;
}

/** Whether `x` is a float32 signalling NaN. */
export function f32IsSNaN(x: number): boolean {
  return (x & 0x7fffffff) > 0x7f800000 && (x & 0x400000) === 0;
}

/** Whether `x` is a float32 denormal. */
export function f32IsDenormal(x: number): boolean {
  return (x & 0x7f800000) === 0 && (x & 0x7fffff) !== 0;
}

/** The value of a non-NaN operand, applying DAZ or else raising DE. */
export function f32Operand(x: number, mxcsr: number): number {
  if (f32IsDenormal(x)) {
    if (mxcsr & MX_DAZ) return x < 0 ? -0 : 0;
    fpOut.flags |= MX_DE;
  }
  return f32FromBits(x);
}

function pack(v: number): number {
  return v !== v ? F32_DEFAULT_NAN : f32ToBits(v);
}

/**
 * Round to nearest with normal operands and a normal result. Widening to
 * double and rounding once more to float32 is exact for these operations:
 * double has more than 2 * 24 + 2 bits, so the double result never lands on
 * a float32 rounding boundary it was not already on. Returns NOT_SIMPLE when
 * the case needs the general path.
 */
function fast(op: number, a: number, b: number): number {
  let v: number;
  let r: number;
  let exact: boolean;
  if (op === OP_ADD || op === OP_SUB) {
    if (op === OP_SUB) b = -b;
    v = a + b;
    const bb = v - a;
    r = Math.fround(v);
    exact = r === v && a - (v - bb) + (b - bb) === 0;
    if (v === 0) return 0; // exact cancellation: +0 when rounding to nearest
  } else if (op === OP_MUL) {
    v = a * b; // exact: 48 significant bits at most
    r = Math.fround(v);
    exact = r === v;
  } else {
    v = a / b;
    r = Math.fround(v);
    exact = r * b === a; // the product is exact, so this is the remainder test
  }
  // Judge the unrounded value: one just below 2^-126 may round up to it,
  // yet it is tiny for the underflow flag.
  const av = Math.abs(v);
  if (!(av >= MIN_NORMAL && Math.abs(r) <= MAX)) return NOT_SIMPLE;
  if (!exact) fpOut.flags |= MX_PE;
  return f32ToBits(r);
}

/** Fast-path marker: a quiet NaN pattern no fast result can have. */
const NOT_SIMPLE = 0x7fc00001;

/**
 * a OP b for OP_ADD, OP_SUB, OP_MUL or OP_DIV (from float-arith.ts), as the
 * scalar SSE instruction computes it: NaN operands propagate (the first one
 * if both are NaNs), quieted, with IE for an SNaN.
 */
export function f32Binary(op: number, a: number, b: number, mxcsr: number): number {
  const ea = (a >>> 23) & 0xff;
  const eb = (b >>> 23) & 0xff;
  if (ea === 0xff || eb === 0xff) {
    const aNaN = f32IsNaN(a);
    if (aNaN || f32IsNaN(b)) {
      if (f32IsSNaN(a) || f32IsSNaN(b)) fpOut.flags |= MX_IE;
      return (aNaN ? a : b) | 0x400000;
    }
  } else if ((mxcsr & MX_RC) === 0 && ea !== 0 && eb !== 0) {
    const r = fast(op, f32FromBits(a), f32FromBits(b));
    if (r !== NOT_SIMPLE) return r;
  }
  const before = beginLane();
  const r = pack(arith(op, f32Operand(a, mxcsr), f32Operand(b, mxcsr), FLOAT32, mxcsr));
  endLane(before);
  return r;
}

/** Square root of `x`, as sqrtss computes it. */
export function f32Sqrt(x: number, mxcsr: number): number {
  if (f32IsNaN(x)) {
    if (f32IsSNaN(x)) fpOut.flags |= MX_IE;
    return x | 0x400000;
  }
  if ((mxcsr & MX_RC) === 0 && x > 0 && x < 0x7f800000 && x >= 0x800000) {
    const v = f32FromBits(x);
    const r = Math.fround(Math.sqrt(v));
    if (r * r !== v) fpOut.flags |= MX_PE;
    return f32ToBits(r);
  }
  const before = beginLane();
  const r = pack(arith(OP_SQRT, f32Operand(x, mxcsr), 0, FLOAT32, mxcsr));
  endLane(before);
  return r;
}
