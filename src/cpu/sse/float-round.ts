/**
 * Correct rounding for the soft-float: exact results of add, multiply,
 * divide and square root held as an unevaluated sum, and one rounding step
 * that turns such a sum into a float32 or float64 under any MXCSR rounding
 * mode, with flush-to-zero and the overflow, underflow and precision flags.
 *
 * JS arithmetic only rounds to nearest. Each exact step below produces the
 * round-to-nearest double `H` of the true result, the sign `S` of what that
 * rounding dropped (true = H + tiny with sign S), and a power-of-two scale
 * `K` (true = (H + tiny) * 2^K) that keeps H clear of overflow and underflow.
 * Because |tiny| <= ulp(H)/2, the sign alone decides every rounding to a
 * precision of at most 53 bits: a rounding boundary on a coarser grid is a
 * multiple of ulp(H), so the dropped part can only matter when it sits
 * exactly on a boundary, and then only its sign matters. That is also why
 * float32 results need no double rounding care: they are rounded once, from
 * this exact description, not from a double.
 */
import {
  MX_FZ,
  MX_OE,
  MX_OM,
  MX_PE,
  MX_UE,
  MX_UM,
  RC_DOWN,
  RC_NEAREST,
  RC_UP,
  RC_ZERO,
} from './mxcsr.ts';
import { expOut, exponentOf, fpOut, frexp, isPowerOfTwo, pow2, scale } from './float-bits.ts';

/** A binary floating-point format: precision and exponent range. */
export interface FloatFormat {
  /** Significand bits, counting the implicit one. */
  readonly p: number;
  /** Exponent of the smallest normal number. */
  readonly emin: number;
  /** Exponent of the largest finite number. */
  readonly emax: number;
  /** Largest finite value. */
  readonly max: number;
}

/** IEEE single precision. */
export const FLOAT32: FloatFormat = { p: 24, emin: -126, emax: 127, max: 3.4028234663852886e38 };

/** IEEE double precision. */
export const FLOAT64: FloatFormat = { p: 53, emin: -1022, emax: 1023, max: Number.MAX_VALUE };

/** The exact result the last exact step produced: see the file comment. */
const exact = { h: 0, s: 0, k: 0 };

const NEAREST = 0;
const TOWARD_ZERO = 1;
const AWAY = 2;

let inexact = false;

/** Whether the result rounded to full precision, exponent unbounded, is inexact. */
let trapInexact = false;

const SPLIT = 134217729; // 2^27 + 1: Veltkamp's splitter for 53 bits.

/** Error of the rounded product p = RN(a * b); exact when no under/overflow. */
function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/** Exact sum of two finite doubles whose sum is not zero. */
export function exactAdd(a: number, b: number): void {
  let s = a + b;
  if (!(Math.abs(s) <= 4.49423283715579e307)) {
    // Near overflow: a negligible operand only contributes its sign;
    // otherwise halving both is exact, since both are far from subnormal.
    const small = Math.abs(a) < Math.abs(b) ? a : b;
    if (Math.abs(small) < 1e-270) {
      exact.h = small === a ? b : a;
      exact.s = sign(small);
      exact.k = 0;
      return;
    }
    a *= 0.5;
    b *= 0.5;
    s = a + b;
    exact.k = 1;
  } else {
    exact.k = 0;
  }
  const bb = s - a;
  const err = a - (s - bb) + (b - bb);
  exact.s = sign(err);
  if (Math.abs(s) < 1e-290) {
    // A sum this small is exact already (err is 0); lift it out of the
    // subnormal range so the rounding step sees a normal double.
    s *= 1.157920892373162e77; // 2^256
    exact.k -= 256;
  }
  exact.h = s;
}

/** Exact product of two finite nonzero doubles. */
export function exactMul(a: number, b: number): void {
  const ma = frexp(a);
  const ea = expOut.e;
  const mb = frexp(b);
  const p = ma * mb;
  exact.h = p;
  exact.s = sign(productError(ma, mb, p));
  exact.k = ea + expOut.e;
}

/** Exact quotient of two finite nonzero doubles, as rounded value plus sign. */
export function exactDiv(a: number, b: number): void {
  const ma = frexp(a);
  const ea = expOut.e;
  const mb = frexp(b);
  const q = ma / mb;
  // ma - q * mb is a double when q is the rounded quotient, and so is each
  // step computing it here.
  const ph = q * mb;
  const r = ma - ph - productError(q, mb, ph);
  exact.h = q;
  exact.s = sign(r) * sign(mb);
  exact.k = ea - expOut.e;
}

/** Exact square root of a finite positive double. */
export function exactSqrt(a: number): void {
  let m = frexp(a);
  let e = expOut.e;
  if (e & 1) {
    m *= 2;
    e -= 1;
  }
  const q = Math.sqrt(m);
  const ph = q * q;
  exact.h = q;
  exact.s = sign(m - ph - productError(q, q, ph));
  exact.k = e / 2;
}

/** Sets the exact value directly: h (a normal double) times 2^k, plus tiny of sign s. */
export function exactSet(h: number, s: number, k: number): void {
  exact.h = h;
  exact.s = s;
  exact.k = k;
}

/**
 * Rounds magnitude A (plus a dropped part of sign l) to a multiple of q.
 * Preconditions: q is a power of two, ulp(A) <= q, A / q >= 1/2, and the
 * true magnitude is not just below a power of two A (the caller handles it).
 */
