/**
 * Packed integer rows (SSE2, xmm forms only): bitwise logic (shared with
 * andps/andpd and friends), add and subtract with wrap-around and
 * saturation, multiplies, pmaddwd, psadbw, pavg, min/max, compares and
 * pmovmskb. The MMX forms of these opcodes (no 66 prefix) have no rows and
 * raise #UD.
 */
import type { Handler } from '../insn.ts';
import { setReg } from '../operands.ts';
import type { OpRow } from '../table.ts';
import { commit, loadAligned, RES, RES_U16, RES_U8, SRC, SRC_U16, SRC_U8 } from './xmm-operands.ts';

const and: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  for (let k = 0; k < 4; k++) x[d + k] &= SRC[k];
};

const andn: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  for (let k = 0; k < 4; k++) x[d + k] = ~x[d + k] & SRC[k];
};

const or: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  for (let k = 0; k < 4; k++) x[d + k] |= SRC[k];
};

const xor: Handler = (cpu, i) => {
  const x = cpu.xmm;
  const d = i.reg << 2;
  if (i.rm === i.reg) {
    x[d] = x[d + 1] = x[d + 2] = x[d + 3] = 0; // the zeroing idiom
    return;
  }
  loadAligned(cpu, i);
  for (let k = 0; k < 4; k++) x[d + k] ^= SRC[k];
};

/** Byte lanes: dest[k] = f(dest[k], src[k]) with f given as an element function. */
function bytes(f: (a: number, b: number) => number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const b = cpu.xmmU8;
    const d = i.reg << 4;
    for (let k = 0; k < 16; k++) RES_U8[k] = f(b[d + k], SRC_U8[k]);
    commit(cpu, i.reg);
  };
}

/** Word lanes, like `bytes`. */
function words(f: (a: number, b: number) => number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const w = cpu.xmmU16;
    const d = i.reg << 3;
    for (let k = 0; k < 8; k++) RES_U16[k] = f(w[d + k], SRC_U16[k]);
    commit(cpu, i.reg);
  };
}

/** Dword lanes, like `bytes`. */
function dwords(f: (a: number, b: number) => number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const x = cpu.xmm;
    const d = i.reg << 2;
    for (let k = 0; k < 4; k++) RES[k] = f(x[d + k], SRC[k]);
    commit(cpu, i.reg);
  };
}

const sb = (v: number): number => (v << 24) >> 24;
const sw = (v: number): number => (v << 16) >> 16;
const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

const pcmpeqb: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const b = cpu.xmmU8;
  const d = i.reg << 4;
  for (let k = 0; k < 16; k++) b[d + k] = b[d + k] === SRC_U8[k] ? 0xff : 0;
};

const pminub: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const b = cpu.xmmU8;
  const d = i.reg << 4;
  for (let k = 0; k < 16; k++) if (SRC_U8[k] < b[d + k]) b[d + k] = SRC_U8[k];
};

const paddb: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const b = cpu.xmmU8;
  const d = i.reg << 4;
  for (let k = 0; k < 16; k++) b[d + k] += SRC_U8[k];
};

const psubb: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const b = cpu.xmmU8;
  const d = i.reg << 4;
  for (let k = 0; k < 16; k++) b[d + k] -= SRC_U8[k];
};

/** paddq (sign 1) and psubq (sign -1): 64-bit lanes as two halves with a carry. */
function addq(sign: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const x = cpu.xmm;
    const d = i.reg << 2;
    for (let k = 0; k < 4; k += 2) {
      const lo = (x[d + k] >>> 0) + sign * (SRC[k] >>> 0);
      const carry = lo >= 4294967296 ? 1 : lo < 0 ? -1 : 0;
      x[d + k] = lo | 0;
      x[d + k + 1] = (x[d + k + 1] + sign * SRC[k + 1] + carry) | 0;
    }
  };
}

/** High 32 bits of the unsigned product of two uint32 values. */
function mulHigh32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const mid1 = a1 * b0 + ((a0 * b0) >>> 16);
  const mid2 = a0 * b1 + (mid1 & 0xffff);
  return (a1 * b1 + Math.floor(mid1 / 65536) + Math.floor(mid2 / 65536)) | 0;
}

const pmuludq: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  for (let k = 0; k < 4; k += 2) {
    RES[k] = Math.imul(x[d + k], SRC[k]);
    RES[k + 1] = mulHigh32(x[d + k] >>> 0, SRC[k] >>> 0);
  }
  commit(cpu, i.reg);
};

const pmaddwd: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const w = cpu.xmmU16;
  const d = i.reg << 3;
  for (let k = 0; k < 4; k++) {
    const p0 = Math.imul(sw(w[d + 2 * k]), sw(SRC_U16[2 * k]));
    const p1 = Math.imul(sw(w[d + 2 * k + 1]), sw(SRC_U16[2 * k + 1]));
    RES[k] = (p0 + p1) | 0;
  }
  commit(cpu, i.reg);
};

