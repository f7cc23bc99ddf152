/**
 * Handlers of the x87 data movement instructions: loads and stores in every
 * format, register copies and exchanges, conditional moves, constants, and
 * the sign and tag manipulations (fchs, fabs, fxam, ffree, fincstp, fdecstp).
 */
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../insn.ts';
import { F80, INDEF_HI, INDEF_SE, SW_C0, SW_C1, SW_C2, SW_C3 } from './float80.ts';
import { CVT, f80ToF32, f80ToF64, f80ToInt } from './f80-convert.ts';
import { BCD_OUT, f80FromBcd, f80ToBcd } from './f80-bcd.ts';
import {
  FMT_F32,
  FMT_F64,
  FMT_F80,
  FMT_I16,
  FMT_I32,
  FMT_I64,
  begin,
  loadMem,
  pushResult,
  underflow,
} from './exec-common.ts';

/** fld m32/m64/m80 and fild m16/m32/m64. */
export function fldMem(cpu: Cpu, i: Insn, fmt: number): void {
  const f = begin(cpu);
  loadMem(cpu, i, fmt, false);
  pushResult(f);
}

/** fld st(i): pushes a copy of ST(i). */
export function fldReg(cpu: Cpu, src: number): void {
  const f = begin(cpu);
  if (f.isEmpty(src)) {
    F80.se = INDEF_SE;
    F80.hi = INDEF_HI;
    F80.lo = 0;
    if (!underflow(f, -1)) {
      f.commit(SW_C1, F80.flags);
      return;
    }
  } else {
    const r = f.phys(src);
    F80.se = f.se[r];
    F80.hi = f.hi[r];
    F80.lo = f.lo[r];
  }
  pushResult(f);
}

/** fst/fstp st(i): copies ST(0) into ST(dst), popping when `pop`. */
export function fstReg(cpu: Cpu, dst: number, pop: boolean): void {
  const f = begin(cpu);
  if (f.isEmpty(0)) {
    if (underflow(f, dst) && pop) f.pop();
  } else {
    const r = f.phys(0);
    f.write(dst, f.se[r], f.hi[r], f.lo[r]);
    if (pop) f.pop();
  }
  f.commit(SW_C1, F80.flags);
}

/** The indefinite of each memory format, low and high halves. */
function indefinite(fmt: number): void {
  CVT.hi = 0;
  if (fmt === FMT_F32) CVT.lo = 0xffc00000 | 0;
  else if (fmt === FMT_F64) {
    CVT.lo = 0;
    CVT.hi = 0xfff80000 | 0;
  } else if (fmt === FMT_I16) CVT.lo = 0x8000;
  else if (fmt === FMT_I32) CVT.lo = 0x80000000 | 0;
  else if (fmt === FMT_I64) {
    CVT.lo = 0;
    CVT.hi = 0x80000000 | 0;
  } else {
    CVT.lo = 0;
    CVT.hi = INDEF_HI | 0;
  }
}

function writeMem(cpu: Cpu, a: number, fmt: number, se: number): void {
  if (fmt === FMT_I16) cpu.write16(a, CVT.lo);
  else if (fmt === FMT_F32 || fmt === FMT_I32) cpu.write32(a, CVT.lo);
  else if (fmt === FMT_F80) {
    cpu.probeWrite(a, 10);
    cpu.write64(a, CVT.lo, CVT.hi);
    cpu.write16(a + 8, se);
  } else cpu.write64(a, CVT.lo, CVT.hi);
}

/**
 * fst/fstp/fist/fistp/fisttp to memory. `trunc` selects fisttp. An unmasked
 * exception leaves memory and the stack as they were.
 */
export function fstMem(cpu: Cpu, i: Insn, fmt: number, pop: boolean, trunc = false): void {
  const f = begin(cpu);
  const a = i.eaf(cpu, i);
  let se = INDEF_SE;
  if (f.isEmpty(0)) {
    if (!underflow(f, -1)) {
      f.commit(SW_C1, F80.flags);
      return;
    }
    indefinite(fmt);
  } else {
    const r = f.phys(0);
    se = f.se[r];
    if (fmt === FMT_F32) f80ToF32(se, f.hi[r], f.lo[r]);
    else if (fmt === FMT_F64) f80ToF64(se, f.hi[r], f.lo[r]);
    else if (fmt === FMT_F80) {
      CVT.lo = f.lo[r] | 0;
      CVT.hi = f.hi[r] | 0;
    } else f80ToInt(se, f.hi[r], f.lo[r], fmt === FMT_I16 ? 2 : fmt === FMT_I32 ? 4 : 8, trunc);
    if (F80.flags & ~f.fcw & 0x1f) {
      f.commit(SW_C1, F80.flags);
      return;
    }
  }
  writeMem(cpu, a, fmt, se);
  if (pop) f.pop();
  f.commit(SW_C1, F80.flags);
}

/** fxch st(i). */
export function fxch(cpu: Cpu, src: number): void {
  const f = begin(cpu);
  if (f.isEmpty(0) || f.isEmpty(src)) {
    if (!underflow(f, -1)) {
      f.commit(SW_C1, F80.flags);
      return;
    }
    if (f.isEmpty(0)) f.write(0, INDEF_SE, INDEF_HI, 0);
    if (f.isEmpty(src)) f.write(src, INDEF_SE, INDEF_HI, 0);
  }
  const a = f.phys(0);
  const b = f.phys(src);
  const se = f.se[a];
  const hi = f.hi[a];
  const lo = f.lo[a];
  f.write(0, f.se[b], f.hi[b], f.lo[b]);
  f.write(src, se, hi, lo);
  f.commit(SW_C1, F80.flags);
}

