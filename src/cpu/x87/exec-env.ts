/**
 * Handlers of the x87 control instructions: control and status words,
 * fninit, fnclex, fwait, the environment and full-state images (fnstenv,
 * fldenv, fnsave, frstor) and fxsave/fxrstor with the SSE state.
 *
 * The environment is always the 28-byte protected-mode layout (what 64-bit
 * code gets without a 66h prefix); instruction and operand pointers read as
 * zero.
 */
import type { Cpu } from '../cpu.ts';
import { CpuFault } from '../fault.ts';
import type { Insn } from '../insn.ts';
import { SW_ES } from './float80.ts';
import type { X87State } from './state.ts';
import { begin } from './exec-common.ts';

/** MXCSR bits fxrstor accepts (DAZ supported); stored as MXCSR_MASK. */
const MXCSR_MASK = 0xffff;

/** fwait: only raises a pending unmasked exception. */
export function fwait(cpu: Cpu): void {
  if (cpu.fpu.fsw & SW_ES) throw CpuFault.mf();
}

/** fninit: the reset state, without waiting. */
export function fninit(cpu: Cpu): void {
  cpu.fpu.reset();
}

/** fnclex: clears exception flags, stack fault, summary and busy. */
export function fnclex(cpu: Cpu): void {
  cpu.fpu.fsw &= 0x7f00;
}

/** fldcw m16 (a waiting instruction). */
export function fldcw(cpu: Cpu, i: Insn): void {
  const f = begin(cpu);
  f.setControlWord(cpu.read16(i.eaf(cpu, i)));
  f.refreshSummary();
}

/** fnstcw m16. */
export function fnstcw(cpu: Cpu, i: Insn): void {
  cpu.write16(i.eaf(cpu, i), cpu.fpu.fcw);
}

/** fnstsw m16. */
export function fnstswMem(cpu: Cpu, i: Insn): void {
  cpu.write16(i.eaf(cpu, i), cpu.fpu.statusWord());
}

/** fnstsw ax. */
export function fnstswAx(cpu: Cpu): void {
  const sw = cpu.fpu.statusWord();
  cpu.regs[0] = (cpu.regs[0] & ~0xffff) | sw;
}

/** Writes the 28-byte environment at `a` (the caller probed it). */
function storeEnv(cpu: Cpu, f: X87State, a: number): void {
  cpu.write32(a, f.fcw | 0xffff0000);
  cpu.write32(a + 4, f.statusWord() | 0xffff0000);
  cpu.write32(a + 8, f.tagWord() | 0xffff0000);
  cpu.write32(a + 12, 0);
  cpu.write32(a + 16, 0);
  cpu.write32(a + 20, 0);
  cpu.write32(a + 24, 0xffff0000 | 0);
}

/** Reads the 28-byte environment at `a`. */
function loadEnv(cpu: Cpu, f: X87State, a: number): void {
  f.setControlWord(cpu.read16(a));
  f.setStatusWord(cpu.read16(a + 4));
  f.setTagWord(cpu.read16(a + 8));
  f.refreshSummary();
}

/** fnstenv m28: stores the environment, then masks every exception. */
export function fnstenv(cpu: Cpu, i: Insn): void {
  const f = cpu.fpu;
  const a = i.eaf(cpu, i);
  cpu.probeWrite(a, 28);
  storeEnv(cpu, f, a);
  f.fcw |= 0x3f;
  f.refreshSummary();
}

/** fldenv m28 (a waiting instruction). */
export function fldenv(cpu: Cpu, i: Insn): void {
  fwait(cpu);
  const a = i.eaf(cpu, i);
  cpu.probeRead(a, 28);
  loadEnv(cpu, cpu.fpu, a);
}

const REG_VIEW = new DataView(new ArrayBuffer(10));

/** fnsave m108: environment and ST(0)-ST(7), then fninit. */
export function fnsave(cpu: Cpu, i: Insn): void {
  const f = cpu.fpu;
  const a = i.eaf(cpu, i);
  cpu.probeWrite(a, 108);
  storeEnv(cpu, f, a);
  for (let k = 0; k < 8; k++) {
    f.storeReg(REG_VIEW, 0, k);
    const p = a + 28 + 10 * k;
    cpu.write32(p, REG_VIEW.getInt32(0, true));
    cpu.write32(p + 4, REG_VIEW.getInt32(4, true));
    cpu.write16(p + 8, REG_VIEW.getUint16(8, true));
  }
  f.reset();
}

/** frstor m108 (a waiting instruction). */
export function frstor(cpu: Cpu, i: Insn): void {
  fwait(cpu);
  const f = cpu.fpu;
  const a = i.eaf(cpu, i);
  cpu.probeRead(a, 108);
  loadEnv(cpu, f, a);
  for (let k = 0; k < 8; k++) {
    const p = a + 28 + 10 * k;
    REG_VIEW.setInt32(0, cpu.read32(p), true);
    REG_VIEW.setInt32(4, cpu.read32(p + 4), true);
    REG_VIEW.setUint16(8, cpu.read16(p + 8), true);
    f.loadReg(REG_VIEW, 0, k);
  }
}

const FX_IMAGE = new Uint8Array(512);
const FX_VIEW = new DataView(FX_IMAGE.buffer);

/** fxsave m512: x87, MXCSR and xmm0-15; bytes 416-511 are left alone. */
export function fxsave(cpu: Cpu, i: Insn): void {
  const a = i.eaf(cpu, i);
  if (a % 16 !== 0) throw CpuFault.gp();
  cpu.probeWrite(a, 416);
  cpu.fpu.fxsave(FX_IMAGE);
  FX_VIEW.setUint32(24, cpu.mxcsr, true);
  FX_VIEW.setUint32(28, MXCSR_MASK, true);
  FX_IMAGE.set(cpu.xmmU8, 160);
  for (let k = 0; k < 416; k += 4) cpu.write32(a + k, FX_VIEW.getInt32(k, true));
}

/** fxrstor m512; #GP when the image sets MXCSR bits outside MXCSR_MASK. */
export function fxrstor(cpu: Cpu, i: Insn): void {
  const a = i.eaf(cpu, i);
  if (a % 16 !== 0) throw CpuFault.gp();
  cpu.probeRead(a, 416);
  for (let k = 0; k < 416; k += 4) FX_VIEW.setInt32(k, cpu.read32(a + k), true);
  const mxcsr = FX_VIEW.getUint32(24, true);
  if (mxcsr & ~MXCSR_MASK) throw CpuFault.gp();
  cpu.mxcsr = mxcsr;
  cpu.xmmU8.set(FX_IMAGE.subarray(160, 416));
  cpu.fpu.fxrstor(FX_IMAGE);
}
