import type { Insn } from '../insn.ts';
import type { Emitter } from './emitter.ts';
import { loadE, template, type Template } from './template.ts';

/**
 * Templates of data movement: mov in all its common forms, movzx, movsx,
 * movsxd, lea, cmovcc, setcc, cbw/cwd and the nops, matching ops/move.ts.
 */

/** mov E, G (88, 89). */
const movEG = template(false, false, true, (e, i) => {
  const size = i.size;
  if (i.rm >= 0) {
    e.setReg(i.rm, size, e.reg(i.reg, size), e.regHi(i.reg));
    return;
  }
  e.mayFault();
  e.address(i);
  e.store(size, e.reg(i.reg, size), e.regHi(i.reg));
  e.checkStop();
});

/** mov G, E (8A, 8B). */
const movGE = template(false, false, true, (e, i) => {
  if (i.rm < 0) e.mayFault();
  loadE(e, i, 'x');
  e.setReg(i.reg, i.size, 'x', 'xh');
});

/** mov E, imm (C6, C7 /0). */
const movEI = template(false, false, true, (e, i) => {
  if (i.rm >= 0) {
    e.setReg(i.rm, i.size, String(i.imm), String(i.immHi));
    return;
  }
  e.mayFault();
  e.address(i);
  e.store(i.size, String(i.imm), String(i.immHi));
  e.checkStop();
});

/** mov r, imm (B0-BF). */
const movZI = template(false, false, false, (e, i) => {
  e.setReg(i.reg, i.size, String(i.imm), String(i.immHi));
});

/** Loads the r/m operand of movzx/movsx at `from` bytes into x. */
function loadNarrow(e: Emitter, i: Insn, from: number): void {
  if (i.rm >= 0) {
    e.emit(`x = ${e.reg(i.rm, from)};`);
    return;
  }
  e.mayFault();
  e.address(i);
  e.load(from);
  e.emit('x = v;');
}

function movzx(from: number): Template {
  return template(false, false, true, (e, i) => {
    loadNarrow(e, i, from);
    e.setReg(i.reg, i.size, 'x', '0');
  });
}

function movsx(from: number): Template {
  return template(false, false, true, (e, i) => {
    loadNarrow(e, i, from);
    const shift = from === 1 ? 24 : from === 2 ? 16 : 0;
    e.emit(shift ? `x = (x << ${shift}) >> ${shift};` : 'x = x | 0;');
    e.setReg(i.reg, i.size, 'x', 'x >> 31');
  });
}

/** lea: the address arithmetic, wrapped to the operand size (as leaValue). */
const lea = template(false, false, false, (e, i) => {
  if (i.base === -2 || i.asize === 4 || i.size !== 8) {
    if (i.base === -2) {
      e.emit(`v = ${i.disp | 0}; vh = ${Math.floor(i.disp / 4294967296) | 0};`);
    } else {
      const terms = [String(i.disp | 0)];
      if (i.base >= 0) terms.push(`R[${2 * i.base}]`);
      if (i.index >= 0) terms.push(`R[${2 * i.index}] * ${i.scale}`);
      e.emit(`v = (${terms.join(' + ')}) | 0; vh = 0;`);
    }
    e.setReg(i.reg, i.size, 'v', 'vh');
    return;
  }
  const lo = [String((i.disp | 0) >>> 0)];
  const hi = [i.disp < 0 ? '-1' : '0'];
  if (i.base >= 0) {
    lo.push(`(R[${2 * i.base}] >>> 0)`);
    hi.push(`R[${2 * i.base + 1}]`);
  }
  if (i.index >= 0) {
    lo.push(`(R[${2 * i.index}] >>> 0) * ${i.scale}`);
    hi.push(`R[${2 * i.index + 1}] * ${i.scale}`);
  }
  e.emit(`t = ${lo.join(' + ')};`);
  e.emit(`vh = (${hi.join(' + ')} + Math.floor(t / 4294967296)) | 0; v = t | 0;`);
  e.setReg(i.reg, 8, 'v', 'vh');
});

/** cmovcc: the source is read (and may fault) whether or not it moves. */
const cmov = template(true, false, true, (e, i) => {
  if (i.rm < 0) e.mayFault();
  loadE(e, i, 'x');
  const cond = e.condition(i.cc);
  const size = i.size;
  e.emit(`if (${cond}) {`);
  e.setReg(i.reg, size, 'x', 'xh');
  e.emit(size === 4 ? `} else R[${2 * i.reg + 1}] = 0;` : '}');
});

const setcc = template(true, false, true, (e, i) => {
  const cond = e.condition(i.cc);
  e.emit(`v = ${cond} ? 1 : 0;`);
  if (i.rm >= 0) {
    e.setReg(i.rm, 1, 'v', '0');
    return;
  }
  e.mayFault();
  e.address(i);
  e.store(1, 'v', '0');
  e.checkStop();
});

/** cbw/cwde/cdqe (98) and cwd/cdq/cqo (99) at 32 and 64 bits. */
function signFill(i: Insn): Template | null {
  if (i.size === 2) return null;
  return template(false, false, false, (e, i) => {
    if (i.op === 0x98) {
      if (i.size === 8) e.emit('R[1] = R[0] >> 31;');
      else e.emit('R[0] = (R[0] << 16) >> 16; R[1] = 0;');
    } else if (i.size === 8) e.emit('R[4] = R[1] >> 31; R[5] = R[4];');
    else e.emit('R[4] = R[0] >> 31; R[5] = 0;');
  });
}

const nop = template(false, false, false, () => {});

/** The data-movement template for `i`, or null. */
export function moveTemplate(i: Insn): Template | null {
  const op = i.op;
  if (op >= 0xb0 && op <= 0xbf) return movZI;
  if (op >= 0x140 && op <= 0x14f) return cmov;
  if (op >= 0x190 && op <= 0x19f) return setcc;
  switch (op) {
    case 0x88:
    case 0x89:
      return movEG;
    case 0x8a:
    case 0x8b:
      return movGE;
    case 0xc6:
    case 0xc7:
      return movEI;
    case 0x1b6:
    case 0x1b7:
      return movzx(op === 0x1b6 ? 1 : 2);
    case 0x1be:
    case 0x1bf:
      return movsx(op === 0x1be ? 1 : 2);
    case 0x63:
      return movsx(4);
    case 0x8d:
      return lea;
    case 0x98:
    case 0x99:
      return signFill(i);
    case 0x90:
      return i.reg === 0 ? nop : null;
    case 0x11f:
      return nop;
  }
  return null;
}
