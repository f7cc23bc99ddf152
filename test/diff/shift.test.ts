import { describe, expect, it } from 'vitest';
import { diffSkipReason, runDifferential, summarize } from './framework.ts';
import { SHIFT_OPS, shiftCases } from './gen-shift.ts';

const skip = diffSkipReason();
if (skip) console.log(`differential shift tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)('shifts and rotates against the host processor', () => {
  [...SHIFT_OPS, 'shld', 'shrd'].forEach((name, k) => {
    it(`${name} leaves the same registers, flags and memory as the host`, async () => {
      // Undefined flags depend on the count, so each case carries its own.
      const report = await runDifferential(`shift/${name}`, shiftCases(name, 2000 + k, 24));
      console.log(summarize(report).split('\n')[0]);
      expect(report.failures, summarize(report)).toBe(0);
    });
  });
});
