/**
 * Packed shift rows: psll/psrl/psra on words, dwords and qwords by an xmm
 * count or an immediate, and the whole-register byte shifts psrldq/pslldq.
 * Counts beyond the lane width clear the lane (or fill it with the sign for
 * psra), as on hardware.
 */
import type { Cpu } from '../cpu.ts';
import type { Handler } from '../insn.ts';
import type { OpRow } from '../table.ts';
import { commit, loadAligned, RES_U8, SRC } from './xmm-operands.ts';

const SLL = 0;
const SRL = 1;
const SRA = 2;

function shiftWords(cpu: Cpu, reg: number, count: number, kind: number): void {
  const w = cpu.xmmU16;
  const d = reg << 3;
  if (count > 15) {
    if (kind !== SRA) {
      for (let k = 0; k < 8; k++) w[d + k] = 0;
      return;
    }
    count = 15;
  }
  for (let k = 0; k < 8; k++) {
    const v = w[d + k];
    w[d + k] = kind === SLL ? v << count : kind === SRL ? v >>> count : ((v << 16) >> 16) >> count;
  }
}

function shiftDwords(cpu: Cpu, reg: number, count: number, kind: number): void {
  const x = cpu.xmm;
  const d = reg << 2;
  if (count > 31) {
    if (kind !== SRA) {
      x[d] = x[d + 1] = x[d + 2] = x[d + 3] = 0;
      return;
    }
    count = 31;
  }
  for (let k = 0; k < 4; k++) {
    const v = x[d + k];
    x[d + k] = kind === SLL ? v << count : kind === SRL ? v >>> count : v >> count;
  }
}

function shiftQwords(cpu: Cpu, reg: number, count: number, kind: number): void {
  const x = cpu.xmm;
  const d = reg << 2;
  for (let k = 0; k < 4; k += 2) {
    const lo = x[d + k];
    const hi = x[d + k + 1];
    let rl: number;
    let rh: number;
    if (count === 0) {
      rl = lo;
      rh = hi;
    } else if (count > 63) {
      rl = rh = 0;
    } else if (kind === SLL) {
      if (count < 32) {
        rh = (hi << count) | (lo >>> (32 - count));
        rl = lo << count;
      } else {
        rh = lo << (count - 32);
        rl = 0;
      }
    } else if (count < 32) {
      rl = (lo >>> count) | (hi << (32 - count));
      rh = hi >>> count;
    } else {
      rl = hi >>> (count - 32);
      rh = 0;
    }
    x[d + k] = rl;
    x[d + k + 1] = rh;
  }
}

const SHIFTERS = [shiftWords, shiftDwords, shiftQwords];

/** The shift count of an xmm/m128 operand: its low qword, saturated at 64. */
function countOf(): number {
  return SRC[1] !== 0 || SRC[0] >>> 0 > 64 ? 64 : SRC[0];
}

/** psllw/pslld/psllq and friends with the count in xmm/m128. */
function byRegister(lane: number, kind: number): Handler {
  const shift = SHIFTERS[lane];
  return (cpu, i) => {
    loadAligned(cpu, i);
    shift(cpu, i.reg, countOf(), kind);
  };
}

/** The immediate forms (groups 71, 72, 73): the register is ModRM.rm. */
function byImmediate(lane: number, kind: number): Handler {
  const shift = SHIFTERS[lane];
  return (cpu, i) => shift(cpu, i.rm, i.imm & 0xff, kind);
}

/** psrldq (right) and pslldq: shift the whole register by bytes. */
function byteShift(right: boolean): Handler {
  return (cpu, i) => {
    const b = cpu.xmmU8;
    const d = i.rm << 4;
    const n = i.imm & 0xff;
    for (let k = 0; k < 16; k++) {
      const from = right ? k + n : k - n;
      RES_U8[k] = from >= 0 && from < 16 ? b[d + from] : 0;
    }
    commit(cpu, i.rm);
  };
}

function imm(name: string, op: number, ext: number, exec: Handler): OpRow {
  return { name, map: 1, op, pfx: '66', ext, mod: 'reg', size: 'x', imm: 'b', exec };
}

function reg(name: string, op: number, exec: Handler): OpRow {
  return { name, map: 1, op, pfx: '66', size: 'x', exec };
}

/** Rows of the packed shift instructions. */
export const SSE_SHIFT_ROWS: OpRow[] = [
  imm('psrlw', 0x71, 2, byImmediate(0, SRL)),
  imm('psraw', 0x71, 4, byImmediate(0, SRA)),
  imm('psllw', 0x71, 6, byImmediate(0, SLL)),
  imm('psrld', 0x72, 2, byImmediate(1, SRL)),
  imm('psrad', 0x72, 4, byImmediate(1, SRA)),
  imm('pslld', 0x72, 6, byImmediate(1, SLL)),
  imm('psrlq', 0x73, 2, byImmediate(2, SRL)),
  imm('psrldq', 0x73, 3, byteShift(true)),
  imm('psllq', 0x73, 6, byImmediate(2, SLL)),
  imm('pslldq', 0x73, 7, byteShift(false)),
  reg('psrlw', 0xd1, byRegister(0, SRL)),
  reg('psrld', 0xd2, byRegister(1, SRL)),
  reg('psrlq', 0xd3, byRegister(2, SRL)),
  reg('psraw', 0xe1, byRegister(0, SRA)),
  reg('psrad', 0xe2, byRegister(1, SRA)),
  reg('psllw', 0xf1, byRegister(0, SLL)),
  reg('pslld', 0xf2, byRegister(1, SLL)),
  reg('psllq', 0xf3, byRegister(2, SLL)),
];
