/**
 * Multi-word integer arithmetic for multiply and divide, on 32-bit words held
 * in plain numbers: no BigInt and no allocation per call. Results are left in
 * the module's scratch words `W` (least significant first) or returned.
 */

const TWO32 = 4294967296;

/** Scratch result words, least significant first (int32 each). */
export const W = new Int32Array(4);

/** High half of the last mulU32 product (int32 bit pattern). */
export let mulHi = 0;

/** Unsigned 32 x 32 -> 64-bit product: returns the low half, high half in mulHi. */
export function mulU32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  mulHi = (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536)) | 0;
  return (p00 & 0xffff) | (mid << 16);
}

/** Signed 32 x 32 -> 64-bit product: returns the low half, high half in mulHi. */
export function mulS32(a: number, b: number): number {
  const lo = mulU32(a, b);
  mulHi = (mulHi - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
  return lo;
}

/**
 * 64 x 64 -> 128-bit product of (aLo, aHi) and (bLo, bHi) into W[0..3],
 * unsigned, or signed when `signed` is set.
 */
export function mul64(aLo: number, aHi: number, bLo: number, bHi: number, signed: boolean): void {
  const p00 = mulU32(aLo, bLo);
  const p00h = mulHi >>> 0;
  const p01 = mulU32(aLo, bHi) >>> 0;
  const p01h = mulHi >>> 0;
  const p10 = mulU32(aHi, bLo) >>> 0;
  const p10h = mulHi >>> 0;
  const p11 = mulU32(aHi, bHi) >>> 0;
  const p11h = mulHi >>> 0;
  const t1 = p00h + p01 + p10;
  const c1 = Math.floor(t1 / TWO32);
  const t2 = p01h + p10h + p11 + c1;
  const c2 = Math.floor(t2 / TWO32);
  W[0] = p00;
  W[1] = t1 | 0;
  W[2] = t2 | 0;
  W[3] = (p11h + c2) | 0;
  if (!signed) return;
  // Two's complement correction of the high 64 bits: subtract b when a is
  // negative and a when b is negative.
  if (aHi < 0) sub64At2(bLo, bHi);
  if (bHi < 0) sub64At2(aLo, aHi);
}

/** W[2..3] -= (lo, hi), modulo 2^64. */
function sub64At2(lo: number, hi: number): void {
  const d = (W[2] >>> 0) - (lo >>> 0);
  W[2] = d | 0;
  W[3] = (W[3] - hi - (d < 0 ? 1 : 0)) | 0;
}

/** Negates the 128-bit value in W[0..3]. */
export function neg128(): void {
  let carry = 1;
  for (let k = 0; k < 4; k++) {
    const v = (~W[k] >>> 0) + carry;
    W[k] = v | 0;
    carry = v >= TWO32 ? 1 : 0;
  }
}

/** Remainder of the last divide128 call (low, high). */
export const REM = new Int32Array(2);

/**
 * Unsigned division of the 128-bit W[0..3] by the 64-bit (dLo, dHi), which
 * must be non-zero. Leaves the quotient in W[0..3] and the remainder in REM.
 * The caller checks the quotient's range (the #DE rule) from W[2..3].
 */
export function divide128(dLo: number, dHi: number): void {
  if (dHi === 0) {
    divideBy32(dLo >>> 0);
    return;
  }
  // A divisor of 33 bits or more: plain shift-and-subtract, one quotient bit
  // per step. Rare (most 64-bit divisors in practice fit in 32 bits).
  const d = dHi >>> 0;
  const dl = dLo >>> 0;
  let rHi = 0;
  let rLo = 0;
  for (let k = 127; k >= 0; k--) {
    const word = k >> 5;
    const inBit = (W[word] >>> (k & 31)) & 1;
    // r = r * 2 + inBit, on a 65-bit remainder (top bit in `over`).
    const over = rHi >>> 31;
    rHi = ((rHi << 1) | (rLo >>> 31)) >>> 0;
    rLo = ((rLo << 1) | inBit) >>> 0;
    let q = 0;
    if (over || rHi > d || (rHi === d && rLo >= dl)) {
      const lo = rLo - dl;
      rLo = lo < 0 ? lo + TWO32 : lo;
      rHi = (rHi - d - (lo < 0 ? 1 : 0)) >>> 0;
      q = 1;
    }
    if (q) W[word] |= 1 << (k & 31);
    else W[word] &= ~(1 << (k & 31));
  }
  REM[0] = rLo | 0;
  REM[1] = rHi | 0;
}

/** W[0..3] /= d (0 < d < 2^32) in 16-bit steps, each exact in a double. */
function divideBy32(d: number): void {
  let r = 0;
  for (let k = 3; k >= 0; k--) {
    const w = W[k] >>> 0;
    const n1 = r * 65536 + (w >>> 16);
    const q1 = Math.floor(n1 / d);
    r = n1 - q1 * d;
    const n0 = r * 65536 + (w & 0xffff);
    const q0 = Math.floor(n0 / d);
    r = n0 - q0 * d;
    W[k] = (q1 << 16) | q0;
  }
  REM[0] = r | 0;
  REM[1] = 0;
}
