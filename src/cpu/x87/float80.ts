/**
 * Software 80-bit extended floats: the shared core.
 *
 * A value travels as three numbers: `se` (sign in bit 15, biased exponent in
 * bits 0-14), `hi` and `lo` (the 64-bit significand, explicit integer bit in
 * bit 31 of `hi`, both halves unsigned). Operations read the control word from
 * {@link F80.cw}, write their result into {@link F80.se}/`hi`/`lo` and OR the
 * exceptions they raise into {@link F80.flags}, using the bit positions of the
 * x87 status word (C1 reports a rounding that increased the magnitude). Nothing
 * is allocated per operation: every intermediate lives in module scratch.
 *
 * This file holds what every operation needs: classifying operands, the
 * rounding of an exact intermediate under precision and rounding control
 * (with the hardware's denormal, underflow and overflow behaviour) and NaN
 * propagation.
 */

/** Invalid operation (also stack fault, with {@link SW_SF}). */
export const SW_IE = 0x01;
/** Denormal operand. */
export const SW_DE = 0x02;
/** Division by zero. */
export const SW_ZE = 0x04;
/** Overflow. */
export const SW_OE = 0x08;
/** Underflow. */
export const SW_UE = 0x10;
/** Precision (inexact result). */
export const SW_PE = 0x20;
/** Stack fault. */
export const SW_SF = 0x40;
/** Error summary: some raised exception is unmasked. */
export const SW_ES = 0x80;
/** Condition code C0. */
export const SW_C0 = 0x100;
/** Condition code C1: rounded up, or stack overflow (vs underflow). */
export const SW_C1 = 0x200;
/** Condition code C2. */
export const SW_C2 = 0x400;
/** Condition code C3. */
export const SW_C3 = 0x4000;
/** Busy bit, a copy of ES. */
export const SW_B = 0x8000;

/** Precision control field values (control word bits 8-9). */
export const PC_24 = 0;
/** 53-bit precision control. */
export const PC_53 = 2;
/** 64-bit precision control. */
export const PC_64 = 3;

/** Operand classes returned by {@link unpack}. */
export const CLS_ZERO = 0;
/** Finite non-zero (normal, denormal or pseudo-denormal). */
export const CLS_FINITE = 1;
/** Infinity. */
export const CLS_INF = 2;
/** Quiet NaN. */
export const CLS_QNAN = 3;
/** Signalling NaN. */
export const CLS_SNAN = 4;
/** Unsupported encoding (unnormal, pseudo-NaN, pseudo-infinity). */
export const CLS_BAD = 5;

/** Exponent bias of the extended format. */
export const BIAS = 16383;
/** Largest finite biased exponents of the three formats. */
export const EMAX_EXT = 0x7ffe;
/** Largest finite biased exponent of a double. */
export const EMAX_DBL = 0x7fe;
/** Largest finite biased exponent of a single. */
export const EMAX_SGL = 0xfe;

/** Sign/exponent word of the default NaN ("real indefinite"). */
export const INDEF_SE = 0xffff;
/** High significand half of the real indefinite. */
export const INDEF_HI = 0xc0000000;

const TWO32 = 4294967296;

/**
 * Control word in, result and raised exceptions out. Callers set `cw`, clear
 * `flags` before an instruction, call one or more operations and read the
 * result from `se`, `hi`, `lo`.
 */
export const F80 = {
  /** x87 control word in effect (masks, precision, rounding). */
  cw: 0x037f,
  /** Exceptions and C1 raised since the caller last cleared them. */
  flags: 0,
  /** Result sign and biased exponent. */
  se: 0,
  /** Result significand, high half (unsigned). */
  hi: 0,
  /** Result significand, low half (unsigned). */
  lo: 0,
};

/** One operand taken apart: class, sign, normalized exponent and significand. */
export class Unpacked {
  /** One of the CLS_ constants. */
  cls = 0;
  /** 0 or 1. */
  sign = 0;
  /** Biased exponent; below 1 for denormals once normalized. */
  exp = 0;
  /** Significand high half; bit 31 set for finite non-zero values. */
  hi = 0;
  /** Significand low half. */
  lo = 0;
  /** 1 when the encoding is a denormal or pseudo-denormal. */
  den = 0;
}

