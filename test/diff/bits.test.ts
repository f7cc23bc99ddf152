import { describe, expect, it } from 'vitest';
import { diffSkipReason, runDifferential, summarize } from './framework.ts';
import { BIT_MNEMONICS, bitCases } from './gen-bits.ts';

const skip = diffSkipReason();
if (skip) console.log(`differential bit-instruction tests skipped: ${skip}`);

// TODO: popcnt, lzcnt and tzcnt have no cases yet: they are to be tested only
// when Amber's CPUID feature set advertises them, and that set is not readable
// from here yet, so a wrong popcnt would go unnoticed by this suite.
describe.skipIf(skip !== undefined)('bit instructions against the host processor', () => {
  BIT_MNEMONICS.forEach((name, k) => {
    it(`${name} leaves the same registers, flags and memory as the host`, async () => {
      const report = await runDifferential(`bits/${name}`, bitCases(name, 4000 + k, 120));
      console.log(summarize(report).split('\n')[0]);
      expect(report.failures, summarize(report)).toBe(0);
    });
  });
});
