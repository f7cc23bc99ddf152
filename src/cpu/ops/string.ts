import type { Cpu } from '../cpu.ts';
import { REP_F2, REP_NONE, SEG_FS, SEG_NONE, type Handler, type Insn } from '../insn.ts';
import { getReg, readMem, setReg, writeMem } from '../operands.ts';
import type { OpRow } from '../table.ts';
import { ALU_CMP, aluCompute } from './alu.ts';
import { notLockable } from './lock.ts';

/**
 * String instructions: movs, cmps, stos, lods, scas at every size, with
 * rep/repe/repne, the direction flag and 32-bit addressing (67h: ECX, ESI
 * and EDI, zero-extended when written).
 *
 * A repeated instruction runs to completion as one instruction. It is
 * restartable: RCX, RSI and RDI are updated after every element (or every
 * bulk chunk), so a fault leaves them describing the elements done, and
 * the run loop leaves RIP at the instruction, which continues where it
 * stopped when run again. Forward rep movs and rep stos copy or fill a page
 * run at a time straight in the memory file.
 */

const RCX = 1;
const RSI = 6;
const RDI = 7;
const TWO32 = 4294967296;

/** A string register as an address (64 or 32-bit addressing). */
function regAddr(cpu: Cpu, r: number, asize: number): number {
  const regs = cpu.regs;
  return asize === 8 ? regs[2 * r + 1] * TWO32 + (regs[2 * r] >>> 0) : regs[2 * r] >>> 0;
}

/** Adds `delta` to a string register at the address size. */
function addReg(cpu: Cpu, r: number, delta: number, asize: number): void {
  const regs = cpu.regs;
  const lo = (regs[2 * r] >>> 0) + delta;
  regs[2 * r] = lo | 0;
  if (asize === 4) regs[2 * r + 1] = 0;
  else if (lo < 0 || lo >= TWO32) regs[2 * r + 1] = (regs[2 * r + 1] + Math.floor(lo / TWO32)) | 0;
}

/** The source address: RSI plus an FS/GS base when overridden. */
function srcAddr(cpu: Cpu, i: Insn): number {
  const a = regAddr(cpu, RSI, i.asize);
  if (i.seg === SEG_NONE) return a;
  return a + (i.seg === SEG_FS ? cpu.fsBase : cpu.gsBase);
}

function countIsZero(cpu: Cpu, asize: number): boolean {
  return asize === 8 ? (cpu.regs[2] | cpu.regs[3]) === 0 : cpu.regs[2] === 0;
}

/** The count register's value (large counts are approximate, which is fine). */
function countValue(cpu: Cpu, asize: number): number {
  return regAddr(cpu, RCX, asize);
}

function step(cpu: Cpu, i: Insn): number {
  return cpu.df ? -i.size : i.size;
}

function movsOne(cpu: Cpu, i: Insn): void {
  const size = i.size;
  const v = readMem(cpu, srcAddr(cpu, i), size);
  writeMem(cpu, regAddr(cpu, RDI, i.asize), size, v, cpu.hi);
  const d = step(cpu, i);
  addReg(cpu, RSI, d, i.asize);
  addReg(cpu, RDI, d, i.asize);
}

/** Bytes from `a` to the end of its page. */
function pageRoom(a: number): number {
  return 4096 - (a % 4096);
}

/** Elements of the instruction's size that fit in `room` bytes, at most the count. */
function elementsIn(cpu: Cpu, i: Insn, room: number): number {
  return Math.min(countValue(cpu, i.asize), Math.floor(room / i.size));
}

/** Limits a forward copy of `n` elements so that no chunk reads what it writes. */
function limitOverlap(n: number, size: number, distance: number): number {
  if (distance <= 0 || distance >= n * size) return n;
  return Math.floor(distance / size);
}

/**
 * Copies one chunk of a forward rep movs within one source and one
 * destination page. Returns false when the next element must go one at a
 * time (it straddles a page, or overlaps itself).
 */
function movsChunk(cpu: Cpu, i: Insn): boolean {
  const size = i.size;
  const src = srcAddr(cpu, i);
  const dst = regAddr(cpu, RDI, i.asize);
  let n = elementsIn(cpu, i, Math.min(pageRoom(src), pageRoom(dst)));
  if (n < 2) return false;
  // Destination first: a copy-on-write break there must be seen by the source.
  const dstOff = cpu.writeOffset(dst);
  const srcOff = cpu.readOffset(src);
  n = limitOverlap(n, size, dst - src);
  n = limitOverlap(n, size, dstOff - srcOff);
  if (n < 1) return false;
  const bytes = n * size;
  cpu.u8.copyWithin(dstOff, srcOff, srcOff + bytes);
  addReg(cpu, RSI, bytes, i.asize);
  addReg(cpu, RDI, bytes, i.asize);
  addReg(cpu, RCX, -n, i.asize);
  return true;
}

const movs: Handler = (cpu, i) => {
  if (i.rep === REP_NONE) {
    movsOne(cpu, i);
    return;
  }
  while (!countIsZero(cpu, i.asize)) {
    if (cpu.df === 0 && movsChunk(cpu, i)) continue;
    movsOne(cpu, i);
    addReg(cpu, RCX, -1, i.asize);
  }
};