/**
 * Marks one normal extended value as having come from a denormal single or
 * double in memory, so that the operation using it raises DE in its own
 * order (a NaN on the other side, or a division by zero, outranks it).
 */
export const DEN_HINT = { on: 0, se: 0, hi: 0, lo: 0 };

/** Scratch for first operands. */
export const UA = new Unpacked();
/** Scratch for second operands. */
export const UB = new Unpacked();

/** Classifies an extended value and normalizes its significand into `u`. */
export function unpack(u: Unpacked, se: number, hi: number, lo: number): void {
  hi >>>= 0;
  lo >>>= 0;
  const exp = se & 0x7fff;
  u.sign = (se >>> 15) & 1;
  u.den = 0;
  u.hi = hi;
  u.lo = lo;
  u.exp = exp;
  if (exp === 0x7fff) {
    if (hi < 0x80000000) u.cls = CLS_BAD;
    else if ((hi & 0x7fffffff) === 0 && lo === 0) u.cls = CLS_INF;
    else u.cls = hi & 0x40000000 ? CLS_QNAN : CLS_SNAN;
    return;
  }
  if (exp === 0) {
    if (hi === 0 && lo === 0) {
      u.cls = CLS_ZERO;
      return;
    }
    // Denormals and pseudo-denormals weigh their significand at exponent 1.
    u.den = 1;
    u.cls = CLS_FINITE;
    u.exp = 1;
    normalizeInto(u);
    return;
  }
  u.cls = hi < 0x80000000 ? CLS_BAD : CLS_FINITE;
  if (DEN_HINT.on && se === DEN_HINT.se && hi === DEN_HINT.hi && lo === DEN_HINT.lo) u.den = 1;
}

function normalizeInto(u: Unpacked): void {
  let hi = u.hi;
  let lo = u.lo;
  if (hi === 0) {
    hi = lo;
    lo = 0;
    u.exp -= 32;
  }
  const n = Math.clz32(hi);
  if (n > 0) {
    hi = ((hi << n) | (lo >>> (32 - n))) >>> 0;
    lo = (lo << n) >>> 0;
    u.exp -= n;
  }
  u.hi = hi;
  u.lo = lo;
}

/** Writes an extended value into the result registers. */
export function setResult(se: number, hi: number, lo: number): void {
  F80.se = se & 0xffff;
  F80.hi = hi >>> 0;
  F80.lo = lo >>> 0;
}

/** Returns the real indefinite and raises the invalid-operation exception. */
export function invalid(): void {
  F80.flags |= SW_IE;
  setResult(INDEF_SE, INDEF_HI, 0);
}

/** True when `flag` was raised and is unmasked in the control word. */
export function unmasked(flag: number): boolean {
  return (F80.flags & flag & ~F80.cw & 0x3f) !== 0;
}

/**
 * Result of an operation with a NaN (or unsupported) operand, following the
 * x87 rules: an unsupported operand or a signalling NaN raises IE; a quiet
 * NaN beats a signalling one, between two of a kind the larger significand
 * wins; the result is quieted.
 */
export function nanResult(a: Unpacked, b: Unpacked | null): void {
  if (a.cls === CLS_BAD || (b !== null && b.cls === CLS_BAD)) {
    invalid();
    return;
  }
  if (a.cls === CLS_SNAN || (b !== null && b.cls === CLS_SNAN)) F80.flags |= SW_IE;
  let w = a;
  if (b !== null && b.cls >= CLS_QNAN) {
    if (a.cls < CLS_QNAN) w = b;
    else if (a.cls !== b.cls) w = a.cls === CLS_QNAN ? a : b;
    else {
      const ah = a.hi & 0x3fffffff;
      const bh = b.hi & 0x3fffffff;
      if (bh > ah || (bh === ah && b.lo > a.lo)) w = b;
      else if (bh === ah && b.lo === a.lo && b.sign < a.sign) w = b;
    }
  }
  setResult((w.sign << 15) | 0x7fff, w.hi | 0x40000000, w.lo);
}

