/**
 * MXCSR, the SSE control and status register: its bits and the helpers that
 * apply an instruction's accumulated exception flags to it.
 *
 * Exception flags (bits 0-5) are sticky; masks (bits 7-12) suppress the #XM
 * trap for the matching flag. A soft-float operation never touches MXCSR
 * itself: it reports what it raised in `fpOut.flags` and the instruction
 * handler decides, once for all lanes, whether to trap or commit.
 */

/** Invalid operation. */
export const MX_IE = 0x1;
/** Denormal operand. */
export const MX_DE = 0x2;
/** Divide by zero. */
export const MX_ZE = 0x4;
/** Overflow. */
export const MX_OE = 0x8;
/** Underflow. */
export const MX_UE = 0x10;
/** Precision (inexact result). */
export const MX_PE = 0x20;
/** Denormals are zero: denormal operands read as zero of the same sign. */
export const MX_DAZ = 0x40;
/** Invalid-operation mask; each following mask is the flag shifted left 7. */
export const MX_IM = 0x80;
/** Denormal-operand mask. */
export const MX_DM = 0x100;
/** Divide-by-zero mask. */
export const MX_ZM = 0x200;
/** Overflow mask. */
export const MX_OM = 0x400;
/** Underflow mask. */
export const MX_UM = 0x800;
/** Precision mask. */
export const MX_PM = 0x1000;
/** Rounding-control field (bits 13-14): see the RC_ values. */
export const MX_RC = 0x6000;
/** Flush to zero: tiny results become zero when underflow is masked. */
export const MX_FZ = 0x8000;

/** Round to nearest, ties to even. */
export const RC_NEAREST = 0;
/** Round toward negative infinity. */
export const RC_DOWN = 1;
/** Round toward positive infinity. */
export const RC_UP = 2;
/** Round toward zero. */
export const RC_ZERO = 3;

/** MXCSR after reset and after execve: all exceptions masked, nearest. */
export const MXCSR_RESET = 0x1f80;

/**
 * Bits a guest may set with ldmxcsr or fxrstor (reported as MXCSR_MASK in
 * the fxsave image); setting any other bit raises #GP.
 */
export const MXCSR_WRITABLE = 0xffff;

/** The exception flags that are checked before computing a result. */
export const MX_PRE = MX_IE | MX_DE | MX_ZE;

/** All six exception flags. */
export const MX_FLAGS = 0x3f;

/**
 * Set in the value mxcsrAfter returns when the instruction traps; it lies
 * above the 16 MXCSR bits, so `result & 0xffff` is the register value.
 */
export const XM_TRAP = 0x10000;

/**
 * Decides the outcome of an SSE instruction whose lanes raised `raised`
 * (flags accumulated from every lane). Returns the new MXCSR value and
 * whether the instruction traps with #XM; on a trap the destination must be
 * left unchanged.
 *
 * As on hardware, when an unmasked invalid, denormal or divide-by-zero
 * condition was found, only those pre-computation flags are recorded: the
 * results are never computed, so no overflow, underflow or precision flag
 * can arise.
 */
export function mxcsrAfter(mxcsr: number, raised: number): number {
  const unmasked = raised & ~(mxcsr >>> 7) & MX_FLAGS;
  if (unmasked & MX_PRE) return mxcsr | (raised & MX_PRE) | XM_TRAP;
  return unmasked !== 0 ? mxcsr | raised | XM_TRAP : mxcsr | raised;
}
