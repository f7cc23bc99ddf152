/**
 * MXCSR access (ldmxcsr, stmxcsr), fences and clflush.
 * Amber runs one instruction stream at a time with no cache model, so the
 * fences do nothing (the prefetch hints of 0F 18 are a general row);
 * clflush still faults on an address that is not mapped, as on hardware.
 * The fxsave and fxrstor rows of 0F AE (/0, /1) belong to the x87 family.
 */
import type { Handler } from '../insn.ts';
import { CpuFault } from '../fault.ts';
import type { OpRow } from '../table.ts';
import { MXCSR_WRITABLE } from './mxcsr.ts';

const ldmxcsr: Handler = (cpu, i) => {
  const v = cpu.read32(i.eaf(cpu, i));
  if (v & ~MXCSR_WRITABLE) throw CpuFault.gp('reserved MXCSR bit set');
  cpu.mxcsr = v;
};

const stmxcsr: Handler = (cpu, i) => {
  cpu.write32(i.eaf(cpu, i), cpu.mxcsr);
};

const nothing: Handler = () => {};

const clflush: Handler = (cpu, i) => {
  cpu.probeRead(i.eaf(cpu, i), 1);
};

/** Rows of MXCSR access, fences and clflush. */
export const SSE_MISC_ROWS: OpRow[] = [
  { name: 'ldmxcsr', map: 1, op: 0xae, pfx: 'none', ext: 2, mod: 'mem', exec: ldmxcsr },
  { name: 'stmxcsr', map: 1, op: 0xae, pfx: 'none', ext: 3, mod: 'mem', exec: stmxcsr },
  { name: 'lfence', map: 1, op: 0xae, pfx: 'none', ext: 5, mod: 'reg', exec: nothing },
  { name: 'mfence', map: 1, op: 0xae, pfx: 'none', ext: 6, mod: 'reg', exec: nothing },
  { name: 'sfence', map: 1, op: 0xae, pfx: 'none', ext: 7, mod: 'reg', exec: nothing },
  { name: 'clflush', map: 1, op: 0xae, pfx: 'none', ext: 7, mod: 'mem', exec: clflush },
];
