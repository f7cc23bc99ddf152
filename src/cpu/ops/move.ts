import type { Cpu } from '../cpu.ts';
import type { Handler, Insn } from '../insn.ts';
import {
  getReg,
  leaValue,
  readE,
  readMem,
  setReg,
  signExtend,
  writeE,
  writeMem,
} from '../operands.ts';
import type { OpRow } from '../table.ts';

/** Data movement: mov and its extensions, lea, xchg, cmovcc, setcc, cbw/cwd. */

const movEG: Handler = (cpu, i) => {
  const v = getReg(cpu, i.reg, i.size);
  writeE(cpu, i, v, cpu.hi);
};

const movGE: Handler = (cpu, i) => {
  const v = readE(cpu, i);
  setReg(cpu, i.reg, i.size, v, cpu.hi);
};

/** mov r64, r64: the commonest instruction of all, without size dispatch. */
const movGE64reg: Handler = (cpu, i) => {
  const regs = cpu.regs;
  regs[2 * i.reg] = regs[2 * i.rm];
  regs[2 * i.reg + 1] = regs[2 * i.rm + 1];
};

/** mov r64, [mem]. */
const movGE64mem: Handler = (cpu, i) => {
  const lo = cpu.read64(i.eaf(cpu, i));
  cpu.regs[2 * i.reg] = lo;
  cpu.regs[2 * i.reg + 1] = cpu.hi;
};

/** mov r32, [mem]. */
const movGE32mem: Handler = (cpu, i) => {
  cpu.regs[2 * i.reg] = cpu.read32(i.eaf(cpu, i));
  cpu.regs[2 * i.reg + 1] = 0;
};

/** mov [mem], r64. */
const movEG64mem: Handler = (cpu, i) => {
  cpu.write64(i.eaf(cpu, i), cpu.regs[2 * i.reg], cpu.regs[2 * i.reg + 1]);
};

const movEI: Handler = (cpu, i) => writeE(cpu, i, i.imm, i.immHi);

/** mov r, imm (B0-BF): the register is in the opcode. */
const movZI: Handler = (cpu, i) => setReg(cpu, i.reg, i.size, i.imm, i.immHi);

/** Absolute address of a moffs operand (A0-A3). */
function moffs(cpu: Cpu, i: Insn): number {
  let a = i.immHi * 4294967296 + (i.imm >>> 0);
  if (i.seg === 1) a += cpu.fsBase;
  else if (i.seg === 2) a += cpu.gsBase;
  return a;
}

const movAO: Handler = (cpu, i) => {
  const v = readMem(cpu, moffs(cpu, i), i.size);
  setReg(cpu, 0, i.size, v, cpu.hi);
};

const movOA: Handler = (cpu, i) => {
  const v = getReg(cpu, 0, i.size);
  writeMem(cpu, moffs(cpu, i), i.size, v, cpu.hi);
};

/** Reads the r/m operand of movzx/movsx at `size`. */
function readSource(cpu: Cpu, i: Insn, size: number): number {
  return i.rm >= 0 ? getReg(cpu, i.rm, size) : readMem(cpu, i.eaf(cpu, i), size);
}

function movzx(size: number): Handler {
  return (cpu, i) => setReg(cpu, i.reg, i.size, readSource(cpu, i, size), 0);
}

function movsx(size: number): Handler {
  return (cpu, i) => {
    const v = signExtend(readSource(cpu, i, size), size);
    setReg(cpu, i.reg, i.size, v, v >> 31);
  };
}

/** movsxd r64, r/m32 (without REX.W it is a plain 32-bit move). */
const movsxd: Handler = (cpu, i) => {
  const v = readSource(cpu, i, 4);
  setReg(cpu, i.reg, i.size, v, v >> 31);
};

const lea: Handler = (cpu, i) => {
  const lo = leaValue(cpu, i);
  setReg(cpu, i.reg, i.size, lo, cpu.hi);
};

const xchgEG: Handler = (cpu, i) => {
  const size = i.size;
  const g = getReg(cpu, i.reg, size);
  const gHi = cpu.hi;
  if (i.rm >= 0) {
    const e = getReg(cpu, i.rm, size);
    setReg(cpu, i.rm, size, g, gHi);
    setReg(cpu, i.reg, size, e, cpu.hi);
    return;
  }
  const addr = i.eaf(cpu, i);
  const e = readMem(cpu, addr, size);
  const eHi = cpu.hi;
  writeMem(cpu, addr, size, g, gHi);
  setReg(cpu, i.reg, size, e, eHi);
};

/** xchg rAX, r (90-97); 90 without REX.B is nop (pause with F3). */
const xchgZA: Handler = (cpu, i) => {
  if (i.reg === 0) return;
  const size = i.size;
  const a = getReg(cpu, 0, size);
  const aHi = cpu.hi;
  const r = getReg(cpu, i.reg, size);
  setReg(cpu, 0, size, r, cpu.hi);
  setReg(cpu, i.reg, size, a, aHi);
};

