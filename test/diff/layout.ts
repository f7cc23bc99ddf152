/**
 * The fixed guest layout shared by the native harness (native/harness.c) and
 * the Amber side: where a case's code and data live, and the register order
 * of the wire format. Keep the numbers in step with harness.c.
 */

/** Start of the code page; a case's bytes are placed here. */
export const CODE_BASE = 0x7f0000000;
/** Bytes of code space (the harness's exit stub needs 16 after the code). */
export const CODE_SIZE = 0x2000;
/** Longest code a case may carry. */
export const MAX_CODE = CODE_SIZE - 16;
/** Start of the data region, read/write, zero-filled before each case. */
export const DATA_BASE = 0x7e0000000;
/** Size of the data region. */
export const DATA_SIZE = 0x10000;
/** Unmapped guard pages surround both regions on both sides. */
export const GUARD = 0x1000;
/** An address that faults on access: the guard page just past the data. */
export const UNMAPPED = DATA_BASE + DATA_SIZE;
/** Default rsp: the middle of the data region, so pushes and pops both fit. */
export const DEFAULT_RSP = DATA_BASE + 0x8000;

/** GPR names in encoding order (the wire format's order too). */
export const GPR_NAMES = [
  'rax',
  'rcx',
  'rdx',
  'rbx',
  'rsp',
  'rbp',
  'rsi',
  'rdi',
  'r8',
  'r9',
  'r10',
  'r11',
  'r12',
  'r13',
  'r14',
  'r15',
] as const;

/** A 64-bit register name. */
export type GprName = (typeof GPR_NAMES)[number];

/** Flag bits. */
export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const DF = 0x400;
export const OF = 0x800;
/** The flags a case may set and that are compared: CF PF AF ZF SF DF OF. */
export const CASE_FLAGS = CF | PF | AF | ZF | SF | DF | OF;
/** The six arithmetic flags. */
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;

/** Offsets in a 512-byte FXSAVE image (64-bit layout). */
export const FX = {
  FCW: 0,
  FSW: 2,
  FTW: 4,
  FOP: 6,
  MXCSR: 24,
  MXCSR_MASK: 28,
  ST0: 32,
  XMM0: 160,
} as const;

/** MXCSR after reset: all exceptions masked, round to nearest. */
export const MXCSR_DEFAULT = 0x1f80;
/** x87 control word after FNINIT: all masked, 64-bit precision, nearest. */
export const FCW_DEFAULT = 0x37f;
