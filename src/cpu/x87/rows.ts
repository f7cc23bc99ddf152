/**
 * The x87 rows of the opcode table: escape opcodes D8-DF in their memory
 * forms (by ModRM.reg) and register forms (by ModRM.reg, sometimes ModRM.rm),
 * fwait (9B), and fxsave/fxrstor (0F AE /0, /1). ST(i) operands come from
 * ModRM.rm's three bits, whatever REX.B says.
 */
import type { Cpu } from '../cpu.ts';
import type { Handler, Insn } from '../insn.ts';
import type { OpRow } from '../table.ts';
import { arithMem, arithReg, compareFlags, compareMem, compareReg, ftst } from './exec-arith.ts';
import { FMT_F32, FMT_F64, FMT_F80, FMT_I16, FMT_I32, FMT_I64 } from './exec-common.ts';
import {
  fldcw,
  fldenv,
  fninit,
  fnclex,
  fnsave,
  fnstcw,
  fnstenv,
  fnstswAx,
  fnstswMem,
  frstor,
  fwait,
  fxrstor,
  fxsave,
} from './exec-env.ts';
import {
  fbld,
  fbstp,
  fcmov,
  ffree,
  fldConst,
  fldMem,
  fldReg,
  fstMem,
  fstReg,
  fsign,
  fxam,
  fxch,
  moveTop,
} from './exec-move.ts';
import {
  f2xm1,
  fbinaryPop,
  fprem,
  frndint,
  fscale,
  fsqrt,
  ftrig,
  ftrig2,
  fxtract,
} from './exec-unary.ts';
import { TRIG_COS, TRIG_SIN, TRIG_SINCOS, TRIG_TAN } from './f80-trig.ts';

const rows: OpRow[] = [];

/** ST(i) named by the instruction's ModRM.rm. */
const sti = (i: Insn) => i.modrm & 7;

function mem(op: number, ext: number, name: string, exec: Handler): void {
  rows.push({ name, map: 0, op, ext, mod: 'mem', exec });
}

function reg(op: number, ext: number, name: string, exec: Handler, rmv?: number): void {
  rows.push({ name, map: 0, op, ext, mod: 'reg', rmv, exec });
}

// D8, DC, DA, DE: arithmetic with a float or integer memory operand.
const ARITH = ['add', 'mul', 'com', 'comp', 'sub', 'subr', 'div', 'divr'];
const MEM_ARITH: [number, number, string][] = [
  [0xd8, FMT_F32, 'f'],
  [0xdc, FMT_F64, 'f'],
  [0xda, FMT_I32, 'fi'],
  [0xde, FMT_I16, 'fi'],
];
for (const [op, fmt, prefix] of MEM_ARITH) {
  for (let e = 0; e < 8; e++) {
    const name = prefix + ARITH[e];
    if (e === 2 || e === 3) mem(op, e, name, (cpu, i) => compareMem(cpu, i, fmt, e - 2));
    else mem(op, e, name, (cpu, i) => arithMem(cpu, i, e, fmt));
  }
}

// Register forms. D8: ST(0) = ST(0) op ST(i). DC and DE: ST(i) = ST(i) op
// ST(0), where the encodings of sub/subr and div/divr are swapped.
const SWAP = [0, 1, 2, 3, 5, 4, 7, 6];
for (let e = 0; e < 8; e++) {
  if (e === 2 || e === 3) {
    reg(0xd8, e, 'f' + ARITH[e], (cpu, i) => compareReg(cpu, sti(i), false, e - 2));
    reg(0xdc, e, 'f' + ARITH[e], (cpu, i) => compareReg(cpu, sti(i), false, e - 2));
    continue;
  }
  const s = SWAP[e];
  reg(0xd8, e, 'f' + ARITH[e], (cpu, i) => arithReg(cpu, e, 0, sti(i), 0));
  reg(0xdc, e, 'f' + ARITH[s], (cpu, i) => arithReg(cpu, s, sti(i), 0, 0));
  reg(0xde, e, 'f' + ARITH[s] + 'p', (cpu, i) => arithReg(cpu, s, sti(i), 0, 1));
}
reg(0xde, 2, 'fcomp', (cpu, i) => compareReg(cpu, sti(i), false, 1));
reg(0xde, 3, 'fcompp', (cpu) => compareReg(cpu, 1, false, 2), 1);

