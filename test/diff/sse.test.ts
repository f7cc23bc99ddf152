import { describe, expect, it } from 'vitest';
import { diffSkipReason, runDifferential, summarize } from './framework.ts';
import { familyCases, SSE_FAMILIES } from '../cpu/sse/diff-cases.ts';

const skip = diffSkipReason();
if (skip) console.log(`differential SSE tests skipped: ${skip}`);

/** Cases per instruction form: more where rounding and exceptions vary. */
const PER_FORM: Record<string, number> = {
  'float-arith': 200,
  compare: 200,
  convert: 250,
  integer: 60,
  'shift-shuffle': 80,
  move: 60,
  'mxcsr-fence': 60,
};

describe.skipIf(skip !== undefined)('SSE, SSE2 and SSE3 against the host processor', () => {
  Object.keys(SSE_FAMILIES).forEach((family, k) => {
    it(`${family} leaves the same xmm registers, MXCSR, flags, memory and faults as the host`, async () => {
      const report = await runDifferential(
        `sse/${family}`,
        familyCases(family, 0x55e0 + k, PER_FORM[family]),
      );
      console.log(summarize(report).split('\n')[0]);
      expect(report.failures, summarize(report)).toBe(0);
    });
  });
});
