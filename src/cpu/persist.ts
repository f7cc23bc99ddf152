import type { TypeRegistry } from '../state/index.ts';
import { Cpu } from './cpu.ts';
import { instructionTable } from './isa.ts';
import { X87State } from './x87/state.ts';

/**
 * Registers the CPU's saved classes with the state codec. Saved: registers,
 * RIP, lazy-flag state, FS/GS bases, SSE and x87 registers, MXCSR and the
 * instruction count. Not saved: the address space link, TLBs, decoded
 * blocks and compiled code, scratch fields; a loaded CPU starts from a
 * fresh one (create) and the kernel re-attaches it to its address space.
 */
export function registerCpuTypes(r: TypeRegistry): void {
  r.register(Cpu, {
    name: 'cpu.Cpu',
    fields: [
      'regs',
      'rip',
      'fsBase',
      'gsBase',
      'xmm',
      'mxcsr',
      'fpu',
      'icount',
      'lop',
      'la',
      'laHi',
      'lb',
      'lbHi',
      'lr',
      'lrHi',
      'lcf',
      'eflags',
      'df',
    ],
    unsaved: [
      'mmu',
      'dv',
      'u8',
      'hi',
      'limit',
      'rtag',
      'rbase',
      'wtag',
      'wbase',
      'xtag',
      'xbase',
      'codeFrames',
      'tlbGen',
      'xmmF32',
      'xmmF64',
      'xmmU8',
      'xmmU16',
      'fault',
      'trapVector',
      'stopReason',
      'jitThreshold',
      'jitAt',
      'cache',
      'onCodeWrite',
      'detachFrameWrites',
    ],
    create: () => new Cpu(instructionTable()),
    afterLoad: (cpu) => cpu.rebuildXmmViews(),
  });
  r.register(X87State, {
    name: 'cpu.X87State',
    fields: ['se', 'hi', 'lo', 'used', 'top', 'fcw', 'fsw'],
  });
}
