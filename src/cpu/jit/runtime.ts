import { mulHi, mulU32 } from '../ops/wide-math.ts';

/**
 * Helpers that compiled blocks call (as `M`), for operations too long to
 * inline. They return the low half and leave the high half in `hi`, so that
 * no call allocates.
 */
export const jitRuntime = {
  /** High half of the last 64-bit result. */
  hi: 0,

  /** The low 64 bits of (a, aHi) * (b, bHi), signed or not alike. */
  mulLo(a: number, aHi: number, b: number, bHi: number): number {
    const lo = mulU32(a, b);
    this.hi = (mulHi + Math.imul(a, bHi) + Math.imul(aHi, b)) | 0;
    return lo;
  },
};
