/**
 * IEEE division and square root of the extended format, by exact restoring
 * (bit at a time) loops that also serve the partial remainders; rounded
 * under the precision and rounding control of {@link F80.cw}.
 */
import {
  BIAS,
  CLS_INF,
  CLS_QNAN,
  CLS_ZERO,
  EMAX_EXT,
  F80,
  SW_DE,
  SW_ZE,
  UA,
  UB,
  invalid,
  nanResult,
  precision,
  roundPack,
  setResult,
  unmasked,
  unpack,
} from './float80.ts';

/** a / b. */
export function f80Div(
  ase: number,
  ahi: number,
  alo: number,
  bse: number,
  bhi: number,
  blo: number,
): void {
  unpack(UA, ase, ahi, alo);
  unpack(UB, bse, bhi, blo);
  if (UA.cls >= CLS_QNAN || UB.cls >= CLS_QNAN) {
    nanResult(UA, UB);
    return;
  }
  const a = UA;
  const b = UB;
  const sign = a.sign ^ b.sign;
  if ((a.cls === CLS_INF && b.cls === CLS_INF) || (a.cls === CLS_ZERO && b.cls === CLS_ZERO)) {
    invalid();
    return;
  }
  // Division by zero outranks a denormal dividend; infinity / 0 is exact.
  if (b.cls === CLS_ZERO && a.cls !== CLS_INF) {
    F80.flags |= SW_ZE;
    if (!unmasked(SW_ZE)) setResult((sign << 15) | 0x7fff, 0x80000000, 0);
    return;
  }
  if (a.den | b.den) {
    F80.flags |= SW_DE;
    if (unmasked(SW_DE)) return;
  }
  if (a.cls === CLS_INF) {
    setResult((sign << 15) | 0x7fff, 0x80000000, 0);
    return;
  }
  if (a.cls === CLS_ZERO || b.cls === CLS_INF) {
    setResult(sign << 15, 0, 0);
    return;
  }
  let exp = a.exp - b.exp + BIAS;
  let rc = 0;
  let rh = a.hi;
  let rl = a.lo;
  if (rh < b.hi || (rh === b.hi && rl < b.lo)) {
    rc = rh >>> 31;
    rh = ((rh << 1) | (rl >>> 31)) >>> 0;
    rl = (rl << 1) >>> 0;
    exp -= 1;
  }
  divLoop(rc, rh, rl, b.hi, b.lo, 65);
  const q1 = DIVR[2];
  const q0 = DIVR[1];
  const w2 = ((q1 & 1) << 31) | (DIVR[3] === 0 && DIVR[4] === 0 ? 0 : 1);
  const w1 = ((q1 >>> 1) | (q0 << 31)) >>> 0;
  const w0 = ((q0 >>> 1) | (DIVR[0] << 31)) >>> 0;
  roundPack(sign, exp, w0, w1, w2 >>> 0, precision(), EMAX_EXT);
}

/**
 * Result of the last {@link divLoop}: quotient words from the most
 * significant ([0] holds bit 64 and up), then the remainder's high and low
 * halves. A typed array keeps these large values unboxed.
 */
export const DIVR = new Float64Array(5);

/**
 * Restoring division: `steps` quotient bits of the 65-bit remainder
 * (rc:rh:rl) by (bh:bl), which must satisfy remainder < 2 * divisor. The
 * quotient and remainder land in {@link DIVR}.
 */
export function divLoop(
  rc: number,
  rh: number,
  rl: number,
  bh: number,
  bl: number,
  steps: number,
): void {
  let q2 = 0;
  let q0 = 0;
  let q1 = 0;
  for (let i = 0; i < steps; i++) {
    let bit = 0;
    if (rc !== 0 || rh > bh || (rh === bh && rl >= bl)) {
      let t = rl - bl;
      const borrow = t < 0 ? 1 : 0;
      rl = t >>> 0;
      t = rh - bh - borrow;
      rh = t >>> 0;
      rc = 0;
      bit = 1;
    }
    q2 = ((q2 << 1) | (q0 >>> 31)) >>> 0;
    q0 = ((q0 << 1) | (q1 >>> 31)) >>> 0;
    q1 = ((q1 << 1) | bit) >>> 0;
    if (i < steps - 1) {
      rc = rh >>> 31;
      rh = ((rh << 1) | (rl >>> 31)) >>> 0;
      rl = (rl << 1) >>> 0;
    }
  }
  DIVR[0] = q2;
  DIVR[1] = q0;
  DIVR[2] = q1;
  DIVR[3] = rh;
  DIVR[4] = rl;
}

