import {
  LAZY_ADC,
  LAZY_ADD,
  LAZY_DEC,
  LAZY_INC,
  LAZY_LOGIC,
  LAZY_SBB,
  LAZY_SUB,
} from '../flags.ts';
import type { Insn } from '../insn.ts';
import type { Emitter } from './emitter.ts';
import { immediate, loadE, loadReg, maskOf, szlog, template, type Template } from './template.ts';

/**
 * Templates of the integer ALU: add, or, and, sub, xor, cmp, test, neg, not,
 * inc and dec, adc and sbb, at every size, in register and memory forms.
 * Each computes on 32-bit halves exactly as ops/alu.ts does and records the
 * same lazy flags; adc and sbb take the carry into the local `c` first.
 */

const ADD = 0;
const OR = 1;
const ADC = 2;
const SBB = 3;
const AND = 4;
const SUB = 5;
const XOR = 6;
const CMP = 7;

/** Emits v (and vh) = x op y at `size`. */
function compute(e: Emitter, op: number, size: number): void {
  const trunc = (expr: string): string =>
    size === 4 ? `(${expr}) | 0` : `(${expr}) & ${maskOf(size)}`;
  // adc and sbb add or subtract the carry taken into `c` as well.
  const cin = op === ADC || op === SBB ? ' + c' : '';
  switch (op) {
    case ADD:
    case ADC:
      if (size === 8) {
        e.emit(
          `t = (x >>> 0) + (y >>> 0)${cin}; v = t | 0; ` +
            'vh = (xh + yh + (t >= 4294967296 ? 1 : 0)) | 0;',
        );
      } else e.emit(`v = ${trunc(`x + y${cin}`)};`);
      return;
    case SUB:
    case SBB:
    case CMP:
      if (size === 8) {
        e.emit(
          `t = (x >>> 0) - (y >>> 0)${cin.replace('+', '-')}; v = t | 0; ` +
            'vh = (xh - yh - (t < 0 ? 1 : 0)) | 0;',
        );
      } else e.emit(`v = ${trunc(`x - y${cin.replace('+', '-')}`)};`);
      return;
    default: {
      const sym = op === OR ? '|' : op === AND ? '&' : '^';
      e.emit(size === 8 ? `v = x ${sym} y; vh = xh ${sym} yh;` : `v = x ${sym} y;`);
    }
  }
}

/** Records the flags of `op` on x, y giving v. */
function aluFlags(e: Emitter, op: number, size: number, live: boolean): void {
  const wide = size === 8;
  const hi = (name: string): string => (wide ? name : '0');
  if (op === ADD || op === SUB || op === CMP) {
    const kind = op === ADD ? LAZY_ADD : LAZY_SUB;
    e.lazyFlags(live, (kind << 2) | szlog(size), 'x', hi('xh'), 'y', hi('yh'), 'v', hi('vh'));
  } else if (op === ADC || op === SBB) {
    const lop = ((op === ADC ? LAZY_ADC : LAZY_SBB) << 2) | szlog(size);
    e.lazyFlags(live, lop, 'x', hi('xh'), 'y', hi('yh'), 'v', hi('vh'), 'c');
  } else {
    e.lazyFlags(live, (LAZY_LOGIC << 2) | szlog(size), '0', '0', '0', '0', 'v', hi('vh'));
  }
}

/**
 * E op= y (y already loaded): reads E, computes, records flags, and writes
 * E back unless the operation is cmp or test (`write` false).
 */
function toE(e: Emitter, i: Insn, op: number, live: boolean, write: boolean): void {
  const size = i.size;
  if (i.rm >= 0) {
    loadReg(e, i.rm, size, 'x');
    compute(e, op, size);
    aluFlags(e, op, size, live);
    if (write) e.setReg(i.rm, size, 'v', 'vh');
    return;
  }
  e.mayFault();
  e.address(i);
  e.load(size);
  e.emit(size === 8 ? 'x = v; xh = vh;' : 'x = v;');
  if (write) e.probe(size);
  compute(e, op, size);
  aluFlags(e, op, size, live);
  if (!write) return;
  e.store(size, 'v', 'vh');
  e.checkStop();
}

const TEST = -1;

/** adc and sbb read CF: captured into `c` before anything changes the flags. */
function carriesIn(op: number): boolean {
  return op === ADC || op === SBB;
}

/** Emits `c = CF` for adc and sbb. */
function takeCarry(e: Emitter, op: number): void {
  if (carriesIn(op)) e.emit(`c = ${e.carry()};`);
}

/** op E, G (00, 01, 08, ... and 84, 85 for test). */
function formEG(op: number): Template {
  return template(carriesIn(op), true, true, (e, i, live) => {
    takeCarry(e, op);
    loadReg(e, i.reg, i.size, 'y');
    toE(e, i, op === TEST ? AND : op, live, op !== CMP && op !== TEST);
  });
}

