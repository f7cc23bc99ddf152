import type { Cpu } from '../cpu.ts';
import { AMBER_FEATURES } from '../cpuid.ts';
import { ARITH_FLAGS, FLAG_CF, FLAG_PF, FLAG_ZF, LAZY_NONE, PARITY } from '../flags.ts';
import type { Handler, Insn } from '../insn.ts';
import { getReg, readE, setReg, signExtend } from '../operands.ts';
import type { OpRow } from '../table.ts';
import { lockableInMemory, notLockable } from './lock.ts';

/**
 * Bit instructions: bt, bts, btr, btc (register and immediate offsets,
 * including the memory bit-string form), bsf, bsr, popcnt, lzcnt, tzcnt
 * and bswap.
 *
 * Flags follow the AMD hosts of the differential tests where Intel leaves
 * them undefined: the bit tests change only CF; bsf and bsr clear CF, OF,
 * SF and AF, set ZF for a zero source and PF from the bit index (0 for a
 * zero source); popcnt clears all but ZF.
 */

const BT = 0;
const BTS = 1;
const BTR = 2;
const BTC = 3;

/**
 * Whether F3 0F BC/BD are tzcnt/lzcnt. Without BMI1/ABM advertised in
 * CPUID they decode as bsf/bsr with an ignored prefix, as on processors
 * that lack them; advertising those features is the only switch.
 */
const HAS_LZCNT = AMBER_FEATURES.features.includes('abm');
const HAS_TZCNT = AMBER_FEATURES.features.includes('bmi1');

/** New value of a bit under bt-family operation `op` (-1: bt leaves it). */
function applyBit(op: number, bit: number): number {
  return op === BTS ? 1 : op === BTR ? 0 : op === BTC ? bit ^ 1 : -1;
}

/** The operation of a bt-family opcode (A3, AB, B3, BB) or of 0F BA /4-/7. */
function btOp(i: Insn): number {
  return (i.op & 0xff) === 0xba ? ((i.modrm >> 3) & 7) - 4 : ((i.op & 0xff) - 0xa3) >> 3;
}

/** bt-family on a register operand, bit index n already reduced to the size. */
function btRegister(cpu: Cpu, op: number, r: number, size: number, n: number): void {
  const regs = cpu.regs;
  if (size === 8) {
    const slot = 2 * r + (n >> 5);
    const m = 1 << (n & 31);
    const bit = (regs[slot] & m) !== 0 ? 1 : 0;
    cpu.setArith(FLAG_CF, bit);
    if (op === BTS) regs[slot] |= m;
    else if (op === BTR) regs[slot] &= ~m;
    else if (op === BTC) regs[slot] ^= m;
    return;
  }
  const v = getReg(cpu, r, size);
  const bit = (v >>> n) & 1;
  cpu.setArith(FLAG_CF, bit);
  const nv = applyBit(op, bit);
  if (nv >= 0) setReg(cpu, r, size, nv ? v | (1 << n) : v & ~(1 << n), 0);
}

/** bt-family on the byte at `addr`, bit b (0..7). */
function btByte(cpu: Cpu, op: number, addr: number, b: number): void {
  const v = cpu.read8(addr);
  const bit = (v >> b) & 1;
  if (op !== BT) {
    const nv = applyBit(op, bit);
    cpu.write8(addr, nv ? v | (1 << b) : v & ~(1 << b));
  }
  cpu.setArith(FLAG_CF, bit);
}

/** bt/bts/btr/btc E, G: a register offset, a bit string in memory. */
const btEG: Handler = (cpu, i) => {
  const size = i.size;
  const op = btOp(i);
  const g = getReg(cpu, i.reg, size);
  if (i.rm >= 0) {
    btRegister(cpu, op, i.rm, size, g & (size * 8 - 1));
    return;
  }
  // The offset is signed and may reach far beyond the operand.
  let byteOffset: number;
  if (size === 8) byteOffset = cpu.hi * 536870912 + (g >>> 3);
  else byteOffset = signExtend(g, size) >> 3;
  btByte(cpu, op, i.eaf(cpu, i) + byteOffset, g & 7);
};

/** bt/bts/btr/btc E, imm8 (0F BA /4-/7): the offset wraps within the operand. */
const btEI: Handler = (cpu, i) => {
  const n = i.imm & (i.size * 8 - 1);
  const op = btOp(i);
  if (i.rm >= 0) btRegister(cpu, op, i.rm, i.size, n);
  else btByte(cpu, op, i.eaf(cpu, i) + (n >> 3), n & 7);
};

