import type { Cpu } from '../cpu.ts';
import { CpuFault } from '../fault.ts';
import { FLAG_ZF } from '../flags.ts';
import type { Handler, Insn } from '../insn.ts';
import { getReg, readMem, setReg, writeMem } from '../operands.ts';
import type { OpRow } from '../table.ts';
import { ALU_ADD, ALU_CMP, aluCompute } from './alu.ts';
import { lockableInMemory } from './lock.ts';

/**
 * The atomic read-modify-write instructions: cmpxchg, xadd, cmpxchg8b and
 * cmpxchg16b. Each accepts a lock prefix with a memory destination. A
 * memory destination is always written, as on hardware (a failed compare
 * writes the old value back), so a read-only page faults either way, and
 * before anything changes.
 */

/** cmpxchg E, G: compare rAX with E; equal: E = G; else rAX = E. */
const cmpxchg: Handler = (cpu, i) => {
  const size = i.size;
  const acc = getReg(cpu, 0, size);
  const accHi = size === 8 ? cpu.hi : 0;
  const src = getReg(cpu, i.reg, size);
  const srcHi = size === 8 ? cpu.hi : 0;
  let addr = 0;
  let d: number;
  if (i.rm >= 0) d = getReg(cpu, i.rm, size);
  else {
    addr = i.eaf(cpu, i);
    d = readMem(cpu, addr, size);
  }
  const dHi = size === 8 ? cpu.hi : 0;
  if (i.rm < 0) cpu.probeWrite(addr, size);
  aluCompute(cpu, ALU_CMP, size, acc, accHi, d, dHi);
  const equal = acc === d && accHi === dHi;
  if (i.rm >= 0) {
    // A failed compare leaves a register destination untouched (its high
    // half too, for 32 bits), as the hosts do.
    if (equal) setReg(cpu, i.rm, size, src, srcHi);
    else setReg(cpu, 0, size, d, dHi);
    return;
  }
  if (equal) writeMem(cpu, addr, size, src, srcHi);
  else {
    writeMem(cpu, addr, size, d, dHi);
    setReg(cpu, 0, size, d, dHi);
  }
};

/** xadd E, G: G = E, E = E + G, with the flags of the addition. */
const xadd: Handler = (cpu, i) => {
  const size = i.size;
  const g = getReg(cpu, i.reg, size);
  const gHi = size === 8 ? cpu.hi : 0;
  if (i.rm >= 0) {
    const d = getReg(cpu, i.rm, size);
    const dHi = size === 8 ? cpu.hi : 0;
    const r = aluCompute(cpu, ALU_ADD, size, d, dHi, g, gHi);
    const rHi = cpu.hi;
    // Written last, so that xadd r, r leaves the sum.
    setReg(cpu, i.reg, size, d, dHi);
    setReg(cpu, i.rm, size, r, rHi);
    return;
  }
  const addr = i.eaf(cpu, i);
  const d = readMem(cpu, addr, size);
  const dHi = size === 8 ? cpu.hi : 0;
  cpu.probeWrite(addr, size);
  const r = aluCompute(cpu, ALU_ADD, size, d, dHi, g, gHi);
  writeMem(cpu, addr, size, r, cpu.hi);
  setReg(cpu, i.reg, size, d, dHi);
};

/** cmpxchg8b m64: compare EDX:EAX with m64; equal: m64 = ECX:EBX. Only ZF changes. */
function cmpxchg8b(cpu: Cpu, addr: number): void {
  const regs = cpu.regs;
  const lo = cpu.read64(addr);
  const hi = cpu.hi;
  cpu.probeWrite(addr, 8);
  const equal = lo === regs[0] && hi === regs[4];
  if (equal) cpu.write64(addr, regs[6], regs[2]);
  else {
    cpu.write64(addr, lo, hi);
    regs[0] = lo;
    regs[1] = 0;
    regs[4] = hi;
    regs[5] = 0;
  }
  cpu.setArith(FLAG_ZF, equal ? FLAG_ZF : 0);
}

/** cmpxchg16b m128: compare RDX:RAX with m128; equal: m128 = RCX:RBX. */
function cmpxchg16b(cpu: Cpu, addr: number): void {
  if (addr % 16 !== 0) throw CpuFault.gp('cmpxchg16b operand not 16-byte aligned');
  const regs = cpu.regs;
  const w0 = cpu.read64(addr);
  const w1 = cpu.hi;
  const w2 = cpu.read64(addr + 8);
  const w3 = cpu.hi;
  cpu.probeWrite(addr, 16);
  const equal = w0 === regs[0] && w1 === regs[1] && w2 === regs[4] && w3 === regs[5];
  if (equal) {
    cpu.write64(addr, regs[6], regs[7]);
    cpu.write64(addr + 8, regs[2], regs[3]);
  } else {
    regs[0] = w0;
    regs[1] = w1;
    regs[4] = w2;
    regs[5] = w3;
  }
  cpu.setArith(FLAG_ZF, equal ? FLAG_ZF : 0);
}

/** 0F C7 /1: cmpxchg16b with REX.W, else cmpxchg8b. */
const cmpxchgWide: Handler = (cpu, i: Insn) => {
  const addr = i.eaf(cpu, i);
  if (i.size === 8) cmpxchg16b(cpu, addr);
  else cmpxchg8b(cpu, addr);
};

/** Rows of the atomic family. */
export const ATOMIC_ROWS: OpRow[] = lockableInMemory([
  { name: 'cmpxchg', map: 1, op: 0xb0, size: 'b', exec: cmpxchg },
  { name: 'cmpxchg', map: 1, op: 0xb1, exec: cmpxchg },
  { name: 'xadd', map: 1, op: 0xc0, size: 'b', exec: xadd },
  { name: 'xadd', map: 1, op: 0xc1, exec: xadd },
  { name: 'cmpxchg8b', map: 1, op: 0xc7, ext: 1, mod: 'mem', exec: cmpxchgWide },
]);
