import type { Cpu } from '../cpu.ts';
import { Exit } from '../cpu.ts';
import { AMBER_FEATURES, cpuidLeaf } from '../cpuid.ts';
import { CpuFault } from '../fault.ts';
import type { Handler } from '../insn.ts';
import type { OpRow } from '../table.ts';

/** System-level user instructions: syscall, hlt, int, ud2, cpuid, rdtsc. */

const syscall: Handler = (cpu, i) => {
  // Like the hardware: RCX receives the return address and R11 the flags.
  cpu.regs[2] = i.next | 0;
  cpu.regs[3] = Math.floor(i.next / 4294967296);
  cpu.regs[22] = cpu.getFlags();
  cpu.regs[23] = 0;
  cpu.rip = i.next;
  cpu.stop(Exit.SYSCALL);
};

const hlt: Handler = (cpu, i) => {
  cpu.rip = i.next;
  cpu.stop(Exit.HALT);
};

function trap(cpu: Cpu, vector: number, next: number): void {
  cpu.trapVector = vector;
  cpu.rip = next;
  cpu.stop(Exit.TRAP);
}

const int3: Handler = (cpu, i) => trap(cpu, 3, i.next);
const intN: Handler = (cpu, i) => trap(cpu, i.imm & 0xff, i.next);

const ud: Handler = () => {
  throw CpuFault.ud('ud2');
};

const cpuid: Handler = (cpu) => {
  const r = cpuidLeaf(AMBER_FEATURES, cpu.regs[0] >>> 0, cpu.regs[2] >>> 0);
  cpu.regs[0] = r[0];
  cpu.regs[1] = 0;
  cpu.regs[6] = r[1];
  cpu.regs[7] = 0;
  cpu.regs[2] = r[2];
  cpu.regs[3] = 0;
  cpu.regs[4] = r[3];
  cpu.regs[5] = 0;
};

/**
 * rdtsc: a time-stamp counter derived from retired instructions, so that
 * it is monotonic, survives snapshots and is the same on every replay.
 */
const rdtsc: Handler = (cpu) => {
  const tsc = cpu.icount * 4;
  cpu.regs[0] = tsc | 0;
  cpu.regs[1] = 0;
  cpu.regs[4] = Math.floor(tsc / 4294967296) | 0;
  cpu.regs[5] = 0;
};

/** Rows of the system family. */
export const SYSTEM_ROWS: OpRow[] = [
  { name: 'syscall', map: 1, op: 0x05, modrm: false, flow: true, exec: syscall },
  { name: 'hlt', map: 0, op: 0xf4, modrm: false, flow: true, exec: hlt },
  { name: 'int3', map: 0, op: 0xcc, modrm: false, flow: true, exec: int3 },
  { name: 'int', map: 0, op: 0xcd, modrm: false, imm: 'b', flow: true, exec: intN },
  { name: 'ud2', map: 1, op: 0x0b, modrm: false, flow: true, exec: ud },
  { name: 'ud1', map: 1, op: 0xb9, flow: true, exec: ud },
  { name: 'ud0', map: 1, op: 0xff, flow: true, exec: ud },
  { name: 'cpuid', map: 1, op: 0xa2, modrm: false, exec: cpuid },
  { name: 'rdtsc', map: 1, op: 0x31, modrm: false, exec: rdtsc },
];
