import type { Cpu } from '../cpu.ts';
import { CpuFault } from '../fault.ts';
import { ARITH_FLAGS, FLAG_AF, FLAG_CF, FLAG_OF } from '../flags.ts';
import type { Handler } from '../insn.ts';
import { getReg, readE, setReg, signExtend } from '../operands.ts';
import type { OpRow } from '../table.ts';
import { notLockable } from './lock.ts';
import { divide128, mul64, mulHi, mulS32, mulU32, neg128, REM, W } from './wide-math.ts';

/**
 * Multiply and divide: F6/F7 /4 mul, /5 imul, /6 div, /7 idiv at every
 * size, and the two- and three-operand imul (0F AF, 69, 6B).
 *
 * Flags: CF and OF say whether the product overflowed its low half; SF, ZF,
 * AF and PF, undefined on Intel, keep their values, as on the AMD hosts the
 * differential tests run on. After a divide all six are undefined; the AMD
 * hosts clear them all but AF, and so does Amber. A divide by zero or a
 * quotient too large raises #DE before any register changes.
 */

const CF_OF = FLAG_CF | FLAG_OF;

function setOverflow(cpu: Cpu, overflow: boolean): void {
  cpu.setArith(CF_OF, overflow ? CF_OF : 0);
}

function setDivideFlags(cpu: Cpu): void {
  cpu.setArith(ARITH_FLAGS, FLAG_AF);
}

/** True when the 64-bit (lo, hi) is the sign extension of lo. */
function fitsLow(lo: number, hi: number): boolean {
  return hi === lo >> 31;
}

/** mul r/m: unsigned rDX:rAX = rAX * E. */
const mul: Handler = (cpu, i) => {
  const size = i.size;
  const b = readE(cpu, i);
  const bHi = cpu.hi;
  const regs = cpu.regs;
  switch (size) {
    case 1: {
      const r = (regs[0] & 0xff) * b;
      setReg(cpu, 0, 2, r, 0);
      setOverflow(cpu, r > 0xff);
      return;
    }
    case 2: {
      const r = (regs[0] & 0xffff) * b;
      setReg(cpu, 0, 2, r, 0);
      setReg(cpu, 2, 2, r >>> 16, 0);
      setOverflow(cpu, r > 0xffff);
      return;
    }
    case 4: {
      const lo = mulU32(regs[0], b);
      const hi = mulHi;
      setReg(cpu, 0, 4, lo, 0);
      setReg(cpu, 2, 4, hi, 0);
      setOverflow(cpu, hi !== 0);
      return;
    }
    default: {
      mul64(regs[0], regs[1], b, bHi, false);
      regs[0] = W[0];
      regs[1] = W[1];
      regs[4] = W[2];
      regs[5] = W[3];
      setOverflow(cpu, (W[2] | W[3]) !== 0);
    }
  }
};

/** imul r/m (one operand): signed rDX:rAX = rAX * E. */
const imul1: Handler = (cpu, i) => {
  const size = i.size;
  const b = readE(cpu, i);
  const bHi = cpu.hi;
  const regs = cpu.regs;
  switch (size) {
    case 1: {
      const r = signExtend(regs[0] & 0xff, 1) * signExtend(b, 1);
      setReg(cpu, 0, 2, r, 0);
      setOverflow(cpu, r !== signExtend(r & 0xff, 1));
      return;
    }
    case 2: {
      const r = signExtend(regs[0] & 0xffff, 2) * signExtend(b, 2);
      setReg(cpu, 0, 2, r, 0);
      setReg(cpu, 2, 2, r >> 16, 0);
      setOverflow(cpu, r !== signExtend(r & 0xffff, 2));
      return;
    }
    case 4: {
      const lo = mulS32(regs[0], b);
      const hi = mulHi;
      setReg(cpu, 0, 4, lo, 0);
      setReg(cpu, 2, 4, hi, 0);
      setOverflow(cpu, !fitsLow(lo, hi));
      return;
    }
    default: {
      mul64(regs[0], regs[1], b, bHi, true);
      regs[0] = W[0];
      regs[1] = W[1];
      regs[4] = W[2];
      regs[5] = W[3];
      setOverflow(cpu, !(W[2] === W[1] >> 31 && W[3] === W[1] >> 31));
    }
  }
};

