// Case generator for the SSE differential test (test/diff/sse.test.ts):
// every SSE/SSE2/SSE3 form Amber implements, with register and memory
// operands, float lanes drawn from the soft-float edge and random values,
// MXCSR settings that cover rounding modes, DAZ/FTZ and unmasked traps, and
// an occasional misaligned operand for the forms that require alignment.
// rcpps/rcpss/rsqrtps/rsqrtss are left out: hardware returns a table-driven
// approximation that Amber does not reproduce bit for bit; soft-float.test.ts
// checks them against the documented error bound instead.
import type { DiffCase, DataInit } from '../../diff/case.ts';
import { enc, type Mem } from '../../diff/encode.ts';
import { FREE_REGS } from '../../diff/gen.ts';
import { DATA_BASE, GPR_NAMES } from '../../diff/layout.ts';
import {
  F32_EDGE_VALUES,
  F64_EDGE_VALUES,
  MXCSR_VALUES,
  randomF32,
  randomF64,
  Rng,
} from './soft-float-cases.ts';

/** Lane kinds that decide how xmm values are drawn. */
type Lanes = 'f32' | 'f64' | 'int' | 'mxcsr';

/**
 * How the r/m operand may be memory: a16 aligned 16 bytes, u16 unaligned 16,
 * m64/m32/m16 smaller loads, reg register only, st16/st16a/st8/st4 stores.
 */
type MemKind = 'a16' | 'u16' | 'm64' | 'm32' | 'm16' | 'reg' | 'st16a' | 'st16' | 'st8' | 'st4';

/** One instruction form. */
export interface Form {
  name: string;
  /** Mandatory prefix byte, if any. */
  pfx?: number;
  /** Opcode byte after 0F. */
  op: number;
  lanes: Lanes;
  mem: MemKind;
  /** Memory-only form. */
  memOnly?: boolean;
  /** Immediate: pred (0-7), any byte, or a shift count. */
  imm?: 'pred' | 'byte' | 'shift';
  /** Group /digit: r/m is the xmm operand, there is no reg operand. */
  ext?: number;
  /** A general register in ModRM.reg: dst (written) or src. */
  gpr?: 'dst' | 'src';
  /** The r/m operand is a general register or memory (movd, cvtsi2ss, pinsrw). */
  gprRm?: boolean;
  /** Operand size for REX.W: 4, 8, or both. */
  wide?: 'both' | 'w';
  /** The instruction stores through rdi (maskmovdqu): point rdi at data. */
  rdi?: boolean;
}

const F = (
  name: string,
  pfx: number | undefined,
  op: number,
  lanes: Lanes,
  mem: MemKind,
  more: Partial<Form> = {},
): Form => ({ name, pfx, op, lanes, mem, ...more });

const PS = undefined;
const PD = 0x66;
const SS = 0xf3;
const SD = 0xf2;

function arith(name: string, op: number): Form[] {
  return [
    F(name + 'ps', PS, op, 'f32', 'a16'),
    F(name + 'pd', PD, op, 'f64', 'a16'),
    F(name + 'ss', SS, op, 'f32', 'm32'),
    F(name + 'sd', SD, op, 'f64', 'm64'),
  ];
}

