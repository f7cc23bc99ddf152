/**
 * Shuffle rows: interleaving unpacks (punpck*, unpck*ps/pd), saturating
 * packs, pshufd/pshufhw/pshuflw, shufps/shufpd, and pinsrw/pextrw. All
 * build their result in the scratch register first, so a source that is
 * also the destination reads its old value throughout.
 */
import type { Handler } from '../insn.ts';
import { readE, setReg } from '../operands.ts';
import type { OpRow } from '../table.ts';
import { commit, loadAligned, RES, RES_U16, RES_U8, SRC, SRC_U16, SRC_U8 } from './xmm-operands.ts';

/** Interleave bytes of the low (high = 0) or high (high = 8) halves. */
function unpackBytes(high: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const b = cpu.xmmU8;
    const d = (i.reg << 4) + high;
    for (let k = 0; k < 8; k++) {
      RES_U8[2 * k] = b[d + k];
      RES_U8[2 * k + 1] = SRC_U8[high + k];
    }
    commit(cpu, i.reg);
  };
}

function unpackWords(high: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const w = cpu.xmmU16;
    const d = (i.reg << 3) + high;
    for (let k = 0; k < 4; k++) {
      RES_U16[2 * k] = w[d + k];
      RES_U16[2 * k + 1] = SRC_U16[high + k];
    }
    commit(cpu, i.reg);
  };
}

/** punpckldq/unpcklps (high = 0) and punpckhdq/unpckhps (high = 2). */
function unpackDwords(high: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const x = cpu.xmm;
    const d = (i.reg << 2) + high;
    RES[0] = x[d];
    RES[1] = SRC[high];
    RES[2] = x[d + 1];
    RES[3] = SRC[high + 1];
    commit(cpu, i.reg);
  };
}

/** punpcklqdq/unpcklpd (high = 0) and punpckhqdq/unpckhpd (high = 2). */
function unpackQwords(high: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const x = cpu.xmm;
    const d = (i.reg << 2) + high;
    RES[0] = x[d];
    RES[1] = x[d + 1];
    RES[2] = SRC[high];
    RES[3] = SRC[high + 1];
    commit(cpu, i.reg);
  };
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** packsswb (unsigned false) and packuswb: signed words to saturated bytes. */
function packWords(unsigned: boolean): Handler {
  const lo = unsigned ? 0 : -128;
  const hi = unsigned ? 255 : 127;
  return (cpu, i) => {
    loadAligned(cpu, i);
    const w = cpu.xmmU16;
    const d = i.reg << 3;
    for (let k = 0; k < 8; k++) {
      RES_U8[k] = clamp((w[d + k] << 16) >> 16, lo, hi);
      RES_U8[k + 8] = clamp((SRC_U16[k] << 16) >> 16, lo, hi);
    }
    commit(cpu, i.reg);
  };
}

const packssdw: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  for (let k = 0; k < 4; k++) {
    RES_U16[k] = clamp(x[d + k], -32768, 32767);
    RES_U16[k + 4] = clamp(SRC[k], -32768, 32767);
  }
  commit(cpu, i.reg);
};

const pshufd: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const n = i.imm;
  RES[0] = SRC[n & 3];
  RES[1] = SRC[(n >> 2) & 3];
  RES[2] = SRC[(n >> 4) & 3];
  RES[3] = SRC[(n >> 6) & 3];
  commit(cpu, i.reg);
};

/** pshuflw (half = 0) and pshufhw (half = 4): shuffle four words, copy the rest. */
function pshufw(half: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const n = i.imm;
    for (let k = 0; k < 8; k++) RES_U16[k] = SRC_U16[k];
    for (let k = 0; k < 4; k++) RES_U16[half + k] = SRC_U16[half + ((n >> (2 * k)) & 3)];
    commit(cpu, i.reg);
  };
}

const shufps: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  const n = i.imm;
  RES[0] = x[d + (n & 3)];
  RES[1] = x[d + ((n >> 2) & 3)];
  RES[2] = SRC[(n >> 4) & 3];
  RES[3] = SRC[(n >> 6) & 3];
  commit(cpu, i.reg);
};

const shufpd: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  const a = d + ((i.imm & 1) << 1);
  const b = i.imm & 2;
  RES[0] = x[a];
  RES[1] = x[a + 1];
  RES[2] = SRC[b];
  RES[3] = SRC[b + 1];
  commit(cpu, i.reg);
};

/** pinsrw xmm, r32/m16, imm8: the row's size 'w' makes readE read 16 bits. */
const pinsrw: Handler = (cpu, i) => {
  const v = readE(cpu, i);
  cpu.xmmU16[(i.reg << 3) + (i.imm & 7)] = v;
};

const pextrw: Handler = (cpu, i) => {
  setReg(cpu, i.reg, 4, cpu.xmmU16[(i.rm << 3) + (i.imm & 7)], 0);
};

function row(name: string, op: number, exec: Handler, pfx: '66' | 'none' = '66'): OpRow {
  return { name, map: 1, op, pfx, size: 'x', exec };
}

/** Rows of the shuffle, pack and unpack instructions. */
export const SSE_SHUFFLE_ROWS: OpRow[] = [
  row('unpcklps', 0x14, unpackDwords(0), 'none'),
  row('unpcklpd', 0x14, unpackQwords(0)),
  row('unpckhps', 0x15, unpackDwords(2), 'none'),
  row('unpckhpd', 0x15, unpackQwords(2)),
  row('punpcklbw', 0x60, unpackBytes(0)),
  row('punpcklwd', 0x61, unpackWords(0)),
  row('punpckldq', 0x62, unpackDwords(0)),
  row('packsswb', 0x63, packWords(false)),
  row('packuswb', 0x67, packWords(true)),
  row('punpckhbw', 0x68, unpackBytes(8)),
  row('punpckhwd', 0x69, unpackWords(4)),
  row('punpckhdq', 0x6a, unpackDwords(2)),
  row('packssdw', 0x6b, packssdw),
  row('punpcklqdq', 0x6c, unpackQwords(0)),
  row('punpckhqdq', 0x6d, unpackQwords(2)),
  { name: 'pshufd', map: 1, op: 0x70, pfx: '66', size: 'x', imm: 'b', exec: pshufd },
  { name: 'pshufhw', map: 1, op: 0x70, pfx: 'f3', size: 'x', imm: 'b', exec: pshufw(4) },
  { name: 'pshuflw', map: 1, op: 0x70, pfx: 'f2', size: 'x', imm: 'b', exec: pshufw(0) },
  { name: 'shufps', map: 1, op: 0xc6, pfx: 'none', size: 'x', imm: 'b', exec: shufps },
  { name: 'shufpd', map: 1, op: 0xc6, pfx: '66', size: 'x', imm: 'b', exec: shufpd },
  { name: 'pinsrw', map: 1, op: 0xc4, pfx: '66', size: 'w', imm: 'b', exec: pinsrw },
  { name: 'pextrw', map: 1, op: 0xc5, pfx: '66', mod: 'reg', size: 'x', imm: 'b', exec: pextrw },
];