const psadbw: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const b = cpu.xmmU8;
  const d = i.reg << 4;
  for (let h = 0; h < 2; h++) {
    let sum = 0;
    for (let k = 8 * h; k < 8 * h + 8; k++) sum += Math.abs(b[d + k] - SRC_U8[k]);
    RES[2 * h] = sum;
    RES[2 * h + 1] = 0;
  }
  commit(cpu, i.reg);
};

const pmovmskb: Handler = (cpu, i) => {
  const b = cpu.xmmU8;
  const s = i.rm << 4;
  let m = 0;
  for (let k = 15; k >= 0; k--) m = (m << 1) | (b[s + k] >> 7);
  setReg(cpu, i.reg, 4, m, 0);
};

function row(name: string, op: number, exec: Handler, pfx: '66' | 'none' = '66'): OpRow {
  return { name, map: 1, op, pfx, size: 'x', exec };
}

/** Rows of the packed integer and bitwise instructions. */
export const SSE_INT_ROWS: OpRow[] = [
  row('andps', 0x54, and, 'none'),
  row('andpd', 0x54, and),
  row('andnps', 0x55, andn, 'none'),
  row('andnpd', 0x55, andn),
  row('orps', 0x56, or, 'none'),
  row('orpd', 0x56, or),
  row('xorps', 0x57, xor, 'none'),
  row('xorpd', 0x57, xor),
  row('pand', 0xdb, and),
  row('pandn', 0xdf, andn),
  row('por', 0xeb, or),
  row('pxor', 0xef, xor),
  row(
    'pcmpgtb',
    0x64,
    bytes((a, b) => (sb(a) > sb(b) ? 0xff : 0)),
  ),
  row(
    'pcmpgtw',
    0x65,
    words((a, b) => (sw(a) > sw(b) ? 0xffff : 0)),
  ),
  row(
    'pcmpgtd',
    0x66,
    dwords((a, b) => (a > b ? -1 : 0)),
  ),
  row('pcmpeqb', 0x74, pcmpeqb),
  row(
    'pcmpeqw',
    0x75,
    words((a, b) => (a === b ? 0xffff : 0)),
  ),
  row(
    'pcmpeqd',
    0x76,
    dwords((a, b) => (a === b ? -1 : 0)),
  ),
  row('paddq', 0xd4, addq(1)),
  row(
    'pmullw',
    0xd5,
    words((a, b) => Math.imul(a, b)),
  ),
  { name: 'pmovmskb', map: 1, op: 0xd7, pfx: '66', mod: 'reg', size: 'x', exec: pmovmskb },
  row(
    'psubusb',
    0xd8,
    bytes((a, b) => (a > b ? a - b : 0)),
  ),
  row(
    'psubusw',
    0xd9,
    words((a, b) => (a > b ? a - b : 0)),
  ),
  row('pminub', 0xda, pminub),
  row(
    'paddusb',
    0xdc,
    bytes((a, b) => Math.min(a + b, 0xff)),
  ),
  row(
    'paddusw',
    0xdd,
    words((a, b) => Math.min(a + b, 0xffff)),
  ),
  row(
    'pmaxub',
    0xde,
    bytes((a, b) => (a > b ? a : b)),
  ),
  row(
    'pavgb',
    0xe0,
    bytes((a, b) => (a + b + 1) >> 1),
  ),
  row(
    'pavgw',
    0xe3,
    words((a, b) => (a + b + 1) >> 1),
  ),
  row(
    'pmulhuw',
    0xe4,
    words((a, b) => (a * b) >>> 16),
  ),
  row(
    'pmulhw',
    0xe5,
    words((a, b) => Math.imul(sw(a), sw(b)) >> 16),
  ),
  row(
    'psubsb',
    0xe8,
    bytes((a, b) => clamp(sb(a) - sb(b), -128, 127)),
  ),
  row(
    'psubsw',
    0xe9,
    words((a, b) => clamp(sw(a) - sw(b), -32768, 32767)),
  ),
  row(
    'pminsw',
    0xea,
    words((a, b) => (sw(a) < sw(b) ? a : b)),
  ),
  row(
    'paddsb',
    0xec,
    bytes((a, b) => clamp(sb(a) + sb(b), -128, 127)),
  ),
  row(
    'paddsw',
    0xed,
    words((a, b) => clamp(sw(a) + sw(b), -32768, 32767)),
  ),
  row(
    'pmaxsw',
    0xee,
    words((a, b) => (sw(a) > sw(b) ? a : b)),
  ),
  row('pmuludq', 0xf4, pmuludq),
  row('pmaddwd', 0xf5, pmaddwd),
  row('psadbw', 0xf6, psadbw),
  row('psubb', 0xf8, psubb),
  row(
    'psubw',
    0xf9,
    words((a, b) => a - b),
  ),
  row(
    'psubd',
    0xfa,
    dwords((a, b) => (a - b) | 0),
  ),
  row('psubq', 0xfb, addq(-1)),
  row('paddb', 0xfc, paddb),
  row(
    'paddw',
    0xfd,
    words((a, b) => a + b),
  ),
  row(
    'paddd',
    0xfe,
    dwords((a, b) => (a + b) | 0),
  ),
];
