/**
 * Cases for the ALU family: add, or, adc, sbb, and, sub, xor, cmp, test,
 * inc, dec, neg, not at every operand size, in register, immediate and
 * memory forms.
 *
 * Undefined flags (Intel SDM vol. 2): AF after and, or, xor and test. Every
 * other flag these instructions write is defined; not writes none, inc and
 * dec leave CF alone.
 */
import type { DiffCase } from './case.ts';
import { enc, type RM } from './encode.ts';
import {
  byteRegsEncodable,
  encodable,
  fullReg,
  makeCase,
  memOperand,
  memRegs,
  pickReg,
  randomFlags,
  setOperand,
  type Regs,
} from './gen.ts';
import { AF } from './layout.ts';
import { Rng, SIZES, sizeMask, type Size } from './rng.ts';

/** The eight classic binary operations, in /digit order. */
export const BINARY_OPS = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;

/** The ALU mnemonics with a case generator here. */
export const ALU_MNEMONICS = [...BINARY_OPS, 'test', 'inc', 'dec', 'neg', 'not'] as const;

/** Flags an ALU mnemonic leaves undefined. */
export function aluUndefFlags(mnemonic: string): number {
  return ['and', 'or', 'xor', 'test'].includes(mnemonic) ? AF : 0;
}

/** Immediate width of the z forms: 2 bytes at size 2, else 4. */
function immZ(size: Size): number {
  return size === 2 ? 2 : size === 1 ? 1 : 4;
}

/** A destination operand (register or memory) holding `value`. */
function destination(
  rng: Rng,
  regs: Regs,
  size: Size,
  value: bigint,
  mem: boolean,
  avoid: number[],
  other = -1,
): { rm: RM; data?: DiffCase['data'] } {
  if (mem) {
    const m = memOperand(rng, regs, size, value, avoid.map(fullReg));
    return { rm: m.mem, data: m.data };
  }
  let r: number;
  do r = pickReg(rng, size, avoid, true);
  while (!byteRegsEncodable(r, other));
  setOperand(rng, regs, r, size, value);
  return { rm: r };
}

/** One case of a binary operation in one of its forms. */
function binaryCase(rng: Rng, k: number, size: Size, form: number): DiffCase {
  const regs: Regs = {};
  const a = rng.operand(size);
  let b = rng.operand(size);
  const w = size === 1 ? 0 : 1;
  const name = BINARY_OPS[k];
  let code: number[];
  let data: DiffCase['data'];
  let label: string;
  if (form <= 3) {
    // 00-03: op r/m, r and op r, r/m, each with a register or memory r/m.
    const mem = form === 1 || form === 3;
    const src = pickReg(rng, size, [], !mem);
    const rmSide = destination(rng, regs, size, form >= 2 ? b : a, mem, [src], src);
    setOperand(rng, regs, src, size, form >= 2 ? a : b);
    data = rmSide.data;
    const lock = mem && form === 1 && name !== 'cmp' && rng.chance(0.2) ? [0xf0] : [];
    const op = k * 8 + (form >= 2 ? 2 : 0) + w;
    code = enc({ prefix: lock, op: [op], size, reg: src, rm: rmSide.rm, byteRegs: size === 1 });
    label = `${name} ${form >= 2 ? 'r, r/m' : 'r/m, r'}${size * 8} ${mem ? 'mem' : 'reg'}`;
  } else if (form === 4) {
    // 04/05: op al/ax/eax/rax, imm.
    setOperand(rng, regs, 0, size, a);
    const bytes = immZ(size);
    b &= sizeMask(bytes as Size);
    code = enc({ op: [k * 8 + 4 + w], size, imm: b, immBytes: bytes });
    if (size === 8) b = BigInt.asUintN(64, BigInt.asIntN(32, b));
    label = `${name} acc${size * 8}, imm`;
  } else {
    // 80/81 /k with a full immediate, 83 /k with a sign-extended byte.
    const mem = rng.chance(0.35);
    const dst = destination(rng, regs, size, a, mem, []);
    data = dst.data;
    const byteImm = form === 6 && size !== 1;
    const bytes = byteImm ? 1 : immZ(size);
    b &= sizeMask(bytes as Size);
    const op = size === 1 ? 0x80 : byteImm ? 0x83 : 0x81;
    code = enc({
      op: [op],
      size,
      ext: k,
      rm: dst.rm,
      imm: b,
      immBytes: bytes,
      byteRegs: size === 1,
    });
    label = `${name} r/m${size * 8}, imm${bytes * 8} ${mem ? 'mem' : 'reg'}`;
  }
  return makeCase(rng, code, regs, { flags: randomFlags(rng), data, label });
}

/** One case of test, inc, dec, neg or not. */
function otherCase(rng: Rng, name: string, size: Size): DiffCase {
  const regs: Regs = {};
  const mem = rng.chance(0.35);
  const a = rng.operand(size);
  const w = size === 1 ? 0 : 1;
  const dst = destination(rng, regs, size, a, mem, []);
  const byteRegs = size === 1;
  let code: number[];
  let label = `${name} r/m${size * 8} ${mem ? 'mem' : 'reg'}`;
  if (name === 'test') {
    const b = rng.operand(size);
    const pick = rng.int(3);
    if (pick === 0) {
      const avoid = typeof dst.rm === 'number' ? [] : memRegs(dst.rm);
      const src = pickReg(rng, size, avoid, false);
      setOperand(rng, regs, src, size, b);
      code = enc({ op: [0x84 + w], size, reg: src, rm: dst.rm, byteRegs });
      label += ', r';
    } else if (pick === 1) {
      setOperand(rng, regs, 0, size, b);
      code = enc({ op: [0xa8 + w], size, imm: rng.operand(size), immBytes: immZ(size) });
      label = `test acc${size * 8}, imm`;
    } else {
      code = enc({
        op: [0xf6 + w],
        size,
        ext: 0,
        rm: dst.rm,
        imm: b,
        immBytes: immZ(size),
        byteRegs,
      });
      label += ', imm';
    }
  } else {
    const ext = { inc: 0, dec: 1, not: 2, neg: 3 }[name]!;
    const op = name === 'inc' || name === 'dec' ? 0xfe + w : 0xf6 + w;
    const lock = mem && rng.chance(0.2) ? [0xf0] : [];
    code = enc({ prefix: lock, op: [op], size, ext, rm: dst.rm, byteRegs });
  }
  return makeCase(rng, code, regs, { flags: randomFlags(rng), data: dst.data, label });
}

/** `perForm` cases of each form and size of one ALU mnemonic. */
export function aluCases(mnemonic: string, seed: number, perForm: number): DiffCase[] {
  const rng = new Rng(seed);
  const cases: DiffCase[] = [];
  const k = (BINARY_OPS as readonly string[]).indexOf(mnemonic);
  for (const size of SIZES) {
    if (k >= 0) {
      for (let form = 0; form <= 6; form++) {
        for (let n = 0; n < perForm; n++)
          cases.push(encodable(() => binaryCase(rng, k, size, form)));
      }
    } else {
      for (let n = 0; n < perForm * 4; n++)
        cases.push(encodable(() => otherCase(rng, mnemonic, size)));
    }
  }
  return cases;
}