/**
 * The truncated signed product a * b at `size` (2, 4, 8) for the two- and
 * three-operand imul; sets CF/OF and returns the low half (high in cpu.hi).
 */
function imulTruncated(
  cpu: Cpu,
  size: number,
  a: number,
  aHi: number,
  b: number,
  bHi: number,
): number {
  if (size === 2) {
    const r = signExtend(a & 0xffff, 2) * signExtend(b & 0xffff, 2);
    setOverflow(cpu, r !== signExtend(r & 0xffff, 2));
    cpu.hi = 0;
    return r & 0xffff;
  }
  if (size === 4) {
    const lo = Math.imul(a, b);
    // The double product is exact below 2^53 and certainly differs above.
    setOverflow(cpu, (a | 0) * (b | 0) !== lo);
    cpu.hi = 0;
    return lo;
  }
  if (fitsLow(a, aHi) && fitsLow(b, bHi)) {
    // Both fit in 32 bits: the 64-bit product cannot overflow.
    const lo = mulS32(a, b);
    cpu.hi = mulHi;
    setOverflow(cpu, false);
    return lo;
  }
  mul64(a, aHi, b, bHi, true);
  setOverflow(cpu, !(W[2] === W[1] >> 31 && W[3] === W[1] >> 31));
  cpu.hi = W[1];
  return W[0];
}

/** imul G, E (0F AF). */
const imulGE: Handler = (cpu, i) => {
  const b = readE(cpu, i);
  const bHi = cpu.hi;
  const a = getReg(cpu, i.reg, i.size);
  const r = imulTruncated(cpu, i.size, a, cpu.hi, b, bHi);
  setReg(cpu, i.reg, i.size, r, cpu.hi);
};

/** imul G, E, imm (69, 6B). */
const imulGEI: Handler = (cpu, i) => {
  const a = readE(cpu, i);
  const r = imulTruncated(cpu, i.size, a, cpu.hi, i.imm, i.immHi);
  setReg(cpu, i.reg, i.size, r, cpu.hi);
};

/** div r/m: unsigned rAX = rDX:rAX / E, rDX = remainder. */
const div: Handler = (cpu, i) => {
  const size = i.size;
  const d = readE(cpu, i);
  const dHi = size === 8 ? cpu.hi : 0;
  if ((d | dHi) === 0) throw CpuFault.de();
  const regs = cpu.regs;
  switch (size) {
    case 1: {
      const n = regs[0] & 0xffff;
      const q = Math.floor(n / d);
      if (q > 0xff) throw CpuFault.de();
      setReg(cpu, 0, 2, q | ((n - q * d) << 8), 0);
      break;
    }
    case 2: {
      const n = (regs[4] & 0xffff) * 65536 + (regs[0] & 0xffff);
      const q = Math.floor(n / d);
      if (q > 0xffff) throw CpuFault.de();
      setReg(cpu, 0, 2, q, 0);
      setReg(cpu, 2, 2, n - q * d, 0);
      break;
    }
    case 4: {
      const du = d >>> 0;
      if (regs[4] >>> 0 >= du) throw CpuFault.de();
      W[0] = regs[0];
      W[1] = regs[4];
      W[2] = 0;
      W[3] = 0;
      divide128(du, 0);
      setReg(cpu, 0, 4, W[0], 0);
      setReg(cpu, 2, 4, REM[0], 0);
      break;
    }
    default: {
      if ((regs[1] | regs[4] | regs[5] | dHi) === 0) {
        // Both fit in 32 bits (the common case): exact in doubles.
        const n = regs[0] >>> 0;
        const du = d >>> 0;
        const q = Math.floor(n / du);
        regs[0] = q | 0;
        regs[4] = (n - q * du) | 0;
        break;
      }
      W[0] = regs[0];
      W[1] = regs[1];
      W[2] = regs[4];
      W[3] = regs[5];
      divide128(d, dHi);
      if ((W[2] | W[3]) !== 0) throw CpuFault.de();
      regs[0] = W[0];
      regs[1] = W[1];
      regs[4] = REM[0];
      regs[5] = REM[1];
    }
  }
  setDivideFlags(cpu);
};

