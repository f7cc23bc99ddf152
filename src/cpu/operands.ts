import type { Cpu } from './cpu.ts';
import { SEG_FS, SEG_NONE, type AddressFn, type Insn } from './insn.ts';

/**
 * Operand access shared by the instruction handlers: effective addresses,
 * and reads and writes of the ModRM operands (E: reg or memory, G: reg).
 * Values of 1 and 2 bytes are zero-extended, 4-byte values are int32, and
 * 8-byte values return the low half with the high half in `cpu.hi`.
 */

const TWO32 = 4294967296;

/** A register's 64-bit value as a signed double (exact below 2^53 in magnitude). */
function regValue(cpu: Cpu, r: number): number {
  return cpu.regs[2 * r + 1] * TWO32 + (cpu.regs[2 * r] >>> 0);
}

const eaAbs: AddressFn = (_cpu, i) => i.disp;
const eaBase: AddressFn = (cpu, i) => regValue(cpu, i.base);
const eaBaseDisp: AddressFn = (cpu, i) => regValue(cpu, i.base) + i.disp;
const eaBaseIndex: AddressFn = (cpu, i) =>
  regValue(cpu, i.base) + regValue(cpu, i.index) * i.scale + i.disp;
const eaIndex: AddressFn = (cpu, i) => regValue(cpu, i.index) * i.scale + i.disp;

/** Any form: 32-bit address size, FS/GS bases. */
const eaGeneric: AddressFn = (cpu, i) => {
  let a: number;
  if (i.asize === 4) {
    let lo = i.disp;
    if (i.base >= 0) lo += cpu.regs[2 * i.base];
    if (i.index >= 0) lo += cpu.regs[2 * i.index] * i.scale;
    a = i.base === -2 ? i.disp : lo >>> 0;
  } else {
    a = i.disp;
    if (i.base >= 0) a += regValue(cpu, i.base);
    if (i.index >= 0) a += regValue(cpu, i.index) * i.scale;
  }
  if (i.seg !== SEG_NONE) a += i.seg === SEG_FS ? cpu.fsBase : cpu.gsBase;
  return a;
};

/**
 * Picks the address function for a decoded memory operand. A base of -2
 * marks a RIP-relative operand whose absolute address is already in disp.
 */
export function chooseAddressFn(i: Insn): AddressFn {
  if (i.asize === 4 || i.seg !== SEG_NONE) return eaGeneric;
  if (i.base < 0) return i.index < 0 ? eaAbs : eaIndex;
  if (i.index < 0) return i.disp === 0 ? eaBase : eaBaseDisp;
  return eaBaseIndex;
}

/**
 * The effective address as an exact 64-bit value (lea): returns the low half
 * and leaves the high half in `cpu.hi`. Wraps modulo 2^64 like the hardware.
 */
export function leaValue(cpu: Cpu, i: Insn): number {
  if (i.base === -2) {
    cpu.hi = Math.floor(i.disp / TWO32) | 0;
    return i.disp | 0;
  }
  let lo = (i.disp | 0) >>> 0;
  let hi = i.disp < 0 ? -1 : 0;
  if (i.base >= 0) {
    lo += cpu.regs[2 * i.base] >>> 0;
    hi += cpu.regs[2 * i.base + 1];
  }
  if (i.index >= 0) {
    lo += (cpu.regs[2 * i.index] >>> 0) * i.scale;
    hi += cpu.regs[2 * i.index + 1] * i.scale;
  }
  hi += Math.floor(lo / TWO32);
  if (i.asize === 4) {
    cpu.hi = 0;
    return lo | 0;
  }
  cpu.hi = hi | 0;
  return lo | 0;
}

/** Reads register `r` at `size` (byte registers 16-19 are AH-BH). */
export function getReg(cpu: Cpu, r: number, size: number): number {
  const regs = cpu.regs;
  switch (size) {
    case 8:
      cpu.hi = regs[2 * r + 1];
      return regs[2 * r];
    case 4:
      return regs[2 * r];
    case 2:
      return regs[2 * r] & 0xffff;
    default:
      return r < 16 ? regs[2 * r] & 0xff : (regs[2 * (r - 16)] >> 8) & 0xff;
  }
}

/** Writes register `r` at `size`; 32-bit writes clear the high half. */
export function setReg(cpu: Cpu, r: number, size: number, lo: number, hi: number): void {
  const regs = cpu.regs;
  switch (size) {
    case 8:
      regs[2 * r] = lo;
      regs[2 * r + 1] = hi;
      return;
    case 4:
      regs[2 * r] = lo;
      regs[2 * r + 1] = 0;
      return;
    case 2:
      regs[2 * r] = (regs[2 * r] & ~0xffff) | (lo & 0xffff);
      return;
    default:
      if (r < 16) regs[2 * r] = (regs[2 * r] & ~0xff) | (lo & 0xff);
      else regs[2 * (r - 16)] = (regs[2 * (r - 16)] & ~0xff00) | ((lo & 0xff) << 8);
  }
}

/** Reads memory at `size`. */
export function readMem(cpu: Cpu, a: number, size: number): number {
  switch (size) {
    case 8:
      return cpu.read64(a);
    case 4:
      return cpu.read32(a);
    case 2:
      return cpu.read16(a);
    default:
      return cpu.read8(a);
  }
}

/** Writes memory at `size`. */
export function writeMem(cpu: Cpu, a: number, size: number, lo: number, hi: number): void {
  switch (size) {
    case 8:
      cpu.write64(a, lo, hi);
      return;
    case 4:
      cpu.write32(a, lo);
      return;
    case 2:
      cpu.write16(a, lo);
      return;
    default:
      cpu.write8(a, lo);
  }
}

/** Reads the E operand at the instruction's operand size. */
export function readE(cpu: Cpu, i: Insn): number {
  return i.rm >= 0 ? getReg(cpu, i.rm, i.size) : readMem(cpu, i.eaf(cpu, i), i.size);
}

/** Writes the E operand at the instruction's operand size. */
export function writeE(cpu: Cpu, i: Insn, lo: number, hi: number): void {
  if (i.rm >= 0) setReg(cpu, i.rm, i.size, lo, hi);
  else writeMem(cpu, i.eaf(cpu, i), i.size, lo, hi);
}

/** Reads the G operand (ModRM.reg) at the instruction's operand size. */
export function readG(cpu: Cpu, i: Insn): number {
  return getReg(cpu, i.reg, i.size);
}

/** Writes the G operand (ModRM.reg) at the instruction's operand size. */
export function writeG(cpu: Cpu, i: Insn, lo: number, hi: number): void {
  setReg(cpu, i.reg, i.size, lo, hi);
}

/** Mask of the low `size` bytes, for sizes 1, 2 and 4. */
export function sizeMask(size: number): number {
  return size === 1 ? 0xff : size === 2 ? 0xffff : -1;
}

/** Sign-extends a zero-extended value of `size` bytes (1, 2, 4) to int32. */
export function signExtend(v: number, size: number): number {
  return size === 1 ? (v << 24) >> 24 : size === 2 ? (v << 16) >> 16 : v | 0;
}
