// What the soft-float says the host should report for one oracle case: the
// expected status word, stack and memory after the instruction ran on the
// stack (ST(0) = a, ST(1) = b) that the oracle builds.
import {
  F80,
  SW_C0,
  SW_C1,
  SW_C2,
  SW_C3,
  SW_DE,
  SW_IE,
  SW_ZE,
} from '../../../src/cpu/x87/float80.ts';
import { f80Add, f80Mul } from '../../../src/cpu/x87/f80-arith.ts';
import { f80Div, f80Sqrt } from '../../../src/cpu/x87/f80-divide.ts';
import {
  CMP_EQ,
  CMP_LT,
  CMP_UN,
  CVT,
  f80Compare,
  f80FromF32,
  f80FromF64,
  f80FromInt,
  f80RoundInt,
  f80ToF32,
  f80ToF64,
  f80ToInt,
} from '../../../src/cpu/x87/f80-convert.ts';
import { F80B, f80Prem, f80Scale, f80Xtract } from '../../../src/cpu/x87/f80-misc.ts';
import type { Case, Ext } from './oracle.ts';

/** The expected outcome; `swMask` selects the status bits that are defined. */
export interface Expect {
  sw: number;
  swMask: number;
  st0: Ext;
  st1: Ext;
  m?: [number, number];
  fl?: number;
}

const res = (): Ext => [F80.se, F80.hi >>> 0, F80.lo >>> 0];
const STOP = 0x3800;
const EXC = 0x3f | 0x80 | 0x8000 | STOP;

function status(cw: number, top: number, cc: number): number {
  const exc = F80.flags & 0x3f;
  const es = exc & ~cw & 0x3f ? 0x8080 : 0;
  return exc | es | (top << 11) | cc;
}

/** Binary operations whose result replaces ST(0). */
const binary: Record<string, (a: Ext, b: Ext) => void> = {
  add: (a, b) => f80Add(...a, ...b, 0),
  sub: (a, b) => f80Add(...a, ...b, 1),
  subr: (a, b) => f80Add(...b, ...a, 1),
  mul: (a, b) => f80Mul(...a, ...b),
  div: (a, b) => f80Div(...a, ...b),
  divr: (a, b) => f80Div(...b, ...a),
  prem: (a, b) => f80Prem(...a, ...b, false),
  prem1: (a, b) => f80Prem(...a, ...b, true),
  scale: (a, b) => f80Scale(...a, ...b),
  sqrt: (a) => f80Sqrt(...a),
  rndint: (a) => f80RoundInt(...a),
};

/** Operations the model knows. */
export const MODEL_OPS = [
  ...Object.keys(binary),
  'xtract',
  'ucomi',
  'comi',
  'ucom',
  'com',
  'tst',
  'st32',
  'st64',
  'ist16',
  'ist32',
  'ist64',
  'istt16',
  'istt32',
  'istt64',
  'ld32',
  'ld64',
  'ild16',
  'ild32',
  'ild64',
];

/** Runs one case through the soft-float. */
export function model(c: Case): Expect {
  F80.cw = c.cw;
  F80.flags = 0;
  const { a, b, cw } = c;
  const fn = binary[c.op];
  if (fn) {
    fn(a, b);
    const keep = F80.flags & ~cw & (SW_IE | SW_DE | SW_ZE);
    const cc = F80.flags & (SW_C0 | SW_C1 | SW_C2 | SW_C3);
    return { sw: status(cw, 6, cc), swMask: 0xffff, st0: keep ? a : res(), st1: b };
  }
  if (c.op === 'xtract') {
    f80Xtract(...a);
    const keep = F80.flags & ~cw & (SW_IE | SW_DE | SW_ZE);
    if (keep) return { sw: status(cw, 6, 0), swMask: EXC, st0: a, st1: b };
    return { sw: status(cw, 5, 0), swMask: EXC, st0: res(), st1: [F80B.se, F80B.hi, F80B.lo] };
  }
  if (['ucomi', 'comi', 'ucom', 'com', 'tst'].includes(c.op)) {
    const quiet = c.op.startsWith('u');
    const r = c.op === 'tst' ? f80Compare(...a, 0, 0, 0, false) : f80Compare(...a, ...b, quiet);
    if (c.op.endsWith('comi')) {
      const fl = r === CMP_UN ? 0x45 : r === CMP_EQ ? 0x40 : r === CMP_LT ? 0x01 : 0;
      return { sw: status(cw, 6, 0), swMask: EXC | SW_C1, st0: a, st1: b, fl: fl | 2 };
    }
    const cc = r === CMP_UN ? 0x4500 : r === CMP_EQ ? 0x4000 : r === CMP_LT ? 0x100 : 0;
    return { sw: status(cw, 6, cc), swMask: 0xffff, st0: a, st1: b };
  }
  return memoryOp(c);
}

function memoryOp(c: Case): Expect {
  const { a, b, cw, m } = c;
  const op = c.op;
  if (op.startsWith('ld') || op.startsWith('ild')) {
    if (op === 'ld32') f80FromF32(m[1]);
    else if (op === 'ld64') f80FromF64(m[1], m[0]);
    else if (op === 'ild16') f80FromInt((m[1] << 16) >> 16, (m[1] << 16) >> 31);
    else if (op === 'ild32') f80FromInt(m[1], m[1] >> 31);
    else f80FromInt(m[1], m[0]);
    const keep = F80.flags & ~cw & SW_IE;
    if (keep) return { sw: status(cw, 6, 0), swMask: EXC, st0: a, st1: b };
    return { sw: status(cw, 5, 0), swMask: EXC | SW_C1, st0: res(), st1: a, m };
  }
  const pop = op === 'ist64' || op.startsWith('istt');
  if (op === 'st32') f80ToF32(...a);
  else if (op === 'st64') f80ToF64(...a);
  else f80ToInt(...a, Number(op.replace(/\D/g, '')) / 8, op.startsWith('istt'));
  const bad = F80.flags & ~cw & 0x1f;
  let out: [number, number] = m;
  if (!bad) {
    if (op.endsWith('16')) out = [m[0], ((m[1] & 0xffff0000) | (CVT.lo & 0xffff)) >>> 0];
    else if (op.endsWith('32')) out = [m[0], CVT.lo >>> 0];
    else out = [CVT.hi >>> 0, CVT.lo >>> 0];
  }
  const popped = pop && !bad;
  return {
    sw: status(cw, popped ? 7 : 6, F80.flags & SW_C1),
    swMask: 0xffff,
    st0: popped ? b : a,
    st1: popped ? [0, 0, 0] : b,
    m: out,
  };
}
