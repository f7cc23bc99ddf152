/**
 * Handlers of the x87 arithmetic and comparison instructions (fadd, fsub,
 * fsubr, fmul, fdiv, fdivr with their memory, integer and popping forms;
 * fcom, fucom, fcomi, fucomi, ficom, ftst).
 */
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../insn.ts';
import { FLAG_AF, FLAG_CF, FLAG_OF, FLAG_PF, FLAG_SF, FLAG_ZF } from '../flags.ts';
import { F80, SW_C0, SW_C1, SW_C2, SW_C3, SW_DE, SW_IE } from './float80.ts';
import { f80Add, f80Mul } from './f80-arith.ts';
import { f80Div } from './f80-divide.ts';
import { CMP_EQ, CMP_GT, CMP_LT, f80Compare } from './f80-convert.ts';
import { OPB, begin, finish, loadMem, loadSt, underflow } from './exec-common.ts';
import type { X87State } from './state.ts';

/** Arithmetic operations, numbered as ModRM.reg of D8 /r. */
export const OP_ADD = 0;
/** Multiply. */
export const OP_MUL = 1;
/** Subtract: destination - source. */
export const OP_SUB = 4;
/** Reverse subtract: source - destination. */
export const OP_SUBR = 5;
/** Divide: destination / source. */
export const OP_DIV = 6;
/** Reverse divide: source / destination. */
export const OP_DIVR = 7;

/** Computes `dst op OPB` for a destination value held in ST register r. */
function compute(f: X87State, op: number, r: number): void {
  const se = f.se[r];
  const hi = f.hi[r];
  const lo = f.lo[r];
  switch (op) {
    case OP_ADD:
      f80Add(se, hi, lo, OPB.se, OPB.hi, OPB.lo, 0);
      break;
    case OP_MUL:
      f80Mul(se, hi, lo, OPB.se, OPB.hi, OPB.lo);
      break;
    case OP_SUB:
      f80Add(se, hi, lo, OPB.se, OPB.hi, OPB.lo, 1);
      break;
    case OP_SUBR:
      f80Add(OPB.se, OPB.hi, OPB.lo, se, hi, lo, 1);
      break;
    case OP_DIV:
      f80Div(se, hi, lo, OPB.se, OPB.hi, OPB.lo);
      break;
    default:
      f80Div(OPB.se, OPB.hi, OPB.lo, se, hi, lo);
  }
}

/** ST(0) = ST(0) op memory operand of format `fmt`. */
export function arithMem(cpu: Cpu, i: Insn, op: number, fmt: number): void {
  const f = begin(cpu);
  loadMem(cpu, i, fmt);
  if (f.isEmpty(0)) {
    // A stack fault preempts whatever the operand's conversion raised.
    F80.flags = 0;
    underflow(f, 0);
    f.commit(SW_C1, F80.flags);
    return;
  }
  compute(f, op, f.phys(0));
  finish(f, 0, 0);
}

/**
 * ST(dst) = ST(dst) op ST(src), then `pops` pops. One of dst and src is 0.
 */
export function arithReg(cpu: Cpu, op: number, dst: number, src: number, pops: number): void {
  const f = begin(cpu);
  if (f.isEmpty(dst) || f.isEmpty(src)) {
    if (underflow(f, dst)) for (let k = 0; k < pops; k++) f.pop();
    f.commit(SW_C1, F80.flags);
    return;
  }
  loadSt(f, src);
  compute(f, op, f.phys(dst));
  finish(f, dst, pops);
}

/** Condition codes C3 C2 C0 for each outcome of f80Compare. */
function fpuCodes(r: number): number {
  if (r === CMP_GT) return 0;
  if (r === CMP_LT) return SW_C0;
  if (r === CMP_EQ) return SW_C3;
  return SW_C3 | SW_C2 | SW_C0;
}

const CC_MASK = SW_C0 | SW_C1 | SW_C2 | SW_C3;

/**
 * Compares ST(0) with OPB into C3 C2 C0 and pops `pops` times. `quiet`
 * selects the fucom rules (quiet NaNs do not raise IE).
 */
function compareInto(f: X87State, quiet: boolean, pops: number): void {
  const r = f.phys(0);
  const res = f80Compare(f.se[r], f.hi[r], f.lo[r], OPB.se, OPB.hi, OPB.lo, quiet);
  // An unmasked invalid or denormal still sets the codes but withholds the pop.
  if ((F80.flags & ~f.fcw & (SW_IE | SW_DE)) === 0) for (let k = 0; k < pops; k++) f.pop();
  f.commit(CC_MASK, fpuCodes(res));
}

/** fcom/fcomp/ficom with a memory operand. */
export function compareMem(cpu: Cpu, i: Insn, fmt: number, pops: number): void {
  const f = begin(cpu);
  loadMem(cpu, i, fmt);
  if (f.isEmpty(0)) {
    F80.flags = 0;
    stackCompareFault(f, pops);
    return;
  }
  compareInto(f, false, pops);
}

/** fcom/fucom (and popping forms) of ST(0) with ST(src). */
export function compareReg(cpu: Cpu, src: number, quiet: boolean, pops: number): void {
  const f = begin(cpu);
  if (f.isEmpty(0) || f.isEmpty(src)) {
    stackCompareFault(f, pops);
    return;
  }
  loadSt(f, src);
  compareInto(f, quiet, pops);
}

/** ftst: compares ST(0) with +0.0. */
export function ftst(cpu: Cpu): void {
  const f = begin(cpu);
  if (f.isEmpty(0)) {
    stackCompareFault(f, 0);
    return;
  }
  OPB.se = 0;
  OPB.hi = 0;
  OPB.lo = 0;
  compareInto(f, false, 0);
}

/** An empty operand: unordered, popping only when the fault is masked. */
function stackCompareFault(f: X87State, pops: number): void {
  if (underflow(f, -1)) for (let k = 0; k < pops; k++) f.pop();
  f.commit(CC_MASK, SW_C3 | SW_C2 | SW_C0);
}

const EFLAGS_MASK = FLAG_ZF | FLAG_PF | FLAG_CF | FLAG_OF | FLAG_SF | FLAG_AF;

/** fcomi/fucomi (and popping forms): compares ST(0) with ST(src) into EFLAGS. */
export function compareFlags(cpu: Cpu, src: number, quiet: boolean, pops: number): void {
  const f = begin(cpu);
  let bits = FLAG_ZF | FLAG_PF | FLAG_CF;
  if (f.isEmpty(0) || f.isEmpty(src)) underflow(f, -1);
  else {
    const a = f.phys(0);
    const b = f.phys(src);
    const r = f80Compare(f.se[a], f.hi[a], f.lo[a], f.se[b], f.hi[b], f.lo[b], quiet);
    bits = r === CMP_GT ? 0 : r === CMP_LT ? FLAG_CF : r === CMP_EQ ? FLAG_ZF : bits;
  }
  // As with fcom, an unmasked exception sets the flags but withholds the pop.
  cpu.setArith(EFLAGS_MASK, bits);
  if ((F80.flags & ~f.fcw & (SW_IE | SW_DE)) === 0) for (let k = 0; k < pops; k++) f.pop();
  f.commit(SW_C1, 0);
}