/** idiv r/m: signed rAX = rDX:rAX / E (truncating), rDX = remainder. */
const idiv: Handler = (cpu, i) => {
  const size = i.size;
  const d = readE(cpu, i);
  const dHi = size === 8 ? cpu.hi : 0;
  if ((d | dHi) === 0) throw CpuFault.de();
  const regs = cpu.regs;
  if (size <= 2) {
    const n =
      size === 1
        ? signExtend(regs[0] & 0xffff, 2)
        : ((regs[4] & 0xffff) << 16) | (regs[0] & 0xffff);
    const ds = signExtend(d, size);
    const q = Math.trunc(n / ds);
    const limit = size === 1 ? 0x80 : 0x8000;
    if (q >= limit || q < -limit) throw CpuFault.de();
    const r = n - q * ds;
    if (size === 1) setReg(cpu, 0, 2, (q & 0xff) | ((r & 0xff) << 8), 0);
    else {
      setReg(cpu, 0, 2, q, 0);
      setReg(cpu, 2, 2, r, 0);
    }
    setDivideFlags(cpu);
    return;
  }
  // 32 and 64 bits: divide magnitudes, then restore the signs.
  const wide = size === 8;
  W[0] = regs[0];
  W[1] = wide ? regs[1] : regs[4];
  const nNeg = (wide ? regs[5] : regs[4]) < 0;
  W[2] = wide ? regs[4] : nNeg ? -1 : 0;
  W[3] = wide ? regs[5] : nNeg ? -1 : 0;
  if (nNeg) neg128();
  const dNeg = wide ? dHi < 0 : d < 0;
  let mLo = d;
  let mHi = wide ? dHi : d >> 31;
  if (dNeg) {
    mLo = -mLo | 0;
    mHi = (~mHi + (mLo === 0 ? 1 : 0)) | 0;
  }
  divide128(mLo, wide ? mHi : 0);
  const qNeg = nNeg !== dNeg;
  // The magnitude may reach 2^(n-1) only when the quotient is negative.
  const topWord = wide ? W[1] : W[0];
  const beyond = wide ? (W[2] | W[3]) !== 0 : (W[1] | W[2] | W[3]) !== 0;
  const topLow = wide ? W[0] : 0;
  if (beyond || (topWord < 0 && !(qNeg && topWord === -0x80000000 && topLow === 0))) {
    throw CpuFault.de();
  }
  W[2] = 0;
  W[3] = 0;
  if (qNeg) neg128();
  let rLo = REM[0];
  let rHi = REM[1];
  if (nNeg) {
    rLo = -rLo | 0;
    rHi = (~rHi + (rLo === 0 ? 1 : 0)) | 0;
  }
  if (wide) {
    regs[0] = W[0];
    regs[1] = W[1];
    regs[4] = rLo;
    regs[5] = rHi;
  } else {
    setReg(cpu, 0, 4, W[0], 0);
    setReg(cpu, 2, 4, rLo, 0);
  }
  setDivideFlags(cpu);
};

function insnSizeRows(name: string, ext: number, exec: Handler): OpRow[] {
  return [
    { name, map: 0, op: 0xf6, ext, size: 'b', exec },
    { name, map: 0, op: 0xf7, ext, exec },
  ];
}

/** Rows of the multiply and divide family. */
export const MULDIV_ROWS: OpRow[] = notLockable([
  ...insnSizeRows('mul', 4, mul),
  ...insnSizeRows('imul', 5, imul1),
  ...insnSizeRows('div', 6, div),
  ...insnSizeRows('idiv', 7, idiv),
  { name: 'imul', map: 1, op: 0xaf, exec: imulGE },
  { name: 'imul', map: 0, op: 0x69, imm: 'z', exec: imulGEI },
  { name: 'imul', map: 0, op: 0x6b, imm: 'b', exec: imulGEI },
]);
