import type { Insn } from '../insn.ts';
import type { Emitter } from './emitter.ts';

/**
 * How one instruction is compiled: its effect on the arithmetic flags, which
 * the compiler's liveness pass needs, and the code emitter itself.
 */
export interface Template {
  /** Reads some arithmetic flag (or, for a handler call, may read any). */
  readsFlags: boolean;
  /** Replaces all six arithmetic flags, so earlier values are never seen. */
  writesFlags: boolean;
  /** May fault (or call a handler): the flags before it must be recoverable. */
  mayFault: boolean;
  /**
   * Emits the instruction. `live` says whether the flags it writes may be
   * read later; when false it skips recording them.
   */
  emit(e: Emitter, i: Insn, live: boolean): void;
}

/** Builds a template from its flag effect and emitter. */
export function template(
  readsFlags: boolean,
  writesFlags: boolean,
  mayFault: boolean,
  emit: (e: Emitter, i: Insn, live: boolean) => void,
): Template {
  return { readsFlags, writesFlags, mayFault, emit };
}

/** Mask of an operand of `size` bytes below 4, as a literal. */
export function maskOf(size: number): string {
  return size === 1 ? '0xff' : '0xffff';
}

/** log2 of an operand size in bytes. */
export function szlog(size: number): number {
  return size === 8 ? 3 : size === 4 ? 2 : size === 2 ? 1 : 0;
}

/** The immediate as the second operand at `size`: y (and yh at size 8). */
export function immediate(e: Emitter, i: Insn): void {
  if (i.size === 8) e.emit(`y = ${i.imm}; yh = ${i.immHi};`);
  else if (i.size === 4) e.emit(`y = ${i.imm};`);
  else e.emit(`y = ${i.imm & (i.size === 1 ? 0xff : 0xffff)};`);
}

/** Loads the E operand of `i` (register or memory) into `dst` (and dst + 'h'). */
export function loadE(e: Emitter, i: Insn, dst: 'x' | 'y'): void {
  if (i.rm >= 0) {
    e.emit(`${dst} = ${e.reg(i.rm, i.size)};`);
    if (i.size === 8) e.emit(`${dst}h = ${e.regHi(i.rm)};`);
    return;
  }
  e.address(i);
  e.load(i.size);
  e.emit(i.size === 8 ? `${dst} = v; ${dst}h = vh;` : `${dst} = v;`);
}

/** Loads register r at the instruction's size into `dst`. */
export function loadReg(e: Emitter, r: number, size: number, dst: 'x' | 'y'): void {
  e.emit(`${dst} = ${e.reg(r, size)};`);
  if (size === 8) e.emit(`${dst}h = ${e.regHi(r)};`);
}
