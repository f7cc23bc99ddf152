import { describe, expect, it } from 'vitest';
import { diffSkipReason, runDifferential, summarize } from './framework.ts';
import { ALU_MNEMONICS, aluCases, aluUndefFlags } from './gen-alu.ts';

const skip = diffSkipReason();
if (skip) console.log(`differential ALU tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)('ALU instructions against the host processor', () => {
  ALU_MNEMONICS.forEach((mnemonic, k) => {
    it(`${mnemonic} leaves the same registers, flags and memory as the host`, async () => {
      const cases = aluCases(mnemonic, 1000 + k, 24);
      const report = await runDifferential(`alu/${mnemonic}`, cases, {
        undefFlags: aluUndefFlags(mnemonic),
      });
      console.log(summarize(report).split('\n')[0]);
      expect(report.failures, summarize(report)).toBe(0);
    });
  });
});
