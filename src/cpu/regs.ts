/**
 * General-purpose register numbers, in the order of their x86-64 encoding.
 * Register r keeps its low 32 bits at `regs[2 * r]` and its high 32 bits at
 * `regs[2 * r + 1]` of the CPU's register file.
 */
export const RAX = 0;
export const RCX = 1;
export const RDX = 2;
export const RBX = 3;
export const RSP = 4;
export const RBP = 5;
export const RSI = 6;
export const RDI = 7;
export const R8 = 8;
export const R9 = 9;
export const R10 = 10;
export const R11 = 11;
export const R12 = 12;
export const R13 = 13;
export const R14 = 14;
export const R15 = 15;

/**
 * Byte-register numbers at or above this value name the legacy high bytes:
 * 16 + n is bits 8-15 of register n (AH, CH, DH, BH for n = 0..3). They exist
 * only in instructions without a REX prefix.
 */
export const HIGH_BYTE_BASE = 16;

/** Names of the 64-bit registers, for diagnostics. */
export const REG_NAMES: readonly string[] = [
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
];
