import { describe, expect, it } from 'vitest';
import { diffSkipReason, runDifferential, summarize } from './framework.ts';
import { MISC_GROUPS, miscCases } from './gen-misc.ts';

const skip = diffSkipReason();
if (skip) console.log(`differential misc tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)(
  'data movement and flag instructions against the host processor',
  () => {
    MISC_GROUPS.forEach((group, k) => {
      it(`${group} leaves the same registers, flags and memory as the host`, async () => {
        const report = await runDifferential(`misc/${group}`, miscCases(group, 6000 + k, 300));
        console.log(summarize(report).split('\n')[0]);
        expect(report.failures, summarize(report)).toBe(0);
      });
    });
  },
);
