/**
 * The SSE, SSE2 and SSE3 instruction rows, collected from the family files
 * for the opcode table.
 *
 * Not implemented (no rows, so they raise #UD): the MMX register forms of
 * the integer opcodes (those without a 66 prefix), movq2dq, movdq2q, the
 * MMX conversions (cvtpi2ps, cvtps2pi, cvttps2pi, cvtpi2pd, cvtpd2pi,
 * cvttpd2pi), pshufw, maskmovq, movntq, emms, and monitor/mwait, which are
 * not available to user mode.
 */
import type { OpRow } from '../table.ts';
import { SSE_COMPARE_ROWS } from './rows-compare.ts';
import { SSE_CONVERT_ROWS } from './rows-convert.ts';
import { SSE_FLOAT_ROWS } from './rows-float.ts';
import { SSE_INT_ROWS } from './rows-int.ts';
import { SSE_MISC_ROWS } from './rows-misc.ts';
import { SSE_MOVE_ROWS } from './rows-move.ts';
import { SSE_SHIFT_ROWS } from './rows-shift.ts';
import { SSE_SHUFFLE_ROWS } from './rows-shuffle.ts';

/** Every SSE/SSE2/SSE3 row. */
export const SSE_ROWS: OpRow[] = [
  ...SSE_MOVE_ROWS,
  ...SSE_INT_ROWS,
  ...SSE_SHIFT_ROWS,
  ...SSE_SHUFFLE_ROWS,
  ...SSE_FLOAT_ROWS,
  ...SSE_CONVERT_ROWS,
  ...SSE_COMPARE_ROWS,
  ...SSE_MISC_ROWS,
];
