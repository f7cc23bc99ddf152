/**
 * What every x87 instruction handler shares: the pending-exception check of
 * waiting instructions, reading operands from the stack and from memory in
 * every format, and writing results back with the hardware's rules for
 * stack faults and unmasked exceptions.
 */
import type { Cpu } from '../cpu.ts';
import { CpuFault } from '../fault.ts';
import type { Insn } from '../insn.ts';
import {
  DEN_HINT,
  F80,
  INDEF_HI,
  INDEF_SE,
  SW_C1,
  SW_DE,
  SW_ES,
  SW_IE,
  SW_SF,
  SW_ZE,
} from './float80.ts';
import { f80FromF32, f80FromF64, f80FromInt } from './f80-convert.ts';
import type { X87State } from './state.ts';

/** Memory operand formats. */
export const FMT_F32 = 0;
/** 64-bit double. */
export const FMT_F64 = 1;
/** 16-bit integer. */
export const FMT_I16 = 2;
/** 32-bit integer. */
export const FMT_I32 = 3;
/** 64-bit integer. */
export const FMT_I64 = 4;
/** 80-bit extended. */
export const FMT_F80 = 5;

/** Second operand of the instruction being run, loaded by {@link loadMem} or {@link loadSt}. */
export const OPB = { se: 0, hi: 0, lo: 0 };

/**
 * Starts a waiting x87 instruction: raises #MF when an unmasked exception is
 * pending, and prepares the soft-float for this instruction.
 */
export function begin(cpu: Cpu): X87State {
  const f = cpu.fpu;
  if (f.fsw & SW_ES) throw CpuFault.mf();
  F80.cw = f.fcw;
  F80.flags = 0;
  DEN_HINT.on = 0;
  return f;
}

/**
 * Reads a memory operand of format `fmt` and converts it to the extended
 * format in OPB (and F80). Conversion exceptions (SNaN, denormal) land in
 * F80.flags; for an arithmetic operand (`operand`) a signalling NaN stays
 * signalling so that the operation applies the NaN rules to it, for a load
 * it is quieted.
 */
export function loadMem(cpu: Cpu, i: Insn, fmt: number, operand = true): void {
  const a = i.eaf(cpu, i);
  switch (fmt) {
    case FMT_F32:
      f80FromF32(cpu.read32(a));
      if (operand && (F80.flags & SW_IE) !== 0) F80.hi &= ~0x40000000;
      break;
    case FMT_F64: {
      const lo = cpu.read64(a);
      const hi = cpu.hi;
      f80FromF64(lo, hi);
      if (operand && (F80.flags & SW_IE) !== 0) F80.hi &= ~0x40000000;
      break;
    }
    case FMT_I16: {
      const v = (cpu.read16(a) << 16) >> 16;
      f80FromInt(v, v >> 31);
      break;
    }
    case FMT_I32: {
      const v = cpu.read32(a);
      f80FromInt(v, v >> 31);
      break;
    }
    case FMT_I64: {
      const lo = cpu.read64(a);
      f80FromInt(lo, cpu.hi);
      break;
    }
    default: {
      const lo = cpu.read64(a);
      const hi = cpu.hi;
      F80.se = cpu.read16(a + 8);
      F80.hi = hi >>> 0;
      F80.lo = lo >>> 0;
    }
  }
  OPB.se = F80.se;
  OPB.hi = F80.hi >>> 0;
  OPB.lo = F80.lo >>> 0;
  if (operand && F80.flags & SW_DE) {
    // The operation raises DE itself, in its order of precedence.
    F80.flags &= ~SW_DE;
    DEN_HINT.on = 1;
    DEN_HINT.se = OPB.se;
    DEN_HINT.hi = OPB.hi;
    DEN_HINT.lo = OPB.lo;
  }
}

/** Copies ST(i) into OPB. */
export function loadSt(f: X87State, i: number): void {
  const r = f.phys(i);
  OPB.se = f.se[r];
  OPB.hi = f.hi[r];
  OPB.lo = f.lo[r];
}

/** True when an unmasked IE, DE or ZE was raised: the result must not be stored. */
export function suppressed(f: X87State): boolean {
  return (F80.flags & ~f.fcw & (SW_IE | SW_DE | SW_ZE)) !== 0;
}

/**
 * Records a stack underflow (an empty register was read). With invalid
 * masked, the destination ST(dst) (if any, dst >= 0) gets the indefinite.
 * Returns whether the instruction goes on (the exception is masked).
 */
export function underflow(f: X87State, dst: number): boolean {
  F80.flags = (F80.flags | SW_IE | SW_SF) & ~SW_C1;
  if (f.fcw & SW_IE) {
    if (dst >= 0) f.write(dst, INDEF_SE, INDEF_HI, 0);
    return true;
  }
  return false;
}

/**
 * Stores the soft-float result into ST(dst) unless an unmasked exception
 * forbids it, pops `pops` times when the instruction completed, and folds
 * the flags (with C1 from the rounding) into the status word.
 */
export function finish(f: X87State, dst: number, pops: number): void {
  if (!suppressed(f)) {
    f.writeResult(dst);
    for (let k = 0; k < pops; k++) f.pop();
  }
  f.commit(SW_C1, F80.flags);
}

/**
 * Pushes the soft-float result (or the indefinite on a masked stack
 * overflow). An unmasked overflow or a suppressed result leaves the stack.
 */
export function pushResult(f: X87State): void {
  if (!f.isEmpty(7)) {
    // A stack overflow preempts what the conversion raised.
    F80.flags = 0;
    f.pushRoom();
    if (f.fcw & SW_IE) {
      f.push();
      f.write(0, INDEF_SE, INDEF_HI, 0);
    }
  } else if ((F80.flags & ~f.fcw & SW_IE) === 0) {
    // An unmasked denormal still loads; only an unmasked invalid stops it.
    f.push();
    f.writeResult(0);
  }
  f.commit(SW_C1, F80.flags);
}
