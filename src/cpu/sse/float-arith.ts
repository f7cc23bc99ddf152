/**
 * The arithmetic both float formats share once their operands are plain
 * values: special cases (infinities, zeros, invalid combinations, division
 * by zero) and the exact-then-round path for everything else. NaN operands
 * and denormal handling are the callers' business, since they depend on
 * the format's bit patterns.
 */
import { MX_DE, MX_IE, MX_ZE } from './mxcsr.ts';
import { fpOut } from './float-bits.ts';
import {
  exactAdd,
  exactDiv,
  exactMul,
  exactSqrt,
  roundToFormat,
  zeroSumSign,
  type FloatFormat,
} from './float-round.ts';

/** Operation code for `arith`: addition. */
export const OP_ADD = 0;
/** Subtraction. */
export const OP_SUB = 1;
/** Multiplication. */
export const OP_MUL = 2;
/** Division. */
export const OP_DIV = 3;
/** Square root (of the first operand). */
export const OP_SQRT = 4;

/**
 * a OP b (b unused for OP_SQRT) for non-NaN operands, rounded to `fmt`
 * under `mxcsr`. Returns NaN when the operation is invalid (IE is then in
 * fpOut.flags; the caller substitutes the format's default NaN).
 */
export function arith(op: number, a: number, b: number, fmt: FloatFormat, mxcsr: number): number {
  switch (op) {
    case OP_SUB:
      return add(a, -b, fmt, mxcsr);
    case OP_ADD:
      return add(a, b, fmt, mxcsr);
    case OP_MUL:
      return mul(a, b, fmt, mxcsr);
    case OP_DIV:
      return div(a, b, fmt, mxcsr);
    default:
      return sqrt(a, fmt, mxcsr);
  }
}

/**
 * Starts one lane's operation: sets the accumulated flags aside so that the
 * lane's own can be judged. Returns them for endLane.
 */
export function beginLane(): number {
  const before = fpOut.flags;
  fpOut.flags = 0;
  return before;
}

/**
 * Ends one lane: an invalid operation or a division by zero outranks a
 * denormal operand, whose DE is then not reported; merges the flags set
 * aside by beginLane.
 */
export function endLane(before: number): void {
  if (fpOut.flags & (MX_IE | MX_ZE)) fpOut.flags &= ~MX_DE;
  fpOut.flags |= before;
}

function invalid(): number {
  fpOut.flags |= MX_IE;
  return NaN;
}

function add(a: number, b: number, fmt: FloatFormat, mxcsr: number): number {
  const s = a + b;
  if (s !== s) return invalid(); // inf + -inf
  if (s === Infinity || s === -Infinity) {
    if (a === s || b === s) return s; // an infinite operand, not an overflow
  }
  if (s === 0 && a === -b) {
    // Zero operands keep their common sign; otherwise the sign of an exact
    // zero depends on the rounding mode.
    if (a === 0 && Object.is(a, b)) return a;
    return zeroSumSign(mxcsr);
  }
  exactAdd(a, b);
  return roundToFormat(fmt, mxcsr);
}

function mul(a: number, b: number, fmt: FloatFormat, mxcsr: number): number {
  const p = a * b;
  if (p !== p) return invalid(); // 0 * inf
  if (a === 0 || b === 0 || a === Infinity || a === -Infinity || b === Infinity || b === -Infinity)
    return p;
  exactMul(a, b);
  return roundToFormat(fmt, mxcsr);
}

function div(a: number, b: number, fmt: FloatFormat, mxcsr: number): number {
  const q = a / b;
  if (q !== q) return invalid(); // 0/0, inf/inf
  if (b === 0) {
    if (a !== Infinity && a !== -Infinity) fpOut.flags |= MX_ZE;
    return q;
  }
  if (a === 0 || a === Infinity || a === -Infinity || b === Infinity || b === -Infinity) return q;
  exactDiv(a, b);
  return roundToFormat(fmt, mxcsr);
}

function sqrt(a: number, fmt: FloatFormat, mxcsr: number): number {
  if (a === 0 || a === Infinity) return a;
  if (a < 0) return invalid();
  exactSqrt(a);
  return roundToFormat(fmt, mxcsr);
}
