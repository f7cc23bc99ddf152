import type { Handler, Insn } from './insn.ts';

/** Opcode maps: one-byte, 0F, 0F 38, 0F 3A. */
export const MAP_ONE = 0;
export const MAP_0F = 1;
export const MAP_0F38 = 2;
export const MAP_0F3A = 3;

/**
 * One row of the opcode table: which encoding it matches, how its operands
 * decode, and the handler that runs it. Family files (src/cpu/ops/*,
 * src/cpu/sse/*, src/cpu/x87/*) export lists of rows; the table is their
 * union, indexed by map and opcode. The same rows feed the instruction tests.
 */
export interface OpRow {
  /** Mnemonic, for diagnostics and tests. */
  name: string;
  /** Opcode map. */
  map: 0 | 1 | 2 | 3;
  /** Opcode byte; for `zreg` rows the first of eight. */
  op: number;
  /** Mandatory prefix (SSE encodings). Absent: any. */
  pfx?: 'none' | '66' | 'f3' | 'f2';
  /** Required ModRM.reg (group opcodes). */
  ext?: number;
  /** Required ModRM form. */
  mod?: 'mem' | 'reg';
  /** Required ModRM.rm (3 bits) in the register form. */
  rmv?: number;
  /** Has a ModRM byte. Default: true, except for `zreg` rows. */
  modrm?: boolean;
  /** Register encoded in opcode bits 0-2 (with REX.B); the row covers 8 opcodes. */
  zreg?: boolean;
  /**
   * Operand size: b 1; v 2/4/8 by 66h and REX.W; d64 8 unless 66h; f64 always
   * 8; w 2; d 4; q 8; x 16. Default v.
   */
  size?: 'b' | 'v' | 'd64' | 'f64' | 'w' | 'd' | 'q' | 'x';
  /** The r/m operand is a byte even though the operand size is not (movzx). */
  rm8?: boolean;
  /**
   * Immediate: b 8-bit; w 16; d 32; z 16 or 32 by operand size; v 16/32/64
   * (mov r, imm64); wb enter's 16 + 8; jb/jz relative branch; o a moffs
   * address of the address size. All sign-extended except o.
   */
  imm?: 'b' | 'w' | 'd' | 'z' | 'v' | 'wb' | 'jb' | 'jz' | 'o';
  /** Ends a decoded block: branches, system calls, anything that may change RIP. */
  flow?: boolean;
  /** The handler. */
  exec: Handler;
  /** Optional: picks a specialised handler at decode time. */
  select?: (i: Insn) => Handler;
}

/** The rows for one opcode, most specific first. */
export type RowList = OpRow[];

function specificity(row: OpRow): number {
  return (
    (row.pfx !== undefined ? 8 : 0) +
    (row.ext !== undefined ? 4 : 0) +
    (row.mod !== undefined ? 2 : 0) +
    (row.rmv !== undefined ? 1 : 0)
  );
}

/**
 * The opcode table: rows indexed by map * 256 + opcode. Built once from the
 * family lists.
 */
export class OpTable {
  readonly rows: (RowList | undefined)[] = new Array(4 * 256);

  constructor(lists: readonly (readonly OpRow[])[]) {
    for (const list of lists) for (const row of list) this.add(row);
    for (const list of this.rows) list?.sort((a, b) => specificity(b) - specificity(a));
  }

  private add(row: OpRow): void {
    const count = row.zreg ? 8 : 1;
    for (let k = 0; k < count; k++) {
      const key = row.map * 256 + row.op + k;
      (this.rows[key] ??= []).push(row);
    }
  }

  /** Rows for an opcode, or undefined. */
  lookup(map: number, op: number): RowList | undefined {
    return this.rows[map * 256 + op];
  }
}
