/**
 * Floating-point arithmetic rows: add, sub, mul, div, min, max, sqrt,
 * rcp, rsqrt in their packed and scalar, single and double forms, and the
 * SSE3 addsub and horizontal add/sub. Every lane goes through the soft-float
 * (float32-ops.ts, float64-ops.ts), so MXCSR rounding, DAZ/FTZ, NaN rules
 * and exception flags match hardware; an unmasked exception raises #XM with
 * the destination unchanged.
 */
import type { Handler } from '../insn.ts';
import type { OpRow } from '../table.ts';
import { fpOut } from './float-bits.ts';
import { OP_ADD, OP_DIV, OP_MUL, OP_SUB } from './float-arith.ts';
import { f32Binary, f32Sqrt } from './float32-ops.ts';
import { f64Binary, f64Sqrt } from './float64-ops.ts';
import { f32MinMax, f64MinMax } from './float-compare.ts';
import { f32Rcp, f32Rsqrt } from './float-approx.ts';
import {
  commit,
  loadAligned,
  loadLow32,
  loadLow64,
  RES,
  settleFloat,
  SRC,
} from './xmm-operands.ts';

/** Pseudo operation codes for min and max, beside OP_ADD..OP_DIV. */
const OP_MIN = 10;
const OP_MAX = 11;

function lane32(op: number, a: number, b: number, mx: number): number {
  if (op === OP_MIN || op === OP_MAX) return f32MinMax(a, b, op === OP_MAX, mx);
  return f32Binary(op, a, b, mx);
}

/** Computes one float64 lane into RES[k], RES[k + 1]. */
function lane64(op: number, x: Int32Array, d: number, s: number, k: number, mx: number): void {
  const lo =
    op === OP_MIN || op === OP_MAX
      ? f64MinMax(x[d], x[d + 1], SRC[s], SRC[s + 1], op === OP_MAX, mx)
      : f64Binary(op, x[d], x[d + 1], SRC[s], SRC[s + 1], mx);
  RES[k] = lo;
  RES[k + 1] = fpOut.hi;
}

function packedSingle(op: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const x = cpu.xmm;
    const d = i.reg << 2;
    const mx = cpu.mxcsr;
    fpOut.flags = 0;
    for (let k = 0; k < 4; k++) RES[k] = lane32(op, x[d + k], SRC[k], mx);
    settleFloat(cpu);
    commit(cpu, i.reg);
  };
}

function scalarSingle(op: number): Handler {
  return (cpu, i) => {
    const s = loadLow32(cpu, i);
    const x = cpu.xmm;
    const d = i.reg << 2;
    fpOut.flags = 0;
    const r = lane32(op, x[d], s, cpu.mxcsr);
    settleFloat(cpu);
    x[d] = r;
  };
}

function packedDouble(op: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const x = cpu.xmm;
    const d = i.reg << 2;
    const mx = cpu.mxcsr;
    fpOut.flags = 0;
    lane64(op, x, d, 0, 0, mx);
    lane64(op, x, d + 2, 2, 2, mx);
    settleFloat(cpu);
    commit(cpu, i.reg);
  };
}

function scalarDouble(op: number): Handler {
  return (cpu, i) => {
    loadLow64(cpu, i);
    const x = cpu.xmm;
    const d = i.reg << 2;
    fpOut.flags = 0;
    lane64(op, x, d, 0, 0, cpu.mxcsr);
    settleFloat(cpu);
    x[d] = RES[0];
    x[d + 1] = RES[1];
  };
}

const sqrtps: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const mx = cpu.mxcsr;
  fpOut.flags = 0;
  for (let k = 0; k < 4; k++) RES[k] = f32Sqrt(SRC[k], mx);
  settleFloat(cpu);
  commit(cpu, i.reg);
};

const sqrtss: Handler = (cpu, i) => {
  const s = loadLow32(cpu, i);
  fpOut.flags = 0;
  const r = f32Sqrt(s, cpu.mxcsr);
  settleFloat(cpu);
  cpu.xmm[i.reg << 2] = r;
};

const sqrtpd: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const mx = cpu.mxcsr;
  fpOut.flags = 0;
  for (let k = 0; k < 4; k += 2) {
    RES[k] = f64Sqrt(SRC[k], SRC[k + 1], mx);
    RES[k + 1] = fpOut.hi;
  }
  settleFloat(cpu);
  commit(cpu, i.reg);
};

const sqrtsd: Handler = (cpu, i) => {
  loadLow64(cpu, i);
  fpOut.flags = 0;
  const lo = f64Sqrt(SRC[0], SRC[1], cpu.mxcsr);
  settleFloat(cpu);
  cpu.xmm[i.reg << 2] = lo;
  cpu.xmm[(i.reg << 2) + 1] = fpOut.hi;
};

function approxPacked(fn: (x: number) => number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    for (let k = 0; k < 4; k++) RES[k] = fn(SRC[k]);
    commit(cpu, i.reg);
  };
}