const cmov: Handler = (cpu, i) => {
  const v = readE(cpu, i);
  if (cpu.cond(i.cc)) setReg(cpu, i.reg, i.size, v, cpu.hi);
  else if (i.size === 4) cpu.regs[2 * i.reg + 1] = 0;
};

const setcc: Handler = (cpu, i) => writeE(cpu, i, cpu.cond(i.cc) ? 1 : 0, 0);

/** cbw, cwde, cdqe: sign-extend the lower half of rAX into the rest. */
const cbw: Handler = (cpu, i) => {
  const half = i.size / 2;
  const v = signExtend(getReg(cpu, 0, half), half);
  setReg(cpu, 0, i.size, v, v >> 31);
};

/** cwd, cdq, cqo: fill rDX with the sign of rAX. */
const cwd: Handler = (cpu, i) => {
  const size = i.size;
  const sign = size === 8 ? cpu.regs[1] >> 31 : signExtend(getReg(cpu, 0, size), size) >> 31;
  setReg(cpu, 2, size, sign, sign);
};

const nop: Handler = () => {};

/** Rows of the data-movement family. */
export const MOVE_ROWS: OpRow[] = [
  { name: 'mov', map: 0, op: 0x88, size: 'b', exec: movEG },
  {
    name: 'mov',
    map: 0,
    op: 0x89,
    exec: movEG,
    select: (i) => (i.size === 8 && i.rm < 0 ? movEG64mem : movEG),
  },
  { name: 'mov', map: 0, op: 0x8a, size: 'b', exec: movGE },
  {
    name: 'mov',
    map: 0,
    op: 0x8b,
    exec: movGE,
    select: (i) =>
      i.size === 8
        ? i.rm >= 0
          ? movGE64reg
          : movGE64mem
        : i.size === 4 && i.rm < 0
          ? movGE32mem
          : movGE,
  },
  { name: 'mov', map: 0, op: 0xc6, ext: 0, size: 'b', imm: 'b', exec: movEI },
  { name: 'mov', map: 0, op: 0xc7, ext: 0, imm: 'z', exec: movEI },
  { name: 'mov', map: 0, op: 0xb0, zreg: true, size: 'b', imm: 'b', exec: movZI },
  { name: 'mov', map: 0, op: 0xb8, zreg: true, imm: 'v', exec: movZI },
  { name: 'mov', map: 0, op: 0xa0, modrm: false, size: 'b', imm: 'o', exec: movAO },
  { name: 'mov', map: 0, op: 0xa1, modrm: false, imm: 'o', exec: movAO },
  { name: 'mov', map: 0, op: 0xa2, modrm: false, size: 'b', imm: 'o', exec: movOA },
  { name: 'mov', map: 0, op: 0xa3, modrm: false, imm: 'o', exec: movOA },
  { name: 'movzx', map: 1, op: 0xb6, rm8: true, exec: movzx(1) },
  { name: 'movzx', map: 1, op: 0xb7, exec: movzx(2) },
  { name: 'movsx', map: 1, op: 0xbe, rm8: true, exec: movsx(1) },
  { name: 'movsx', map: 1, op: 0xbf, exec: movsx(2) },
  { name: 'movsxd', map: 0, op: 0x63, exec: movsxd },
  { name: 'lea', map: 0, op: 0x8d, mod: 'mem', exec: lea },
  { name: 'xchg', map: 0, op: 0x86, size: 'b', exec: xchgEG },
  { name: 'xchg', map: 0, op: 0x87, exec: xchgEG },
  { name: 'xchg', map: 0, op: 0x90, zreg: true, exec: xchgZA },
  ...Array.from({ length: 16 }, (_, cc): OpRow => ({
    name: 'cmov',
    map: 1,
    op: 0x40 + cc,
    exec: cmov,
  })),
  ...Array.from({ length: 16 }, (_, cc): OpRow => ({
    name: 'set',
    map: 1,
    op: 0x90 + cc,
    size: 'b',
    exec: setcc,
  })),
  { name: 'cbw', map: 0, op: 0x98, modrm: false, exec: cbw },
  { name: 'cwd', map: 0, op: 0x99, modrm: false, exec: cwd },
  { name: 'nop', map: 1, op: 0x1f, exec: nop },
  { name: 'prefetch', map: 1, op: 0x18, mod: 'mem', exec: nop },
  { name: 'prefetchw', map: 1, op: 0x0d, mod: 'mem', exec: nop },
  ...[0x19, 0x1a, 0x1b, 0x1c, 0x1d].map((op): OpRow => ({ name: 'nop', map: 1, op, exec: nop })),
  { name: 'nop', map: 1, op: 0x1e, exec: nop },
];