/** op G, E (02, 03, 0A, ...). */
function formGE(op: number): Template {
  return template(carriesIn(op), true, true, (e, i, live) => {
    takeCarry(e, op);
    if (i.rm < 0) e.mayFault();
    loadE(e, i, 'y');
    loadReg(e, i.reg, i.size, 'x');
    compute(e, op, i.size);
    aluFlags(e, op, i.size, live);
    if (op !== CMP) e.setReg(i.reg, i.size, 'v', 'vh');
  });
}

/** op E, imm (80, 81, 83, F6/F7 /0 test) and op rAX, imm (04, 05, ... A8, A9). */
function formEI(op: number, accumulator: boolean): Template {
  return template(carriesIn(op), true, true, (e, i, live) => {
    takeCarry(e, op);
    immediate(e, i);
    if (accumulator) {
      loadReg(e, 0, i.size, 'x');
      compute(e, op === TEST ? AND : op, i.size);
      aluFlags(e, op === TEST ? AND : op, i.size, live);
      if (op !== CMP && op !== TEST) e.setReg(0, i.size, 'v', 'vh');
      return;
    }
    toE(e, i, op === TEST ? AND : op, live, op !== CMP && op !== TEST);
  });
}

/** Reads E into x, runs `body` (which sets v, vh), writes E back. */
function unary(e: Emitter, i: Insn, body: () => void): void {
  const size = i.size;
  if (i.rm >= 0) {
    loadReg(e, i.rm, size, 'x');
    body();
    e.setReg(i.rm, size, 'v', 'vh');
    return;
  }
  e.mayFault();
  e.address(i);
  e.load(size);
  e.emit(size === 8 ? 'x = v; xh = vh;' : 'x = v;');
  e.probe(size);
  body();
  e.store(size, 'v', 'vh');
  e.checkStop();
}

const neg = template(false, true, true, (e, i, live) =>
  unary(e, i, () => {
    e.emit(i.size === 8 ? 'y = x; yh = xh; x = 0; xh = 0;' : 'y = x; x = 0;');
    compute(e, SUB, i.size);
    aluFlags(e, SUB, i.size, live);
  }),
);

const not = template(false, false, true, (e, i) =>
  unary(e, i, () => {
    if (i.size === 8) e.emit('v = ~x; vh = ~xh;');
    else e.emit(i.size === 4 ? 'v = ~x;' : `v = ~x & ${maskOf(i.size)};`);
  }),
);

function incDec(dec: boolean): Template {
  return template(true, true, true, (e, i, live) =>
    unary(e, i, () => {
      const size = i.size;
      if (live) e.emit(`c = ${e.carry()};`);
      const sym = dec ? '-' : '+';
      if (size === 8) {
        const wrap = dec ? 'x === 0' : 'v === 0';
        e.emit(`v = (x ${sym} 1) | 0; vh = ${wrap} ? (xh ${sym} 1) | 0 : xh;`);
      } else if (size === 4) e.emit(`v = (x ${sym} 1) | 0;`);
      else e.emit(`v = (x ${sym} 1) & ${maskOf(size)};`);
      const lop = ((dec ? LAZY_DEC : LAZY_INC) << 2) | szlog(size);
      const hi = (name: string): string => (size === 8 ? name : '0');
      e.lazyFlags(live, lop, 'x', hi('xh'), '1', '0', 'v', hi('vh'), 'c');
    }),
  );
}

const SUPPORTED = [ADD, OR, ADC, SBB, AND, SUB, XOR, CMP];

/** The ALU template for `i`, or null. */
export function aluTemplate(i: Insn): Template | null {
  const op = i.op;
  const ext = (i.modrm >> 3) & 7;
  if (op < 0x40 && (op & 7) < 6) {
    const alu = op >> 3;
    if (!SUPPORTED.includes(alu)) return null;
    switch (op & 7) {
      case 0:
      case 1:
        return formEG(alu);
      case 2:
      case 3:
        return formGE(alu);
      default:
        return formEI(alu, true);
    }
  }
  switch (op) {
    case 0x80:
    case 0x81:
    case 0x83:
      return SUPPORTED.includes(ext) ? formEI(ext, false) : null;
    case 0x84:
    case 0x85:
      return formEG(TEST);
    case 0xa8:
    case 0xa9:
      return formEI(TEST, true);
    case 0xf6:
    case 0xf7:
      if (ext <= 1) return formEI(TEST, false);
      return ext === 2 ? not : ext === 3 ? neg : null;
    case 0xfe:
    case 0xff:
      return ext <= 1 ? incDec(ext === 1) : null;
  }
  return null;
}
