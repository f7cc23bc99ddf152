import { describe, expect, it } from 'vitest';
import { diffSkipReason, runDifferential, summarize } from './framework.ts';
import { MULDIV_FORMS, muldivCases } from './gen-muldiv.ts';

const skip = diffSkipReason();
if (skip) console.log(`differential mul/div tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)(
  'multiplication and division against the host processor',
  () => {
    MULDIV_FORMS.forEach((form, k) => {
      it(`${form} leaves the same registers, flags and faults as the host`, async () => {
        const report = await runDifferential(`muldiv/${form}`, muldivCases(form, 3000 + k, 150));
        console.log(summarize(report).split('\n')[0]);
        expect(report.failures, summarize(report)).toBe(0);
      });
    });
  },
);
