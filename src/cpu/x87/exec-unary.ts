/**
 * Handlers of the x87 instructions that compute on the stack top (and
 * sometimes ST(1)): fsqrt, frndint, fscale, fxtract, fprem, fprem1 and the
 * transcendentals.
 */
import type { Cpu } from '../cpu.ts';
import { F80, INDEF_HI, INDEF_SE, SW_C0, SW_C1, SW_C2, SW_C3, SW_IE } from './float80.ts';
import { f80Sqrt } from './f80-divide.ts';
import { f80RoundInt } from './f80-convert.ts';
import { F80B, f80Prem, f80Scale, f80Xtract } from './f80-misc.ts';
import { F80T, f80Trig } from './f80-trig.ts';
import { f80F2xm1, f80Patan, f80Yl2x } from './f80-log.ts';
import { begin, finish, suppressed, underflow } from './exec-common.ts';
import type { X87State } from './state.ts';

/** The value pushed second by fxtract, fsincos and fptan. */
const SECOND = { se: 0, hi: 0, lo: 0 };

type Unary = (se: number, hi: number, lo: number) => void;

function unary(cpu: Cpu, fn: Unary): void {
  const f = begin(cpu);
  if (f.isEmpty(0)) {
    underflow(f, 0);
    f.commit(SW_C1, F80.flags);
    return;
  }
  const r = f.phys(0);
  fn(f.se[r], f.hi[r], f.lo[r]);
  finish(f, 0, 0);
}

/** fsqrt. */
export function fsqrt(cpu: Cpu): void {
  unary(cpu, f80Sqrt);
}

/** frndint. */
export function frndint(cpu: Cpu): void {
  unary(cpu, f80RoundInt);
}

/** f2xm1. */
export function f2xm1(cpu: Cpu): void {
  unary(cpu, f80F2xm1);
}

/** Both ST(0) and ST(1) must hold values; otherwise a stack underflow. */
function twoOperands(f: X87State, dst: number, pops: number): boolean {
  if (!f.isEmpty(0) && !f.isEmpty(1)) return true;
  if (underflow(f, dst)) for (let k = 0; k < pops; k++) f.pop();
  f.commit(SW_C1, F80.flags);
  return false;
}

/** fscale: ST(0) = ST(0) * 2^trunc(ST(1)). */
export function fscale(cpu: Cpu): void {
  const f = begin(cpu);
  if (!twoOperands(f, 0, 0)) return;
  const a = f.phys(0);
  const b = f.phys(1);
  f80Scale(f.se[a], f.hi[a], f.lo[a], f.se[b], f.hi[b], f.lo[b]);
  finish(f, 0, 0);
}

const CC = SW_C0 | SW_C1 | SW_C2 | SW_C3;

/** fprem (`nearest` false) and fprem1: partial remainder of ST(0) by ST(1). */
export function fprem(cpu: Cpu, nearest: boolean): void {
  const f = begin(cpu);
  if (!twoOperands(f, 0, 0)) return;
  const a = f.phys(0);
  const b = f.phys(1);
  f80Prem(f.se[a], f.hi[a], f.lo[a], f.se[b], f.hi[b], f.lo[b], nearest);
  if (!suppressed(f)) f.writeResult(0);
  f.commit(CC, F80.flags);
}

/**
 * Replaces ST(0) with F80 and pushes `second` (fxtract, fsincos, fptan),
 * after checking that the push has room.
 */
function replaceAndPush(f: X87State, second: { se: number; hi: number; lo: number }): void {
  if (suppressed(f)) {
    f.commit(SW_C1, F80.flags);
    return;
  }
  f.writeResult(0);
  f.push();
  f.write(0, second.se, second.hi, second.lo);
  f.commit(SW_C1 | SW_C2, F80.flags);
}

/** A stack top that cannot take a second result: overflow or underflow. */
function pushBlocked(f: X87State): boolean {
  if (f.isEmpty(0)) {
    if (underflow(f, 0)) {
      f.push();
      f.write(0, INDEF_SE, INDEF_HI, 0);
    }
  } else if (!f.pushRoom()) {
    if (f.fcw & SW_IE) {
      f.write(0, INDEF_SE, INDEF_HI, 0);
      f.push();
      f.write(0, INDEF_SE, INDEF_HI, 0);
    }
  } else return false;
  f.commit(SW_C1, F80.flags);
  return true;
}

/** fxtract: ST(0) = exponent, then push the significand. */
export function fxtract(cpu: Cpu): void {
  const f = begin(cpu);
  if (pushBlocked(f)) return;
  const r = f.phys(0);
  f80Xtract(f.se[r], f.hi[r], f.lo[r]);
  SECOND.se = F80.se;
  SECOND.hi = F80.hi;
  SECOND.lo = F80.lo;
  F80.se = F80B.se;
  F80.hi = F80B.hi;
  F80.lo = F80B.lo;
  replaceAndPush(f, SECOND);
}

/** fsin (fn TRIG_SIN) and fcos: replace ST(0); C2 set when out of range. */
export function ftrig(cpu: Cpu, fn: number): void {
  const f = begin(cpu);
  if (f.isEmpty(0)) {
    underflow(f, 0);
    f.commit(SW_C1 | SW_C2, F80.flags);
    return;
  }
  const r = f.phys(0);
  const done = f80Trig(f.se[r], f.hi[r], f.lo[r], fn);
  if (done && !suppressed(f)) f.writeResult(0);
  f.commit(SW_C1 | SW_C2, F80.flags);
}

/** fsincos (ST(0) = sin, push cos) and fptan (ST(0) = tan, push 1.0). */
export function ftrig2(cpu: Cpu, fn: number): void {
  const f = begin(cpu);
  if (pushBlocked(f)) return;
  const r = f.phys(0);
  if (!f80Trig(f.se[r], f.hi[r], f.lo[r], fn)) {
    f.commit(SW_C1 | SW_C2, F80.flags);
    return;
  }
  // fsincos ends with ST(1) = sin, ST(0) = cos; fptan with ST(0) = 1.0.
  SECOND.se = F80T.se;
  SECOND.hi = F80T.hi;
  SECOND.lo = F80T.lo;
  replaceAndPush(f, SECOND);
}

/** fpatan (ST(1) = atan(ST(1) / ST(0)), pop), fyl2x and fyl2xp1. */
export function fbinaryPop(cpu: Cpu, kind: number): void {
  const f = begin(cpu);
  if (!twoOperands(f, 1, 1)) return;
  const x = f.phys(0);
  const y = f.phys(1);
  if (kind === 0) f80Patan(f.se[y], f.hi[y], f.lo[y], f.se[x], f.hi[x], f.lo[x]);
  else f80Yl2x(f.se[y], f.hi[y], f.lo[y], f.se[x], f.hi[x], f.lo[x], kind === 2);
  finish(f, 1, 1);
}
