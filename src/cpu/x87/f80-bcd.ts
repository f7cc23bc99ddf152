/**
 * Packed BCD conversions for fbld and fbstp: 18 decimal digits, two per byte
 * (low nibble first) in bytes 0-8, the sign in bit 7 of byte 9.
 */
import { F80, SW_IE } from './float80.ts';
import { CVT, f80FromInt, f80ToInt } from './f80-convert.ts';
import { PROD, mul64 } from './f80-arith.ts';

/** The 10 bytes of the last {@link f80ToBcd}. */
export const BCD_OUT = new Uint8Array(10);

const LIMBS = new Float64Array(4);

/** Loads a packed BCD integer (exactly: it has at most 18 digits). */
export function f80FromBcd(bytes: Uint8Array): void {
  let low = 0;
  let high = 0;
  for (let k = 8; k >= 0; k--) {
    const digits = (bytes[k] >>> 4) * 10 + (bytes[k] & 15);
    if (k >= 5) high = high * 100 + digits;
    else low = low * 100 + digits;
  }
  // Digits 10-17 times 10^10 plus digits 0-9, in 64 bits.
  mul64(0, high, 0, 1e10 % 4294967296);
  let lo = PROD[3];
  let hi = PROD[2] + high * 2; // 10^10 = 2 * 2^32 + 1410065408
  const sum = lo + (low % 4294967296);
  lo = sum >>> 0;
  hi += Math.floor(low / 4294967296) + (sum >= 4294967296 ? 1 : 0);
  f80FromInt(lo, hi);
  if (bytes[9] & 0x80) F80.se |= 0x8000;
}

/**
 * Stores as packed BCD into BCD_OUT, rounding by the control word. Values
 * of 10^18 or more, NaNs and infinities raise IE and give the BCD
 * indefinite.
 */
export function f80ToBcd(se: number, hi: number, lo: number): void {
  const saved = F80.flags;
  f80ToInt(se, hi, lo, 8, false);
  let h = CVT.hi >>> 0;
  let l = CVT.lo >>> 0;
  if (CVT.hi < 0) {
    l = (4294967296 - l) % 4294967296;
    h = (~h + (l === 0 ? 1 : 0)) >>> 0;
  }
  const big = h * 4294967296 + l;
  if (F80.flags & SW_IE || big >= 1e18) {
    F80.flags = saved | SW_IE | (F80.flags & 0x02);
    BCD_OUT.fill(0);
    BCD_OUT[7] = 0xc0;
    BCD_OUT[8] = 0xff;
    BCD_OUT[9] = 0xff;
    return;
  }
  // Split into 9-digit halves by long division on 16-bit limbs.
  LIMBS[0] = h >>> 16;
  LIMBS[1] = h & 0xffff;
  LIMBS[2] = l >>> 16;
  LIMBS[3] = l & 0xffff;
  let r = 0;
  let q = 0;
  for (let k = 0; k < 4; k++) {
    const cur = r * 65536 + LIMBS[k];
    const d = Math.floor(cur / 1e9);
    q = q * 65536 + d;
    r = cur - d * 1e9;
  }
  writeDigits(r, 0);
  writeDigits(q, 9);
  BCD_OUT[9] = se & 0x8000 ? 0x80 : 0;
}

/** Writes 9 decimal digits of v starting at digit position `first`. */
function writeDigits(v: number, first: number): void {
  for (let d = first; d < first + 9; d++) {
    const digit = v % 10;
    v = (v - digit) / 10;
    const byte = d >> 1;
    if (d & 1) BCD_OUT[byte] |= digit << 4;
    else BCD_OUT[byte] = digit;
  }
}
