import type { Cpu } from '../cpu.ts';
import {
  LAZY_ADC,
  LAZY_ADD,
  LAZY_DEC,
  LAZY_INC,
  LAZY_LOGIC,
  LAZY_SBB,
  LAZY_SUB,
} from '../flags.ts';
import type { Handler, Insn } from '../insn.ts';
import { getReg, readE, readMem, setReg, writeMem } from '../operands.ts';
import type { OpRow } from '../table.ts';

/**
 * The eight classic ALU operations (add, or, adc, sbb, and, sub, xor, cmp),
 * test, inc, dec, neg and not, at every operand size. Results are computed
 * on 32-bit halves; flags are left lazy.
 */

export const ALU_ADD = 0;
export const ALU_OR = 1;
export const ALU_ADC = 2;
export const ALU_SBB = 3;
export const ALU_AND = 4;
export const ALU_SUB = 5;
export const ALU_XOR = 6;
export const ALU_CMP = 7;

const TWO32 = 4294967296;

/**
 * Applies ALU operation `op` to a and b at `size` and records the flags.
 * Returns the low half of the result; the high half goes to `cpu.hi`.
 */
export function aluCompute(
  cpu: Cpu,
  op: number,
  size: number,
  a: number,
  aHi: number,
  b: number,
  bHi: number,
): number {
  let r: number;
  let rHi = 0;
  const cin = op === ALU_ADC || op === ALU_SBB ? cpu.getCF() : 0;
  switch (op) {
    case ALU_ADC:
    case ALU_ADD: {
      if (size === 8) {
        const s = (a >>> 0) + (b >>> 0) + cin;
        r = s | 0;
        rHi = (aHi + bHi + (s >= TWO32 ? 1 : 0)) | 0;
      } else {
        r = truncate(a + b + cin, size);
      }
      cpu.setLazy(op === ALU_ADD ? LAZY_ADD : LAZY_ADC, size, a, aHi, b, bHi, r, rHi);
      cpu.lcf = cin;
      break;
    }
    case ALU_SBB:
    case ALU_SUB:
    case ALU_CMP: {
      if (size === 8) {
        const d = (a >>> 0) - (b >>> 0) - cin;
        r = d | 0;
        rHi = (aHi - bHi - (d < 0 ? 1 : 0)) | 0;
      } else {
        r = truncate(a - b - cin, size);
      }
      cpu.setLazy(op === ALU_SBB ? LAZY_SBB : LAZY_SUB, size, a, aHi, b, bHi, r, rHi);
      cpu.lcf = cin;
      break;
    }
    case ALU_OR:
      r = a | b;
      rHi = aHi | bHi;
      cpu.setLazy(LAZY_LOGIC, size, 0, 0, 0, 0, r, rHi);
      break;
    case ALU_AND:
      r = a & b;
      rHi = aHi & bHi;
      cpu.setLazy(LAZY_LOGIC, size, 0, 0, 0, 0, r, rHi);
      break;
    default:
      r = a ^ b;
      rHi = aHi ^ bHi;
      cpu.setLazy(LAZY_LOGIC, size, 0, 0, 0, 0, r, rHi);
      break;
  }
  cpu.hi = rHi;
  return r;
}

/** Truncates to `size` bytes: zero-extended for 1 and 2, int32 for 4. */
function truncate(v: number, size: number): number {
  return size === 1 ? v & 0xff : size === 2 ? v & 0xffff : v | 0;
}

/** Operation of an ALU opcode 00-3F. */
function opOf(i: Insn): number {
  return (i.op >> 3) & 7;
}

/** Operation of a group-1 opcode 80-83: ModRM.reg. */
function extOf(i: Insn): number {
  return (i.modrm >> 3) & 7;
}