/** Square root of a. */
export function f80Sqrt(ase: number, ahi: number, alo: number): void {
  unpack(UA, ase, ahi, alo);
  const a = UA;
  if (a.cls >= CLS_QNAN) {
    nanResult(a, null);
    return;
  }
  if (a.cls === CLS_ZERO) {
    setResult(a.sign << 15, 0, 0);
    return;
  }
  if (a.sign === 1) {
    invalid();
    return;
  }
  if (a.den) {
    F80.flags |= SW_DE;
    if (unmasked(SW_DE)) return;
  }
  if (a.cls === CLS_INF) {
    setResult(0x7fff, 0x80000000, 0);
    return;
  }
  const ue = a.exp - BIAS;
  const odd = ue & 1;
  sqrtLoop(a.hi, a.lo, odd ? 66 : 65);
  const exp = Math.floor(ue / 2) + BIAS;
  // The root has 65 bits: keep 64, the 65th is the round bit.
  const s1 = SQ[1];
  const s0 = SQ[2];
  const w0 = ((s1 >>> 1) | (SQ[0] << 31)) >>> 0;
  const w1 = ((s0 >>> 1) | (s1 << 31)) >>> 0;
  const w2 = (((s0 & 1) << 31) | (SQ[3] ? 0 : 1)) >>> 0;
  roundPack(0, exp, w0, w1, w2, precision(), EMAX_EXT);
}

// Root of the last sqrtLoop, most significant word first, then 1 when the
// remainder was zero.
const SQ = new Float64Array(4);

/**
 * Digit-by-digit square root of (hi:lo) << shift, a 130-bit radicand,
 * giving a 65-bit root in SQ.
 */
function sqrtLoop(hi: number, lo: number, shift: number): void {
  let s2 = 0;
  let s1 = 0;
  let s0 = 0;
  let m2 = 0;
  let m1 = 0;
  let m0 = 0;
  for (let i = 64; i >= 0; i--) {
    const pair = (radicandBit(hi, lo, 2 * i + 1 - shift) << 1) | radicandBit(hi, lo, 2 * i - shift);
    // rem = rem << 2 | pair
    m2 = ((m2 << 2) | (m1 >>> 30)) >>> 0;
    m1 = ((m1 << 2) | (m0 >>> 30)) >>> 0;
    m0 = ((m0 << 2) | pair) >>> 0;
    // trial = root << 2 | 1
    const t2 = ((s2 << 2) | (s1 >>> 30)) >>> 0;
    const t1 = ((s1 << 2) | (s0 >>> 30)) >>> 0;
    const t0 = ((s0 << 2) | 1) >>> 0;
    let bit = 0;
    if (m2 > t2 || (m2 === t2 && (m1 > t1 || (m1 === t1 && m0 >= t0)))) {
      let t = m0 - t0;
      let borrow = t < 0 ? 1 : 0;
      m0 = t >>> 0;
      t = m1 - t1 - borrow;
      borrow = t < 0 ? 1 : 0;
      m1 = t >>> 0;
      m2 = (m2 - t2 - borrow) >>> 0;
      bit = 1;
    }
    s2 = ((s2 << 1) | (s1 >>> 31)) >>> 0;
    s1 = ((s1 << 1) | (s0 >>> 31)) >>> 0;
    s0 = ((s0 << 1) | bit) >>> 0;
  }
  SQ[0] = s2;
  SQ[1] = s1;
  SQ[2] = s0;
  SQ[3] = (m0 | m1 | m2) === 0 ? 1 : 0;
}

function radicandBit(hi: number, lo: number, k: number): number {
  if (k < 0 || k > 63) return 0;
  return k < 32 ? (lo >>> k) & 1 : (hi >>> (k - 32)) & 1;
}
