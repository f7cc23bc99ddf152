import type { Cpu } from '../cpu.ts';
import { Exit } from '../cpu.ts';
import { CpuFault } from '../fault.ts';
import { FLAG_AF, FLAG_CF, FLAG_PF, FLAG_SF, FLAG_ZF } from '../flags.ts';
import { SEG_FS, SEG_NONE, type Handler, type Insn } from '../insn.ts';
import { readMem, setReg } from '../operands.ts';
import type { OpRow } from '../table.ts';
import { notLockable } from './lock.ts';
import { addRsp, push } from './stack.ts';

/**
 * Odds and ends of the integer instruction set: enter, the flag
 * instructions (lahf, sahf, cmc, clc, stc, cld, std), xlat, mov from a
 * segment register, int1, and the privileged I/O and interrupt-flag
 * instructions, which raise #GP in user mode as on Linux.
 */

const TWO32 = 4294967296;
const SAHF_FLAGS = FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF;

/** Pushes the `size`-byte value at [a], for enter's display copy. */
function pushFrom(cpu: Cpu, a: number, size: number): void {
  const v = readMem(cpu, a, size);
  push(cpu, v, cpu.hi, size);
}

/**
 * enter imm16, imm8: push rBP, copy `level - 1` frame pointers of the
 * enclosing frames, push the new frame pointer, point rBP at it and reserve
 * imm16 bytes. A fault part-way restores RSP so the instruction can rerun.
 */
const enter: Handler = (cpu, i) => {
  const size = i.size;
  const level = i.imm2 & 31;
  const regs = cpu.regs;
  const rsp0 = regs[8];
  const rsp1 = regs[9];
  try {
    push(cpu, regs[10], regs[11], size);
    const frameLo = regs[8];
    const frameHi = regs[9];
    if (level > 0) {
      let bp = regs[11] * TWO32 + (regs[10] >>> 0);
      if (size === 2) bp = regs[10] & 0xffff;
      for (let k = 1; k < level; k++) {
        bp -= size;
        pushFrom(cpu, bp, size);
      }
      push(cpu, frameLo, frameHi, size);
    }
    setReg(cpu, 5, size, frameLo, frameHi);
    addRsp(cpu, -(i.imm & 0xffff));
  } catch (e) {
    regs[8] = rsp0;
    regs[9] = rsp1;
    throw e;
  }
};

/** lahf: AH = SF:ZF:0:AF:0:PF:1:CF. */
const lahf: Handler = (cpu) => {
  const ah = (cpu.getFlags() & SAHF_FLAGS) | 2;
  cpu.regs[0] = (cpu.regs[0] & ~0xff00) | (ah << 8);
};

/** sahf: SF, ZF, AF, PF and CF from AH. */
const sahf: Handler = (cpu) => cpu.setArith(SAHF_FLAGS, (cpu.regs[0] >> 8) & 0xff);

const cmc: Handler = (cpu) => cpu.setArith(FLAG_CF, cpu.getCF() ^ 1);
const clc: Handler = (cpu) => cpu.setArith(FLAG_CF, 0);
const stc: Handler = (cpu) => cpu.setArith(FLAG_CF, FLAG_CF);

const cld: Handler = (cpu) => {
  cpu.df = 0;
};

const std: Handler = (cpu) => {
  cpu.df = 1;
};

/** xlat: AL = [rBX + AL], with a segment override if any. */
const xlat: Handler = (cpu, i) => {
  const regs = cpu.regs;
  let a = i.asize === 8 ? regs[7] * TWO32 + (regs[6] >>> 0) : regs[6] >>> 0;
  a += regs[0] & 0xff;
  if (i.seg !== SEG_NONE) a += i.seg === SEG_FS ? cpu.fsBase : cpu.gsBase;
  const v = cpu.read8(a);
  regs[0] = (regs[0] & ~0xff) | v;
};

/**
 * Selectors Linux gives a 64-bit user process: CS 0x33, SS 0x2b, and null
 * data selectors (FS and GS are used through their bases only).
 */
const SELECTORS = [0, 0x33, 0x2b, 0, 0, 0];

/** mov r/m, Sreg (8C): a register gets the zero-extended selector, memory 16 bits. */
const movFromSreg: Handler = (cpu, i: Insn) => {
  const sreg = (i.modrm >> 3) & 7;
  if (sreg > 5) throw CpuFault.ud();
  const v = SELECTORS[sreg];
  if (i.rm >= 0) setReg(cpu, i.rm, i.size === 2 ? 2 : 4, v, 0);
  else cpu.write16(i.eaf(cpu, i), v);
};

/** int1 (F1, icebp): a debug trap, reported like int3 with vector 1. */
const int1: Handler = (cpu, i) => {
  cpu.trapVector = 1;
  cpu.rip = i.next;
  cpu.stop(Exit.TRAP);
};

/** cli, sti, in, out, ins, outs: privileged, #GP in user mode. */
const privileged: Handler = () => {
  throw CpuFault.gp('privileged instruction in user mode');
};

function io(name: string, op: number, size: 'b' | 'v', imm?: 'b'): OpRow {
  return { name, map: 0, op, modrm: false, size, imm, flow: true, exec: privileged };
}

/** Rows of the miscellaneous family. */
export const MISC_ROWS: OpRow[] = notLockable([
  { name: 'enter', map: 0, op: 0xc8, modrm: false, size: 'd64', imm: 'wb', exec: enter },
  { name: 'lahf', map: 0, op: 0x9f, modrm: false, exec: lahf },
  { name: 'sahf', map: 0, op: 0x9e, modrm: false, exec: sahf },
  { name: 'cmc', map: 0, op: 0xf5, modrm: false, exec: cmc },
  { name: 'clc', map: 0, op: 0xf8, modrm: false, exec: clc },
  { name: 'stc', map: 0, op: 0xf9, modrm: false, exec: stc },
  { name: 'cld', map: 0, op: 0xfc, modrm: false, exec: cld },
  { name: 'std', map: 0, op: 0xfd, modrm: false, exec: std },
  { name: 'xlat', map: 0, op: 0xd7, modrm: false, exec: xlat },
  { name: 'mov', map: 0, op: 0x8c, exec: movFromSreg },
  { name: 'int1', map: 0, op: 0xf1, modrm: false, flow: true, exec: int1 },
  io('cli', 0xfa, 'v'),
  io('sti', 0xfb, 'v'),
  io('in', 0xe4, 'b', 'b'),
  io('in', 0xe5, 'v', 'b'),
  io('out', 0xe6, 'b', 'b'),
  io('out', 0xe7, 'v', 'b'),
  io('in', 0xec, 'b'),
  io('in', 0xed, 'v'),
  io('out', 0xee, 'b'),
  io('out', 0xef, 'v'),
  io('ins', 0x6c, 'b'),
  io('ins', 0x6d, 'v'),
  io('outs', 0x6e, 'b'),
  io('outs', 0x6f, 'v'),
]);