/** E op= src, where the operation is `op`; cmp writes nothing. */
function aluToE(cpu: Cpu, i: Insn, op: number, b: number, bHi: number): void {
  const size = i.size;
  if (i.rm >= 0) {
    const a = getReg(cpu, i.rm, size);
    const r = aluCompute(cpu, op, size, a, size === 8 ? cpu.hi : 0, b, bHi);
    if (op !== ALU_CMP) setReg(cpu, i.rm, size, r, cpu.hi);
    return;
  }
  const addr = i.eaf(cpu, i);
  const a = readMem(cpu, addr, size);
  const aHi = size === 8 ? cpu.hi : 0;
  if (op === ALU_CMP) {
    aluCompute(cpu, op, size, a, aHi, b, bHi);
    return;
  }
  // Compute after a write probe so that a read-only page faults before the
  // flags change.
  cpu.probeWrite(addr, size);
  const r = aluCompute(cpu, op, size, a, aHi, b, bHi);
  writeMem(cpu, addr, size, r, cpu.hi);
}

/** 00-3F with E destination: op E, G. */
const aluEG: Handler = (cpu, i) => {
  const b = getReg(cpu, i.reg, i.size);
  aluToE(cpu, i, opOf(i), b, i.size === 8 ? cpu.hi : 0);
};

/** 00-3F with G destination: op G, E. */
const aluGE: Handler = (cpu, i) => {
  const size = i.size;
  const b = readE(cpu, i);
  const bHi = size === 8 ? cpu.hi : 0;
  const a = getReg(cpu, i.reg, size);
  const op = opOf(i);
  const r = aluCompute(cpu, op, size, a, size === 8 ? cpu.hi : 0, b, bHi);
  if (op !== ALU_CMP) setReg(cpu, i.reg, size, r, cpu.hi);
};

/** 04, 05, ... 3D: op AL/eAX, imm. */
const aluAI: Handler = (cpu, i) => {
  const size = i.size;
  const a = getReg(cpu, 0, size);
  const op = opOf(i);
  const imm = size < 4 ? i.imm & (size === 1 ? 0xff : 0xffff) : i.imm;
  const r = aluCompute(cpu, op, size, a, size === 8 ? cpu.hi : 0, imm, i.immHi);
  if (op !== ALU_CMP) setReg(cpu, 0, size, r, cpu.hi);
};

/** 80, 81, 83: op E, imm. */
const aluEI: Handler = (cpu, i) => {
  const size = i.size;
  const imm = size < 4 ? i.imm & (size === 1 ? 0xff : 0xffff) : i.imm;
  aluToE(cpu, i, extOf(i), imm, i.immHi);
};

/** test E, G / test E, imm / test AL, imm: and without writing back. */
function testWith(cpu: Cpu, i: Insn, b: number, bHi: number): void {
  const r = readE(cpu, i) & b;
  const rHi = i.size === 8 ? cpu.hi & bHi : 0;
  cpu.setLazy(LAZY_LOGIC, i.size, 0, 0, 0, 0, r, rHi);
}

const testEG: Handler = (cpu, i) => {
  const b = getReg(cpu, i.reg, i.size);
  testWith(cpu, i, b, i.size === 8 ? cpu.hi : 0);
};

const testEI: Handler = (cpu, i) => testWith(cpu, i, i.imm, i.immHi);

const testAI: Handler = (cpu, i) => {
  const size = i.size;
  const r = getReg(cpu, 0, size) & i.imm;
  const rHi = size === 8 ? cpu.hi & i.immHi : 0;
  cpu.setLazy(
    LAZY_LOGIC,
    size,
    0,
    0,
    0,
    0,
    r & (size === 1 ? 0xff : size === 2 ? 0xffff : -1),
    rHi,
  );
};

/** Applies a unary operation to E in place (read, compute, write). */
function unaryE(cpu: Cpu, i: Insn, f: (cpu: Cpu, size: number, a: number, aHi: number) => number) {
  const size = i.size;
  if (i.rm >= 0) {
    const a = getReg(cpu, i.rm, size);
    const r = f(cpu, size, a, size === 8 ? cpu.hi : 0);
    setReg(cpu, i.rm, size, r, cpu.hi);
    return;
  }
  const addr = i.eaf(cpu, i);
  const a = readMem(cpu, addr, size);
  const aHi = size === 8 ? cpu.hi : 0;
  cpu.probeWrite(addr, size);
  const r = f(cpu, size, a, aHi);
  writeMem(cpu, addr, size, r, cpu.hi);
}

