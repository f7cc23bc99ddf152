/**
 * Hand-made instruction encoding for case generators: legacy prefixes, the
 * 66h operand-size prefix, REX, opcode, ModRM/SIB/displacement and an
 * immediate. Enough for the integer families; not a general assembler.
 */
import type { Size } from './rng.ts';

/** A memory operand: [base + index * scale + disp] or [rip + disp]. */
export interface Mem {
  base?: number;
  index?: number;
  scale?: 1 | 2 | 4 | 8;
  disp?: number;
  /** RIP-relative: disp counts from the end of the instruction. */
  rip?: boolean;
}

/** The r/m operand: a register number or a memory operand. */
export type RM = number | Mem;

/** Byte-register numbers 16..19 name AH, CH, DH, BH (no REX allowed). */
export const AH = 16;
export const CH = 17;
export const DH = 18;
export const BH = 19;

/** What to encode. */
export interface InsnSpec {
  /** Opcode bytes, including 0F / 0F 38 escapes. */
  op: number[];
  /** Operand size: 2 adds 66h, 8 adds REX.W; 1 and 4 add nothing. */
  size?: Size;
  /** ModRM.reg as a register number. */
  reg?: number;
  /** ModRM.reg as the /digit of a group opcode (instead of `reg`). */
  ext?: number;
  /** The r/m operand; without it there is no ModRM byte. */
  rm?: RM;
  /** A register added to the last opcode byte (push r, bswap r, ...). */
  zreg?: number;
  /** Immediate value and its width in bytes. */
  imm?: bigint | number;
  immBytes?: number;
  /** Legacy prefixes written first (f0, f2, f3, 67, segment ...). */
  prefix?: number[];
  /** Register operands are byte registers (4..7 need REX, 16..19 forbid it). */
  byteRegs?: boolean;
  /** Mandatory prefix placed after 66h and before REX (SSE: 66, f2, f3). */
  mandatory?: number;
}

/** Encodes one instruction. */
export function enc(s: InsnSpec): number[] {
  const out: number[] = [...(s.prefix ?? [])];
  if (s.size === 2) out.push(0x66);
  if (s.mandatory !== undefined) out.push(s.mandatory);

  let rex = s.size === 8 ? 8 : 0;
  let needRex = false;
  let forbidRex = false;
  const regBits = (r: number, shift: number): number => {
    if (s.byteRegs && r >= AH) {
      forbidRex = true;
      return r - AH + 4;
    }
    if (s.byteRegs && r >= 4 && r < 8) needRex = true;
    if (r >= 8) rex |= 1 << shift;
    return r & 7;
  };

  const tail: number[] = [];
  const op = [...s.op];
  if (s.zreg !== undefined) op[op.length - 1] += regBits(s.zreg, 0);
  if (s.rm !== undefined) {
    const reg = s.ext ?? regBits(s.reg ?? 0, 2);
    if (typeof s.rm === 'number') {
      tail.push(0xc0 | (reg << 3) | regBits(s.rm, 0));
    } else {
      const m = s.rm;
      if (m.base !== undefined && m.base >= 8) rex |= 1;
      if (m.index !== undefined && m.index >= 8) rex |= 2;
      tail.push(...modrmMem(reg, m));
    }
  }
  if (s.imm !== undefined) tail.push(...le(BigInt(s.imm), s.immBytes ?? 1));
  if (rex !== 0 || needRex) {
    if (forbidRex) throw new Error('AH, CH, DH and BH cannot be encoded with a REX prefix');
    out.push(0x40 | rex);
  }
  return [...out, ...op, ...tail];
}

/** ModRM (+SIB, displacement) bytes for a memory operand, REX bits aside. */
function modrmMem(reg: number, m: Mem): number[] {
  const disp = m.disp ?? 0;
  if (m.rip) return [(reg << 3) | 5, ...le(BigInt(disp), 4)];
  if (m.base === undefined) {
    // No base: SIB with base 101 and mod 00 means disp32 only.
    const index = m.index === undefined ? 4 : m.index & 7;
    if (m.index === 4) throw new Error('rsp cannot be an index');
    return [(reg << 3) | 4, (scaleBits(m.scale) << 6) | (index << 3) | 5, ...le(BigInt(disp), 4)];
  }
  const base = m.base & 7;
  // rbp and r13 as a base need a displacement byte even for disp 0.
  const mod = disp === 0 && base !== 5 ? 0 : disp >= -128 && disp <= 127 ? 1 : 2;
  const dispBytes = mod === 0 ? [] : le(BigInt(disp), mod === 1 ? 1 : 4);
  if (m.index === undefined && base !== 4) return [(mod << 6) | (reg << 3) | base, ...dispBytes];
  if (m.index === 4) throw new Error('rsp cannot be an index');
  const index = m.index === undefined ? 4 : m.index & 7;
  const sib = (scaleBits(m.scale) << 6) | (index << 3) | base;
  return [(mod << 6) | (reg << 3) | 4, sib, ...dispBytes];
}

function scaleBits(scale: Mem['scale']): number {
  return { 1: 0, 2: 1, 4: 2, 8: 3 }[scale ?? 1];
}

/** Little-endian bytes of the low `n` bytes of a value. */
export function le(v: bigint, n: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(Number((v >> BigInt(8 * k)) & 0xffn));
  return out;
}
