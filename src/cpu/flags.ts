/**
 * Lazy condition flags. Arithmetic instructions do not compute RFLAGS; they
 * record the kind of operation, its size, operands and result, and each flag
 * is derived only when something reads it. Instructions whose flags are
 * awkward to recompute (shifts, multiplies, bit tests, compares into flags)
 * set them eagerly instead.
 */

export const FLAG_CF = 0x1;
export const FLAG_PF = 0x4;
export const FLAG_AF = 0x10;
export const FLAG_ZF = 0x40;
export const FLAG_SF = 0x80;
export const FLAG_TF = 0x100;
export const FLAG_IF = 0x200;
export const FLAG_DF = 0x400;
export const FLAG_OF = 0x800;
export const FLAG_AC = 0x40000;
export const FLAG_ID = 0x200000;

/** The six arithmetic flags. */
export const ARITH_FLAGS = FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF;

/** Flags a user-mode popf may change (TF is left out: single-stepping is not emulated). */
export const USER_FLAGS = ARITH_FLAGS | FLAG_DF | FLAG_AC | FLAG_ID;

/** RFLAGS bits that always read as set in user mode: reserved bit 1 and IF. */
export const FIXED_FLAGS = 0x2 | FLAG_IF;

/** Kinds of lazily evaluated operations (the high bits of Cpu.lop). */
export const LAZY_NONE = 0;
export const LAZY_ADD = 1;
export const LAZY_ADC = 2;
export const LAZY_SUB = 3;
export const LAZY_SBB = 4;
export const LAZY_LOGIC = 5;
export const LAZY_INC = 6;
export const LAZY_DEC = 7;

/** log2 of an operand size in bytes (1, 2, 4, 8), as stored in Cpu.lop. */
export function sizeLog(size: number): number {
  return size === 8 ? 3 : size === 4 ? 2 : size === 2 ? 1 : 0;
}

/** Parity flag per byte value: 1 when the byte has an even number of set bits. */
export const PARITY = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    let bits = 0;
    for (let b = v; b; b >>= 1) bits += b & 1;
    t[v] = bits & 1 ? 0 : 1;
  }
  return t;
})();

/** Condition code names in encoding order (jcc, setcc, cmovcc low nibble). */
export const CONDITION_NAMES = [
  'o',
  'no',
  'b',
  'ae',
  'e',
  'ne',
  'be',
  'a',
  's',
  'ns',
  'p',
  'np',
  'l',
  'ge',
  'le',
  'g',
];
