import type { Cpu } from '../cpu.ts';
import { FLAG_CF, FLAG_OF } from '../flags.ts';
import type { Handler, Insn } from '../insn.ts';
import { getReg, readMem, setReg, signExtend, writeMem } from '../operands.ts';
import type { OpRow } from '../table.ts';
import { notLockable } from './lock.ts';
import { bit64, sar64, setShiftFlags, shl64, shr64, wideHi } from './shift-math.ts';

/**
 * Shifts and rotates: group 2 (C0, C1, D0-D3: rol, ror, rcl, rcr, shl, shr,
 * sal, sar) and the double shifts shld/shrd. The count is masked to 5 bits,
 * 6 with REX.W; a masked count of 0 changes no flag. Flags are set eagerly.
 *
 * For counts above 1, where Intel leaves OF undefined, OF follows the rule
 * the count-1 case uses (AMD hardware does this): shl and rotates left
 * MSB(result) ^ CF, shr and rotates right the XOR of the result's two top
 * bits, sar 0.
 */

const ROL = 0;
const ROR = 1;
const RCL = 2;
const RCR = 3;
const SAR = 7;

/** Flags of a rotate: only CF and OF change. */
function setRotateFlags(cpu: Cpu, cf: number, of: number): void {
  cpu.setArith(FLAG_CF | FLAG_OF, cf | (of << 11));
}

/**
 * Group-2 operation `op` on a value of `w` bits (8, 16, 32), zero-extended
 * for 8 and 16 and int32 for 32, by masked count c (1..31). Sets the flags
 * and returns the result in the same representation.
 */
function shiftNarrow(cpu: Cpu, op: number, w: number, a: number, c: number): number {
  const mask = w === 32 ? -1 : (1 << w) - 1;
  const top = w - 1;
  let r: number;
  let cf: number;
  switch (op) {
    case ROL: {
      const k = c & top;
      r = k === 0 ? a : ((a << k) | ((a & mask) >>> (w - k))) & mask;
      cf = r & 1;
      setRotateFlags(cpu, cf, ((r >>> top) ^ cf) & 1);
      return r;
    }
    case ROR: {
      const k = c & top;
      r = k === 0 ? a : (((a & mask) >>> k) | (a << (w - k))) & mask;
      setRotateFlags(cpu, (r >>> top) & 1, ((r >>> top) ^ (r >>> (top - 1))) & 1);
      return r;
    }
    case RCL: {
      const k = w === 32 ? c : c % (w + 1);
      const cin = cpu.getCF();
      r = a;
      cf = cin;
      if (k !== 0) {
        r = (a << k) | (cin << (k - 1));
        if (k > 1) r |= (a & mask) >>> (w + 1 - k);
        r &= mask;
        cf = ((a & mask) >>> (w - k)) & 1;
      }
      setRotateFlags(cpu, cf, ((r >>> top) ^ cf) & 1);
      return r;
    }
    case RCR: {
      const k = w === 32 ? c : c % (w + 1);
      const cin = cpu.getCF();
      r = a;
      cf = cin;
      if (k !== 0) {
        r = ((a & mask) >>> k) | (cin << (w - k));
        if (k > 1) r |= a << (w + 1 - k);
        r &= mask;
        cf = (a >>> (k - 1)) & 1;
      }
      setRotateFlags(cpu, cf, ((r >>> top) ^ (r >>> (top - 1))) & 1);
      return r;
    }
    case SAR: {
      const s = signExtend(a, w >> 3);
      r = (s >> c) & mask;
      setShiftFlags(cpu, r, 0, (r >>> top) & 1, (s >> (c - 1)) & 1, 0);
      return r;
    }
    case 5: {
      r = ((a & mask) >>> c) & mask;
      cf = c > w ? 0 : ((a & mask) >>> (c - 1)) & 1;
      setShiftFlags(cpu, r, 0, (r >>> top) & 1, cf, ((r >>> top) ^ (r >>> (top - 1))) & 1);
      return r;
    }
    default: {
      // shl and its alias sal (/4 and /6).
      r = (a << c) & mask;
      cf = c > w ? 0 : ((a & mask) >>> (w - c)) & 1;
      const sf = (r >>> top) & 1;
      setShiftFlags(cpu, r, 0, sf, cf, sf ^ cf);
      return r;
    }
  }
}

