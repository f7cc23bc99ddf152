import type { Insn } from '../insn.ts';
import type { Emitter } from './emitter.ts';
import { loadE, template, type Template } from './template.ts';

/**
 * Templates of the stack and of control transfer: push, pop, jmp, jcc,
 * call and ret, matching ops/stack.ts and ops/control.ts. A branch is the
 * last instruction of its block and sets cpu.rip itself.
 */

const TWO32 = 4294967296;

/** a = RSP - size. */
function belowStack(e: Emitter, size: number): void {
  e.emit(`a = R[9] * 4294967296 + (R[8] >>> 0) - ${size};`);
}

/** RSP += delta (|delta| < 2^32), with the 64-bit carry. */
function moveStack(e: Emitter, delta: number): void {
  e.emit(`t = (R[8] >>> 0) + ${delta}; R[8] = t | 0;`);
  if (delta < 0) e.emit('if (t < 0) R[9] = (R[9] - 1) | 0;');
  else e.emit('if (t >= 4294967296) R[9] = (R[9] + 1) | 0;');
}

/** Pushes 8 bytes given as expressions: write first, then move RSP. */
function push64(e: Emitter, lo: string, hi: string): void {
  e.mayFault();
  belowStack(e, 8);
  e.store(8, lo, hi);
  moveStack(e, -8);
}

/** Pops 8 bytes into v, vh. */
function pop64(e: Emitter): void {
  e.mayFault();
  belowStack(e, 0);
  e.load(8);
  moveStack(e, 8);
}

const pushReg = template(false, false, true, (e, i) => {
  push64(e, `R[${2 * i.reg}]`, `R[${2 * i.reg + 1}]`);
  e.checkStop();
});

const popReg = template(false, false, true, (e, i) => {
  pop64(e);
  e.setReg(i.reg, 8, 'v', 'vh');
});

const pushImm = template(false, false, true, (e, i) => {
  push64(e, String(i.imm), String(i.immHi));
  e.checkStop();
});

const jmp = template(false, false, false, (e, i) => {
  e.emit(`cpu.rip = ${i.target};`);
});

const jcc = template(true, false, false, (e, i) => {
  e.emit(`cpu.rip = ${e.condition(i.cc)} ? ${i.target} : ${i.next};`);
});

/** The return address of a call as two halves. */
function returnAddress(i: Insn): [string, string] {
  return [String(i.next | 0), String(Math.floor(i.next / TWO32))];
}

const call = template(false, false, true, (e, i) => {
  const [lo, hi] = returnAddress(i);
  push64(e, lo, hi);
  e.emit(`cpu.rip = ${i.target};`);
});

const ret = template(false, false, true, (e) => {
  pop64(e);
  e.emit('cpu.rip = vh * 4294967296 + (v >>> 0);');
});

/** call r/m64 and jmp r/m64 (FF /2, /4). */
function indirect(isCall: boolean): Template {
  return template(false, false, true, (e, i) => {
    if (i.rm < 0) e.mayFault();
    loadE(e, i, 'x');
    if (isCall) {
      const [lo, hi] = returnAddress(i);
      push64(e, lo, hi);
    }
    e.emit('cpu.rip = xh * 4294967296 + (x >>> 0);');
  });
}

/** The stack or control-transfer template for `i`, or null. */
export function flowTemplate(i: Insn): Template | null {
  const op = i.op;
  if ((op >= 0x70 && op <= 0x7f) || (op >= 0x180 && op <= 0x18f)) return jcc;
  switch (op) {
    case 0xeb:
    case 0xe9:
      return jmp;
    case 0xe8:
      return call;
    case 0xc3:
      return ret;
  }
  if (i.size !== 8) return null;
  if (op >= 0x50 && op <= 0x57) return pushReg;
  if (op >= 0x58 && op <= 0x5f) return popReg;
  if (op === 0x68 || op === 0x6a) return pushImm;
  if (op === 0xff) {
    const ext = (i.modrm >> 3) & 7;
    if (ext === 2) return indirect(true);
    if (ext === 4) return indirect(false);
  }
  return null;
}