const INT_OPS: [string, number][] = [
  ['punpcklbw', 0x60],
  ['punpcklwd', 0x61],
  ['punpckldq', 0x62],
  ['packsswb', 0x63],
  ['pcmpgtb', 0x64],
  ['pcmpgtw', 0x65],
  ['pcmpgtd', 0x66],
  ['packuswb', 0x67],
  ['punpckhbw', 0x68],
  ['punpckhwd', 0x69],
  ['punpckhdq', 0x6a],
  ['packssdw', 0x6b],
  ['punpcklqdq', 0x6c],
  ['punpckhqdq', 0x6d],
  ['pcmpeqb', 0x74],
  ['pcmpeqw', 0x75],
  ['pcmpeqd', 0x76],
  ['psrlw', 0xd1],
  ['psrld', 0xd2],
  ['psrlq', 0xd3],
  ['paddq', 0xd4],
  ['pmullw', 0xd5],
  ['psubusb', 0xd8],
  ['psubusw', 0xd9],
  ['pminub', 0xda],
  ['pand', 0xdb],
  ['paddusb', 0xdc],
  ['paddusw', 0xdd],
  ['pmaxub', 0xde],
  ['pandn', 0xdf],
  ['pavgb', 0xe0],
  ['psraw', 0xe1],
  ['psrad', 0xe2],
  ['pavgw', 0xe3],
  ['pmulhuw', 0xe4],
  ['pmulhw', 0xe5],
  ['psubsb', 0xe8],
  ['psubsw', 0xe9],
  ['pminsw', 0xea],
  ['por', 0xeb],
  ['paddsb', 0xec],
  ['paddsw', 0xed],
  ['pmaxsw', 0xee],
  ['pxor', 0xef],
  ['psllw', 0xf1],
  ['pslld', 0xf2],
  ['psllq', 0xf3],
  ['pmuludq', 0xf4],
  ['pmaddwd', 0xf5],
  ['psadbw', 0xf6],
  ['psubb', 0xf8],
  ['psubw', 0xf9],
  ['psubd', 0xfa],
  ['psubq', 0xfb],
  ['paddb', 0xfc],
  ['paddw', 0xfd],
  ['paddd', 0xfe],
];

