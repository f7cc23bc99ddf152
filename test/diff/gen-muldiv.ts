/**
 * Cases for multiplication and division: mul, imul (one, two and three
 * operand forms), div and idiv at every size, in register and memory forms,
 * including the divide errors (#DE): division by zero and a quotient that
 * does not fit.
 *
 * Undefined flags (Intel SDM vol. 2): SF ZF AF PF after mul and imul (CF
 * and OF are defined); all six arithmetic flags after div and idiv.
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
import { AF, ARITH_FLAGS, PF, SF, ZF } from './layout.ts';
import { Rng, SIZES, signed, sizeMask, type Size } from './rng.ts';

/** Flags mul and imul leave undefined. */
export const MUL_UNDEF = SF | ZF | AF | PF;
/** Flags div and idiv leave undefined. */
export const DIV_UNDEF = ARITH_FLAGS;

/** Mnemonics with generators here. */
export const MULDIV_FORMS = ['mul', 'imul1', 'imul2', 'imul3', 'div', 'idiv'] as const;

/** A source operand (register or memory) that avoids rax and rdx. */
function source(rng: Rng, regs: Regs, size: Size, value: bigint, avoid: number[] = []) {
  if (rng.chance(0.3)) {
    const m = memOperand(rng, regs, size, value, [0, 2, ...avoid]);
    return { rm: m.mem as RM, data: m.data, where: 'mem' };
  }
  const r = pickReg(rng, size, [0, 2, ...avoid], true);
  setOperand(rng, regs, r, size, value);
  return { rm: r as RM, data: undefined, where: 'reg' };
}

/** mul or one-operand imul: rDX:rAX (AX for bytes) = rAX * r/m. */
function mulCase(rng: Rng, signedMul: boolean, size: Size): DiffCase {
  const regs: Regs = {};
  setOperand(rng, regs, 0, size, rng.operand(size));
  const s = source(rng, regs, size, rng.operand(size));
  const code = enc({
    op: [size === 1 ? 0xf6 : 0xf7],
    size,
    ext: signedMul ? 5 : 4,
    rm: s.rm,
    byteRegs: size === 1,
  });
  const name = signedMul ? 'imul' : 'mul';
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng),
    data: s.data,
    undefFlags: MUL_UNDEF,
    label: `${name} r/m${size * 8} ${s.where}`,
  });
}

/** imul r, r/m (0F AF) or imul r, r/m, imm (6B / 69). */
function imulCase(rng: Rng, size: Size, three: boolean): DiffCase {
  const regs: Regs = {};
  const dst = pickReg(rng, size);
  setOperand(rng, regs, dst, size, rng.operand(size));
  const s = source(rng, regs, size, rng.operand(size), [dst]);
  let code: number[];
  let label: string;
  if (!three) {
    code = enc({ op: [0x0f, 0xaf], size, reg: dst, rm: s.rm });
    label = `imul r${size * 8}, r/m ${s.where}`;
  } else {
    const byteImm = rng.chance(0.5);
    const immBytes = byteImm ? 1 : size === 2 ? 2 : 4;
    const imm = rng.operand(immBytes as Size);
    code = enc({ op: [byteImm ? 0x6b : 0x69], size, reg: dst, rm: s.rm, imm, immBytes });
    label = `imul r${size * 8}, r/m, imm${immBytes * 8} ${s.where}`;
  }
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng),
    data: s.data,
    undefFlags: MUL_UNDEF,
    label,
  });
}

/** div or idiv of rDX:rAX (AX for bytes) by r/m, sometimes faulting. */
function divCase(rng: Rng, signedDiv: boolean, size: Size): DiffCase {
  const regs: Regs = {};
  const bits = BigInt(8 * size);
  const mask = sizeMask(size);
  const roll = rng.int(20);
  let divisor = rng.operand(size);
  let low = rng.operand(size);
  let high: bigint;
  let kind: string;
  if (roll < 3) {
    divisor = 0n;
    high = rng.operand(size);
    kind = 'by zero';
  } else if (roll < 5) {
    // Random high half: mostly a quotient overflow.
    high = rng.operand(size);
    kind = 'random dividend';
  } else if (roll < 7 && signedDiv) {
    // The most negative dividend by -1.
    divisor = mask;
    high = mask;
    low = 1n << (bits - 1n);
    kind = 'min / -1';
  } else {
    if (divisor === 0n) divisor = 1n;
    if (signedDiv) {
      // A sign-extended dividend, so the quotient fits unless |divisor| is 1.
      high = signed(low, size) < 0n ? mask : 0n;
      if (roll >= 15) {
        // A wider dividend whose quotient still fits: |high| < |divisor| / 2.
        const d = signed(divisor, size);
        const lim = (d < 0n ? -d : d) / 2n;
        const h = lim > 0n ? BigInt(rng.int(Number(lim > 1000000n ? 1000000n : lim))) : 0n;
        high = rng.chance(0.5) ? h : -h - 1n;
        high &= mask;
        if (lim === 0n) high = signed(low, size) < 0n ? mask : 0n;
      }
    } else {
      high = (rng.u64() & mask) % divisor;
    }
    kind = 'fits';
  }
  if (size === 1) {
    setOperand(rng, regs, 0, 2, (high << 8n) | low);
  } else {
    setOperand(rng, regs, 0, size, low);
    setOperand(rng, regs, 2, size, high);
  }
  const s = source(rng, regs, size, divisor);
  const code = enc({
    op: [size === 1 ? 0xf6 : 0xf7],
    size,
    ext: signedDiv ? 7 : 6,
    rm: s.rm,
    byteRegs: size === 1,
  });
  const name = signedDiv ? 'idiv' : 'div';
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng),
    data: s.data,
    undefFlags: DIV_UNDEF,
    label: `${name} r/m${size * 8} ${s.where} ${kind}`,
  });
}

/** `perSize` cases of one form at every size it exists in. */
export function muldivCases(form: string, seed: number, perSize: number): DiffCase[] {
  const rng = new Rng(seed);
  const cases: DiffCase[] = [];
  for (const size of SIZES) {
    if ((form === 'imul2' || form === 'imul3') && size === 1) continue;
    for (let n = 0; n < perSize; n++) {
      cases.push(
        encodable(() => {
          switch (form) {
            case 'mul':
              return mulCase(rng, false, size);
            case 'imul1':
              return mulCase(rng, true, size);
            case 'imul2':
              return imulCase(rng, size, false);
            case 'imul3':
              return imulCase(rng, size, true);
            default:
              return divCase(rng, form === 'idiv', size);
          }
        }),
      );
    }
  }
  return cases;
}
