/**
 * Differential testing of Amber's CPU against the host processor.
 *
 * runDifferential() runs a family's cases on the host (one native harness
 * process for the whole batch) and on Amber (a fresh Cpu per case over the
 * same memory layout), compares the final states and returns a report with
 * a readable explanation of each mismatch. See README.md for the API.
 */
import { loadAmberTable, runAmber } from './amber.ts';
import type { DiffCase } from './case.ts';
import { disassemble } from './disasm.ts';
import { GPR_NAMES } from './layout.ts';
import { nativeSkipReason, runNative } from './native.ts';
import { compareStates, flagNames, nativeState, type CompareOptions } from './state.ts';

export type { DiffCase, DataInit, X87Init } from './case.ts';

/** How a family's cases are compared. */
export interface DiffOptions {
  /** Flags the family leaves undefined; each case may add its own. */
  undefFlags?: number;
  /** Compare xmm0-15 and MXCSR (default true). */
  sse?: boolean;
  /** Compare FCW, FSW, the tag byte and the valid x87 registers (default true). */
  x87?: boolean;
  /** FSW bits compared (default 0xffff). */
  fswMask?: number;
  /** How many mismatches the report explains in full (default 8). */
  maxReports?: number;
}

/** The outcome of one family's run. */
export interface DiffReport {
  family: string;
  /** Number of cases run. */
  cases: number;
  /** Number of cases whose final states differed. */
  failures: number;
  /** Full explanations of the first mismatches. */
  details: string[];
  /** Failures grouped by case label, largest first, for a quick overview. */
  byLabel: [string, number][];
}

/** Cases run per family in this process, for the suite's summary. */
export const familyCounts = new Map<string, number>();

/** Why differential tests are skipped on this host, or undefined. */
export function diffSkipReason(): string | undefined {
  return nativeSkipReason();
}

/** Runs cases natively and on Amber and compares every final state. */
export async function runDifferential(
  family: string,
  cases: readonly DiffCase[],
  opts: DiffOptions = {},
): Promise<DiffReport> {
  await loadAmberTable();
  const native = runNative(cases);
  const amber = runAmber(cases);
  const report: DiffReport = { family, cases: cases.length, failures: 0, details: [], byLabel: [] };
  const labels = new Map<string, number>();
  cases.forEach((c, k) => {
    const undefFlags = (opts.undefFlags ?? 0) | (c.undefFlags ?? 0);
    const compare: CompareOptions = {
      undefFlags,
      sse: opts.sse ?? true,
      x87: opts.x87 ?? true,
      fswMask: opts.fswMask ?? 0xffff,
    };
    const diffs = compareStates(nativeState(c, native[k]), amber[k], compare);
    if (diffs.length === 0) return;
    report.failures++;
    const label = c.label ?? '(no label)';
    labels.set(label, (labels.get(label) ?? 0) + 1);
    if (report.details.length < (opts.maxReports ?? 8)) {
      report.details.push(explain(family, k, c, diffs, undefFlags));
    }
  });
  report.byLabel = [...labels].sort((x, y) => y[1] - x[1]);
  familyCounts.set(family, (familyCounts.get(family) ?? 0) + cases.length);
  return report;
}

/** A one-paragraph summary of a report, for test output and assertion messages. */
export function summarize(r: DiffReport): string {
  const head = `family ${r.family}: ${r.cases} cases, ${r.failures} mismatches`;
  if (r.failures === 0) return head;
  const groups = r.byLabel
    .slice(0, 20)
    .map(([label, n]) => `  ${n} x ${label}`)
    .join('\n');
  return `${head}\nby label:\n${groups}\n\n${r.details.join('\n\n')}`;
}

function explain(
  family: string,
  k: number,
  c: DiffCase,
  diffs: string[],
  undefFlags: number,
): string {
  const regs = Object.entries(c.regs ?? {})
    .map(([name, v]) => `${name}=0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`)
    .join(' ');
  const lines = [
    `[${family} #${k}] ${c.label ?? ''}`,
    `  bytes: ${Buffer.from(Uint8Array.from(c.code)).toString('hex')}`,
    disassemble(c.code),
    `  input: ${regs || '(all zero)'} flags=0x${(c.flags ?? 0).toString(16)}` +
      (undefFlags ? ` (undefined: ${flagNames(undefFlags)})` : ''),
    ...diffs.map((d) => `  ${d}`),
  ];
  return lines.join('\n');
}

/** Register names, for generators that pick registers by number. */
export { GPR_NAMES };