/** Group-2 operation on a 64-bit value (lo, hi) by c (1..63); high half in cpu.hi. */
function shiftWide(cpu: Cpu, op: number, lo: number, hi: number, c: number): number {
  let r: number;
  let rHi: number;
  let cf: number;
  switch (op) {
    case ROL:
    case ROR: {
      const left = op === ROL ? c : 64 - c;
      r = shl64(lo, hi, left);
      rHi = wideHi;
      r |= shr64(lo, hi, 64 - left);
      rHi |= wideHi;
      cf = op === ROL ? r & 1 : rHi >>> 31;
      const of = op === ROL ? (rHi >>> 31) ^ cf : ((rHi >>> 31) ^ (rHi >>> 30)) & 1;
      setRotateFlags(cpu, cf, of);
      break;
    }
    case RCL:
    case RCR: {
      // A 65-bit rotate: the carry sits between the two shifted pieces.
      const cin = cpu.getCF();
      const left = op === RCL ? c : 65 - c;
      r = shl64(lo, hi, left);
      rHi = wideHi;
      r |= shr64(lo, hi, 65 - left);
      rHi |= wideHi;
      if (cin) {
        const at = left - 1;
        if (at >= 32) rHi |= 1 << (at - 32);
        else r |= 1 << at;
      }
      cf = bit64(lo, hi, op === RCL ? 64 - c : c - 1);
      const of = op === RCL ? (rHi >>> 31) ^ cf : ((rHi >>> 31) ^ (rHi >>> 30)) & 1;
      setRotateFlags(cpu, cf, of);
      break;
    }
    case SAR:
      r = sar64(lo, hi, c);
      rHi = wideHi;
      setShiftFlags(cpu, r, rHi, rHi >>> 31, bit64(lo, hi, c - 1), 0);
      break;
    case 5:
      r = shr64(lo, hi, c);
      rHi = wideHi;
      cf = bit64(lo, hi, c - 1);
      setShiftFlags(cpu, r, rHi, rHi >>> 31, cf, ((rHi >>> 31) ^ (rHi >>> 30)) & 1);
      break;
    default:
      r = shl64(lo, hi, c);
      rHi = wideHi;
      cf = bit64(lo, hi, 64 - c);
      setShiftFlags(cpu, r, rHi, rHi >>> 31, cf, (rHi >>> 31) ^ cf);
      break;
  }
  cpu.hi = rHi;
  return r;
}

/** Applies group-2 operation to E by `count` (before masking). */
function shiftE(cpu: Cpu, i: Insn, count: number): void {
  const size = i.size;
  const c = count & (size === 8 ? 63 : 31);
  const op = (i.modrm >> 3) & 7;
  if (i.rm >= 0) {
    const a = getReg(cpu, i.rm, size);
    if (c === 0) {
      // The register is still written: a 32-bit one loses its high half.
      if (size === 4) cpu.regs[2 * i.rm + 1] = 0;
      return;
    }
    const r = size === 8 ? shiftWide(cpu, op, a, cpu.hi, c) : shiftNarrow(cpu, op, size * 8, a, c);
    setReg(cpu, i.rm, size, r, cpu.hi);
    return;
  }
  if (c === 0) return;
  const addr = i.eaf(cpu, i);
  const a = readMem(cpu, addr, size);
  const aHi = cpu.hi;
  cpu.probeWrite(addr, size);
  const r = size === 8 ? shiftWide(cpu, op, a, aHi, c) : shiftNarrow(cpu, op, size * 8, a, c);
  writeMem(cpu, addr, size, r, cpu.hi);
}

const shiftBy1: Handler = (cpu, i) => shiftE(cpu, i, 1);
const shiftByImm: Handler = (cpu, i) => shiftE(cpu, i, i.imm);
const shiftByCl: Handler = (cpu, i) => shiftE(cpu, i, cpu.regs[2]);

/** Group-2 r64, imm: the common compiled form, without dispatch on size. */
const shiftRegImm64: Handler = (cpu, i) => {
  const c = i.imm & 63;
  if (c === 0) return;
  const regs = cpu.regs;
  const r = shiftWide(cpu, (i.modrm >> 3) & 7, regs[2 * i.rm], regs[2 * i.rm + 1], c);
  regs[2 * i.rm] = r;
  regs[2 * i.rm + 1] = cpu.hi;
};

/** Group-2 r32, imm. */
const shiftRegImm32: Handler = (cpu, i) => {
  const c = i.imm & 31;
  const regs = cpu.regs;
  if (c !== 0) regs[2 * i.rm] = shiftNarrow(cpu, (i.modrm >> 3) & 7, 32, regs[2 * i.rm], c);
  regs[2 * i.rm + 1] = 0;
};

/** Picks a specialised handler for C1 (by imm8) in register form. */
function selectByImm(i: Insn): Handler {
  if (i.rm < 0) return shiftByImm;
  return i.size === 8 ? shiftRegImm64 : i.size === 4 ? shiftRegImm32 : shiftByImm;
}

/**
 * shld (left) or shrd: shifts E by c (1..31 or 1..63), filling from G.
 * Returns the result with the high half in cpu.hi and sets the flags.
 */
