/**
 * Compare rows: cmpps/cmppd/cmpss/cmpsd with their eight predicates (an
 * all-ones or all-zeros mask per lane) and comiss/ucomiss/comisd/ucomisd,
 * which set ZF, PF and CF and clear OF, SF and AF.
 */
import { FLAG_AF, FLAG_CF, FLAG_OF, FLAG_PF, FLAG_SF, FLAG_ZF } from '../flags.ts';
import type { Handler } from '../insn.ts';
import type { OpRow } from '../table.ts';
import { fpOut } from './float-bits.ts';
import {
  f32Compare,
  f64Compare,
  predicateHolds,
  predicateSignals,
  REL_EQUAL,
  REL_LESS,
  REL_UNORDERED,
} from './float-compare.ts';
import {
  commit,
  loadAligned,
  loadLow32,
  loadLow64,
  RES,
  settleFloat,
  SRC,
} from './xmm-operands.ts';

const cmpps: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  const pred = i.imm & 7;
  const signals = predicateSignals(pred);
  fpOut.flags = 0;
  for (let k = 0; k < 4; k++) {
    const rel = f32Compare(x[d + k], SRC[k], signals, cpu.mxcsr);
    RES[k] = predicateHolds(pred, rel) ? -1 : 0;
  }
  settleFloat(cpu);
  commit(cpu, i.reg);
};

const cmppd: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  const pred = i.imm & 7;
  const signals = predicateSignals(pred);
  fpOut.flags = 0;
  for (let k = 0; k < 4; k += 2) {
    const rel = f64Compare(x[d + k], x[d + k + 1], SRC[k], SRC[k + 1], signals, cpu.mxcsr);
    RES[k] = RES[k + 1] = predicateHolds(pred, rel) ? -1 : 0;
  }
  settleFloat(cpu);
  commit(cpu, i.reg);
};

const cmpss: Handler = (cpu, i) => {
  const s = loadLow32(cpu, i);
  const d = i.reg << 2;
  const pred = i.imm & 7;
  fpOut.flags = 0;
  const rel = f32Compare(cpu.xmm[d], s, predicateSignals(pred), cpu.mxcsr);
  settleFloat(cpu);
  cpu.xmm[d] = predicateHolds(pred, rel) ? -1 : 0;
};

const cmpsd: Handler = (cpu, i) => {
  loadLow64(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  const pred = i.imm & 7;
  fpOut.flags = 0;
  const rel = f64Compare(x[d], x[d + 1], SRC[0], SRC[1], predicateSignals(pred), cpu.mxcsr);
  settleFloat(cpu);
  x[d] = x[d + 1] = predicateHolds(pred, rel) ? -1 : 0;
};

const COMI_MASK = FLAG_ZF | FLAG_PF | FLAG_CF | FLAG_OF | FLAG_SF | FLAG_AF;

function comiBits(rel: number): number {
  if (rel === REL_UNORDERED) return FLAG_ZF | FLAG_PF | FLAG_CF;
  return rel === REL_LESS ? FLAG_CF : rel === REL_EQUAL ? FLAG_ZF : 0;
}

function comiss(signalling: boolean): Handler {
  return (cpu, i) => {
    const s = loadLow32(cpu, i);
    fpOut.flags = 0;
    const rel = f32Compare(cpu.xmm[i.reg << 2], s, signalling, cpu.mxcsr);
    settleFloat(cpu);
    cpu.setArith(COMI_MASK, comiBits(rel));
  };
}

function comisd(signalling: boolean): Handler {
  return (cpu, i) => {
    loadLow64(cpu, i);
    const x = cpu.xmm;
    const d = i.reg << 2;
    fpOut.flags = 0;
    const rel = f64Compare(x[d], x[d + 1], SRC[0], SRC[1], signalling, cpu.mxcsr);
    settleFloat(cpu);
    cpu.setArith(COMI_MASK, comiBits(rel));
  };
}

/** Rows of the compare instructions. */
export const SSE_COMPARE_ROWS: OpRow[] = [
  { name: 'cmpps', map: 1, op: 0xc2, pfx: 'none', size: 'x', imm: 'b', exec: cmpps },
  { name: 'cmppd', map: 1, op: 0xc2, pfx: '66', size: 'x', imm: 'b', exec: cmppd },
  { name: 'cmpss', map: 1, op: 0xc2, pfx: 'f3', size: 'x', imm: 'b', exec: cmpss },
  { name: 'cmpsd', map: 1, op: 0xc2, pfx: 'f2', size: 'x', imm: 'b', exec: cmpsd },
  { name: 'ucomiss', map: 1, op: 0x2e, pfx: 'none', size: 'x', exec: comiss(false) },
  { name: 'ucomisd', map: 1, op: 0x2e, pfx: '66', size: 'x', exec: comisd(false) },
  { name: 'comiss', map: 1, op: 0x2f, pfx: 'none', size: 'x', exec: comiss(true) },
  { name: 'comisd', map: 1, op: 0x2f, pfx: '66', size: 'x', exec: comisd(true) },
];
