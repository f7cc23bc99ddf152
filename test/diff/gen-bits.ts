/**
 * Cases for bit instructions: bt, bts, btr, btc with a register or an
 * immediate bit offset (including bit-string addressing of memory with
 * large and negative offsets), bsf and bsr (including a zero source), and
 * bswap.
 *
 * Undefined flags (Intel SDM vol. 2): OF SF AF PF after bt/bts/btr/btc (CF
 * is the bit, ZF is unaffected); CF OF SF AF PF after bsf/bsr (ZF says
 * whether the source was zero). With a zero source bsf/bsr leave their
 * destination unchanged on the host; Intel calls it undefined, AMD
 * documents it, and software relies on it, so it is compared.
 * bswap of a 16-bit register is undefined and not generated.
 */
import type { DiffCase } from './case.ts';
import { enc, type RM } from './encode.ts';
import { makeCase, memOperand, pickReg, randomFlags, setOperand, type Regs } from './gen.ts';
import { AF, CF, DATA_BASE, GPR_NAMES, OF, PF, SF } from './layout.ts';
import { Rng, sizeMask, type Size } from './rng.ts';

/** Flags bt, bts, btr and btc leave undefined. */
export const BT_UNDEF = OF | SF | AF | PF;
/** Flags bsf and bsr leave undefined. */
export const BSF_UNDEF = CF | OF | SF | AF | PF;

/** Mnemonics with generators here. */
export const BIT_MNEMONICS = ['bt', 'bts', 'btr', 'btc', 'bsf', 'bsr', 'bswap', 'popcnt'] as const;

const BT_EXT: Record<string, number> = { bt: 4, bts: 5, btr: 6, btc: 7 };
/** The register form's opcode (0F xx), by mnemonic. */
const BT_OP: Record<string, number> = { bt: 0xa3, bts: 0xab, btr: 0xb3, btc: 0xbb };

/** Half-width of the random block around a bit string. */
const SPREAD = 0x1000;

/** A bit offset for a bit-string access: small, medium or far, of either sign. */
function bitOffset(rng: Rng, size: Size): bigint {
  const bits = 8 * size;
  switch (rng.int(4)) {
    case 0:
      return BigInt(rng.int(bits));
    case 1:
      return BigInt(rng.int(bits * 8) - bits * 4);
    case 2:
      return BigInt(rng.int(2 * (SPREAD - 16) * 8) - (SPREAD - 16) * 8);
    default:
      return BigInt(rng.pick([-1, -bits, -bits - 1, bits, bits - 1, 8 * (SPREAD - 16) - 1]));
  }
}

/** One bt/bts/btr/btc case. */
function btCase(rng: Rng, name: string, size: Size): DiffCase {
  const regs: Regs = {};
  const immForm = rng.chance(0.4);
  const mem = rng.chance(0.5);
  let rm: RM;
  let data: DiffCase['data'];
  let offsetReg = -1;
  if (!immForm) offsetReg = pickReg(rng, size);
  if (mem) {
    const m = memOperand(rng, regs, size, rng.operand(size), offsetReg < 0 ? [] : [offsetReg]);
    // Random bytes all around, since the bit string reaches far.
    const block = Array.from({ length: 2 * SPREAD }, () => rng.int(256));
    const start = m.addr - DATA_BASE - SPREAD;
    data = [{ offset: start, bytes: block }, ...m.data];
    rm = m.mem;
  } else {
    const r = pickReg(rng, size, offsetReg < 0 ? [] : [offsetReg]);
    setOperand(rng, regs, r, size, rng.operand(size));
    rm = r;
  }
  let code: number[];
  const lock = mem && name !== 'bt' && rng.chance(0.2) ? [0xf0] : [];
  if (immForm) {
    const imm = rng.chance(0.5) ? rng.int(8 * size) : rng.int(256);
    code = enc({ prefix: lock, op: [0x0f, 0xba], size, ext: BT_EXT[name], rm, imm, immBytes: 1 });
  } else {
    const off = mem ? bitOffset(rng, size) : rng.operand(size);
    setOperand(rng, regs, offsetReg, size, off & sizeMask(size));
    code = enc({ prefix: lock, op: [0x0f, BT_OP[name]], size, reg: offsetReg, rm });
  }
  const form = immForm ? 'imm8' : 'r';
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng),
    data,
    undefFlags: BT_UNDEF,
    label: `${name} r/m${size * 8}, ${form} ${mem ? 'mem' : 'reg'}`,
  });
}

/** One bsf/bsr case (a fifth with a zero source), or popcnt (F3 0F B8). */
function scanCase(rng: Rng, name: string, size: Size): DiffCase {
  const regs: Regs = {};
  const dst = pickReg(rng, size);
  setOperand(rng, regs, dst, size, rng.operand(size));
  const zero = rng.chance(0.2);
  const value = zero ? 0n : rng.operand(size) || 1n;
  let rm: RM;
  let data: DiffCase['data'];
  if (rng.chance(0.3)) {
    const m = memOperand(rng, regs, size, value, [dst]);
    rm = m.mem;
    data = m.data;
  } else {
    const r = pickReg(rng, size, [dst]);
    setOperand(rng, regs, r, size, value);
    rm = r;
  }
  const popcnt = name === 'popcnt';
  const op = popcnt ? 0xb8 : name === 'bsf' ? 0xbc : 0xbd;
  const code = enc({ op: [0x0f, op], size, reg: dst, rm, ...(popcnt ? { mandatory: 0xf3 } : {}) });
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng),
    data,
    // popcnt defines every flag: ZF for a zero source, the others cleared.
    undefFlags: popcnt ? 0 : BSF_UNDEF,
    label:
      `${name} r${size * 8}, r/m ` +
      `${typeof rm === 'number' ? 'reg' : 'mem'}${zero ? ' zero source' : ''}`,
  });
}

function bswapCase(rng: Rng, size: 4 | 8): DiffCase {
  const r = pickReg(rng, 8);
  const regs: Regs = { [GPR_NAMES[r]]: rng.u64() };
  return makeCase(rng, enc({ op: [0x0f, 0xc8], size, zreg: r }), regs, {
    flags: randomFlags(rng),
    label: `bswap r${size * 8}`,
  });
}

/** `perSize` cases of one mnemonic at each size it exists in. */
export function bitCases(name: string, seed: number, perSize: number): DiffCase[] {
  const rng = new Rng(seed);
  const cases: DiffCase[] = [];
  const sizes: Size[] = name === 'bswap' ? [4, 8] : [2, 4, 8];
  for (const size of sizes) {
    for (let n = 0; n < perSize; n++) {
      if (name === 'bswap') cases.push(bswapCase(rng, size as 4 | 8));
      else if (name === 'bsf' || name === 'bsr' || name === 'popcnt') {
        cases.push(scanCase(rng, name, size));
      } else cases.push(btCase(rng, name, size));
    }
  }
  return cases;
}
