import { describe, expect, it } from 'vitest';
import { ALL_ROWS } from '../../src/cpu/isa.ts';
import { X87_ROWS } from '../../src/cpu/x87/rows.ts';
import { diffSkipReason, runDifferential, summarize } from './framework.ts';
import { X87_FORMS, x87Cases } from '../cpu/x87/diff-cases.ts';

const skip = diffSkipReason();
if (skip) console.log(`differential x87 tests skipped: ${skip}`);
const wired = ALL_ROWS.includes(X87_ROWS);
if (!wired)
  console.log('differential x87 tests skipped: X87_ROWS is not in ALL_ROWS (src/cpu/isa.ts)');

describe.skipIf(skip !== undefined || !wired)('x87 instructions against the host processor', () => {
  it('every x87 form leaves the same stack, status, memory and faults as the host', async () => {
    // Transcendentals are left to test/cpu/x87/transcendental.test.ts, which
    // allows them one unit in the last place.
    const cases = X87_FORMS.flatMap((form, k) => x87Cases(form, 0x87000 + k, 60));
    const report = await runDifferential('x87', cases, { maxReports: 12 });
    console.log(summarize(report).split('\n')[0]);
    expect(report.failures, summarize(report)).toBe(0);
  });
});
