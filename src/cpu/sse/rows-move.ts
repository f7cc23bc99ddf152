/**
 * Data movement rows: whole-register loads and stores (aligned, unaligned,
 * non-temporal), scalar and half-register moves, movd/movq between xmm and
 * general registers or memory, the SSE3 duplicating loads, movmsk and
 * maskmovdqu. Non-temporal hints are ignored: Amber has no cache.
 */
import type { Cpu } from '../cpu.ts';
import { CpuFault } from '../fault.ts';
import type { Handler, Insn } from '../insn.ts';
import { getReg, readE, setReg, writeE } from '../operands.ts';
import type { OpRow } from '../table.ts';
import {
  commit,
  loadAligned,
  loadLow64,
  loadUnaligned,
  RES,
  SRC,
  SRC_U8,
  store128,
} from './xmm-operands.ts';

function checkAligned(a: number): void {
  if ((a & 15) !== 0) throw CpuFault.gp('misaligned 16-byte SSE operand');
}

/** movaps/movapd/movdqa xmm, xmm/m128 (aligned). */
const loadA: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  x[d] = SRC[0];
  x[d + 1] = SRC[1];
  x[d + 2] = SRC[2];
  x[d + 3] = SRC[3];
};

/** movups/movupd/movdqu/lddqu xmm, xmm/m128. */
const loadU: Handler = (cpu, i) => {
  loadUnaligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  x[d] = SRC[0];
  x[d + 1] = SRC[1];
  x[d + 2] = SRC[2];
  x[d + 3] = SRC[3];
};

function storeWhole(aligned: boolean): Handler {
  return (cpu, i) => {
    const x = cpu.xmm;
    const s = i.reg << 2;
    if (i.rm >= 0) {
      const d = i.rm << 2;
      x[d] = x[s];
      x[d + 1] = x[s + 1];
      x[d + 2] = x[s + 2];
      x[d + 3] = x[s + 3];
      return;
    }
    const a = i.eaf(cpu, i);
    if (aligned) checkAligned(a);
    store128(cpu, a, x, s);
  };
}

/** movss xmm, xmm/m32: the register form merges, the load zeroes lanes 1-3. */
const movssLoad: Handler = (cpu, i) => {
  const x = cpu.xmm;
  const d = i.reg << 2;
  if (i.rm >= 0) {
    x[d] = x[i.rm << 2];
    return;
  }
  x[d] = cpu.read32(i.eaf(cpu, i));
  x[d + 1] = x[d + 2] = x[d + 3] = 0;
};

const movssStore: Handler = (cpu, i) => {
  const v = cpu.xmm[i.reg << 2];
  if (i.rm >= 0) cpu.xmm[i.rm << 2] = v;
  else cpu.write32(i.eaf(cpu, i), v);
};

/** movsd xmm, xmm/m64 (and movq xmm, xmm/m64 when `zeroHigh` also for registers). */
function movLow64Load(zeroHighFromReg: boolean): Handler {
  return (cpu, i) => {
    const x = cpu.xmm;
    const d = i.reg << 2;
    loadLow64(cpu, i);
    x[d] = SRC[0];
    x[d + 1] = SRC[1];
    if (i.rm < 0 || zeroHighFromReg) x[d + 2] = x[d + 3] = 0;
  };
}

/** movsd/movlps/movlpd m64, xmm; movsd xmm, xmm (store direction, merging). */
const storeLow64: Handler = (cpu, i) => {
  const x = cpu.xmm;
  const s = i.reg << 2;
  if (i.rm >= 0) {
    x[i.rm << 2] = x[s];
    x[(i.rm << 2) + 1] = x[s + 1];
    return;
  }
  cpu.write64(i.eaf(cpu, i), x[s], x[s + 1]);
};

/** movq xmm/m64, xmm (66 0F D6): a register destination gets its high half zeroed. */
const movqStore: Handler = (cpu, i) => {
  const x = cpu.xmm;
  const s = i.reg << 2;
  if (i.rm >= 0) {
    const d = i.rm << 2;
    x[d] = x[s];
    x[d + 1] = x[s + 1];
    x[d + 2] = x[d + 3] = 0;
    return;
  }
  cpu.write64(i.eaf(cpu, i), x[s], x[s + 1]);
};

