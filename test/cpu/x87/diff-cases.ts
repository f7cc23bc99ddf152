// Generated differential cases for the x87 instructions: real instruction
// bytes run on the host and on Amber from random stacks (edge values,
// every precision and rounding control, masked and unmasked exceptions,
// empty and full stacks), with memory operands at [rbx].
import type { DiffCase } from '../../diff/case.ts';
import { DATA_BASE } from '../../diff/layout.ts';
import { EDGES, Rng, randomNormal } from './cases.ts';
import type { Ext } from './oracle.ts';

/** Memory operand kinds. */
type Mem =
  'f32' | 'f64' | 'f80' | 'i16' | 'i32' | 'i64' | 'bcd' | 'w' | 'env' | 'save' | 'fx' | 'none';

/** One instruction form: bytes (the ModRM of memory forms is [rbx]). */
export interface X87Form {
  name: string;
  bytes: number[];
  mem: Mem;
}

const forms: X87Form[] = [];
const add = (name: string, bytes: number[], mem: Mem = 'none') => forms.push({ name, bytes, mem });
const m = (ext: number) => (ext << 3) | 3;

const ARITH = ['add', 'mul', 'com', 'comp', 'sub', 'subr', 'div', 'divr'];
for (let e = 0; e < 8; e++) {
  add(`f${ARITH[e]} m32`, [0xd8, m(e)], 'f32');
  add(`f${ARITH[e]} m64`, [0xdc, m(e)], 'f64');
  add(`fi${ARITH[e]} m32`, [0xda, m(e)], 'i32');
  add(`fi${ARITH[e]} m16`, [0xde, m(e)], 'i16');
  for (const i of [1, 2]) {
    add(`D8 /${e} st(${i})`, [0xd8, 0xc0 + 8 * e + i]);
    add(`DC /${e} st(${i})`, [0xdc, 0xc0 + 8 * e + i]);
    add(`DE /${e} st(${i})`, [0xde, 0xc0 + 8 * e + i]);
  }
}
const LOADSTORE: [string, number, number, Mem][] = [
  ['fld m32', 0xd9, 0, 'f32'],
  ['fst m32', 0xd9, 2, 'f32'],
  ['fstp m32', 0xd9, 3, 'f32'],
  ['fldcw', 0xd9, 5, 'w'],
  ['fnstcw', 0xd9, 7, 'w'],
  ['fnstenv', 0xd9, 6, 'env'],
  ['fldenv', 0xd9, 4, 'env'],
  ['fild m32', 0xdb, 0, 'i32'],
  ['fisttp m32', 0xdb, 1, 'i32'],
  ['fist m32', 0xdb, 2, 'i32'],
  ['fistp m32', 0xdb, 3, 'i32'],
  ['fld m80', 0xdb, 5, 'f80'],
  ['fstp m80', 0xdb, 7, 'f80'],
  ['fld m64', 0xdd, 0, 'f64'],
  ['fisttp m64', 0xdd, 1, 'i64'],
  ['fst m64', 0xdd, 2, 'f64'],
  ['fstp m64', 0xdd, 3, 'f64'],
  ['frstor', 0xdd, 4, 'save'],
  ['fnsave', 0xdd, 6, 'save'],
  ['fnstsw m16', 0xdd, 7, 'w'],
  ['fild m16', 0xdf, 0, 'i16'],
  ['fisttp m16', 0xdf, 1, 'i16'],
  ['fist m16', 0xdf, 2, 'i16'],
  ['fistp m16', 0xdf, 3, 'i16'],
  ['fild m64', 0xdf, 5, 'i64'],
  ['fistp m64', 0xdf, 7, 'i64'],
  ['fbld', 0xdf, 4, 'bcd'],
  ['fbstp', 0xdf, 6, 'bcd'],
];
for (const [name, op, e, mem] of LOADSTORE) add(name, [op, m(e)], mem);
add('fxsave', [0x0f, 0xae, m(0)], 'fx');
add('fxrstor', [0x0f, 0xae, m(1)], 'fx');
const D9: [string, number][] = [
  ['fnop', 0xd0],
  ['fchs', 0xe0],
  ['fabs', 0xe1],
  ['ftst', 0xe4],
  ['fxam', 0xe5],
  ['fld1', 0xe8],
  ['fldl2t', 0xe9],
  ['fldl2e', 0xea],
  ['fldpi', 0xeb],
  ['fldlg2', 0xec],
  ['fldln2', 0xed],
  ['fldz', 0xee],
  ['fxtract', 0xf4],
  ['fprem1', 0xf5],
  ['fdecstp', 0xf6],
  ['fincstp', 0xf7],
  ['fprem', 0xf8],
  ['fsqrt', 0xfa],
  ['frndint', 0xfc],
  ['fscale', 0xfd],
];
for (const [name, b] of D9) add(name, [0xd9, b]);
for (const i of [0, 1, 3]) {
  add(`fld st(${i})`, [0xd9, 0xc0 + i]);
  add(`fxch st(${i})`, [0xd9, 0xc8 + i]);
  add(`fst st(${i})`, [0xdd, 0xd0 + i]);
  add(`fstp st(${i})`, [0xdd, 0xd8 + i]);
  add(`ffree st(${i})`, [0xdd, 0xc0 + i]);
  add(`fucom st(${i})`, [0xdd, 0xe0 + i]);
  add(`fucomp st(${i})`, [0xdd, 0xe8 + i]);
  add(`fucomi st(${i})`, [0xdb, 0xe8 + i]);
  add(`fcomi st(${i})`, [0xdb, 0xf0 + i]);
  add(`fucomip st(${i})`, [0xdf, 0xe8 + i]);
  add(`fcomip st(${i})`, [0xdf, 0xf0 + i]);
  for (let c = 0; c < 4; c++) {
    add(`fcmov DA /${c} st(${i})`, [0xda, 0xc0 + 8 * c + i]);
    add(`fcmov DB /${c} st(${i})`, [0xdb, 0xc0 + 8 * c + i]);
  }
}
add('fcompp', [0xde, 0xd9]);
add('fucompp', [0xda, 0xe9]);
add('fnstsw ax', [0xdf, 0xe0]);
add('fnclex', [0xdb, 0xe2]);
add('fninit', [0xdb, 0xe3]);