function doubleShift(
  cpu: Cpu,
  left: boolean,
  size: number,
  a: number,
  aHi: number,
  b: number,
  bHi: number,
  c: number,
): number {
  let r: number;
  let rHi = 0;
  let cf: number;
  let sign: number;
  let oldSign: number;
  if (size === 8) {
    if (left) {
      r = shl64(a, aHi, c);
      rHi = wideHi;
      r |= shr64(b, bHi, 64 - c);
      rHi |= wideHi;
      cf = bit64(a, aHi, 64 - c);
    } else {
      r = shr64(a, aHi, c);
      rHi = wideHi;
      r |= shl64(b, bHi, 64 - c);
      rHi |= wideHi;
      cf = bit64(a, aHi, c - 1);
    }
    sign = rHi >>> 31;
    oldSign = aHi >>> 31;
  } else if (size === 4) {
    r = left ? (a << c) | (b >>> (32 - c)) : (a >>> c) | (b << (32 - c));
    cf = left ? (a >>> (32 - c)) & 1 : (a >>> (c - 1)) & 1;
    sign = r >>> 31;
    oldSign = a >>> 31;
  } else {
    // 16 bits: shift the 32-bit pair (a:b or b:a); counts above 16 are
    // undefined on Intel and wrap through a again here.
    const pair = left ? (a << 16) | b : (b << 16) | a;
    if (left) {
      r = c <= 16 ? (pair << c) >>> 16 : ((b << (c - 16)) | (a >>> (32 - c))) & 0xffff;
      cf = c <= 16 ? (a >>> (16 - c)) & 1 : (b >>> (32 - c)) & 1;
    } else {
      r = c <= 16 ? (pair >>> c) & 0xffff : ((b >>> (c - 16)) | (a << (32 - c))) & 0xffff;
      cf = c <= 16 ? (pair >>> (c - 1)) & 1 : (b >>> (c - 17)) & 1;
    }
    r &= 0xffff;
    sign = r >>> 15;
    oldSign = a >>> 15;
  }
  setShiftFlags(cpu, r, rHi, sign, cf, sign ^ oldSign);
  cpu.hi = rHi;
  return r;
}

function doubleShiftE(cpu: Cpu, i: Insn, left: boolean, count: number): void {
  const size = i.size;
  const c = count & (size === 8 ? 63 : 31);
  const b = getReg(cpu, i.reg, size);
  const bHi = cpu.hi;
  if (i.rm >= 0) {
    const a = getReg(cpu, i.rm, size);
    if (c === 0) {
      if (size === 4) cpu.regs[2 * i.rm + 1] = 0;
      return;
    }
    const r = doubleShift(cpu, left, size, a, cpu.hi, b, bHi, c);
    setReg(cpu, i.rm, size, r, cpu.hi);
    return;
  }
  if (c === 0) return;
  const addr = i.eaf(cpu, i);
  const a = readMem(cpu, addr, size);
  const aHi = cpu.hi;
  cpu.probeWrite(addr, size);
  const r = doubleShift(cpu, left, size, a, aHi, b, bHi, c);
  writeMem(cpu, addr, size, r, cpu.hi);
}

const shldImm: Handler = (cpu, i) => doubleShiftE(cpu, i, true, i.imm);
const shldCl: Handler = (cpu, i) => doubleShiftE(cpu, i, true, cpu.regs[2]);
const shrdImm: Handler = (cpu, i) => doubleShiftE(cpu, i, false, i.imm);
const shrdCl: Handler = (cpu, i) => doubleShiftE(cpu, i, false, cpu.regs[2]);

const GROUP2_NAMES = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];

function group2Rows(): OpRow[] {
  const rows: OpRow[] = [];
  GROUP2_NAMES.forEach((name, ext) => {
    rows.push(
      { name, map: 0, op: 0xc0, ext, size: 'b', imm: 'b', exec: shiftByImm },
      {
        name,
        map: 0,
        op: 0xc1,
        ext,
        imm: 'b',
        exec: shiftByImm,
        select: selectByImm,
      },
      { name, map: 0, op: 0xd0, ext, size: 'b', exec: shiftBy1 },
      { name, map: 0, op: 0xd1, ext, exec: shiftBy1 },
      { name, map: 0, op: 0xd2, ext, size: 'b', exec: shiftByCl },
      { name, map: 0, op: 0xd3, ext, exec: shiftByCl },
    );
  });
  return rows;
}

/** Rows of the shift and rotate family. */
export const SHIFT_ROWS: OpRow[] = notLockable([
  ...group2Rows(),
  { name: 'shld', map: 1, op: 0xa4, imm: 'b', exec: shldImm },
  { name: 'shld', map: 1, op: 0xa5, exec: shldCl },
  { name: 'shrd', map: 1, op: 0xac, imm: 'b', exec: shrdImm },
  { name: 'shrd', map: 1, op: 0xad, exec: shrdCl },
]);