/** movlps/movlpd xmm, m64 and movhlps xmm, xmm (0F 12). */
const movlpsLoad: Handler = (cpu, i) => {
  const x = cpu.xmm;
  const d = i.reg << 2;
  if (i.rm >= 0) {
    const s = i.rm << 2;
    x[d] = x[s + 2];
    x[d + 1] = x[s + 3];
    return;
  }
  x[d] = cpu.read64(i.eaf(cpu, i));
  x[d + 1] = cpu.hi;
};

/** movhps/movhpd xmm, m64 and movlhps xmm, xmm (0F 16). */
const movhpsLoad: Handler = (cpu, i) => {
  const x = cpu.xmm;
  const d = i.reg << 2;
  loadLow64(cpu, i);
  x[d + 2] = SRC[0];
  x[d + 3] = SRC[1];
};

/** movhps/movhpd m64, xmm. */
const movhpsStore: Handler = (cpu, i) => {
  const s = i.reg << 2;
  cpu.write64(i.eaf(cpu, i), cpu.xmm[s + 2], cpu.xmm[s + 3]);
};

/** movd/movq xmm, r/m32 or r/m64 (66 0F 6E): zero-extends into the register. */
const movdToXmm: Handler = (cpu, i) => {
  const lo = readE(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  x[d] = lo;
  x[d + 1] = i.size === 8 ? cpu.hi : 0;
  x[d + 2] = x[d + 3] = 0;
};

/** movd/movq r/m32 or r/m64, xmm (66 0F 7E). */
const movdFromXmm: Handler = (cpu, i) => {
  const s = i.reg << 2;
  writeE(cpu, i, cpu.xmm[s], cpu.xmm[s + 1]);
};

/** movddup: the low double in both halves. */
const movddup: Handler = (cpu, i) => {
  loadLow64(cpu, i);
  RES[0] = RES[2] = SRC[0];
  RES[1] = RES[3] = SRC[1];
  commit(cpu, i.reg);
};

/** movsldup (odd = 0) and movshdup (odd = 1): even or odd singles duplicated. */
function movDup(odd: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    RES[0] = RES[1] = SRC[odd];
    RES[2] = RES[3] = SRC[2 + odd];
    commit(cpu, i.reg);
  };
}

const movmskps: Handler = (cpu, i) => {
  const x = cpu.xmm;
  const s = i.rm << 2;
  const m =
    (x[s] >>> 31) | ((x[s + 1] >>> 31) << 1) | ((x[s + 2] >>> 31) << 2) | ((x[s + 3] >>> 31) << 3);
  setReg(cpu, i.reg, 4, m, 0);
};

const movmskpd: Handler = (cpu, i) => {
  const x = cpu.xmm;
  const s = i.rm << 2;
  setReg(cpu, i.reg, 4, (x[s + 1] >>> 31) | ((x[s + 3] >>> 31) << 1), 0);
};

/** movnti m32/m64, r32/r64. */
const movnti: Handler = (cpu, i) => {
  const lo = getReg(cpu, i.reg, i.size);
  writeE(cpu, i, lo, cpu.hi);
};

/** Address in rDI (EDI with a 67h prefix), plus a segment base. */
function rdiAddress(cpu: Cpu, i: Insn): number {
  const lo = cpu.regs[14];
  let a = i.asize === 4 ? lo >>> 0 : cpu.regs[15] * 4294967296 + (lo >>> 0);
  if (i.seg === 1) a += cpu.fsBase;
  else if (i.seg === 2) a += cpu.gsBase;
  return a;
}

/** maskmovdqu: stores the bytes of xmm1 whose mask byte in xmm2 has its top bit set. */
const maskmovdqu: Handler = (cpu, i) => {
  const bytes = cpu.xmmU8;
  const d = i.reg << 4;
  const m = i.rm << 4;
  for (let k = 0; k < 16; k++) SRC_U8[k] = bytes[m + k] & 0x80;
  let first = -1;
  let last = -1;
  for (let k = 0; k < 16; k++) {
    if (SRC_U8[k] === 0) continue;
    if (first < 0) first = k;
    last = k;
  }
  if (first < 0) return;
  const a = rdiAddress(cpu, i);
  cpu.probeWrite(a + first, last - first + 1);
  for (let k = first; k <= last; k++) if (SRC_U8[k] !== 0) cpu.write8(a + k, bytes[d + k]);
};

const X = 'x' as const;

