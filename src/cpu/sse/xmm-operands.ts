/**
 * Operand plumbing for the SSE handlers: the source operand is copied into
 * a module scratch register (from an xmm register or memory, checking
 * alignment where the instruction demands it), results are built in a
 * second scratch register and committed only once nothing can fault. Both
 * scratch registers have the same typed views as Cpu.xmm.
 */
import type { Cpu } from '../cpu.ts';
import { CpuFault } from '../fault.ts';
import type { Insn } from '../insn.ts';
import { fpOut } from './float-bits.ts';
import { mxcsrAfter, XM_TRAP } from './mxcsr.ts';

/** Source scratch: the instruction's second operand, four dwords. */
export const SRC = new Int32Array(4);
/** Byte view of SRC. */
export const SRC_U8 = new Uint8Array(SRC.buffer);
/** Word view of SRC. */
export const SRC_U16 = new Uint16Array(SRC.buffer);

/** Result scratch: lanes computed before they are committed. */
export const RES = new Int32Array(4);
/** Byte view of RES. */
export const RES_U8 = new Uint8Array(RES.buffer);
/** Word view of RES. */
export const RES_U16 = new Uint16Array(RES.buffer);

/** Reads 16 bytes at `a` into SRC. */
function readMem128(cpu: Cpu, a: number): void {
  SRC[0] = cpu.read64(a);
  SRC[1] = cpu.hi;
  SRC[2] = cpu.read64(a + 8);
  SRC[3] = cpu.hi;
}

/**
 * Loads the xmm/m128 operand into SRC; a memory operand must be 16-byte
 * aligned (#GP otherwise), as for every legacy-SSE packed instruction
 * except the explicitly unaligned ones.
 */
export function loadAligned(cpu: Cpu, i: Insn): void {
  if (i.rm >= 0) {
    const x = cpu.xmm;
    const s = i.rm << 2;
    SRC[0] = x[s];
    SRC[1] = x[s + 1];
    SRC[2] = x[s + 2];
    SRC[3] = x[s + 3];
    return;
  }
  const a = i.eaf(cpu, i);
  if ((a & 15) !== 0) throw CpuFault.gp('misaligned 16-byte SSE operand');
  readMem128(cpu, a);
}

/** Loads the xmm/m128 operand into SRC without an alignment check. */
export function loadUnaligned(cpu: Cpu, i: Insn): void {
  if (i.rm >= 0) loadAligned(cpu, i);
  else readMem128(cpu, i.eaf(cpu, i));
}

/** Loads the low 64 bits of xmm/m64 into SRC[0..1]. */
export function loadLow64(cpu: Cpu, i: Insn): void {
  if (i.rm >= 0) {
    SRC[0] = cpu.xmm[i.rm << 2];
    SRC[1] = cpu.xmm[(i.rm << 2) + 1];
    return;
  }
  SRC[0] = cpu.read64(i.eaf(cpu, i));
  SRC[1] = cpu.hi;
}

/** The low 32 bits of xmm/m32. */
export function loadLow32(cpu: Cpu, i: Insn): number {
  return i.rm >= 0 ? cpu.xmm[i.rm << 2] : cpu.read32(i.eaf(cpu, i));
}

/** Stores four dwords from `src` at `off` to memory at `a`, all or nothing. */
export function store128(cpu: Cpu, a: number, src: Int32Array, off: number): void {
  cpu.probeWrite(a, 16);
  cpu.write64(a, src[off], src[off + 1]);
  cpu.write64(a + 8, src[off + 2], src[off + 3]);
}

/** Copies RES into xmm register `reg`. */
export function commit(cpu: Cpu, reg: number): void {
  const x = cpu.xmm;
  const d = reg << 2;
  x[d] = RES[0];
  x[d + 1] = RES[1];
  x[d + 2] = RES[2];
  x[d + 3] = RES[3];
}

/**
 * Applies the exception flags the lanes raised (fpOut.flags) to MXCSR and
 * raises #XM when one of them is unmasked; the caller commits its result
 * only after this returns. Flags are recorded even when trapping, as on
 * hardware.
 */
export function settleFloat(cpu: Cpu): void {
  const raised = fpOut.flags;
  if (raised === 0) return;
  const r = mxcsrAfter(cpu.mxcsr, raised);
  cpu.mxcsr = r & 0xffff;
  if (r & XM_TRAP) throw CpuFault.xm();
}
