import { F80, SW_C1, SW_ES, SW_B, SW_IE, SW_SF } from './float80.ts';

/** Status-word bits that the TOP field occupies. */
const SW_TOP = 0x3800;

/** Full tag values (fnstenv, fnsave): valid, zero, special, empty. */
const TAG_VALID = 0;
const TAG_ZERO = 1;
const TAG_SPECIAL = 2;
const TAG_EMPTY = 3;

/**
 * The x87 unit's architectural state: eight 80-bit physical registers R0-R7,
 * the stack top, which registers hold a value, and the control and status
 * words. ST(i) is physical register (top + i) & 7.
 *
 * Saved in a snapshot: everything here (registers, top, `used`, fcw, fsw).
 * The last instruction and operand pointers are not kept: they read as zero,
 * which only a debugger would notice.
 */
export class X87State {
  /** Sign and exponent of R0-R7. */
  readonly se = new Uint16Array(8);
  /** High significand halves of R0-R7. */
  readonly hi = new Uint32Array(8);
  /** Low significand halves of R0-R7. */
  readonly lo = new Uint32Array(8);
  /** Bit r set when physical register r holds a value (the abridged tag). */
  used = 0;
  /** Stack top, 0-7 (the TOP field of the status word). */
  top = 0;
  /** Control word; 0x037F after FNINIT. */
  fcw = 0x037f;
  /** Status word without its TOP field (see {@link X87State.statusWord}). */
  fsw = 0;

  /** Resets to the FNINIT state. */
  reset(): void {
    this.fcw = 0x037f;
    this.fsw = 0;
    this.top = 0;
    this.used = 0;
  }

  /**
   * Loads the control word as the hardware keeps it: reserved bits 7 and
   * 13-15 read as zero, bit 6 as one.
   */
  setControlWord(cw: number): void {
    this.fcw = (cw & 0x1f3f) | 0x40;
  }

  /** The status word as the guest reads it, TOP included. */
  statusWord(): number {
    return (this.fsw & ~SW_TOP) | (this.top << 11);
  }

  /** Replaces the status word (TOP included), as fldenv and frstor do. */
  setStatusWord(sw: number): void {
    this.fsw = sw & ~SW_TOP & 0xffff;
    this.top = (sw >>> 11) & 7;
  }

  /** Physical register of ST(i). */
  phys(i: number): number {
    return (this.top + i) & 7;
  }

  /** Whether ST(i) is empty. */
  isEmpty(i: number): boolean {
    return ((this.used >>> ((this.top + i) & 7)) & 1) === 0;
  }

  /** Writes ST(i) and marks it used. */
  write(i: number, se: number, hi: number, lo: number): void {
    const r = (this.top + i) & 7;
    this.se[r] = se;
    this.hi[r] = hi;
    this.lo[r] = lo;
    this.used |= 1 << r;
  }

  /** Writes the result registers of the soft-float into ST(i). */
  writeResult(i: number): void {
    this.write(i, F80.se, F80.hi, F80.lo);
  }

  /** Marks ST(0) empty and moves the top up. */
  pop(): void {
    this.used &= ~(1 << this.top);
    this.top = (this.top + 1) & 7;
  }

  /**
   * Makes room for a push. Returns false when ST(7) is in use: a stack
   * overflow, recorded in F80.flags; with invalid masked, the push then
   * proceeds and the caller stores the indefinite.
   */
  pushRoom(): boolean {
    const r = (this.top + 7) & 7;
    if ((this.used >>> r) & 1) {
      F80.flags |= SW_IE | SW_SF | SW_C1;
      return false;
    }
    return true;
  }

  /** Moves the top down, for a push the caller then fills. */
  push(): void {
    this.top = (this.top + 7) & 7;
  }

  /**
   * Folds the exceptions the soft-float raised into the status word, with
   * the condition codes `cc` (C0-C3 bits, replacing the old ones where
   * `ccMask` says), and sets the error summary when any is unmasked.
   */
  commit(ccMask: number, cc: number): void {
    let sw = (this.fsw & ~ccMask) | (cc & ccMask) | (F80.flags & 0x7f);
    if (sw & ~this.fcw & 0x3f) sw |= SW_ES | SW_B;
    this.fsw = sw;
  }

  /** Recomputes the error summary after the control or status word changed. */
  refreshSummary(): void {
    if (this.fsw & ~this.fcw & 0x3f) this.fsw |= SW_ES | SW_B;
    else this.fsw &= ~(SW_ES | SW_B);
  }

  /** The full 16-bit tag word, classifying each used register. */
  tagWord(): number {
    let tw = 0;
    for (let r = 0; r < 8; r++) tw |= this.tagOf(r) << (2 * r);
    return tw;
  }

  private tagOf(r: number): number {
    if (((this.used >>> r) & 1) === 0) return TAG_EMPTY;
    const e = this.se[r] & 0x7fff;
    if (e === 0x7fff) return TAG_SPECIAL;
    if (e === 0) return this.hi[r] === 0 && this.lo[r] === 0 ? TAG_ZERO : TAG_SPECIAL;
    return this.hi[r] >= 0x80000000 ? TAG_VALID : TAG_SPECIAL;
  }

  /** Loads a full tag word: only "empty" matters, the rest is recomputed. */
  setTagWord(tw: number): void {
    let used = 0;
    for (let r = 0; r < 8; r++) if (((tw >>> (2 * r)) & 3) !== TAG_EMPTY) used |= 1 << r;
    this.used = used;
  }

  /** Writes ST(i) as 10 little-endian bytes at `view[off]`. */
  storeReg(view: DataView, off: number, i: number): void {
    const r = (this.top + i) & 7;
    view.setUint32(off, this.lo[r], true);
    view.setUint32(off + 4, this.hi[r], true);
    view.setUint16(off + 8, this.se[r], true);
  }

  /** Reads ST(i) from 10 little-endian bytes, without touching the tags. */
  loadReg(view: DataView, off: number, i: number): void {
    const r = (this.top + i) & 7;
    this.lo[r] = view.getUint32(off, true);
    this.hi[r] = view.getUint32(off + 4, true);
    this.se[r] = view.getUint16(off + 8, true);
  }

  /**
   * Writes the x87 part of an FXSAVE image: FCW, FSW, the abridged tag,
   * zero instruction and operand pointers, and ST(0)-ST(7) at 32 + 16i.
   * MXCSR and the xmm registers belong to the caller.
   */
  fxsave(image: Uint8Array): void {
    const v = new DataView(image.buffer, image.byteOffset, 512);
    v.setUint16(0, this.fcw, true);
    v.setUint16(2, this.statusWord(), true);
    v.setUint8(4, this.used);
    v.setUint8(5, 0);
    for (let k = 6; k < 24; k++) v.setUint8(k, 0);
    for (let i = 0; i < 8; i++) {
      this.storeReg(v, 32 + 16 * i, i);
      for (let k = 10; k < 16; k++) v.setUint8(32 + 16 * i + k, 0);
    }
  }

  /** Reads the x87 part of an FXSAVE image (see {@link X87State.fxsave}). */
  fxrstor(image: Uint8Array): void {
    const v = new DataView(image.buffer, image.byteOffset, 512);
    this.setControlWord(v.getUint16(0, true));
    this.setStatusWord(v.getUint16(2, true));
    this.used = v.getUint8(4);
    for (let i = 0; i < 8; i++) this.loadReg(v, 32 + 16 * i, i);
  }
}