/** Rows of the data movement instructions. */
export const SSE_MOVE_ROWS: OpRow[] = [
  { name: 'movups', map: 1, op: 0x10, pfx: 'none', size: X, exec: loadU },
  { name: 'movupd', map: 1, op: 0x10, pfx: '66', size: X, exec: loadU },
  { name: 'movss', map: 1, op: 0x10, pfx: 'f3', size: X, exec: movssLoad },
  { name: 'movsd', map: 1, op: 0x10, pfx: 'f2', size: X, exec: movLow64Load(false) },
  { name: 'movups', map: 1, op: 0x11, pfx: 'none', size: X, exec: storeWhole(false) },
  { name: 'movupd', map: 1, op: 0x11, pfx: '66', size: X, exec: storeWhole(false) },
  { name: 'movss', map: 1, op: 0x11, pfx: 'f3', size: X, exec: movssStore },
  { name: 'movsd', map: 1, op: 0x11, pfx: 'f2', size: X, exec: storeLow64 },
  { name: 'movlps', map: 1, op: 0x12, pfx: 'none', size: X, exec: movlpsLoad },
  { name: 'movlpd', map: 1, op: 0x12, pfx: '66', mod: 'mem', size: X, exec: movlpsLoad },
  { name: 'movddup', map: 1, op: 0x12, pfx: 'f2', size: X, exec: movddup },
  { name: 'movsldup', map: 1, op: 0x12, pfx: 'f3', size: X, exec: movDup(0) },
  { name: 'movlps', map: 1, op: 0x13, pfx: 'none', mod: 'mem', size: X, exec: storeLow64 },
  { name: 'movlpd', map: 1, op: 0x13, pfx: '66', mod: 'mem', size: X, exec: storeLow64 },
  { name: 'movhps', map: 1, op: 0x16, pfx: 'none', size: X, exec: movhpsLoad },
  { name: 'movhpd', map: 1, op: 0x16, pfx: '66', mod: 'mem', size: X, exec: movhpsLoad },
  { name: 'movshdup', map: 1, op: 0x16, pfx: 'f3', size: X, exec: movDup(1) },
  { name: 'movhps', map: 1, op: 0x17, pfx: 'none', mod: 'mem', size: X, exec: movhpsStore },
  { name: 'movhpd', map: 1, op: 0x17, pfx: '66', mod: 'mem', size: X, exec: movhpsStore },
  { name: 'movaps', map: 1, op: 0x28, pfx: 'none', size: X, exec: loadA },
  { name: 'movapd', map: 1, op: 0x28, pfx: '66', size: X, exec: loadA },
  { name: 'movaps', map: 1, op: 0x29, pfx: 'none', size: X, exec: storeWhole(true) },
  { name: 'movapd', map: 1, op: 0x29, pfx: '66', size: X, exec: storeWhole(true) },
  { name: 'movntps', map: 1, op: 0x2b, pfx: 'none', mod: 'mem', size: X, exec: storeWhole(true) },
  { name: 'movntpd', map: 1, op: 0x2b, pfx: '66', mod: 'mem', size: X, exec: storeWhole(true) },
  { name: 'movmskps', map: 1, op: 0x50, pfx: 'none', mod: 'reg', size: X, exec: movmskps },
  { name: 'movmskpd', map: 1, op: 0x50, pfx: '66', mod: 'reg', size: X, exec: movmskpd },
  { name: 'movd', map: 1, op: 0x6e, pfx: '66', exec: movdToXmm },
  { name: 'movdqa', map: 1, op: 0x6f, pfx: '66', size: X, exec: loadA },
  { name: 'movdqu', map: 1, op: 0x6f, pfx: 'f3', size: X, exec: loadU },
  { name: 'movd', map: 1, op: 0x7e, pfx: '66', exec: movdFromXmm },
  { name: 'movq', map: 1, op: 0x7e, pfx: 'f3', size: X, exec: movLow64Load(true) },
  { name: 'movdqa', map: 1, op: 0x7f, pfx: '66', size: X, exec: storeWhole(true) },
  { name: 'movdqu', map: 1, op: 0x7f, pfx: 'f3', size: X, exec: storeWhole(false) },
  { name: 'movnti', map: 1, op: 0xc3, pfx: 'none', mod: 'mem', exec: movnti },
  { name: 'movq', map: 1, op: 0xd6, pfx: '66', size: X, exec: movqStore },
  { name: 'movntdq', map: 1, op: 0xe7, pfx: '66', mod: 'mem', size: X, exec: storeWhole(true) },
  { name: 'lddqu', map: 1, op: 0xf0, pfx: 'f2', mod: 'mem', size: X, exec: loadU },
  { name: 'maskmovdqu', map: 1, op: 0xf7, pfx: '66', mod: 'reg', size: X, exec: maskmovdqu },
];
