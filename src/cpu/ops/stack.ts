import type { Cpu } from '../cpu.ts';
import type { Handler } from '../insn.ts';
import { getReg, readE, setReg, writeE } from '../operands.ts';
import type { OpRow } from '../table.ts';

/** The stack: push, pop, leave, pushf, popf. RSP is register 4. */

const TWO32 = 4294967296;

/** RSP as a number. */
export function rspValue(cpu: Cpu): number {
  return cpu.regs[9] * TWO32 + (cpu.regs[8] >>> 0);
}

/** Adds `delta` to RSP (64-bit wrap). */
export function addRsp(cpu: Cpu, delta: number): void {
  const lo = (cpu.regs[8] >>> 0) + delta;
  cpu.regs[8] = lo | 0;
  if (lo < 0 || lo >= TWO32) cpu.regs[9] = (cpu.regs[9] + Math.floor(lo / TWO32)) | 0;
}

/** Pushes a value of `size` bytes (2 or 8). The write happens before RSP moves. */
export function push(cpu: Cpu, lo: number, hi: number, size: number): void {
  const a = rspValue(cpu) - size;
  if (size === 8) cpu.write64(a, lo, hi);
  else cpu.write16(a, lo);
  addRsp(cpu, -size);
}

/** Pops a value of `size` bytes (2 or 8): low half returned, high in cpu.hi. */
export function pop(cpu: Cpu, size: number): number {
  const a = rspValue(cpu);
  const v = size === 8 ? cpu.read64(a) : cpu.read16(a);
  const hi = size === 8 ? cpu.hi : 0;
  addRsp(cpu, size);
  cpu.hi = hi;
  return v;
}

const pushZ: Handler = (cpu, i) => {
  const lo = getReg(cpu, i.reg, i.size);
  push(cpu, lo, cpu.hi, i.size);
};

/** push r64 with no prefix, the common case. */
const pushZ64: Handler = (cpu, i) => {
  const regs = cpu.regs;
  const a = regs[9] * TWO32 + (regs[8] >>> 0) - 8;
  cpu.write64(a, regs[2 * i.reg], regs[2 * i.reg + 1]);
  addRsp(cpu, -8);
};

const popZ: Handler = (cpu, i) => {
  const v = pop(cpu, i.size);
  setReg(cpu, i.reg, i.size, v, cpu.hi);
};

const pushI: Handler = (cpu, i) => push(cpu, i.imm, i.immHi, i.size);

const pushE: Handler = (cpu, i) => {
  const v = readE(cpu, i);
  push(cpu, v, cpu.hi, i.size);
};

/**
 * pop r/m: RSP is incremented before the destination address is computed,
 * as the hardware does, so a destination based on RSP sees the new value.
 */
const popE: Handler = (cpu, i) => {
  const old0 = cpu.regs[8];
  const old1 = cpu.regs[9];
  const v = pop(cpu, i.size);
  const hi = cpu.hi;
  try {
    writeE(cpu, i, v, hi);
  } catch (e) {
    cpu.regs[8] = old0;
    cpu.regs[9] = old1;
    throw e;
  }
};

const leave: Handler = (cpu, i) => {
  const regs = cpu.regs;
  const saved0 = regs[8];
  const saved1 = regs[9];
  regs[8] = regs[10];
  regs[9] = regs[11];
  try {
    const v = pop(cpu, i.size);
    setReg(cpu, 5, i.size, v, cpu.hi);
  } catch (e) {
    regs[8] = saved0;
    regs[9] = saved1;
    throw e;
  }
};

const pushf: Handler = (cpu, i) => push(cpu, cpu.getFlags(), 0, i.size);

const popf: Handler = (cpu, i) => {
  const v = pop(cpu, i.size);
  const keep = i.size === 2 ? cpu.getFlags() & ~0xffff : 0;
  cpu.setFlags(keep | (v & (i.size === 2 ? 0xffff : -1)));
};

/** Rows of the stack family. */
export const STACK_ROWS: OpRow[] = [
  {
    name: 'push',
    map: 0,
    op: 0x50,
    zreg: true,
    size: 'd64',
    exec: pushZ,
    select: (i) => (i.size === 8 ? pushZ64 : pushZ),
  },
  { name: 'pop', map: 0, op: 0x58, zreg: true, size: 'd64', exec: popZ },
  { name: 'push', map: 0, op: 0x68, modrm: false, size: 'd64', imm: 'z', exec: pushI },
  { name: 'push', map: 0, op: 0x6a, modrm: false, size: 'd64', imm: 'b', exec: pushI },
  { name: 'push', map: 0, op: 0xff, ext: 6, size: 'd64', exec: pushE },
  { name: 'pop', map: 0, op: 0x8f, ext: 0, size: 'd64', exec: popE },
  { name: 'leave', map: 0, op: 0xc9, modrm: false, size: 'd64', exec: leave },
  { name: 'pushf', map: 0, op: 0x9c, modrm: false, size: 'd64', exec: pushf },
  { name: 'popf', map: 0, op: 0x9d, modrm: false, size: 'd64', exec: popf },
];
