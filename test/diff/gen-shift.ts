/**
 * Cases for shifts and rotates: rol, ror, rcl, rcr, shl, shr, sar (and the
 * sal alias /6) by 1, by an immediate and by CL, and shld/shrd by an
 * immediate and by CL, at every size, in register and memory forms.
 *
 * The count is masked to 5 bits (6 with REX.W); with a masked count of 0 no
 * flag changes. Undefined flags otherwise (Intel SDM vol. 2):
 * - shl, shr, sar, sal: AF; OF unless the masked count is 1; CF for shl/shr
 *   when the masked count is at least the operand width (8/16-bit only);
 * - rol, ror, rcl, rcr: OF unless the masked count is 1;
 * - shld, shrd: AF; OF unless the masked count is 1. A masked count above a
 *   16-bit operand's width leaves the result undefined, so no case uses one.
 */
import type { DiffCase } from './case.ts';
import { enc, type RM } from './encode.ts';
import {
  encodable,
  makeCase,
  memOperand,
  pickReg,
  randomFlags,
  setOperand,
  type Regs,
} from './gen.ts';
import { AF, CF, OF } from './layout.ts';
import { Rng, SIZES, type Size } from './rng.ts';

/** Group-2 mnemonics in /digit order. */
export const SHIFT_OPS = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'] as const;

/** The counts every shift is tried with, besides random ones. */
export const EDGE_COUNTS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255];

/** Flags a group-2 shift or rotate leaves undefined for a given count. */
export function shiftUndefFlags(name: string, size: Size, count: number): number {
  const masked = count & (size === 8 ? 63 : 31);
  if (masked === 0) return 0;
  let undef = masked === 1 ? 0 : OF;
  if (name.startsWith('ro') || name.startsWith('rc')) return undef;
  undef |= AF;
  if ((name === 'shl' || name === 'sal' || name === 'shr') && masked >= size * 8) undef |= CF;
  return undef;
}

function countFor(rng: Rng, k: number): number {
  return k < EDGE_COUNTS.length ? EDGE_COUNTS[k] : rng.int(256);
}

/** A destination (register or memory) holding `value`; CL stays free. */
function dest(rng: Rng, regs: Regs, size: Size, value: bigint, avoid: number[]) {
  if (rng.chance(0.3)) {
    const m = memOperand(rng, regs, size, value, [1, ...avoid]);
    return { rm: m.mem as RM, data: m.data, mem: true };
  }
  const r = pickReg(rng, size, [1, ...avoid], true);
  setOperand(rng, regs, r, size, value);
  return { rm: r as RM, data: undefined, mem: false };
}

/** One group-2 case: `form` 0 by 1, 1 by imm8, 2 by CL. */
function groupCase(rng: Rng, ext: number, size: Size, form: number, count: number): DiffCase {
  const regs: Regs = {};
  const d = dest(rng, regs, size, rng.operand(size), []);
  const w = size === 1 ? 0 : 1;
  const byteRegs = size === 1;
  let code: number[];
  if (form === 0) {
    count = 1;
    code = enc({ op: [0xd0 + w], size, ext, rm: d.rm, byteRegs });
  } else if (form === 1) {
    code = enc({ op: [0xc0 + w], size, ext, rm: d.rm, imm: count, immBytes: 1, byteRegs });
  } else {
    setOperand(rng, regs, 1, 1, BigInt(count));
    code = enc({ op: [0xd2 + w], size, ext, rm: d.rm, byteRegs });
  }
  const name = SHIFT_OPS[ext];
  const how = ['1', 'imm8', 'cl'][form];
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng),
    data: d.data,
    undefFlags: shiftUndefFlags(name, size, count),
    label: `${name} r/m${size * 8}, ${how} ${d.mem ? 'mem' : 'reg'} count=${count}`,
  });
}

/** One shld/shrd case with the count in an immediate or in CL. */
function doubleCase(rng: Rng, right: boolean, size: Size, byCl: boolean, count: number): DiffCase {
  const masked = count & (size === 8 ? 63 : 31);
  if (size === 2 && masked > 16) count = 16;
  const regs: Regs = {};
  const src = pickReg(rng, size, [1]);
  const d = dest(rng, regs, size, rng.operand(size), [src]);
  setOperand(rng, regs, src, size, rng.operand(size));
  const op = (right ? 0xac : 0xa4) + (byCl ? 1 : 0);
  if (byCl) setOperand(rng, regs, 1, 1, BigInt(count));
  const code = enc({
    op: [0x0f, op],
    size,
    reg: src,
    rm: d.rm,
    ...(byCl ? {} : { imm: count, immBytes: 1 }),
  });
  const m = count & (size === 8 ? 63 : 31);
  const name = right ? 'shrd' : 'shld';
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng),
    data: d.data,
    undefFlags: m === 0 ? 0 : AF | (m === 1 ? 0 : OF),
    label:
      `${name} r/m${size * 8}, r, ${byCl ? 'cl' : 'imm8'} ${d.mem ? 'mem' : 'reg'} ` +
      `count=${count}`,
  });
}

/** Cases for one mnemonic: every edge count plus `random` random counts per form and size. */
export function shiftCases(name: string, seed: number, random: number): DiffCase[] {
  const rng = new Rng(seed);
  const cases: DiffCase[] = [];
  const total = EDGE_COUNTS.length + random;
  if (name === 'shld' || name === 'shrd') {
    for (const size of [2, 4, 8] as const) {
      for (const byCl of [false, true]) {
        for (let k = 0; k < total; k++) {
          const count = countFor(rng, k);
          cases.push(doubleCase(rng, name === 'shrd', size, byCl, count));
        }
      }
    }
    return cases;
  }
  const ext = (SHIFT_OPS as readonly string[]).indexOf(name);
  for (const size of SIZES) {
    for (let n = 0; n < 8; n++) cases.push(encodable(() => groupCase(rng, ext, size, 0, 1)));
    for (const form of [1, 2]) {
      for (let k = 0; k < total; k++) {
        const count = countFor(rng, k);
        cases.push(encodable(() => groupCase(rng, ext, size, form, count)));
      }
    }
  }
  return cases;
}
