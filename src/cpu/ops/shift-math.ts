import type { Cpu } from '../cpu.ts';
import { ARITH_FLAGS, FLAG_AF, LAZY_NONE, PARITY } from '../flags.ts';

/**
 * 64-bit shifts on 32-bit halves, shared by the shift and double-shift
 * handlers. Each returns the low half and leaves the high half in `wideHi`
 * (module scratch, so that no call allocates).
 */

/** High half of the last 64-bit result of this module. */
export let wideHi = 0;

/** (lo, hi) << c for c in 0..64 (64 gives zero). */
export function shl64(lo: number, hi: number, c: number): number {
  if (c === 0) {
    wideHi = hi;
    return lo;
  }
  if (c >= 64) {
    wideHi = 0;
    return 0;
  }
  if (c >= 32) {
    wideHi = c === 32 ? lo : lo << (c - 32);
    return 0;
  }
  wideHi = (hi << c) | (lo >>> (32 - c));
  return lo << c;
}

/** (lo, hi) >>> c (logical) for c in 0..64 (64 gives zero). */
export function shr64(lo: number, hi: number, c: number): number {
  if (c === 0) {
    wideHi = hi;
    return lo;
  }
  if (c >= 64) {
    wideHi = 0;
    return 0;
  }
  if (c >= 32) {
    wideHi = 0;
    return c === 32 ? hi : hi >>> (c - 32);
  }
  wideHi = hi >>> c;
  return (lo >>> c) | (hi << (32 - c));
}

/** (lo, hi) >> c (arithmetic) for c in 0..63. */
export function sar64(lo: number, hi: number, c: number): number {
  if (c === 0) {
    wideHi = hi;
    return lo;
  }
  if (c >= 32) {
    wideHi = hi >> 31;
    return hi >> (c - 32);
  }
  wideHi = hi >> c;
  return (lo >>> c) | (hi << (32 - c));
}

/** Bit j (0..63) of (lo, hi). */
export function bit64(lo: number, hi: number, j: number): number {
  return j >= 32 ? (hi >>> (j - 32)) & 1 : (lo >>> j) & 1;
}

/**
 * Sets all six arithmetic flags of a shift from its result and computed CF
 * and OF: SF, ZF and PF from the result, and AF set, as the AMD processors
 * the differential tests run on do (Intel documents AF as undefined). All
 * six bits are replaced, so the previous lazy state need not be
 * materialised first.
 *
 * `r` is the result's low 32 bits (zero-extended for 8 and 16-bit results),
 * `rHi` its high half (0 below 64 bits) and `top` its sign bit.
 */
export function setShiftFlags(
  cpu: Cpu,
  r: number,
  rHi: number,
  top: number,
  cf: number,
  of: number,
): void {
  const zf = (r | rHi) === 0 ? 0x40 : 0;
  cpu.lop = LAZY_NONE;
  cpu.eflags =
    (cpu.eflags & ~ARITH_FLAGS) |
    cf |
    (PARITY[r & 0xff] << 2) |
    FLAG_AF |
    zf |
    (top << 7) |
    (of << 11);
}
