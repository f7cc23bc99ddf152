import { ALU_ROWS } from './ops/alu.ts';
import { CONTROL_ROWS } from './ops/control.ts';
import { MOVE_ROWS } from './ops/move.ts';
import { STACK_ROWS } from './ops/stack.ts';
import { SYSTEM_ROWS } from './ops/system.ts';
import { ATOMIC_ROWS } from './ops/atomic.ts';
import { BITS_ROWS } from './ops/bits.ts';
import { MISC_ROWS } from './ops/misc.ts';
import { MULDIV_ROWS } from './ops/muldiv.ts';
import { SHIFT_ROWS } from './ops/shift.ts';
import { STRING_ROWS } from './ops/string.ts';
import { SSE_ROWS } from './sse/rows.ts';
import { X87_ROWS } from './x87/rows.ts';
import { SHAPES, SH_IMM_MASK, SH_INVALID, SH_MODRM } from './opcode-shapes.ts';
import { OpTable, type OpRow } from './table.ts';

/** Every family's rows: the instruction set Amber implements. */
export const ALL_ROWS: readonly (readonly OpRow[])[] = [
  ALU_ROWS,
  MOVE_ROWS,
  STACK_ROWS,
  CONTROL_ROWS,
  SYSTEM_ROWS,
  SHIFT_ROWS,
  MULDIV_ROWS,
  BITS_ROWS,
  STRING_ROWS,
  ATOMIC_ROWS,
  MISC_ROWS,
  SSE_ROWS,
  X87_ROWS,
];

/**
 * Checks a row against the opcode shapes: its ModRM presence must agree, so
 * that an implemented instruction and the length decoder never disagree.
 * Throws an Error naming the row.
 */
function checkRow(row: OpRow): void {
  const count = row.zreg ? 8 : 1;
  for (let k = 0; k < count; k++) {
    const shape = SHAPES[row.map][row.op + k];
    const modrm = row.modrm ?? !row.zreg;
    if (shape & SH_INVALID) throw new Error(`row ${row.name}: opcode is invalid in 64-bit mode`);
    if (((shape & SH_MODRM) !== 0) !== modrm) {
      throw new Error(
        `row ${row.name} (map ${row.map} op 0x${row.op.toString(16)}): ModRM disagrees`,
      );
    }
    if (
      row.imm === undefined &&
      (shape & SH_IMM_MASK) !== 0 &&
      row.op !== 0xf6 &&
      row.op !== 0xf7
    ) {
      throw new Error(
        `row ${row.name} (map ${row.map} op 0x${row.op.toString(16)}): immediate missing`,
      );
    }
  }
}

let shared: OpTable | undefined;

/** The opcode table of the whole instruction set, built once and checked. */
export function instructionTable(): OpTable {
  if (shared === undefined) {
    for (const list of ALL_ROWS) for (const row of list) checkRow(row);
    shared = new OpTable(ALL_ROWS);
  }
  return shared;
}
