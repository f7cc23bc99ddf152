import { describe, expect, it } from 'vitest';
import { diffSkipReason, runDifferential, summarize } from './framework.ts';
import { STRING_MNEMONICS, stringCases } from './gen-string.ts';

const skip = diffSkipReason();
if (skip) console.log(`differential string tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)('string instructions against the host processor', () => {
  STRING_MNEMONICS.forEach((name, k) => {
    it(`${name} with and without rep moves the same bytes and registers as the host`, async () => {
      const report = await runDifferential(`string/${name}`, stringCases(name, 5000 + k, 40));
      console.log(summarize(report).split('\n')[0]);
      expect(report.failures, summarize(report)).toBe(0);
    });
  });
});