// Rounding scratch: the significand being rounded, as three words. A typed
// array rather than module variables, whose large values would be boxed.
const R = new Float64Array(3);

/**
 * Whether rounding (R[0], R[1], R[2]) at `pc` increments it, and whether any
 * discarded bit is set. Returns 0 (exact), 1 (inexact, truncated), 3
 * (inexact, incremented).
 */
function roundDecision(sign: number, pc: number, rc: number): number {
  let rb: number;
  let st: number;
  let lsb: number;
  if (pc === PC_64) {
    rb = R[2] >>> 31;
    st = R[2] & 0x7fffffff;
    lsb = R[1] & 1;
  } else if (pc === PC_53) {
    rb = (R[1] >>> 10) & 1;
    st = (R[1] & 0x3ff) | R[2];
    lsb = (R[1] >>> 11) & 1;
  } else {
    rb = (R[0] >>> 7) & 1;
    st = (R[0] & 0x7f) | R[1] | R[2];
    lsb = (R[0] >>> 8) & 1;
  }
  if (rb === 0 && st === 0) return 0;
  let inc: number;
  if (rc === 0) inc = rb & (st !== 0 ? 1 : lsb);
  else if (rc === 1) inc = sign;
  else if (rc === 2) inc = sign ^ 1;
  else inc = 0;
  return inc ? 3 : 1;
}

/** True when the kept bits at `pc` are all ones (an increment carries out). */
function keptAllOnes(pc: number): boolean {
  if (pc === PC_64) return R[0] === 0xffffffff && R[1] === 0xffffffff;
  if (pc === PC_53) return R[0] === 0xffffffff && R[1] >>> 11 === 0x1fffff;
  return R[0] >>> 8 === 0xffffff;
}

/** Applies a rounding decision to (R[0], R[1]) and clears the discarded bits. */
function applyRounding(pc: number, inc: boolean): boolean {
  let carry = false;
  if (pc === PC_64) {
    if (inc) {
      R[1] += 1;
      if (R[1] >= TWO32) {
        R[1] = 0;
        R[0] += 1;
      }
    }
  } else if (pc === PC_53) {
    R[1] = (R[1] & 0xfffff800) >>> 0;
    if (inc) {
      R[1] += 0x800;
      if (R[1] >= TWO32) {
        R[1] -= TWO32;
        R[0] += 1;
      }
    }
  } else {
    R[0] = (R[0] & 0xffffff00) >>> 0;
    R[1] = 0;
    if (inc) R[0] += 0x100;
  }
  R[2] = 0;
  if (R[0] >= TWO32) {
    R[0] = 0x80000000;
    carry = true;
  }
  return carry;
}

/** Shifts (R[0], R[1], R[2]) right by n, folding lost bits into bit 0 of R[2]. */
function shiftRightJam(n: number): void {
  if (n <= 0) return;
  if (n >= 96) {
    R[2] = R[0] | R[1] | R[2] ? 1 : 0;
    R[0] = 0;
    R[1] = 0;
    return;
  }
  let sticky = 0;
  while (n >= 32) {
    sticky |= R[2];
    R[2] = R[1];
    R[1] = R[0];
    R[0] = 0;
    n -= 32;
  }
  if (n > 0) {
    sticky |= R[2] << (32 - n);
    R[2] = ((R[2] >>> n) | (R[1] << (32 - n))) >>> 0;
    R[1] = ((R[1] >>> n) | (R[0] << (32 - n))) >>> 0;
    R[0] = R[0] >>> n;
  }
  if (sticky !== 0) R[2] = (R[2] | 1) >>> 0;
}

/**
 * Rounds a non-zero exact value and writes it to the result registers.
 *
 * The value is (w0:w1:w2) as a 96-bit fraction with the binary point after
 * bit 31 of w0, times 2^(exp - bias). Bit 31 of w0 must be set; bits lost
 * before the call must be folded into bit 0 of w2. `pc` is the precision
 * (PC_ constants), `emax` the largest finite biased exponent of the target
 * format (EMAX_EXT, EMAX_DBL, EMAX_SGL); `exp` is biased for that format.
 * The result's exponent field is 0 for denormals. Tininess is detected after
 * rounding, as the hardware does. Unmasked overflow and underflow on the
 * extended format deliver the result with its exponent wrapped by 24576.
 */
