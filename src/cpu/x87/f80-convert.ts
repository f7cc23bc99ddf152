/**
 * Conversions between the extended format and singles, doubles and
 * integers, rounding to an integer (frndint) and comparison. Results of
 * conversions into memory formats land in {@link CVT}; conversions into the
 * extended format land in {@link F80}.
 */
import {
  BIAS,
  CLS_BAD,
  CLS_FINITE,
  CLS_INF,
  CLS_QNAN,
  CLS_SNAN,
  CLS_ZERO,
  EMAX_DBL,
  EMAX_SGL,
  F80,
  PC_24,
  PC_53,
  SW_C1,
  SW_DE,
  SW_IE,
  SW_PE,
  UA,
  UB,
  setResult,
  roundPack,
  unpack,
} from './float80.ts';

const TWO32 = 4294967296;

/** Memory-format result of the last conversion out of the extended format. */
export const CVT = {
  /** Low 32 bits (the whole value for singles, int16 and int32). */
  lo: 0,
  /** High 32 bits of doubles and int64. */
  hi: 0,
};

/** Loads a single (raw bits) as an extended value. */
export function f80FromF32(bits: number): void {
  const sign = bits >>> 31;
  const exp = (bits >>> 23) & 0xff;
  const frac = bits & 0x7fffff;
  if (exp === 0xff) {
    if (frac === 0) setResult((sign << 15) | 0x7fff, 0x80000000, 0);
    else {
      if ((frac & 0x400000) === 0) F80.flags |= SW_IE;
      setResult((sign << 15) | 0x7fff, 0xc0000000 | (frac << 8), 0);
    }
    return;
  }
  if (exp === 0) {
    if (frac === 0) {
      setResult(sign << 15, 0, 0);
      return;
    }
    F80.flags |= SW_DE;
    const n = Math.clz32(frac);
    // Value = frac * 2^-149 with its top bit at 31 - n.
    setResult((sign << 15) | (BIAS - 118 - n), frac << n, 0);
    return;
  }
  setResult((sign << 15) | (exp - 127 + BIAS), 0x80000000 | (frac << 8), 0);
}

/** Loads a double (raw halves) as an extended value. */
export function f80FromF64(lo: number, hi: number): void {
  const sign = hi >>> 31;
  const exp = (hi >>> 20) & 0x7ff;
  const fh = hi & 0xfffff;
  lo >>>= 0;
  if (exp === 0x7ff) {
    if ((fh | lo) === 0) setResult((sign << 15) | 0x7fff, 0x80000000, 0);
    else {
      if ((fh & 0x80000) === 0) F80.flags |= SW_IE;
      setResult((sign << 15) | 0x7fff, 0xc0000000 | (fh << 11) | (lo >>> 21), lo << 11);
    }
    return;
  }
  if (exp === 0) {
    if ((fh | lo) === 0) {
      setResult(sign << 15, 0, 0);
      return;
    }
    F80.flags |= SW_DE;
    // Value = frac * 2^-1074; normalize the 52-bit fraction to bit 63.
    let h = fh;
    let l = lo;
    let e = BIAS - 1022 - 1 + 12;
    if (h === 0) {
      h = l;
      l = 0;
      e -= 32;
    }
    const n = Math.clz32(h);
    if (n > 0) {
      h = (h << n) | (l >>> (32 - n));
      l = l << n;
    }
    setResult((sign << 15) | (e - n), h, l);
    return;
  }
  setResult((sign << 15) | (exp - 1023 + BIAS), 0x80000000 | (fh << 11) | (lo >>> 21), lo << 11);
}

/** Loads a signed 64-bit integer (halves) exactly. Narrower ones sign-extend. */
export function f80FromInt(lo: number, hi: number): void {
  let sign = 0;
  let h = hi >>> 0;
  let l = lo >>> 0;
  if ((hi | 0) < 0) {
    sign = 1;
    l = (TWO32 - l) % TWO32;
    h = (~h + (l === 0 ? 1 : 0)) >>> 0;
  }
  if ((h | l) === 0) {
    setResult(0, 0, 0);
    return;
  }
  let e = BIAS + 63;
  if (h === 0) {
    h = l;
    l = 0;
    e -= 32;
  }
  const n = Math.clz32(h);
  if (n > 0) {
    h = (h << n) | (l >>> (32 - n));
    l = l << n;
  }
  setResult((sign << 15) | (e - n), h, l);
}