/** fcmovcc st(0), st(i): `cc` is a jcc condition code evaluated on EFLAGS. */
export function fcmov(cpu: Cpu, src: number, cc: number): void {
  const f = begin(cpu);
  if (f.isEmpty(0) || f.isEmpty(src)) underflow(f, 0);
  else if (cpu.cond(cc)) {
    const b = f.phys(src);
    f.write(0, f.se[b], f.hi[b], f.lo[b]);
  }
  f.commit(SW_C1, F80.flags);
}

// Each constant: sign/exponent, high half, low half truncated, and whether
// rounding to nearest goes up (rounding up always does for inexact ones).
const CONSTS = [
  [0x3fff, 0x80000000, 0x00000000, -1], // fld1 (exact)
  [0x4000, 0xd49a784b, 0xcd1b8afe, 0], // fldl2t
  [0x3fff, 0xb8aa3b29, 0x5c17f0bb, 1], // fldl2e
  [0x4000, 0xc90fdaa2, 0x2168c234, 1], // fldpi
  [0x3ffd, 0x9a209a84, 0xfbcff798, 1], // fldlg2
  [0x3ffe, 0xb17217f7, 0xd1cf79ab, 1], // fldln2
  [0x0000, 0x00000000, 0x00000000, -1], // fldz (exact)
];

/** fld1, fldl2t, fldl2e, fldpi, fldlg2, fldln2, fldz (k = 0..6), rounded by RC. */
export function fldConst(cpu: Cpu, k: number): void {
  const f = begin(cpu);
  const c = CONSTS[k];
  const rc = (f.fcw >>> 10) & 3;
  const up = c[3] >= 0 && (rc === 2 || (rc === 0 && c[3] === 1));
  F80.se = c[0];
  F80.hi = c[1];
  F80.lo = c[2] + (up ? 1 : 0);
  pushResult(f);
}

/** fchs (negate) and fabs: sign operations on ST(0) that raise nothing. */
export function fsign(cpu: Cpu, abs: boolean): void {
  const f = begin(cpu);
  if (f.isEmpty(0)) underflow(f, 0);
  else {
    const r = f.phys(0);
    f.se[r] = abs ? f.se[r] & 0x7fff : f.se[r] ^ 0x8000;
  }
  f.commit(SW_C1, F80.flags);
}

/** fxam: classifies ST(0) into C3 C2 C0, with its sign in C1. */
export function fxam(cpu: Cpu): void {
  const f = begin(cpu);
  const r = f.phys(0);
  const se = f.se[r];
  const e = se & 0x7fff;
  const hi = f.hi[r];
  const lo = f.lo[r];
  let cc: number;
  if (f.isEmpty(0)) cc = SW_C3 | SW_C0;
  else if (e === 0x7fff) {
    if (hi < 0x80000000) cc = 0;
    else cc = (hi & 0x7fffffff) === 0 && lo === 0 ? SW_C2 | SW_C0 : SW_C0;
  } else if (e === 0) cc = hi === 0 && lo === 0 ? SW_C3 : SW_C3 | SW_C2;
  else cc = hi >= 0x80000000 ? SW_C2 : 0;
  if (se & 0x8000) cc |= SW_C1;
  f.commit(SW_C0 | SW_C1 | SW_C2 | SW_C3, cc);
}

/** ffree st(i) (and ffreep, which also pops). */
export function ffree(cpu: Cpu, i: number, pop: boolean): void {
  const f = begin(cpu);
  f.used &= ~(1 << f.phys(i));
  if (pop) f.pop();
  f.commit(0, 0);
}

/** fincstp (+1) and fdecstp (-1): move the top without touching tags. */
export function moveTop(cpu: Cpu, delta: number): void {
  const f = begin(cpu);
  f.top = (f.top + delta) & 7;
  f.commit(SW_C1, 0);
}

const BCD_IN = new Uint8Array(10);

/** fbld m80: pushes a packed BCD integer. */
export function fbld(cpu: Cpu, i: Insn): void {
  const f = begin(cpu);
  const a = i.eaf(cpu, i);
  for (let k = 0; k < 10; k++) BCD_IN[k] = cpu.read8(a + k);
  f80FromBcd(BCD_IN);
  pushResult(f);
}

/** fbstp m80: stores ST(0) as packed BCD and pops. */
export function fbstp(cpu: Cpu, i: Insn): void {
  const f = begin(cpu);
  const a = i.eaf(cpu, i);
  if (f.isEmpty(0)) {
    if (!underflow(f, -1)) {
      f.commit(SW_C1, F80.flags);
      return;
    }
    f80ToBcd(INDEF_SE, INDEF_HI, 0);
    F80.flags &= ~SW_C1;
  } else {
    const r = f.phys(0);
    f80ToBcd(f.se[r], f.hi[r], f.lo[r]);
    if (F80.flags & ~f.fcw & 0x1f) {
      f.commit(SW_C1, F80.flags);
      return;
    }
  }
  cpu.probeWrite(a, 10);
  for (let k = 0; k < 10; k++) cpu.write8(a + k, BCD_OUT[k]);
  f.pop();
  f.commit(SW_C1, F80.flags);
}