/** Every form the generator covers. */
export const X87_FORMS: readonly X87Form[] = forms;

function extBytes(v: Ext): Uint8Array {
  const b = new Uint8Array(10);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, v[2] >>> 0, true);
  dv.setUint32(4, v[1] >>> 0, true);
  dv.setUint16(8, v[0], true);
  return b;
}

function randomExt(r: Rng): Ext {
  const k = r.below(10);
  if (k < 5) return r.pick(EDGES);
  if (k < 7) return randomNormal(r, 16383 - 40, 16383 + 40);
  return randomNormal(r, 1, 0x7ffe);
}

const F32_EDGES = [
  0, 0x80000000, 1, 0x807fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 0xffc00001,
  0x3f800000, 0x00800000, 0x7f7fffff,
];
const F64_HI_EDGES = [
  0, 0x80000000, 0x000fffff, 0x7ff00000, 0xfff00000, 0x7ff80000, 0x7ff40000, 0x3ff00000, 0x00100000,
  0x7fefffff,
];
const INT_EDGES = [0, 1, -1, 0x7fff, -0x8000, 0x7fffffff, -0x80000000, 12345, -98765];

function memBytes(r: Rng, mem: Mem): number[] {
  const rand = (n: number) => Array.from({ length: n }, () => r.below(256));
  const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
  switch (mem) {
    case 'f32':
      return r.below(2) ? le32(r.pick(F32_EDGES)) : le32(r.u32());
    case 'f64':
      return r.below(2) ? [...le32(r.below(4) ? 0 : 1), ...le32(r.pick(F64_HI_EDGES))] : rand(8);
    case 'i16':
    case 'i32':
    case 'i64': {
      if (r.below(2)) return rand(8);
      const v = r.pick(INT_EDGES);
      return [...le32(v), ...le32(v < 0 ? -1 : 0)];
    }
    case 'f80':
      return Array.from(extBytes(randomExt(r)));
    case 'bcd': {
      const digits = Array.from({ length: 9 }, () => r.below(10) * 16 + r.below(10));
      return [...digits.map((d, k) => (k < r.below(10) ? d : 0)), r.below(2) << 7];
    }
    case 'w':
      if (r.below(4) === 0) return le32(r.u32());
      return le32(
        0x1040 | (r.pick([0, 2, 3]) << 8) | (r.below(4) << 10) | (r.below(4) ? 0x3f : r.below(64)),
      );
    case 'env':
    case 'save': {
      const env = [
        ...le32(0xffff0000 | 0x1040 | (r.pick([0, 2, 3]) << 8) | (r.below(4) << 10) | 0x3f),
        ...le32(0xffff0000 | (r.below(8) << 11) | (r.below(4) ? 0 : r.below(64))),
        ...le32(0xffff0000 | r.pick([0xffff, 0, 0x5555, 0xfff0, r.below(65536)])),
        ...rand(16),
      ];
      if (mem === 'env') return env;
      const regs = Array.from({ length: 8 }, () => Array.from(extBytes(randomExt(r)))).flat();
      return [...env, ...regs];
    }
    case 'fx': {
      const img = rand(512);
      img.splice(0, 4, ...le32(0x037f | (r.below(8) << 27)).slice(0, 2), 0, r.below(8) << 3);
      img[4] = r.below(256);
      img.splice(24, 4, ...le32(0x1f80));
      return img;
    }
    default:
      return [];
  }
}

/** Random cases for one form. */
export function x87Cases(form: X87Form, seed: number, count: number): DiffCase[] {
  const r = new Rng(seed);
  const cases: DiffCase[] = [];
  for (let k = 0; k < count; k++) {
    const depth = r.pick([2, 2, 3, 3, 4, 8, 8, 0, 1, 7]);
    const top = r.below(8);
    const st: Uint8Array[] = [];
    for (let i = 0; i < depth; i++) st.push(extBytes(randomExt(r)));
    const pc = r.pick([0, 2, 3, 3]);
    const masks = r.below(6) === 0 ? r.below(64) : 0x3f;
    const fcw = 0x40 | (pc << 8) | (r.below(4) << 10) | masks;
    const wait = masks !== 0x3f && r.below(2) === 0;
    // MXCSR_MASK differs between hosts: overwrite it with Amber's value.
    const fix = form.mem === 'fx' ? [0xc7, 0x43, 0x1c, 0xff, 0xff, 0, 0] : [];
    const bytes = [...form.bytes, ...fix, ...(wait ? [0x9b] : [])];
    const data = form.mem === 'none' ? [] : [{ offset: 0, bytes: memBytes(r, form.mem) }];
    // Sometimes an unmasked exception is already pending: waiting
    // instructions must raise #MF before doing anything.
    const unmaskedBits = ~masks & 0x3f;
    const pending = unmaskedBits !== 0 && r.below(3) === 0 ? unmaskedBits | 0x8080 : 0;
    cases.push({
      code: bytes,
      regs: { rbx: DATA_BASE, rax: r.u32() },
      flags: r.u32() & 0x45,
      x87: { fcw, fsw: (top << 11) | pending, st },
      data,
      label: `${form.name}${wait ? '; fwait' : ''}${pending ? ' (pending)' : ''}`,
    });
  }
  return cases;
}