function incValue(cpu: Cpu, size: number, a: number, aHi: number): number {
  const cf = cpu.getCF();
  let r: number;
  let rHi = 0;
  if (size === 8) {
    r = (a + 1) | 0;
    rHi = r === 0 ? (aHi + 1) | 0 : aHi;
  } else {
    r = truncate(a + 1, size);
  }
  cpu.setLazy(LAZY_INC, size, a, aHi, 1, 0, r, rHi);
  cpu.lcf = cf;
  cpu.hi = rHi;
  return r;
}

function decValue(cpu: Cpu, size: number, a: number, aHi: number): number {
  const cf = cpu.getCF();
  let r: number;
  let rHi = 0;
  if (size === 8) {
    r = (a - 1) | 0;
    rHi = a === 0 ? (aHi - 1) | 0 : aHi;
  } else {
    r = truncate(a - 1, size);
  }
  cpu.setLazy(LAZY_DEC, size, a, aHi, 1, 0, r, rHi);
  cpu.lcf = cf;
  cpu.hi = rHi;
  return r;
}

function negValue(cpu: Cpu, size: number, a: number, aHi: number): number {
  return aluCompute(cpu, ALU_SUB, size, 0, 0, a, aHi);
}

function notValue(cpu: Cpu, size: number, a: number, aHi: number): number {
  cpu.hi = ~aHi;
  return truncate(~a, size);
}

const incE: Handler = (cpu, i) => unaryE(cpu, i, incValue);
const decE: Handler = (cpu, i) => unaryE(cpu, i, decValue);
const negE: Handler = (cpu, i) => unaryE(cpu, i, negValue);
const notE: Handler = (cpu, i) => unaryE(cpu, i, notValue);

function aluRows(): OpRow[] {
  const names = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
  const rows: OpRow[] = [];
  names.forEach((name, op) => {
    const base = op * 8;
    rows.push(
      { name, map: 0, op: base, size: 'b', exec: aluEG },
      { name, map: 0, op: base + 1, exec: aluEG },
      { name, map: 0, op: base + 2, size: 'b', exec: aluGE },
      { name, map: 0, op: base + 3, exec: aluGE },
      { name, map: 0, op: base + 4, size: 'b', modrm: false, imm: 'b', exec: aluAI },
      { name, map: 0, op: base + 5, modrm: false, imm: 'z', exec: aluAI },
      { name, map: 0, op: 0x80, ext: op, size: 'b', imm: 'b', exec: aluEI },
      { name, map: 0, op: 0x81, ext: op, imm: 'z', exec: aluEI },
      { name, map: 0, op: 0x83, ext: op, imm: 'b', exec: aluEI },
    );
  });
  return rows;
}

/** Rows of the ALU family. */
export const ALU_ROWS: OpRow[] = [
  ...aluRows(),
  { name: 'test', map: 0, op: 0x84, size: 'b', exec: testEG },
  { name: 'test', map: 0, op: 0x85, exec: testEG },
  { name: 'test', map: 0, op: 0xa8, size: 'b', modrm: false, imm: 'b', exec: testAI },
  { name: 'test', map: 0, op: 0xa9, modrm: false, imm: 'z', exec: testAI },
  { name: 'test', map: 0, op: 0xf6, ext: 0, size: 'b', imm: 'b', exec: testEI },
  { name: 'test', map: 0, op: 0xf6, ext: 1, size: 'b', imm: 'b', exec: testEI },
  { name: 'test', map: 0, op: 0xf7, ext: 0, imm: 'z', exec: testEI },
  { name: 'test', map: 0, op: 0xf7, ext: 1, imm: 'z', exec: testEI },
  { name: 'not', map: 0, op: 0xf6, ext: 2, size: 'b', exec: notE },
  { name: 'not', map: 0, op: 0xf7, ext: 2, exec: notE },
  { name: 'neg', map: 0, op: 0xf6, ext: 3, size: 'b', exec: negE },
  { name: 'neg', map: 0, op: 0xf7, ext: 3, exec: negE },
  { name: 'inc', map: 0, op: 0xfe, ext: 0, size: 'b', exec: incE },
  { name: 'dec', map: 0, op: 0xfe, ext: 1, size: 'b', exec: decE },
  { name: 'inc', map: 0, op: 0xff, ext: 0, exec: incE },
  { name: 'dec', map: 0, op: 0xff, ext: 1, exec: decE },
];
