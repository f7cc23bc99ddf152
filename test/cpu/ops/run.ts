import { expect } from 'vitest';
import { Vector } from '../../../src/cpu/fault.ts';
import { FLAG_CF, FLAG_OF, FLAG_PF, FLAG_SF, FLAG_ZF } from '../../../src/cpu/flags.ts';
import { CODE_ADDR, Exit, machineWith, setReg64, type TestMachine } from '../machine.ts';

/** Register numbers by name, for readable tests. */
export const R = { rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7 } as const;

/** The five status flags the tests look at. */
export const STATUS = FLAG_CF | FLAG_PF | FLAG_ZF | FLAG_SF | FLAG_OF;

/**
 * Runs `code` (followed by hlt) with the given 64-bit register values and
 * RFLAGS, expecting it to halt. Returns the machine for inspection.
 */
export function run(
  code: number[],
  regs: Partial<Record<keyof typeof R, number | bigint>> = {},
  flags = 0,
): TestMachine {
  const m = machineWith(code);
  for (const [name, v] of Object.entries(regs)) setReg64(m.cpu, R[name as keyof typeof R], v);
  m.cpu.setFlags(flags);
  expect(m.run(), String(m.cpu.fault)).toBe(Exit.HALT);
  return m;
}

/** Runs `code` expecting its first instruction to fault with `vector`. */
export function runFault(
  code: number[],
  vector: number,
  regs: Partial<Record<keyof typeof R, number | bigint>> = {},
): TestMachine {
  const m = machineWith(code);
  for (const [name, v] of Object.entries(regs)) setReg64(m.cpu, R[name as keyof typeof R], v);
  expect(m.run()).toBe(Exit.FAULT);
  expect(m.cpu.fault?.vector).toBe(vector);
  expect(m.cpu.rip).toBe(CODE_ADDR);
  return m;
}

export { Vector };