// D9: loads, stores, control words, environment and the stack-top functions.
mem(0xd9, 0, 'fld', (cpu, i) => fldMem(cpu, i, FMT_F32));
mem(0xd9, 2, 'fst', (cpu, i) => fstMem(cpu, i, FMT_F32, false));
mem(0xd9, 3, 'fstp', (cpu, i) => fstMem(cpu, i, FMT_F32, true));
mem(0xd9, 4, 'fldenv', fldenv);
mem(0xd9, 5, 'fldcw', fldcw);
mem(0xd9, 6, 'fnstenv', fnstenv);
mem(0xd9, 7, 'fnstcw', fnstcw);
reg(0xd9, 0, 'fld', (cpu, i) => fldReg(cpu, sti(i)));
reg(0xd9, 1, 'fxch', (cpu, i) => fxch(cpu, sti(i)));
reg(0xd9, 2, 'fnop', fwait, 0);
reg(0xd9, 3, 'fstp', (cpu, i) => fstReg(cpu, sti(i), true));
reg(0xd9, 4, 'fchs', (cpu) => fsign(cpu, false), 0);
reg(0xd9, 4, 'fabs', (cpu) => fsign(cpu, true), 1);
reg(0xd9, 4, 'ftst', ftst, 4);
reg(0xd9, 4, 'fxam', fxam, 5);
const CONSTS = ['fld1', 'fldl2t', 'fldl2e', 'fldpi', 'fldlg2', 'fldln2', 'fldz'];
CONSTS.forEach((name, k) => reg(0xd9, 5, name, (cpu) => fldConst(cpu, k), k));
const D9_F0: [string, (cpu: Cpu) => void][] = [
  ['f2xm1', f2xm1],
  ['fyl2x', (cpu) => fbinaryPop(cpu, 1)],
  ['fptan', (cpu) => ftrig2(cpu, TRIG_TAN)],
  ['fpatan', (cpu) => fbinaryPop(cpu, 0)],
  ['fxtract', fxtract],
  ['fprem1', (cpu) => fprem(cpu, true)],
  ['fdecstp', (cpu) => moveTop(cpu, -1)],
  ['fincstp', (cpu) => moveTop(cpu, 1)],
  ['fprem', (cpu) => fprem(cpu, false)],
  ['fyl2xp1', (cpu) => fbinaryPop(cpu, 2)],
  ['fsqrt', fsqrt],
  ['fsincos', (cpu) => ftrig2(cpu, TRIG_SINCOS)],
  ['frndint', frndint],
  ['fscale', fscale],
  ['fsin', (cpu) => ftrig(cpu, TRIG_SIN)],
  ['fcos', (cpu) => ftrig(cpu, TRIG_COS)],
];
D9_F0.forEach(([name, fn], k) => reg(0xd9, 6 + (k >> 3), name, fn, k & 7));

// DA and DB register forms: conditional moves, fucompp, fucomi, fcomi.
const FCMOV = [
  ['fcmovb', 2],
  ['fcmove', 4],
  ['fcmovbe', 6],
  ['fcmovu', 10],
] as const;
FCMOV.forEach(([name, cc], e) => {
  reg(0xda, e, name, (cpu, i) => fcmov(cpu, sti(i), cc));
  reg(0xdb, e, name.replace('fcmov', 'fcmovn'), (cpu, i) => fcmov(cpu, sti(i), cc + 1));
});
reg(0xda, 5, 'fucompp', (cpu) => compareReg(cpu, 1, true, 2), 1);
reg(0xdb, 5, 'fucomi', (cpu, i) => compareFlags(cpu, sti(i), true, 0));
reg(0xdb, 6, 'fcomi', (cpu, i) => compareFlags(cpu, sti(i), false, 0));
reg(0xdf, 5, 'fucomip', (cpu, i) => compareFlags(cpu, sti(i), true, 1));
reg(0xdf, 6, 'fcomip', (cpu, i) => compareFlags(cpu, sti(i), false, 1));
reg(0xdb, 4, 'fnclex', fnclex, 2);
reg(0xdb, 4, 'fninit', fninit, 3);
// feni, fdisi and fsetpm do nothing on anything newer than the 80287.
for (const k of [0, 1, 4]) reg(0xdb, 4, 'fnop', () => {}, k);