export function roundPack(
  sign: number,
  exp: number,
  w0: number,
  w1: number,
  w2: number,
  pc: number,
  emax: number,
): void {
  const cw = F80.cw;
  const rc = (cw >>> 10) & 3;
  const entry = F80.flags;
  R[0] = w0 >>> 0;
  R[1] = w1 >>> 0;
  R[2] = w2 >>> 0;
  let under = false;
  // Unmasked, results beyond even the wrapped exponent range become a zero
  // or an infinity whatever the rounding.
  if (emax === EMAX_EXT && exp <= -24576 && (cw & SW_UE) === 0) {
    F80.flags |= SW_UE | SW_PE;
    setResult(sign << 15, 0, 0);
    return;
  }
  if (emax === EMAX_EXT && exp > emax + 24576 && (cw & SW_OE) === 0) {
    F80.flags |= SW_OE | SW_PE | SW_C1;
    setResult((sign << 15) | 0x7fff, 0x80000000, 0);
    return;
  }
  if (exp <= 0) {
    const d = roundDecision(sign, pc, rc);
    const tiny = exp < 0 || !(d === 3 && keptAllOnes(pc));
    if (tiny && (cw & SW_UE) === 0 && emax === EMAX_EXT && exp + 24576 > 0) {
      // Unmasked underflow: deliver the rounded value, exponent wrapped.
      F80.flags |= SW_UE;
      exp += 24576;
    } else if (tiny && (cw & SW_UE) === 0) {
      // Unmasked underflow of a store to memory: nothing is stored.
      F80.flags |= SW_UE;
      return;
    } else if (tiny) {
      shiftRightJam(1 - exp);
      exp = 1;
      under = true;
    }
  }
  const d = roundDecision(sign, pc, rc);
  if (applyRounding(pc, d === 3)) exp += 1;
  if (d !== 0) {
    F80.flags |= SW_PE;
    if (under) F80.flags |= SW_UE;
    if (d === 3) F80.flags |= SW_C1;
  }
  if (exp > emax && (cw & SW_OE) === 0 && emax !== EMAX_EXT) {
    // Unmasked overflow of a store to memory: nothing is stored.
    F80.flags = entry | SW_OE;
    return;
  }
  if (exp > emax) {
    overflow(sign, exp, pc, rc, emax);
    return;
  }
  if (R[0] < 0x80000000) exp = 0;
  setResult((sign << 15) | exp, R[0], R[1]);
}

function overflow(sign: number, exp: number, pc: number, rc: number, emax: number): void {
  F80.flags |= SW_OE;
  // Unmasked, the hardware wraps the exponent when the result then fits.
  if ((F80.cw & SW_OE) === 0 && emax === EMAX_EXT && exp - 24576 <= emax) {
    setResult((sign << 15) | (exp - 24576), R[0], R[1]);
    return;
  }
  F80.flags = (F80.flags | SW_PE) & ~SW_C1;
  const toInf = rc === 0 || (rc === 1 && sign === 1) || (rc === 2 && sign === 0);
  if (toInf) {
    F80.flags |= SW_C1;
    setResult((sign << 15) | (emax + 1), 0x80000000, 0);
    return;
  }
  if (pc === PC_64) setResult((sign << 15) | emax, 0xffffffff, 0xffffffff);
  else if (pc === PC_53) setResult((sign << 15) | emax, 0xffffffff, 0xfffff800);
  else setResult((sign << 15) | emax, 0xffffff00, 0);
}

/** Sign/exponent word of a signed zero: +0, or -0 when rounding down. */
export function exactZeroSign(): number {
  return ((F80.cw >>> 10) & 3) === 1 ? 0x8000 : 0;
}

/**
 * Precision control of the current control word; the reserved value 1
 * behaves as 64 bits on the hardware.
 */
export function precision(): number {
  const pc = (F80.cw >>> 8) & 3;
  return pc === 1 ? PC_64 : pc;
}