/** Every form, grouped by family name. */
export const SSE_FAMILIES: Record<string, Form[]> = {
  'float-arith': [
    ...arith('add', 0x58),
    ...arith('mul', 0x59),
    ...arith('sub', 0x5c),
    ...arith('min', 0x5d),
    ...arith('div', 0x5e),
    ...arith('max', 0x5f),
    ...arith('sqrt', 0x51),
    F('addsubpd', PD, 0xd0, 'f64', 'a16'),
    F('addsubps', SD, 0xd0, 'f32', 'a16'),
    F('haddpd', PD, 0x7c, 'f64', 'a16'),
    F('haddps', SD, 0x7c, 'f32', 'a16'),
    F('hsubpd', PD, 0x7d, 'f64', 'a16'),
    F('hsubps', SD, 0x7d, 'f32', 'a16'),
    F('andps', PS, 0x54, 'f32', 'a16'),
    F('andnpd', PD, 0x55, 'f64', 'a16'),
    F('orps', PS, 0x56, 'f32', 'a16'),
    F('xorpd', PD, 0x57, 'f64', 'a16'),
  ],
  compare: [
    F('cmpps', PS, 0xc2, 'f32', 'a16', { imm: 'pred' }),
    F('cmppd', PD, 0xc2, 'f64', 'a16', { imm: 'pred' }),
    F('cmpss', SS, 0xc2, 'f32', 'm32', { imm: 'pred' }),
    F('cmpsd', SD, 0xc2, 'f64', 'm64', { imm: 'pred' }),
    F('ucomiss', PS, 0x2e, 'f32', 'm32'),
    F('ucomisd', PD, 0x2e, 'f64', 'm64'),
    F('comiss', PS, 0x2f, 'f32', 'm32'),
    F('comisd', PD, 0x2f, 'f64', 'm64'),
  ],
  convert: [
    F('cvtsi2ss', SS, 0x2a, 'f32', 'm32', { gprRm: true, wide: 'both' }),
    F('cvtsi2sd', SD, 0x2a, 'f64', 'm32', { gprRm: true, wide: 'both' }),
    F('cvttss2si', SS, 0x2c, 'f32', 'm32', { gpr: 'dst', wide: 'both' }),
    F('cvttsd2si', SD, 0x2c, 'f64', 'm64', { gpr: 'dst', wide: 'both' }),
    F('cvtss2si', SS, 0x2d, 'f32', 'm32', { gpr: 'dst', wide: 'both' }),
    F('cvtsd2si', SD, 0x2d, 'f64', 'm64', { gpr: 'dst', wide: 'both' }),
    F('cvtps2pd', PS, 0x5a, 'f32', 'm64'),
    F('cvtpd2ps', PD, 0x5a, 'f64', 'a16'),
    F('cvtss2sd', SS, 0x5a, 'f32', 'm32'),
    F('cvtsd2ss', SD, 0x5a, 'f64', 'm64'),
    F('cvtdq2ps', PS, 0x5b, 'int', 'a16'),
    F('cvtps2dq', PD, 0x5b, 'f32', 'a16'),
    F('cvttps2dq', SS, 0x5b, 'f32', 'a16'),
    F('cvttpd2dq', PD, 0xe6, 'f64', 'a16'),
    F('cvtdq2pd', SS, 0xe6, 'int', 'm64'),
    F('cvtpd2dq', SD, 0xe6, 'f64', 'a16'),
  ],
  integer: INT_OPS.map(([name, op]) => F(name, PD, op, 'int', 'a16')),
  'shift-shuffle': [
    F('psrlw', PD, 0x71, 'int', 'reg', { ext: 2, imm: 'shift' }),
    F('psraw', PD, 0x71, 'int', 'reg', { ext: 4, imm: 'shift' }),
    F('psllw', PD, 0x71, 'int', 'reg', { ext: 6, imm: 'shift' }),
    F('psrld', PD, 0x72, 'int', 'reg', { ext: 2, imm: 'shift' }),
    F('psrad', PD, 0x72, 'int', 'reg', { ext: 4, imm: 'shift' }),
    F('pslld', PD, 0x72, 'int', 'reg', { ext: 6, imm: 'shift' }),
    F('psrlq', PD, 0x73, 'int', 'reg', { ext: 2, imm: 'shift' }),
    F('psrldq', PD, 0x73, 'int', 'reg', { ext: 3, imm: 'shift' }),
    F('psllq', PD, 0x73, 'int', 'reg', { ext: 6, imm: 'shift' }),
    F('pslldq', PD, 0x73, 'int', 'reg', { ext: 7, imm: 'shift' }),
    F('pshufd', PD, 0x70, 'int', 'a16', { imm: 'byte' }),
    F('pshufhw', SS, 0x70, 'int', 'a16', { imm: 'byte' }),
    F('pshuflw', SD, 0x70, 'int', 'a16', { imm: 'byte' }),
    F('shufps', PS, 0xc6, 'f32', 'a16', { imm: 'byte' }),
    F('shufpd', PD, 0xc6, 'f64', 'a16', { imm: 'byte' }),
    F('unpcklps', PS, 0x14, 'f32', 'a16'),
    F('unpcklpd', PD, 0x14, 'f64', 'a16'),
    F('unpckhps', PS, 0x15, 'f32', 'a16'),
    F('unpckhpd', PD, 0x15, 'f64', 'a16'),
    F('pinsrw', PD, 0xc4, 'int', 'm16', { gprRm: true, imm: 'byte' }),
    F('pextrw', PD, 0xc5, 'int', 'reg', { gpr: 'dst', imm: 'byte' }),
    F('pmovmskb', PD, 0xd7, 'int', 'reg', { gpr: 'dst' }),
    F('movmskps', PS, 0x50, 'f32', 'reg', { gpr: 'dst' }),
    F('movmskpd', PD, 0x50, 'f64', 'reg', { gpr: 'dst' }),
  ],
  move: [
    F('movups', PS, 0x10, 'int', 'u16'),
    F('movss', SS, 0x10, 'f32', 'm32'),
    F('movsd', SD, 0x10, 'f64', 'm64'),
    F('movups-store', PS, 0x11, 'int', 'st16'),
    F('movss-store', SS, 0x11, 'f32', 'st4'),
    F('movsd-store', SD, 0x11, 'f64', 'st8'),
    F('movlps/movhlps', PS, 0x12, 'f32', 'm64'),
    F('movlpd', PD, 0x12, 'f64', 'm64', { memOnly: true }),
    F('movddup', SD, 0x12, 'f64', 'm64'),
    F('movsldup', SS, 0x12, 'f32', 'a16'),
    F('movlps-store', PS, 0x13, 'f32', 'st8', { memOnly: true }),
    F('movhps/movlhps', PS, 0x16, 'f32', 'm64'),
    F('movhpd', PD, 0x16, 'f64', 'm64', { memOnly: true }),
    F('movshdup', SS, 0x16, 'f32', 'a16'),
    F('movhps-store', PS, 0x17, 'f32', 'st8', { memOnly: true }),
    F('movaps', PS, 0x28, 'int', 'a16'),
    F('movapd-store', PD, 0x29, 'int', 'st16a'),
    F('movntps', PS, 0x2b, 'int', 'st16a', { memOnly: true }),
    F('movd/movq', PD, 0x6e, 'int', 'm32', { gprRm: true, wide: 'both' }),
    F('movdqa', PD, 0x6f, 'int', 'a16'),
    F('movdqu', SS, 0x6f, 'int', 'u16'),
    F('movd/movq-store', PD, 0x7e, 'int', 'st4', { gprRm: true, wide: 'both' }),
    F('movq', SS, 0x7e, 'int', 'm64'),
    F('movdqa-store', PD, 0x7f, 'int', 'st16a'),
    F('movdqu-store', SS, 0x7f, 'int', 'st16'),
    F('movq-store', PD, 0xd6, 'int', 'st8'),
    F('movntdq', PD, 0xe7, 'int', 'st16a', { memOnly: true }),
    F('lddqu', SD, 0xf0, 'int', 'u16', { memOnly: true }),
    F('movnti', PS, 0xc3, 'int', 'st4', { memOnly: true, gpr: 'src', wide: 'both' }),
    F('maskmovdqu', PD, 0xf7, 'int', 'reg', { rdi: true }),
  ],
  'mxcsr-fence': [
    F('ldmxcsr', PS, 0xae, 'mxcsr', 'm32', { ext: 2, memOnly: true }),
    F('stmxcsr', PS, 0xae, 'mxcsr', 'st4', { ext: 3, memOnly: true }),
    F('lfence', PS, 0xae, 'int', 'reg', { ext: 5 }),
    F('mfence', PS, 0xae, 'int', 'reg', { ext: 6 }),
    F('sfence', PS, 0xae, 'int', 'reg', { ext: 7 }),
    F('clflush', PS, 0xae, 'int', 'm16', { ext: 7, memOnly: true }),
  ],
};