function roundMagnitude(a: number, l: number, q: number, dir: number): number {
  const t = Math.floor(a / q) * q;
  const r = a - t;
  if (r === 0 && l === 0) return t;
  inexact = true;
  if (r === 0 && l < 0) return dir === TOWARD_ZERO ? t - q : t;
  if (dir === TOWARD_ZERO) return t;
  if (dir === AWAY) return t + q;
  const c = r - q / 2;
  if (c > 0 || (c === 0 && l > 0)) return t + q;
  if (c < 0 || l < 0) return t;
  return (t / q) % 2 === 0 ? t : t + q;
}

function direction(mxcsr: number, negative: boolean): number {
  const rc = (mxcsr >>> 13) & 3;
  if (rc === RC_NEAREST) return NEAREST;
  if (rc === RC_ZERO) return TOWARD_ZERO;
  return (rc === RC_UP) !== negative ? AWAY : TOWARD_ZERO;
}

/**
 * Rounds the exact value from the last exact step to `fmt` under `mxcsr`,
 * adding PE, UE and OE to fpOut.flags as hardware does (tininess is detected
 * after rounding, as on x86). Returns the result as a double (a value of
 * the format, an infinity, or a zero with the true result's sign).
 */
export function roundToFormat(fmt: FloatFormat, mxcsr: number): number {
  const negative = exact.h < 0;
  const a = Math.abs(exact.h);
  const l = negative ? -exact.s : exact.s;
  const k = exact.k;
  const dir = direction(mxcsr, negative);
  const ea = exponentOf(a);
  const eTrue = ea + k;
  const belowPower = l < 0 && isPowerOfTwo(a);
  const eM = belowPower ? eTrue - 1 : eTrue;
  inexact = false;
  trapInexact = l !== 0 || a % pow2(ea - fmt.p + 1) !== 0;
  if (eM > fmt.emax) return overflow(fmt, mxcsr, dir, negative);
  if (eM < fmt.emin - fmt.p) {
    // Below half the smallest subnormal: zero or, rounding away, the
    // smallest subnormal (computed unscaled: scaled it may not exist).
    inexact = true;
    const r = dir === AWAY ? pow2(fmt.emin - fmt.p + 1) : 0;
    return underflow(mxcsr) ? (negative ? -0 : 0) : negative ? -r : r;
  }
  let r: number;
  let tiny: boolean;
  if (belowPower) {
    // Just below a power of two: the grid below it may be finer.
    inexact = true;
    const q = pow2(Math.max(eM, fmt.emin) - fmt.p + 1 - k);
    r = dir === TOWARD_ZERO ? a - q : a;
    if (r === a && eTrue > fmt.emax) return overflow(fmt, mxcsr, dir, negative);
    tiny = r === a ? eTrue < fmt.emin : eM < fmt.emin;
  } else {
    r = roundMagnitude(a, l, pow2(Math.max(eTrue, fmt.emin) - fmt.p + 1 - k), dir);
    if (eTrue >= fmt.emax && r >= pow2(ea + 1)) return overflow(fmt, mxcsr, dir, negative);
    tiny = eTrue < fmt.emin - 1;
    if (eTrue === fmt.emin - 1) {
      // Tininess is judged on the result rounded with an unbounded
      // exponent: it is not tiny when that rounding reaches 2^emin.
      const wasInexact = inexact;
      tiny = roundMagnitude(a, l, pow2(eTrue - fmt.p + 1 - k), dir) < pow2(ea + 1);
      inexact = wasInexact;
    }
  }
  if (tiny) {
    if (underflow(mxcsr)) return negative ? -0 : 0;
  } else if (inexact) {
    fpOut.flags |= MX_PE;
  }
  r = scale(r, k);
  return negative ? -r : r;
}

/**
 * Records all the flags of a tiny result; returns true when flush-to-zero
 * replaces it by zero. With underflow masked, a tiny exact result raises
 * nothing, except under FTZ, which flushes every tiny result and raises UE
 * and PE. Unmasked, tininess alone raises UE.
 */
function underflow(mxcsr: number): boolean {
  if (mxcsr & MX_UM) {
    if (mxcsr & MX_FZ) {
      fpOut.flags |= MX_UE | MX_PE;
      return true;
    }
    if (inexact) fpOut.flags |= MX_UE | MX_PE;
  } else {
    // The trap handler would get the result with its exponent wrapped, so
    // PE reports whether that full-precision result is inexact.
    fpOut.flags |= trapInexact ? MX_UE | MX_PE : MX_UE;
  }
  return false;
}

function overflow(fmt: FloatFormat, mxcsr: number, dir: number, negative: boolean): number {
  if (!(mxcsr & MX_OM)) {
    // As for underflow: PE only when the exponent-wrapped result is inexact.
    fpOut.flags |= trapInexact ? MX_OE | MX_PE : MX_OE;
    return negative ? -Infinity : Infinity;
  }
  fpOut.flags |= MX_OE | MX_PE;
  const r = dir === TOWARD_ZERO ? fmt.max : Infinity;
  return negative ? -r : r;
}

/** Rounding-mode aware sign of an exact zero sum (x + -x). */
export function zeroSumSign(mxcsr: number): number {
  return ((mxcsr >>> 13) & 3) === RC_DOWN ? -0 : 0;
}