// DB, DD, DF memory forms: integer and extended loads and stores.
mem(0xdb, 0, 'fild', (cpu, i) => fldMem(cpu, i, FMT_I32));
mem(0xdb, 1, 'fisttp', (cpu, i) => fstMem(cpu, i, FMT_I32, true, true));
mem(0xdb, 2, 'fist', (cpu, i) => fstMem(cpu, i, FMT_I32, false));
mem(0xdb, 3, 'fistp', (cpu, i) => fstMem(cpu, i, FMT_I32, true));
mem(0xdb, 5, 'fld', (cpu, i) => fldMem(cpu, i, FMT_F80));
mem(0xdb, 7, 'fstp', (cpu, i) => fstMem(cpu, i, FMT_F80, true));
mem(0xdd, 0, 'fld', (cpu, i) => fldMem(cpu, i, FMT_F64));
mem(0xdd, 1, 'fisttp', (cpu, i) => fstMem(cpu, i, FMT_I64, true, true));
mem(0xdd, 2, 'fst', (cpu, i) => fstMem(cpu, i, FMT_F64, false));
mem(0xdd, 3, 'fstp', (cpu, i) => fstMem(cpu, i, FMT_F64, true));
mem(0xdd, 4, 'frstor', frstor);
mem(0xdd, 6, 'fnsave', fnsave);
mem(0xdd, 7, 'fnstsw', fnstswMem);
mem(0xdf, 0, 'fild', (cpu, i) => fldMem(cpu, i, FMT_I16));
mem(0xdf, 1, 'fisttp', (cpu, i) => fstMem(cpu, i, FMT_I16, true, true));
mem(0xdf, 2, 'fist', (cpu, i) => fstMem(cpu, i, FMT_I16, false));
mem(0xdf, 3, 'fistp', (cpu, i) => fstMem(cpu, i, FMT_I16, true));
mem(0xdf, 4, 'fbld', fbld);
mem(0xdf, 5, 'fild', (cpu, i) => fldMem(cpu, i, FMT_I64));
mem(0xdf, 6, 'fbstp', fbstp);
mem(0xdf, 7, 'fistp', (cpu, i) => fstMem(cpu, i, FMT_I64, true));

// DD and DF register forms.
reg(0xdd, 0, 'ffree', (cpu, i) => ffree(cpu, sti(i), false));
reg(0xdd, 1, 'fxch', (cpu, i) => fxch(cpu, sti(i)));
reg(0xdd, 2, 'fst', (cpu, i) => fstReg(cpu, sti(i), false));
reg(0xdd, 3, 'fstp', (cpu, i) => fstReg(cpu, sti(i), true));
reg(0xdd, 4, 'fucom', (cpu, i) => compareReg(cpu, sti(i), true, 0));
reg(0xdd, 5, 'fucomp', (cpu, i) => compareReg(cpu, sti(i), true, 1));
reg(0xdf, 0, 'ffreep', (cpu, i) => ffree(cpu, sti(i), true));
reg(0xdf, 1, 'fxch', (cpu, i) => fxch(cpu, sti(i)));
reg(0xdf, 2, 'fstp', (cpu, i) => fstReg(cpu, sti(i), true));
reg(0xdf, 3, 'fstp', (cpu, i) => fstReg(cpu, sti(i), true));
reg(0xdf, 4, 'fnstsw', fnstswAx, 0);

rows.push({ name: 'fwait', map: 0, op: 0x9b, modrm: false, exec: fwait });
rows.push({ name: 'fxsave', map: 1, op: 0xae, ext: 0, mod: 'mem', exec: fxsave });
rows.push({ name: 'fxrstor', map: 1, op: 0xae, ext: 1, mod: 'mem', exec: fxrstor });

/** Every x87 instruction, plus fxsave/fxrstor. */
export const X87_ROWS: OpRow[] = rows;