/** Stores to a single: raw bits in CVT.lo. */
export function f80ToF32(se: number, hi: number, lo: number): void {
  unpack(UA, se, hi, lo);
  const a = UA;
  CVT.hi = 0;
  if (a.cls >= CLS_QNAN) {
    if (a.cls === CLS_BAD) {
      F80.flags |= SW_IE;
      CVT.lo = 0xffc00000 | 0;
      return;
    }
    if (a.cls === CLS_SNAN) F80.flags |= SW_IE;
    CVT.lo = (a.sign << 31) | 0x7fc00000 | ((a.hi >>> 8) & 0x3fffff);
    return;
  }
  if (a.cls === CLS_ZERO) CVT.lo = a.sign << 31;
  else if (a.cls === CLS_INF) CVT.lo = (a.sign << 31) | 0x7f800000;
  else {
    roundPack(a.sign, a.exp - BIAS + 127, a.hi, a.lo, 0, PC_24, EMAX_SGL);
    const e = F80.se & 0x7fff;
    CVT.lo = (a.sign << 31) | (e << 23) | ((F80.hi >>> 8) & 0x7fffff);
  }
}

/** Stores to a double: raw halves in CVT.lo / CVT.hi. */
export function f80ToF64(se: number, hi: number, lo: number): void {
  unpack(UA, se, hi, lo);
  const a = UA;
  if (a.cls >= CLS_QNAN) {
    if (a.cls === CLS_BAD) {
      F80.flags |= SW_IE;
      CVT.hi = 0xfff80000 | 0;
      CVT.lo = 0;
      return;
    }
    if (a.cls === CLS_SNAN) F80.flags |= SW_IE;
    CVT.hi = (a.sign << 31) | 0x7ff80000 | ((a.hi >>> 11) & 0x7ffff);
    CVT.lo = (a.hi << 21) | (a.lo >>> 11);
    return;
  }
  if (a.cls === CLS_ZERO) {
    CVT.hi = a.sign << 31;
    CVT.lo = 0;
  } else if (a.cls === CLS_INF) {
    CVT.hi = (a.sign << 31) | 0x7ff00000;
    CVT.lo = 0;
  } else {
    roundPack(a.sign, a.exp - BIAS + 1023, a.hi, a.lo, 0, PC_53, EMAX_DBL);
    const e = F80.se & 0x7fff;
    CVT.hi = (a.sign << 31) | (e << 20) | ((F80.hi >>> 11) & 0xfffff);
    CVT.lo = (F80.hi << 21) | (F80.lo >>> 11);
  }
}

// Integer part of the last split, and its rounding.
let IH = 0;
let IL = 0;
let INEXACT = false;

/**
 * Rounds the finite value in UA to an integer magnitude in IH:IL under
 * rounding control `rc` (3 truncates). Returns false when the magnitude does
 * not fit in 64 bits.
 */
function roundToInteger(rc: number): boolean {
  const a = UA;
  const ue = a.exp - BIAS;
  if (ue >= 64) return false;
  let w0 = a.hi;
  let w1 = a.lo;
  let w2 = 0;
  let n = 63 - ue;
  if (n >= 96) {
    w2 = 1;
    w0 = 0;
    w1 = 0;
  } else {
    let sticky = 0;
    while (n >= 32) {
      sticky |= w2;
      w2 = w1;
      w1 = w0;
      w0 = 0;
      n -= 32;
    }
    if (n > 0) {
      sticky |= w2 << (32 - n);
      w2 = ((w2 >>> n) | (w1 << (32 - n))) >>> 0;
      w1 = ((w1 >>> n) | (w0 << (32 - n))) >>> 0;
      w0 = w0 >>> n;
    }
    if (sticky !== 0) w2 = (w2 | 1) >>> 0;
  }
  INEXACT = w2 !== 0;
  let inc = 0;
  if (INEXACT) {
    if (rc === 0) inc = w2 > 0x80000000 || (w2 === 0x80000000 && (w1 & 1) === 1) ? 1 : 0;
    else if (rc === 1) inc = a.sign;
    else if (rc === 2) inc = a.sign ^ 1;
  }
  if (inc) {
    F80.flags |= SW_C1;
    w1 += 1;
    if (w1 >= TWO32) {
      w1 = 0;
      w0 += 1;
      if (w0 >= TWO32) return false;
    }
  }
  IH = w0 >>> 0;
  IL = w1 >>> 0;
  return true;
}

/**
 * Stores as a signed integer of `bytes` (2, 4, 8) bytes, rounding under the
 * control word or truncating (fisttp). Out of range values and NaNs raise IE
 * and give the integer indefinite (the most negative value).
 */
