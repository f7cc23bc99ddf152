import type { Insn } from '../insn.ts';
import type { Emitter } from './emitter.ts';
import { loadE, loadReg, template, type Template } from './template.ts';

/**
 * Templates of shifts by an immediate (shl, shr, sar on 32 and 64-bit
 * registers) and of the two- and three-operand imul. Shift flags are eager
 * bits, as ops/shift.ts sets them: CF and OF by the same rules, SF, ZF, PF
 * from the result, AF set. imul's CF/OF merge into older flags, so a live
 * imul calls its handler; a dead one (the common case: its flags are
 * overwritten before anything reads them) is inlined.
 */

const SHL = 4;
const SHR = 5;
const SAL = 6;
const SAR = 7;

/** Eager flag bits from v (and vh), cf and of expressions. */
function shiftBits(wide: boolean, cf: string, of: string): string {
  const zero = wide ? '(v | vh) === 0' : 'v === 0';
  const sign = wide ? 'vh >>> 31' : 'v >>> 31';
  const low = `(${cf}) | (P[v & 0xff] << 2) | 0x10`;
  return `${low} | (${zero} ? 0x40 : 0) | ((${sign}) << 7) | ((${of}) << 11)`;
}

/** 32-bit shift of x by c (1..31) into v, with flags. */
function shift32(e: Emitter, op: number, c: number, live: boolean): void {
  let cf: string;
  let of: string;
  if (op === SHR) {
    e.emit(`v = (x >>> ${c}) | 0;`);
    cf = `(x >>> ${c - 1}) & 1`;
    of = '((v >>> 31) ^ (v >>> 30)) & 1';
  } else if (op === SAR) {
    e.emit(`v = x >> ${c};`);
    cf = `(x >> ${c - 1}) & 1`;
    of = '0';
  } else {
    e.emit(`v = x << ${c};`);
    cf = `(x >>> ${32 - c}) & 1`;
    of = `(v >>> 31) ^ ${cf}`;
  }
  e.eagerFlags(live, shiftBits(false, cf, of));
}

/** Bit j (0..63) of (x, xh) as an expression. */
function bit(j: number): string {
  return j >= 32 ? `((xh >>> ${j - 32}) & 1)` : `((x >>> ${j}) & 1)`;
}

/** 64-bit shift of (x, xh) by c (1..63) into (v, vh), with flags. */
function shift64(e: Emitter, op: number, c: number, live: boolean): void {
  let cf: string;
  let of: string;
  if (op === SHR || op === SAR) {
    const fill = op === SAR ? 'xh >> 31' : '0';
    if (c < 32) {
      e.emit(`v = (x >>> ${c}) | (xh << ${32 - c}); vh = xh ${op === SAR ? '>>' : '>>>'} ${c};`);
    } else if (c === 32) e.emit(`v = xh; vh = ${fill};`);
    else e.emit(`v = xh ${op === SAR ? '>>' : '>>>'} ${c - 32}; vh = ${fill};`);
    cf = bit(c - 1);
    of = op === SAR ? '0' : '((vh >>> 31) ^ (vh >>> 30)) & 1';
  } else {
    if (c < 32) e.emit(`v = x << ${c}; vh = (xh << ${c}) | (x >>> ${32 - c});`);
    else e.emit(`v = 0; vh = ${c === 32 ? 'x' : `x << ${c - 32}`};`);
    cf = bit(64 - c);
    of = `(vh >>> 31) ^ ${cf}`;
  }
  e.eagerFlags(live, shiftBits(true, cf, of));
}

/** C1 /4-/7 (count imm8) and D1 (count 1) on a 32/64-bit register. */
function shiftTemplate(i: Insn): Template | null {
  const op = (i.modrm >> 3) & 7;
  if (op < SHL || i.rm < 0 || (i.size !== 4 && i.size !== 8)) return null;
  const c = (i.op === 0xd1 ? 1 : i.imm) & (i.size === 8 ? 63 : 31);
  if (c === 0) return null;
  const kind = op === SAL ? SHL : op;
  return template(false, true, false, (e, i, live) => {
    loadReg(e, i.rm, i.size, 'x');
    if (i.size === 8) shift64(e, kind, c, live);
    else shift32(e, kind, c, live);
    e.setReg(i.rm, i.size, 'v', 'vh');
  });
}

/** imul G, E (0F AF) and imul G, E, imm (69, 6B) at 32 and 64 bits. */
function imulTemplate(i: Insn): Template | null {
  if (i.size !== 4 && i.size !== 8) return null;
  const withImm = i.op !== 0x1af;
  return template(true, false, true, (e, i, live) => {
    if (live) {
      e.callHandler();
      return;
    }
    if (i.rm < 0) e.mayFault();
    loadE(e, i, 'y');
    if (withImm) {
      e.emit(i.size === 8 ? `x = ${i.imm}; xh = ${i.immHi};` : `x = ${i.imm};`);
    } else loadReg(e, i.reg, i.size, 'x');
    if (i.size === 8) e.emit('v = M.mulLo(x, xh, y, yh); vh = M.hi;');
    else e.emit('v = Math.imul(x, y);');
    e.setReg(i.reg, i.size, 'v', 'vh');
  });
}

/** The shift or imul template for `i`, or null. */
export function mulTemplate(i: Insn): Template | null {
  switch (i.op) {
    case 0xc1:
    case 0xd1:
      return shiftTemplate(i);
    case 0x1af:
    case 0x69:
    case 0x6b:
      return imulTemplate(i);
  }
  return null;
}
