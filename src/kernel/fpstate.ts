import type { Cpu } from '../cpu/cpu.ts';
import type { Task } from './task.ts';
import type { FpStateCodec } from './task-signals.ts';

/**
 * The FPU and SSE state in a signal frame, in the 512-byte FXSAVE layout
 * (Amber does not advertise XSAVE, so Linux would use this format too).
 */

const MXCSR = 24;
const MXCSR_MASK = 28;
const XMM = 160;
/** MXCSR bits a guest may set; the rest must be zero. */
const MXCSR_WRITABLE = 0xffff;

/** The FXSAVE image of a CPU's x87 and SSE state. */
export function fxsaveImage(cpu: Cpu): Uint8Array {
  const image = new Uint8Array(512);
  cpu.fpu.fxsave(image);
  const dv = new DataView(image.buffer);
  dv.setUint32(MXCSR, cpu.mxcsr, true);
  dv.setUint32(MXCSR_MASK, MXCSR_WRITABLE, true);
  image.set(cpu.xmmU8, XMM);
  return image;
}

/** Loads an FXSAVE image into a CPU; false when its MXCSR is invalid. */
export function fxrstorImage(cpu: Cpu, image: Uint8Array): boolean {
  const dv = new DataView(image.buffer, image.byteOffset, 512);
  const mxcsr = dv.getUint32(MXCSR, true);
  if (mxcsr & ~MXCSR_WRITABLE) return false;
  cpu.fpu.fxrstor(image);
  cpu.mxcsr = mxcsr;
  cpu.xmmU8.set(image.subarray(XMM, XMM + 256));
  return true;
}

/** Signal-frame FPU state through the task's guest memory. */
export const FXSAVE_FRAMES: FpStateCodec = {
  save(t: Task, addr: number): boolean {
    return t.copyOut(addr, fxsaveImage(t.cpu));
  },
  restore(t: Task, addr: number): boolean {
    const image = t.copyIn(addr, 512);
    return image !== null && fxrstorImage(t.cpu, image);
  },
};
