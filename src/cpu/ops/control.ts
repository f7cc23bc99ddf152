import type { Cpu } from '../cpu.ts';
import type { Handler, Insn } from '../insn.ts';
import { readE } from '../operands.ts';
import type { OpRow } from '../table.ts';
import { addRsp, pop, push } from './stack.ts';

/** Control transfer: jmp, jcc, call, ret, loop, jrcxz. */

const TWO32 = 4294967296;

/** A 64-bit value from halves as a branch target. */
function target64(lo: number, hi: number): number {
  return hi * TWO32 + (lo >>> 0);
}

const jmp: Handler = (cpu, i) => {
  cpu.rip = i.target;
};

const jcc: Handler = (cpu, i) => {
  cpu.rip = cpu.cond(i.cc) ? i.target : i.next;
};

const call: Handler = (cpu, i) => {
  push(cpu, i.next | 0, Math.floor(i.next / TWO32), 8);
  cpu.rip = i.target;
};

const ret: Handler = (cpu) => {
  const lo = pop(cpu, 8);
  cpu.rip = target64(lo, cpu.hi);
};

const retImm: Handler = (cpu, i) => {
  const lo = pop(cpu, 8);
  cpu.rip = target64(lo, cpu.hi);
  addRsp(cpu, i.imm & 0xffff);
};

const jmpE: Handler = (cpu, i) => {
  const lo = readE(cpu, i);
  cpu.rip = target64(lo, cpu.hi);
};

const callE: Handler = (cpu, i) => {
  const lo = readE(cpu, i);
  const dest = target64(lo, cpu.hi);
  push(cpu, i.next | 0, Math.floor(i.next / TWO32), 8);
  cpu.rip = dest;
};

/** Decrements the count register (RCX, or ECX with 67h); true when now non-zero. */
function countDown(cpu: Cpu, i: Insn): boolean {
  const regs = cpu.regs;
  if (i.asize === 4) {
    regs[2] = (regs[2] - 1) | 0;
    regs[3] = 0;
    return regs[2] !== 0;
  }
  if (regs[2] === 0) regs[3] = (regs[3] - 1) | 0;
  regs[2] = (regs[2] - 1) | 0;
  return (regs[2] | regs[3]) !== 0;
}

const loop: Handler = (cpu, i) => {
  cpu.rip = countDown(cpu, i) ? i.target : i.next;
};

const loope: Handler = (cpu, i) => {
  cpu.rip = countDown(cpu, i) && cpu.getZF() === 1 ? i.target : i.next;
};

const loopne: Handler = (cpu, i) => {
  cpu.rip = countDown(cpu, i) && cpu.getZF() === 0 ? i.target : i.next;
};

const jrcxz: Handler = (cpu, i) => {
  const zero = i.asize === 4 ? cpu.regs[2] === 0 : (cpu.regs[2] | cpu.regs[3]) === 0;
  cpu.rip = zero ? i.target : i.next;
};

/** Rows of the control-transfer family. */
export const CONTROL_ROWS: OpRow[] = [
  { name: 'jmp', map: 0, op: 0xeb, modrm: false, size: 'f64', imm: 'jb', flow: true, exec: jmp },
  { name: 'jmp', map: 0, op: 0xe9, modrm: false, size: 'f64', imm: 'jz', flow: true, exec: jmp },
  ...Array.from({ length: 16 }, (_, cc): OpRow => ({
    name: 'j',
    map: 0,
    op: 0x70 + cc,
    modrm: false,
    size: 'f64',
    imm: 'jb',
    flow: true,
    exec: jcc,
  })),
  ...Array.from({ length: 16 }, (_, cc): OpRow => ({
    name: 'j',
    map: 1,
    op: 0x80 + cc,
    modrm: false,
    size: 'f64',
    imm: 'jz',
    flow: true,
    exec: jcc,
  })),
  { name: 'call', map: 0, op: 0xe8, modrm: false, size: 'f64', imm: 'jz', flow: true, exec: call },
  { name: 'ret', map: 0, op: 0xc3, modrm: false, size: 'f64', flow: true, exec: ret },
  { name: 'ret', map: 0, op: 0xc2, modrm: false, size: 'f64', imm: 'w', flow: true, exec: retImm },
  { name: 'call', map: 0, op: 0xff, ext: 2, size: 'f64', flow: true, exec: callE },
  { name: 'jmp', map: 0, op: 0xff, ext: 4, size: 'f64', flow: true, exec: jmpE },
  { name: 'loopne', map: 0, op: 0xe0, modrm: false, imm: 'jb', flow: true, exec: loopne },
  { name: 'loope', map: 0, op: 0xe1, modrm: false, imm: 'jb', flow: true, exec: loope },
  { name: 'loop', map: 0, op: 0xe2, modrm: false, imm: 'jb', flow: true, exec: loop },
  { name: 'jrcxz', map: 0, op: 0xe3, modrm: false, imm: 'jb', flow: true, exec: jrcxz },
];
