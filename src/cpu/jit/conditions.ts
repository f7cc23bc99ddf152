import { LAZY_ADD, LAZY_DEC, LAZY_INC, LAZY_LOGIC, LAZY_SUB } from '../flags.ts';

/**
 * Condition codes evaluated in compiled code straight from the operands of
 * the instruction that last set the flags, when the compiler knows which one
 * it was: a compare followed by `jl` becomes one signed comparison, with no
 * flag materialised. The operands sit in the block's locals FA/FAH (first
 * operand), FB/FBH (second), FR/FRH (result) and FE (eager flag bits), with
 * the representation of the lazy-flag fields of CpuFlags.
 */

/** `lop` of flags held as eager RFLAGS bits in FE (shifts). */
export const EAGER = 0;

/** The sign of the result at size log2 `szlog` as a boolean expression. */
function signOf(szlog: number): string {
  switch (szlog) {
    case 0:
      return '(FR & 0x80) !== 0';
    case 1:
      return '(FR & 0x8000) !== 0';
    case 2:
      return 'FR < 0';
    default:
      return 'FRH < 0';
  }
}

function zeroOf(szlog: number): string {
  return szlog === 3 ? '(FR | FRH) === 0' : 'FR === 0';
}

/** Unsigned a < b (or <= with `orEqual`) of FA and FB at a size. */
function belowSub(szlog: number, orEqual: boolean): string {
  const op = orEqual ? '<=' : '<';
  if (szlog < 2) return `FA ${op} FB`;
  if (szlog === 2) return `(FA >>> 0) ${op} (FB >>> 0)`;
  return `(FAH !== FBH ? (FAH >>> 0) < (FBH >>> 0) : (FA >>> 0) ${op} (FB >>> 0))`;
}

/** Signed a < b (or <=) of FA and FB at a size. */
function lessSub(szlog: number, orEqual: boolean): string {
  const op = orEqual ? '<=' : '<';
  if (szlog === 0) return `((FA << 24) >> 24) ${op} ((FB << 24) >> 24)`;
  if (szlog === 1) return `((FA << 16) >> 16) ${op} ((FB << 16) >> 16)`;
  if (szlog === 2) return `FA ${op} FB`;
  return `(FAH !== FBH ? FAH < FBH : (FA >>> 0) ${op} (FB >>> 0))`;
}

/** Overflow of a subtraction FA - FB = FR. */
function overflowSub(szlog: number): string {
  if (szlog === 3) return '((FAH ^ FBH) & (FAH ^ FRH)) < 0';
  const top = szlog === 2 ? '0x80000000' : szlog === 1 ? '0x8000' : '0x80';
  return `((FA ^ FB) & (FA ^ FR) & ${top}) !== 0`;
}

/** Carry of an addition FA + FB = FR. */
function carryAdd(szlog: number): string | null {
  if (szlog === 2) return '(FR >>> 0) < (FA >>> 0)';
  if (szlog === 3) return '(FRH !== FAH ? (FRH >>> 0) < (FAH >>> 0) : (FR >>> 0) < (FA >>> 0))';
  return null;
}

/** The even condition (cc & ~1) after a lazy operation, or null when not worth it. */
function lazyCondition(lop: number, even: number): string | null {
  const kind = lop >> 2;
  const szlog = lop & 3;
  switch (even) {
    case 4:
      return zeroOf(szlog);
    case 8:
      return signOf(szlog);
    case 10:
      return 'P[FR & 0xff] === 1';
  }
  if (kind === LAZY_SUB) {
    switch (even) {
      case 0:
        return overflowSub(szlog);
      case 2:
        return belowSub(szlog, false);
      case 6:
        return belowSub(szlog, true);
      case 12:
        return lessSub(szlog, false);
      default:
        return lessSub(szlog, true);
    }
  }
  if (kind === LAZY_LOGIC) {
    switch (even) {
      case 0:
      case 2:
        return 'false';
      case 6:
        return zeroOf(szlog);
      case 12:
        return signOf(szlog);
      default:
        return `(${zeroOf(szlog)} || ${signOf(szlog)})`;
    }
  }
  if (kind === LAZY_ADD && even === 2) return carryAdd(szlog);
  if ((kind === LAZY_INC || kind === LAZY_DEC) && even === 2) return 'FC === 1';
  return null;
}

/** The even condition from eager bits in FE. */
function eagerCondition(even: number): string {
  const bit = (n: number): string => `((FE >> ${n}) & 1)`;
  switch (even) {
    case 0:
      return `${bit(11)} === 1`;
    case 2:
      return `${bit(0)} === 1`;
    case 4:
      return `${bit(6)} === 1`;
    case 6:
      return `(FE & 0x41) !== 0`;
    case 8:
      return `${bit(7)} === 1`;
    case 10:
      return `${bit(2)} === 1`;
    case 12:
      return `(${bit(7)} ^ ${bit(11)}) === 1`;
    default:
      return `((${bit(7)} ^ ${bit(11)}) | ${bit(6)}) === 1`;
  }
}

/**
 * A boolean JS expression for condition `cc` when the flags come from the
 * operation `lop` (EAGER for bits in FE), or null when the compiled code
 * should materialise the flags and ask the CPU.
 */
export function conditionFrom(lop: number, cc: number): string | null {
  const even = cc & 14;
  const expr = lop === EAGER ? eagerCondition(even) : lazyCondition(lop, even);
  if (expr === null) return null;
  return cc & 1 ? `!(${expr})` : `(${expr})`;
}
