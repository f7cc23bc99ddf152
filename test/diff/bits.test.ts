import { describe, expect, it } from 'vitest';
import { diffSkipReason, runDifferential, summarize } from './framework.ts';
import { BIT_MNEMONICS, bitCases } from './gen-bits.ts';

const skip = diffSkipReason();
if (skip) console.log(`differential bit-instruction tests skipped: ${skip}`);

// popcnt is advertised in Amber's CPUID feature set and compared here. lzcnt
// and tzcnt are not advertised: their encodings run as bsr and bsf, as on a
// CPU without ABM/BMI1, which the bsf/bsr cases cover only without the F3
// prefix.
describe.skipIf(skip !== undefined)('bit instructions against the host processor', () => {
  BIT_MNEMONICS.forEach((name, k) => {
    it(`${name} leaves the same registers, flags and memory as the host`, async () => {
      const report = await runDifferential(`bits/${name}`, bitCases(name, 4000 + k, 120));
      console.log(summarize(report).split('\n')[0]);
      expect(report.failures, summarize(report)).toBe(0);
    });
  });
});