function stosOne(cpu: Cpu, i: Insn): void {
  const v = getReg(cpu, 0, i.size);
  writeMem(cpu, regAddr(cpu, RDI, i.asize), i.size, v, cpu.hi);
  addReg(cpu, RDI, step(cpu, i), i.asize);
}

/** Fills one chunk of a forward rep stos within one page; false to go one at a time. */
function stosChunk(cpu: Cpu, i: Insn): boolean {
  const size = i.size;
  const dst = regAddr(cpu, RDI, i.asize);
  const n = elementsIn(cpu, i, pageRoom(dst));
  if (n < 2) return false;
  const off = cpu.writeOffset(dst);
  const lo = getReg(cpu, 0, size);
  const hi = size === 8 ? cpu.hi : lo;
  const bytes = n * size;
  const b = lo & 0xff;
  const uniform =
    size === 1 || (lo === hi && (lo === 0 || lo === -1 || lo === Math.imul(b, 0x01010101)));
  if (uniform || (size === 2 && (lo & 0xff) === ((lo >> 8) & 0xff))) {
    cpu.u8.fill(b, off, off + bytes);
  } else {
    const dv = cpu.dv;
    for (let k = 0; k < bytes; k += size) {
      if (size === 2) dv.setUint16(off + k, lo, true);
      else {
        dv.setInt32(off + k, lo, true);
        if (size === 8) dv.setInt32(off + k + 4, hi, true);
      }
    }
  }
  addReg(cpu, RDI, bytes, i.asize);
  addReg(cpu, RCX, -n, i.asize);
  return true;
}

const stos: Handler = (cpu, i) => {
  if (i.rep === REP_NONE) {
    stosOne(cpu, i);
    return;
  }
  while (!countIsZero(cpu, i.asize)) {
    if (cpu.df === 0 && stosChunk(cpu, i)) continue;
    stosOne(cpu, i);
    addReg(cpu, RCX, -1, i.asize);
  }
};

function lodsOne(cpu: Cpu, i: Insn): void {
  const v = readMem(cpu, srcAddr(cpu, i), i.size);
  setReg(cpu, 0, i.size, v, cpu.hi);
  addReg(cpu, RSI, step(cpu, i), i.asize);
}

const lods: Handler = (cpu, i) => {
  if (i.rep === REP_NONE) {
    lodsOne(cpu, i);
    return;
  }
  while (!countIsZero(cpu, i.asize)) {
    lodsOne(cpu, i);
    addReg(cpu, RCX, -1, i.asize);
  }
};

/** cmps: compares [RSI] with [RDI] (source minus destination). */
function cmpsOne(cpu: Cpu, i: Insn): void {
  const size = i.size;
  const a = readMem(cpu, srcAddr(cpu, i), size);
  const aHi = size === 8 ? cpu.hi : 0;
  const b = readMem(cpu, regAddr(cpu, RDI, i.asize), size);
  aluCompute(cpu, ALU_CMP, size, a, aHi, b, size === 8 ? cpu.hi : 0);
  const d = step(cpu, i);
  addReg(cpu, RSI, d, i.asize);
  addReg(cpu, RDI, d, i.asize);
}

/** scas: compares rAX with [RDI]. */
function scasOne(cpu: Cpu, i: Insn): void {
  const size = i.size;
  const a = getReg(cpu, 0, size);
  const aHi = size === 8 ? cpu.hi : 0;
  const b = readMem(cpu, regAddr(cpu, RDI, i.asize), size);
  aluCompute(cpu, ALU_CMP, size, a, aHi, b, size === 8 ? cpu.hi : 0);
  addReg(cpu, RDI, step(cpu, i), i.asize);
}

/** Runs a comparing string instruction under repe (F3) or repne (F2). */
function repCompare(cpu: Cpu, i: Insn, one: (cpu: Cpu, i: Insn) => void): void {
  if (i.rep === REP_NONE) {
    one(cpu, i);
    return;
  }
  const stopOn = i.rep === REP_F2 ? 1 : 0;
  while (!countIsZero(cpu, i.asize)) {
    one(cpu, i);
    addReg(cpu, RCX, -1, i.asize);
    if (cpu.getZF() === stopOn) return;
  }
}

const cmps: Handler = (cpu, i) => repCompare(cpu, i, cmpsOne);
const scas: Handler = (cpu, i) => repCompare(cpu, i, scasOne);

function pair(name: string, op: number, exec: Handler): OpRow[] {
  return [
    { name: name + 'b', map: 0, op, modrm: false, size: 'b', exec },
    { name, map: 0, op: op + 1, modrm: false, exec },
  ];
}

/** Rows of the string family. */
export const STRING_ROWS: OpRow[] = notLockable([
  ...pair('movs', 0xa4, movs),
  ...pair('cmps', 0xa6, cmps),
  ...pair('stos', 0xaa, stos),
  ...pair('lods', 0xac, lods),
  ...pair('scas', 0xae, scas),
]);