export function f80ToInt(se: number, hi: number, lo: number, bytes: number, trunc: boolean): void {
  unpack(UA, se, hi, lo);
  const a = UA;
  const saved = F80.flags;
  if (a.cls === CLS_ZERO) {
    CVT.lo = 0;
    CVT.hi = 0;
    return;
  }
  if (a.cls === CLS_FINITE) {
    if (roundToInteger(trunc ? 3 : (F80.cw >>> 10) & 3) && fitsSigned(a.sign, bytes)) {
      if (INEXACT) F80.flags |= SW_PE;
      let l = IL;
      let h = IH;
      if (a.sign) {
        l = (TWO32 - l) % TWO32;
        h = ~h + (l === 0 ? 1 : 0);
      }
      CVT.lo = l | 0;
      CVT.hi = h | 0;
      return;
    }
    F80.flags = saved | (F80.flags & SW_DE);
  }
  F80.flags |= SW_IE;
  if (bytes === 8) {
    CVT.lo = 0;
    CVT.hi = 0x80000000 | 0;
  } else {
    CVT.lo = bytes === 4 ? 0x80000000 | 0 : 0x8000;
    CVT.hi = 0;
  }
}

function fitsSigned(sign: number, bytes: number): boolean {
  if (bytes === 8) return IH < 0x80000000 || (sign === 1 && IH === 0x80000000 && IL === 0);
  if (IH !== 0) return false;
  const lim = bytes === 4 ? 0x80000000 : 0x8000;
  return IL < lim || (sign === 1 && IL === lim);
}

/** Rounds to an integral value under the rounding control (frndint). */
export function f80RoundInt(se: number, hi: number, lo: number): void {
  unpack(UA, se, hi, lo);
  const a = UA;
  if (a.cls !== CLS_FINITE) {
    if (a.cls >= CLS_QNAN) {
      if (a.cls === CLS_BAD) {
        F80.flags |= SW_IE;
        setResult(0xffff, 0xc0000000, 0);
      } else {
        if (a.cls === CLS_SNAN) F80.flags |= SW_IE;
        setResult(se, hi | 0x40000000, lo);
      }
    } else setResult(se, hi, lo);
    return;
  }
  if (a.den) {
    F80.flags |= SW_DE;
    if ((F80.cw & SW_DE) === 0) return;
  }
  if (a.exp - BIAS >= 63) {
    setResult((a.sign << 15) | a.exp, a.hi, a.lo);
    return;
  }
  roundToInteger((F80.cw >>> 10) & 3);
  if (INEXACT) F80.flags |= SW_PE;
  let h = IH;
  let l = IL;
  if ((h | l) === 0) {
    setResult(a.sign << 15, 0, 0);
    return;
  }
  let e = BIAS + 63;
  if (h === 0) {
    h = l;
    l = 0;
    e -= 32;
  }
  const n = Math.clz32(h);
  if (n > 0) {
    h = (h << n) | (l >>> (32 - n));
    l = l << n;
  }
  setResult((a.sign << 15) | (e - n), h, l);
}

/** Comparison outcomes of {@link f80Compare}. */
export const CMP_GT = 0;
/** a < b. */
export const CMP_LT = 1;
/** a == b. */
export const CMP_EQ = 2;
/** Unordered (a NaN or an unsupported operand). */
export const CMP_UN = 3;

/**
 * Compares a with b. Signalling NaNs and unsupported operands always raise
 * IE; quiet NaNs raise it unless `quiet` (the fucom family).
 */
export function f80Compare(
  ase: number,
  ahi: number,
  alo: number,
  bse: number,
  bhi: number,
  blo: number,
  quiet: boolean,
): number {
  unpack(UA, ase, ahi, alo);
  unpack(UB, bse, bhi, blo);
  const a = UA;
  const b = UB;
  if (a.cls >= CLS_QNAN || b.cls >= CLS_QNAN) {
    if (!quiet || a.cls >= CLS_SNAN || b.cls >= CLS_SNAN) F80.flags |= SW_IE;
    return CMP_UN;
  }
  if (a.den | b.den) F80.flags |= SW_DE;
  if (a.cls === CLS_ZERO && b.cls === CLS_ZERO) return CMP_EQ;
  const ka = magnitudeKey(a.cls, a.exp);
  const kb = magnitudeKey(b.cls, b.exp);
  let c: number;
  if (a.cls === CLS_ZERO) c = -1;
  else if (b.cls === CLS_ZERO) c = 1;
  else if (ka !== kb) c = ka > kb ? 1 : -1;
  else if (a.cls === CLS_INF) c = 0;
  else if (a.hi !== b.hi) c = a.hi > b.hi ? 1 : -1;
  else if (a.lo !== b.lo) c = a.lo > b.lo ? 1 : -1;
  else c = 0;
  // c compares magnitudes; fold in the signs.
  const sa = a.cls === CLS_ZERO ? 1 - b.sign : a.sign;
  const sb = b.cls === CLS_ZERO ? 1 - a.sign : b.sign;
  if (sa !== sb) return sa ? CMP_LT : CMP_GT;
  if (c === 0) return CMP_EQ;
  return c > 0 !== (sa === 1) ? CMP_GT : CMP_LT;
}

function magnitudeKey(cls: number, exp: number): number {
  return cls === CLS_INF ? 1e9 : exp;
}
