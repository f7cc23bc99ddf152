/**
 * Double-double arithmetic (a value is an unevaluated sum hi + lo of two
 * doubles, about 106 significant bits) for the x87 transcendentals, which
 * must be accurate well past the 64 bits of the extended format. Operations
 * leave their result in {@link DD} instead of allocating pairs.
 */

/** Result of the last operation. */
export const DD = { hi: 0, lo: 0 };

const SPLIT = 134217729; // 2^27 + 1, Dekker's splitter

/** hi + lo = a + b exactly. */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  DD.hi = s;
  DD.lo = a - (s - bb) + (b - bb);
}

/** a * b as an exact double-double (for |a|, |b| well inside the range). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  DD.hi = p;
  DD.lo = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (ah + al) + (bh + bl). */
export function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const sh = DD.hi;
  const sl = DD.lo;
  twoSum(al, bl);
  const th = DD.hi;
  const tl = DD.lo;
  let c = sl + th;
  let vh = sh + c;
  let vl = c - (vh - sh);
  c = tl + vl;
  const wh = vh + c;
  vl = c - (wh - vh);
  vh = wh;
  DD.hi = vh + vl;
  DD.lo = vl - (DD.hi - vh);
}

/** (ah + al) * (bh + bl). */
export function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const ph = DD.hi;
  const pl = DD.lo + (ah * bl + al * bh);
  DD.hi = ph + pl;
  DD.lo = pl - (DD.hi - ph);
}

/** (ah + al) / (bh + bl): a double quotient refined by two corrections. */
export function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl);
  ddAdd(ah, al, -DD.hi, -DD.lo);
  const rh = DD.hi;
  const rl = DD.lo;
  const q2 = rh / bh;
  ddMul(q2, 0, bh, bl);
  ddAdd(rh, rl, -DD.hi, -DD.lo);
  const q3 = DD.hi / bh;
  twoSum(q1, q2);
  ddAdd(DD.hi, DD.lo, q3, 0);
}

/** (ah + al) / n for a small integer n. */
export function ddDivInt(ah: number, al: number, n: number): void {
  const q1 = ah / n;
  twoProd(q1, n);
  const r = ah - DD.hi - DD.lo + al;
  const q2 = r / n;
  DD.hi = q1 + q2;
  DD.lo = q2 - (DD.hi - q1);
}
