import type { Cpu } from './cpu.ts';

/** Executes one decoded instruction. */
export type Handler = (cpu: Cpu, i: Insn) => void;

/** Computes the effective address of an instruction's memory operand. */
export type AddressFn = (cpu: Cpu, i: Insn) => number;

/** Segment override for the memory operand. */
export const SEG_NONE = 0;
export const SEG_FS = 1;
export const SEG_GS = 2;

/** Repeat prefixes. */
export const REP_NONE = 0;
export const REP_F3 = 1;
export const REP_F2 = 2;

function noAddress(): number {
  throw new Error('instruction has no memory operand');
}

/**
 * One decoded instruction: its handler and every operand field the handler
 * needs, resolved at decode time so that execution does no decoding.
 * Instances are cached per guest page and dropped when the page is written.
 * Never saved: decoded code is rebuilt from guest memory after a restore.
 */
export class Insn {
  exec: Handler;
  /** Address of the first byte. */
  addr = 0;
  /** Address of the next instruction. */
  next = 0;
  len = 0;
  /** Opcode map (0 one-byte, 1 0F, 2 0F38, 3 0F3A) times 256 plus the opcode byte. */
  op = 0;
  /** Raw ModRM byte, or -1. */
  modrm = -1;
  /** Operand size in bytes (1, 2, 4, 8, or 16 for xmm rows). */
  size = 4;
  /** Address size in bytes (4 with a 67h prefix, else 8). */
  asize = 8;
  /** ModRM.reg with REX.R, or the opcode register; 16-19 for AH-BH in byte forms. */
  reg = 0;
  /** ModRM.rm with REX.B when it names a register; -1 for a memory operand. */
  rm = -1;
  /** Memory operand: base register or -1. */
  base = -1;
  /** Memory operand: index register or -1. */
  index = -1;
  /** Memory operand: scale factor 1, 2, 4 or 8. */
  scale = 1;
  /** Memory operand: displacement (absolute address for RIP-relative forms). */
  disp = 0;
  /** Segment override: SEG_NONE, SEG_FS or SEG_GS. */
  seg = SEG_NONE;
  /** Immediate, sign-extended to int32. */
  imm = 0;
  /** High half of the immediate for 64-bit operands. */
  immHi = 0;
  /** Second immediate (enter). */
  imm2 = 0;
  /** Absolute target of a relative branch. */
  target = 0;
  /** Repeat prefix: REP_NONE, REP_F3 or REP_F2. */
  rep = REP_NONE;
  lock = false;
  /** Operand-size prefix seen. */
  pfx66 = false;
  /** REX prefix seen (byte registers 4-7 are SPL..DIL rather than AH..BH). */
  rex = false;
  /** Condition code (jcc, setcc, cmovcc): low nibble of the opcode. */
  cc = 0;
  /** Computes the memory operand's address. */
  eaf: AddressFn = noAddress;
  /** Mnemonic, for diagnostics. */
  name = '';

  constructor(exec: Handler) {
    this.exec = exec;
  }
}
