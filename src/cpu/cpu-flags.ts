import { CpuMemory } from './cpu-memory.ts';
import {
  ARITH_FLAGS,
  FIXED_FLAGS,
  FLAG_AF,
  FLAG_CF,
  FLAG_DF,
  FLAG_OF,
  FLAG_PF,
  FLAG_SF,
  FLAG_ZF,
  LAZY_ADC,
  LAZY_ADD,
  LAZY_DEC,
  LAZY_LOGIC,
  LAZY_NONE,
  LAZY_SBB,
  LAZY_SUB,
  PARITY,
  USER_FLAGS,
} from './flags.ts';

/** Unsigned a < b for 32-bit halves. */
function ltu32(a: number, b: number): boolean {
  return a >>> 0 < b >>> 0;
}

/**
 * RFLAGS with lazily evaluated arithmetic flags. `lop` holds the kind of the
 * last flag-setting operation times 4 plus log2 of its size; `la`, `lb`,
 * `lr` (and their high halves for 64-bit operations) its operands and result.
 * Operands of 8 and 16-bit operations are zero-extended, 32-bit ones are
 * int32. With `lop` equal to LAZY_NONE the flags are in `eflags`.
 *
 * Saved in a snapshot: the materialised RFLAGS value (getFlags).
 */
export class CpuFlags extends CpuMemory {
  lop = LAZY_NONE;
  la = 0;
  laHi = 0;
  lb = 0;
  lbHi = 0;
  lr = 0;
  lrHi = 0;
  /** Carry into ADC/SBB, or the preserved CF for INC/DEC. */
  lcf = 0;
  /** RFLAGS except DF; its arithmetic bits are current only when lop is LAZY_NONE. */
  eflags = FIXED_FLAGS;
  /** Direction flag, 0 or 1. */
  df = 0;

  /** Records an arithmetic operation for lazy flags. */
  setLazy(
    kind: number,
    size: number,
    a: number,
    aHi: number,
    b: number,
    bHi: number,
    r: number,
    rHi: number,
  ): void {
    this.lop = (kind << 2) | (size === 8 ? 3 : size === 4 ? 2 : size === 2 ? 1 : 0);
    this.la = a;
    this.laHi = aHi;
    this.lb = b;
    this.lbHi = bHi;
    this.lr = r;
    this.lrHi = rHi;
  }

  getCF(): number {
    const kind = this.lop >> 2;
    const wide = (this.lop & 3) === 3;
    switch (kind) {
      case LAZY_NONE:
        return this.eflags & FLAG_CF;
      case LAZY_ADD:
        return this.below(this.lr, this.lrHi, this.la, this.laHi, wide) ? 1 : 0;
      case LAZY_ADC:
        return this.below(this.lr, this.lrHi, this.la, this.laHi, wide) ||
          (this.lcf && this.lr === this.la && (!wide || this.lrHi === this.laHi))
          ? 1
          : 0;
      case LAZY_SUB:
        return this.below(this.la, this.laHi, this.lb, this.lbHi, wide) ? 1 : 0;
      case LAZY_SBB:
        return this.below(this.la, this.laHi, this.lb, this.lbHi, wide) ||
          (this.lcf && this.la === this.lb && (!wide || this.laHi === this.lbHi))
          ? 1
          : 0;
      case LAZY_LOGIC:
        return 0;
      default:
        return this.lcf;
    }
  }

  private below(a: number, aHi: number, b: number, bHi: number, wide: boolean): boolean {
    if (wide && aHi !== bHi) return ltu32(aHi, bHi);
    return ltu32(a, b);
  }

  getZF(): number {
    if (this.lop === LAZY_NONE) return (this.eflags >> 6) & 1;
    if ((this.lop & 3) === 3) return (this.lr | this.lrHi) === 0 ? 1 : 0;
    return this.lr === 0 ? 1 : 0;
  }

  getSF(): number {
    switch (this.lop & 3) {
      case 0:
        if (this.lop === LAZY_NONE) return (this.eflags >> 7) & 1;
        return (this.lr >> 7) & 1;
      case 1:
        return (this.lr >> 15) & 1;
      case 2:
        return this.lr >>> 31;
      default:
        return this.lrHi >>> 31;
    }
  }

  getOF(): number {
    const kind = this.lop >> 2;
    if (kind === LAZY_NONE) return (this.eflags >> 11) & 1;
    if (kind === LAZY_LOGIC) return 0;
    const szlog = this.lop & 3;
    const wide = szlog === 3;
    const a = wide ? this.laHi : this.la;
    const b = wide ? this.lbHi : this.lb;
    const r = wide ? this.lrHi : this.lr;
    const x =
      kind === LAZY_SUB || kind === LAZY_SBB || kind === LAZY_DEC
        ? (a ^ b) & (a ^ r)
        : (a ^ r) & (b ^ r);
    return (x >>> ((8 << szlog) - 1 - (wide ? 32 : 0))) & 1;
  }

  getPF(): number {
    if (this.lop === LAZY_NONE) return (this.eflags >> 2) & 1;
    return PARITY[this.lr & 0xff];
  }

  getAF(): number {
    const kind = this.lop >> 2;
    if (kind === LAZY_NONE) return (this.eflags >> 4) & 1;
    if (kind === LAZY_LOGIC) return 0;
    return ((this.la ^ this.lb ^ this.lr) >> 4) & 1;
  }

  /** The arithmetic flags as RFLAGS bits. */
  arithFlags(): number {
    if (this.lop === LAZY_NONE) return this.eflags & ARITH_FLAGS;
    return (
      this.getCF() * FLAG_CF +
      this.getPF() * FLAG_PF +
      this.getAF() * FLAG_AF +
      this.getZF() * FLAG_ZF +
      this.getSF() * FLAG_SF +
      this.getOF() * FLAG_OF
    );
  }

  /** The whole RFLAGS value (low 32 bits; the high half is always zero). */
  getFlags(): number {
    return (this.eflags & ~ARITH_FLAGS & ~FLAG_DF) | this.arithFlags() | (this.df ? FLAG_DF : 0);
  }

  /** Replaces the user-writable flags (popf, sahf-like updates, sigreturn). */
  setFlags(value: number): void {
    this.eflags = (value & USER_FLAGS & ~FLAG_DF) | FIXED_FLAGS;
    this.df = (value >> 10) & 1;
    this.lop = LAZY_NONE;
  }

  /** Sets the arithmetic flags selected by `mask` to `bits`, eagerly. */
  setArith(mask: number, bits: number): void {
    if (this.lop !== LAZY_NONE) {
      this.eflags = (this.eflags & ~ARITH_FLAGS) | this.arithFlags();
      this.lop = LAZY_NONE;
    }
    this.eflags = (this.eflags & ~mask) | (bits & mask);
  }

  /** Evaluates condition code `cc` (0-15, the low nibble of jcc/setcc/cmovcc). */
  cond(cc: number): boolean {
    let r: number;
    switch (cc >> 1) {
      case 0:
        r = this.getOF();
        break;
      case 1:
        r = this.getCF();
        break;
      case 2:
        r = this.getZF();
        break;
      case 3:
        r = this.getCF() | this.getZF();
        break;
      case 4:
        r = this.getSF();
        break;
      case 5:
        r = this.getPF();
        break;
      case 6:
        r = this.getSF() ^ this.getOF();
        break;
      default:
        r = this.getZF() | (this.getSF() ^ this.getOF());
        break;
    }
    return (r ^ (cc & 1)) === 1;
  }
}