/** Flags of bsf/bsr/tzcnt/lzcnt-as-bsf: see the file comment. */
function setScanFlags(cpu: Cpu, zero: boolean, index: number): void {
  cpu.lop = LAZY_NONE;
  cpu.eflags =
    (cpu.eflags & ~ARITH_FLAGS) | (zero ? FLAG_ZF : 0) | (PARITY[index & 0xff] ? FLAG_PF : 0);
}

/** Index of the lowest set bit of (lo, hi), or -1. */
function lowestBit(lo: number, hi: number): number {
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  if (hi !== 0) return 63 - Math.clz32(hi & -hi);
  return -1;
}

/** Index of the highest set bit of (lo, hi), or -1. */
function highestBit(lo: number, hi: number): number {
  if (hi !== 0) return 63 - Math.clz32(hi);
  if (lo !== 0) return 31 - Math.clz32(lo);
  return -1;
}

/** Reads E zero-extended to 64 bits: returns lo, leaves hi in cpu.hi. */
function readSource(cpu: Cpu, i: Insn): number {
  const v = readE(cpu, i);
  if (i.size !== 8) cpu.hi = 0;
  return v;
}

function scan(cpu: Cpu, i: Insn, highest: boolean): void {
  const lo = readSource(cpu, i);
  const n = highest ? highestBit(lo, cpu.hi) : lowestBit(lo, cpu.hi);
  // A zero source leaves the whole destination register as it was.
  if (n < 0) {
    setScanFlags(cpu, true, 0);
    return;
  }
  setReg(cpu, i.reg, i.size, n, 0);
  setScanFlags(cpu, false, n);
}

const bsf: Handler = (cpu, i) => scan(cpu, i, false);
const bsr: Handler = (cpu, i) => scan(cpu, i, true);

/** tzcnt/lzcnt: like bsf/bsr but defined for zero; CF says the source was zero. */
function count(cpu: Cpu, i: Insn, leading: boolean): void {
  const lo = readSource(cpu, i);
  const width = i.size * 8;
  const n = leading ? highestBit(lo, cpu.hi) : lowestBit(lo, cpu.hi);
  const r = n < 0 ? width : leading ? width - 1 - n : n;
  setReg(cpu, i.reg, i.size, r, 0);
  cpu.setArith(ARITH_FLAGS, (n < 0 ? FLAG_CF : 0) | (r === 0 ? FLAG_ZF : 0));
}

const tzcnt: Handler = (cpu, i) => count(cpu, i, false);
const lzcnt: Handler = (cpu, i) => count(cpu, i, true);

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

const popcnt: Handler = (cpu, i) => {
  const lo = readSource(cpu, i);
  const n = popcount32(lo) + popcount32(cpu.hi);
  setReg(cpu, i.reg, i.size, n, 0);
  cpu.setArith(ARITH_FLAGS, n === 0 ? FLAG_ZF : 0);
};

function swap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/** bswap r32/r64; with a 16-bit operand the register's low word becomes 0. */
const bswap: Handler = (cpu, i) => {
  const regs = cpu.regs;
  const r = i.reg;
  if (i.size === 8) {
    const lo = regs[2 * r];
    regs[2 * r] = swap32(regs[2 * r + 1]);
    regs[2 * r + 1] = swap32(lo);
  } else if (i.size === 4) {
    regs[2 * r] = swap32(regs[2 * r]);
    regs[2 * r + 1] = 0;
  } else {
    regs[2 * r] &= ~0xffff;
  }
};

const BT_NAMES = ['bt', 'bts', 'btr', 'btc'];

/** Rows of the bit-instruction family. */
export const BITS_ROWS: OpRow[] = [
  ...notLockable([
    { name: 'bt', map: 1, op: 0xa3, exec: btEG },
    { name: 'bt', map: 1, op: 0xba, ext: 4, imm: 'b', exec: btEI },
  ]),
  ...lockableInMemory(
    BT_NAMES.slice(1).flatMap((name, k): OpRow[] => [
      { name, map: 1, op: 0xab + 8 * k, exec: btEG },
      { name, map: 1, op: 0xba, ext: 5 + k, imm: 'b', exec: btEI },
    ]),
  ),
  ...notLockable([
    { name: 'bsf', map: 1, op: 0xbc, exec: bsf },
    { name: 'bsr', map: 1, op: 0xbd, exec: bsr },
    { name: 'tzcnt', map: 1, op: 0xbc, pfx: 'f3', exec: HAS_TZCNT ? tzcnt : bsf },
    { name: 'lzcnt', map: 1, op: 0xbd, pfx: 'f3', exec: HAS_LZCNT ? lzcnt : bsr },
    { name: 'popcnt', map: 1, op: 0xb8, pfx: 'f3', exec: popcnt },
    { name: 'bswap', map: 1, op: 0xc8, zreg: true, exec: bswap },
  ]),
];