function approxScalar(fn: (x: number) => number): Handler {
  return (cpu, i) => {
    cpu.xmm[i.reg << 2] = fn(loadLow32(cpu, i));
  };
}

/** addsubps: subtract in the even lanes, add in the odd ones. */
const addsubps: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  const mx = cpu.mxcsr;
  fpOut.flags = 0;
  for (let k = 0; k < 4; k++) RES[k] = f32Binary(k & 1 ? OP_ADD : OP_SUB, x[d + k], SRC[k], mx);
  settleFloat(cpu);
  commit(cpu, i.reg);
};

const addsubpd: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  const x = cpu.xmm;
  const d = i.reg << 2;
  fpOut.flags = 0;
  lane64(OP_SUB, x, d, 0, 0, cpu.mxcsr);
  lane64(OP_ADD, x, d + 2, 2, 2, cpu.mxcsr);
  settleFloat(cpu);
  commit(cpu, i.reg);
};

/** haddps/hsubps: pairs of the destination, then pairs of the source. */
function horizontalSingle(op: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const x = cpu.xmm;
    const d = i.reg << 2;
    const mx = cpu.mxcsr;
    fpOut.flags = 0;
    RES[0] = f32Binary(op, x[d], x[d + 1], mx);
    RES[1] = f32Binary(op, x[d + 2], x[d + 3], mx);
    RES[2] = f32Binary(op, SRC[0], SRC[1], mx);
    RES[3] = f32Binary(op, SRC[2], SRC[3], mx);
    settleFloat(cpu);
    commit(cpu, i.reg);
  };
}

function horizontalDouble(op: number): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    const x = cpu.xmm;
    const d = i.reg << 2;
    const mx = cpu.mxcsr;
    fpOut.flags = 0;
    RES[0] = f64Binary(op, x[d], x[d + 1], x[d + 2], x[d + 3], mx);
    RES[1] = fpOut.hi;
    RES[2] = f64Binary(op, SRC[0], SRC[1], SRC[2], SRC[3], mx);
    RES[3] = fpOut.hi;
    settleFloat(cpu);
    commit(cpu, i.reg);
  };
}

function family(name: string, op: number, code: number): OpRow[] {
  return [
    { name: name + 'ps', map: 1, op, pfx: 'none', size: 'x', exec: packedSingle(code) },
    { name: name + 'pd', map: 1, op, pfx: '66', size: 'x', exec: packedDouble(code) },
    { name: name + 'ss', map: 1, op, pfx: 'f3', size: 'x', exec: scalarSingle(code) },
    { name: name + 'sd', map: 1, op, pfx: 'f2', size: 'x', exec: scalarDouble(code) },
  ];
}

/** Rows of the floating-point arithmetic instructions. */
export const SSE_FLOAT_ROWS: OpRow[] = [
  ...family('add', 0x58, OP_ADD),
  ...family('mul', 0x59, OP_MUL),
  ...family('sub', 0x5c, OP_SUB),
  ...family('min', 0x5d, OP_MIN),
  ...family('div', 0x5e, OP_DIV),
  ...family('max', 0x5f, OP_MAX),
  { name: 'sqrtps', map: 1, op: 0x51, pfx: 'none', size: 'x', exec: sqrtps },
  { name: 'sqrtpd', map: 1, op: 0x51, pfx: '66', size: 'x', exec: sqrtpd },
  { name: 'sqrtss', map: 1, op: 0x51, pfx: 'f3', size: 'x', exec: sqrtss },
  { name: 'sqrtsd', map: 1, op: 0x51, pfx: 'f2', size: 'x', exec: sqrtsd },
  { name: 'rsqrtps', map: 1, op: 0x52, pfx: 'none', size: 'x', exec: approxPacked(f32Rsqrt) },
  { name: 'rsqrtss', map: 1, op: 0x52, pfx: 'f3', size: 'x', exec: approxScalar(f32Rsqrt) },
  { name: 'rcpps', map: 1, op: 0x53, pfx: 'none', size: 'x', exec: approxPacked(f32Rcp) },
  { name: 'rcpss', map: 1, op: 0x53, pfx: 'f3', size: 'x', exec: approxScalar(f32Rcp) },
  { name: 'addsubpd', map: 1, op: 0xd0, pfx: '66', size: 'x', exec: addsubpd },
  { name: 'addsubps', map: 1, op: 0xd0, pfx: 'f2', size: 'x', exec: addsubps },
  { name: 'haddpd', map: 1, op: 0x7c, pfx: '66', size: 'x', exec: horizontalDouble(OP_ADD) },
  { name: 'haddps', map: 1, op: 0x7c, pfx: 'f2', size: 'x', exec: horizontalSingle(OP_ADD) },
  { name: 'hsubpd', map: 1, op: 0x7d, pfx: '66', size: 'x', exec: horizontalDouble(OP_SUB) },
  { name: 'hsubps', map: 1, op: 0x7d, pfx: 'f2', size: 'x', exec: horizontalSingle(OP_SUB) },
];
