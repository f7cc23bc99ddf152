// Adapters from the host oracle's operation names (host-sse.c) to Amber's
// soft-float functions. Each returns the 64-bit result as [lo, hi] words and
// leaves the raised flags in fpOut.flags.
import { fpOut } from '../../../src/cpu/sse/float-bits.ts';
import { f32Binary, f32Sqrt } from '../../../src/cpu/sse/float32-ops.ts';
import { f64Binary, f64Sqrt } from '../../../src/cpu/sse/float64-ops.ts';
import { OP_ADD, OP_DIV, OP_MUL, OP_SUB } from '../../../src/cpu/sse/float-arith.ts';
import {
  f32Compare,
  f32MinMax,
  f64Compare,
  f64MinMax,
  predicateHolds,
  predicateSignals,
  REL_EQUAL,
  REL_LESS,
  REL_UNORDERED,
} from '../../../src/cpu/sse/float-compare.ts';
import {
  f32ToF64,
  f32ToInt,
  f64ToF32,
  f64ToInt,
  int32ToF32,
  int32ToF64,
  int64ToFloat,
} from '../../../src/cpu/sse/float-convert.ts';
import { f32Rcp, f32Rsqrt } from '../../../src/cpu/sse/float-approx.ts';

/** Result of one operation: 64-bit value as two words plus RFLAGS for comis. */
export interface OpResult {
  lo: number;
  hi: number;
  rflags: number;
}

/** How results of an operation are compared with the host's. */
export type Width = 32 | 64 | 'flags' | 'approx';

export interface OpSpec {
  /** Operand kinds: f32/f64 float patterns, i32/i64 integers. */
  a: 'f32' | 'f64' | 'i32' | 'i64';
  b?: 'f32' | 'f64';
  width: Width;
  run(mx: number, aLo: number, aHi: number, bLo: number, bHi: number): OpResult;
}

const out: OpResult = { lo: 0, hi: 0, rflags: 0 };

function r32(lo: number): OpResult {
  out.lo = lo;
  out.hi = 0;
  out.rflags = 0;
  return out;
}

function r64(lo: number): OpResult {
  out.lo = lo;
  out.hi = fpOut.hi;
  out.rflags = 0;
  return out;
}

function comiFlags(rel: number): OpResult {
  out.lo = 0;
  out.hi = 0;
  out.rflags = rel === REL_UNORDERED ? 0x45 : rel === REL_LESS ? 1 : rel === REL_EQUAL ? 0x40 : 0;
  return out;
}

const SPECS: Record<string, OpSpec> = {};

function f32bin(name: string, op: number): void {
  SPECS[name] = {
    a: 'f32',
    b: 'f32',
    width: 32,
    run: (mx, a, _h, b) => r32(f32Binary(op, a, b, mx)),
  };
}
function f64bin(name: string, op: number): void {
  SPECS[name] = {
    a: 'f64',
    b: 'f64',
    width: 64,
    run: (mx, a, ah, b, bh) => r64(f64Binary(op, a, ah, b, bh, mx)),
  };
}
f32bin('addss', OP_ADD);
f32bin('subss', OP_SUB);
f32bin('mulss', OP_MUL);
f32bin('divss', OP_DIV);
f64bin('addsd', OP_ADD);
f64bin('subsd', OP_SUB);
f64bin('mulsd', OP_MUL);
f64bin('divsd', OP_DIV);
for (const max of [false, true]) {
  SPECS[max ? 'maxss' : 'minss'] = {
    a: 'f32',
    b: 'f32',
    width: 32,
    run: (mx, a, _h, b) => r32(f32MinMax(a, b, max, mx)),
  };
  SPECS[max ? 'maxsd' : 'minsd'] = {
    a: 'f64',
    b: 'f64',
    width: 64,
    run: (mx, a, ah, b, bh) => r64(f64MinMax(a, ah, b, bh, max, mx)),
  };
}
for (let p = 0; p < 8; p++) {
  SPECS['cmpss' + p] = {
    a: 'f32',
    b: 'f32',
    width: 32,
    run: (mx, a, _h, b) =>
      r32(predicateHolds(p, f32Compare(a, b, predicateSignals(p), mx)) ? -1 : 0),
  };
  SPECS['cmpsd' + p] = {
    a: 'f64',
    b: 'f64',
    width: 64,
    run: (mx, a, ah, b, bh) => {
      const t = predicateHolds(p, f64Compare(a, ah, b, bh, predicateSignals(p), mx)) ? -1 : 0;
      out.lo = t;
      out.hi = t;
      out.rflags = 0;
      return out;
    },
  };
}
for (const signalling of [true, false]) {
  const u = signalling ? '' : 'u';
  SPECS[u + 'comiss'] = {
    a: 'f32',
    b: 'f32',
    width: 'flags',
    run: (mx, a, _h, b) => comiFlags(f32Compare(a, b, signalling, mx)),
  };
  SPECS[u + 'comisd'] = {
    a: 'f64',
    b: 'f64',
    width: 'flags',
    run: (mx, a, ah, b, bh) => comiFlags(f64Compare(a, ah, b, bh, signalling, mx)),
  };
}
SPECS.sqrtss = { a: 'f32', width: 32, run: (mx, a) => r32(f32Sqrt(a, mx)) };
SPECS.sqrtsd = { a: 'f64', width: 64, run: (mx, a, ah) => r64(f64Sqrt(a, ah, mx)) };
SPECS.rcpss = { a: 'f32', width: 'approx', run: (_mx, a) => r32(f32Rcp(a)) };
SPECS.rsqrtss = { a: 'f32', width: 'approx', run: (_mx, a) => r32(f32Rsqrt(a)) };
SPECS.cvtss2sd = { a: 'f32', width: 64, run: (mx, a) => r64(f32ToF64(a, mx)) };
SPECS.cvtsd2ss = { a: 'f64', width: 32, run: (mx, a, ah) => r32(f64ToF32(a, ah, mx)) };
for (const t of [false, true]) {
  const c = t ? 'cvtt' : 'cvt';
  SPECS[c + 'ss2si'] = { a: 'f32', width: 32, run: (mx, a) => r32(f32ToInt(a, false, t, mx)) };
  SPECS[c + 'ss2si64'] = { a: 'f32', width: 64, run: (mx, a) => r64(f32ToInt(a, true, t, mx)) };
  SPECS[c + 'sd2si'] = {
    a: 'f64',
    width: 32,
    run: (mx, a, ah) => r32(f64ToInt(a, ah, false, t, mx)),
  };
  SPECS[c + 'sd2si64'] = {
    a: 'f64',
    width: 64,
    run: (mx, a, ah) => r64(f64ToInt(a, ah, true, t, mx)),
  };
}
SPECS.cvtsi2ss = { a: 'i32', width: 32, run: (mx, a) => r32(int32ToF32(a, mx)) };
SPECS.cvtsi2sd = { a: 'i32', width: 64, run: (_mx, a) => r64(int32ToF64(a)) };
SPECS.cvtsi2ss64 = {
  a: 'i64',
  width: 32,
  run: (mx, a, ah) => r32(int64ToFloat(a, ah, false, mx)),
};
SPECS.cvtsi2sd64 = {
  a: 'i64',
  width: 64,
  run: (mx, a, ah) => r64(int64ToFloat(a, ah, true, mx)),
};

/** Every operation the oracle knows, by its name there. */
export const OP_SPECS: Readonly<Record<string, OpSpec>> = SPECS;
