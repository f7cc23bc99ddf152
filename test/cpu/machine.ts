import { Cpu, Exit } from '../../src/cpu/cpu.ts';
import { instructionTable } from '../../src/cpu/isa.ts';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/mm/address-space.ts';
import { MemoryFile } from '../../src/mm/memory-file.ts';

/** Where test code is placed. */
export const CODE_ADDR = 0x400000;
/** A read/write data region for tests, with the stack at its top. */
export const DATA_ADDR = 0x600000;
export const DATA_SIZE = 0x10000;

/** A CPU over a fresh address space with a code page and a data region. */
export interface TestMachine {
  cpu: Cpu;
  space: AddressSpace;
  /** Runs until hlt, a fault or the budget; returns the Exit reason. */
  run(budget?: number): number;
}

/** Builds a machine whose code region holds `code` followed by hlt. */
export function machineWith(
  code: ArrayLike<number>,
  codeProt = PROT_READ | PROT_EXEC,
): TestMachine {
  const file = new MemoryFile(256 * 1024 * 1024);
  const space = new AddressSpace(file);
  const cpu = new Cpu(instructionTable());
  const bytes = Uint8Array.from([...Array.from(code), 0xf4]);
  const codeLen = Math.ceil(bytes.length / 4096) * 4096;
  space.map(CODE_ADDR, codeLen, PROT_READ | PROT_WRITE);
  space.writeBytes(CODE_ADDR, bytes);
  space.protect(CODE_ADDR, codeLen, codeProt);
  space.map(DATA_ADDR, DATA_SIZE, PROT_READ | PROT_WRITE);
  cpu.attach(space);
  cpu.rip = CODE_ADDR;
  setReg64(cpu, 4, DATA_ADDR + DATA_SIZE);
  return {
    cpu,
    space,
    run(budget = 1_000_000) {
      return cpu.run(budget);
    },
  };
}

/** Sets a 64-bit register from a number (|v| < 2^53) or bigint. */
export function setReg64(cpu: Cpu, r: number, v: number | bigint): void {
  const b = BigInt.asUintN(64, BigInt(v));
  cpu.regs[2 * r] = Number(b & 0xffffffffn) | 0;
  cpu.regs[2 * r + 1] = Number(b >> 32n) | 0;
}

/** A 64-bit register as an unsigned bigint. */
export function reg64(cpu: Cpu, r: number): bigint {
  return (BigInt(cpu.regs[2 * r + 1] >>> 0) << 32n) | BigInt(cpu.regs[2 * r] >>> 0);
}

export { Exit };
