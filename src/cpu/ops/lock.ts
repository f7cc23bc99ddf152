import { CpuFault } from '../fault.ts';
import type { Handler, Insn } from '../insn.ts';
import type { OpRow } from '../table.ts';

/**
 * The lock prefix rule: it is allowed only on the read-modify-write
 * instructions that name it (the ALU operations, inc, dec, not, neg, xchg,
 * bts/btr/btc, xadd, cmpxchg and cmpxchg8b/16b) and only with a memory
 * destination; anywhere else it raises #UD. Rows opt in by being wrapped
 * with one of these functions, which picks the faulting handler at decode
 * time, so that execution pays nothing.
 *
 * Execution is single-threaded per address space, so a locked instruction
 * is atomic without doing anything more.
 */

const lockUd: Handler = () => {
  throw CpuFault.ud('lock prefix not allowed here');
};

function handlerOf(row: OpRow, i: Insn): Handler {
  return row.select ? row.select(i) : row.exec;
}

/** Rows that accept lock with a memory destination (and #UD with a register one). */
export function lockableInMemory(rows: OpRow[]): OpRow[] {
  return rows.map((row) => ({
    ...row,
    select: (i: Insn) => (i.lock && i.rm >= 0 ? lockUd : handlerOf(row, i)),
  }));
}

/** Rows that never accept lock. */
export function notLockable(rows: OpRow[]): OpRow[] {
  return rows.map((row) => ({
    ...row,
    select: (i: Insn) => (i.lock ? lockUd : handlerOf(row, i)),
  }));
}
