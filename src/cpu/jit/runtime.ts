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
    const a0 = a & 0xffff;
    const a1 = a >>> 16;
    const b0 = b & 0xffff;
    const b1 = b >>> 16;
    const p00 = a0 * b0;
    const p01 = a0 * b1;
    const p10 = a1 * b0;
    const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536);
    this.hi = (carry + Math.imul(a, bHi) + Math.imul(aHi, b)) | 0;
    return (p00 & 0xffff) | (mid << 16);
  },
};