function lane128(rng: Rng, lanes: Lanes): bigint {
  const w: number[] = [];
  if (lanes === 'mxcsr') {
    // Mostly valid MXCSR values; now and then a reserved bit (#GP).
    const v = rng.pick(MXCSR_VALUES) | (rng.below(8) === 0 ? 1 << (16 + rng.below(16)) : 0);
    w.push(v, rng.u32(), rng.u32(), rng.u32());
  } else if (lanes === 'f32') {
    for (let k = 0; k < 4; k++)
      w.push(rng.below(4) === 0 ? rng.pick(F32_EDGE_VALUES) : randomF32(rng));
  } else if (lanes === 'f64') {
    for (let k = 0; k < 2; k++)
      w.push(...(rng.below(4) === 0 ? rng.pick(F64_EDGE_VALUES) : randomF64(rng)));
  } else {
    for (let k = 0; k < 4; k++) {
      const r = rng.below(6);
      w.push(
        r === 0
          ? 0
          : r === 1
            ? -1
            : r === 2
              ? rng.pick([0x80808080, 0x7fff8000, 0x7f7f7f7f, 0x8000])
              : rng.u32(),
      );
    }
  }
  let v = 0n;
  for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(w[k] >>> 0);
  return v;
}

function bytesOf(v: bigint, n: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(Number((v >> BigInt(8 * k)) & 0xffn));
  return out;
}

const MEM_BYTES: Record<MemKind, number> = {
  a16: 16,
  u16: 16,
  m64: 8,
  m32: 4,
  m16: 2,
  reg: 0,
  st16a: 16,
  st16: 16,
  st8: 8,
  st4: 4,
};

/** One random case of a form. */
export function formCase(form: Form, rng: Rng): DiffCase {
  const xmm = Array.from({ length: 16 }, () => lane128(rng, form.lanes));
  const regs: Partial<Record<(typeof GPR_NAMES)[number], bigint>> = {};
  const wide = form.wide === 'w' || (form.wide === 'both' && rng.below(2) === 0);
  const useMem = form.mem !== 'reg' && (form.memOnly || rng.below(3) === 0);
  const data: DataInit[] = [];
  let label = form.name + (useMem ? ' mem' : ' reg');

  // The ModRM.reg operand: an xmm register, a general register, or a /digit.
  const gprs = FREE_REGS.filter((r) => r !== 3);
  const regOperand = form.gpr ? rng.pick(gprs) : rng.below(16);
  let rm: number | Mem;
  if (useMem) {
    const n = MEM_BYTES[form.mem];
    const aligned = form.mem === 'a16' || form.mem === 'st16a';
    const misalign = aligned && rng.below(10) === 0 ? 1 + rng.below(15) : 0;
    if (misalign) label += ' misaligned';
    const off = 0x1000 + 16 * rng.below(0x400) + (aligned ? misalign : rng.below(16));
    regs.rbx = BigInt(DATA_BASE + off);
    data.push({ offset: off, bytes: bytesOf(lane128(rng, form.lanes), Math.max(n, 16)) });
    rm = { base: 3 };
  } else if (form.gprRm) {
    rm = rng.pick(gprs);
    regs[GPR_NAMES[rm]] = (BigInt(rng.u32()) << 32n) | BigInt(rng.u32() >> rng.below(32));
  } else {
    rm = rng.below(4) === 0 ? regOperand : rng.below(16);
  }
  if (form.gpr === 'dst') regs[GPR_NAMES[regOperand]] = 0x1122334455667788n;
  if (form.gpr === 'src') regs[GPR_NAMES[regOperand]] = BigInt.asUintN(64, lane128(rng, 'int'));
  if (form.rdi) {
    const off = 0x1000 + rng.below(0x4000);
    regs.rdi = BigInt(DATA_BASE + off);
    data.push({ offset: off, bytes: bytesOf(lane128(rng, 'int'), 16) });
  }

  let imm: number | undefined;
  if (form.imm === 'pred') imm = rng.below(8);
  else if (form.imm === 'byte') imm = rng.below(256);
  else if (form.imm === 'shift')
    imm = rng.pick([0, 1, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 200, rng.below(256)]);

  // Shift-by-register forms read a count from the source: keep it small often.
  if (
    form.op >= 0xd1 &&
    form.op <= 0xf3 &&
    [0xd1, 0xd2, 0xd3, 0xe1, 0xe2, 0xf1, 0xf2, 0xf3].includes(form.op)
  ) {
    const count = BigInt(rng.pick([0, 1, 5, 15, 16, 31, 32, 63, 64, 65, rng.below(80)]));
    if (typeof rm === 'number') xmm[rm] = rng.below(5) === 0 ? xmm[rm]! : count;
    else data[0].bytes = bytesOf(count, 16);
  }

  const code = enc({
    op: [0x0f, form.op],
    mandatory: form.pfx,
    size: wide ? 8 : undefined,
    reg: form.ext === undefined ? regOperand : undefined,
    ext: form.ext,
    rm,
    imm,
    immBytes: imm === undefined ? undefined : 1,
  });
  const mxcsr = rng.pick(MXCSR_VALUES);
  return { code, regs, xmm, mxcsr, data, label };
}

/** `count` cases for every form of a family. */
export function familyCases(family: string, seed: number, count: number): DiffCase[] {
  const rng = new Rng(seed);
  return SSE_FAMILIES[family].flatMap((form) =>
    Array.from({ length: count }, () => formCase(form, rng)),
  );
}
