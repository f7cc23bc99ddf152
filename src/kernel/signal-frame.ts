import type { Cpu } from '../cpu/cpu.ts';
import { SigSet } from '../linux/signal.ts';
import type { SigInfo } from './signal-info.ts';
import type { AltStack } from './task.ts';

/**
 * The x86-64 Linux signal frame (struct rt_sigframe): return address, the
 * ucontext with the saved registers and mask, the siginfo, and the FPU state
 * in FXSAVE format below them. Handlers may read and change all of it;
 * rt_sigreturn reads it back.
 */

/** Offsets within the frame. */
const UC = 8;
const UC_STACK = UC + 16;
const MCONTEXT = UC + 40;
const UC_SIGMASK = MCONTEXT + 256;
const INFO = UC + 304;
export const FRAME_SIZE = INFO + 128;
/** FXSAVE area size and alignment. */
export const FPSTATE_SIZE = 512;

/** Register numbers in sigcontext order: r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp. */
const GREG_ORDER = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4];

const TWO32 = 4294967296;

function put64(dv: DataView, off: number, lo: number, hi: number): void {
  dv.setInt32(off, lo, true);
  dv.setInt32(off + 4, hi, true);
}

function putNumber(dv: DataView, off: number, v: number): void {
  put64(dv, off, (v % TWO32) | 0, Math.floor(v / TWO32) | 0);
}

function getNumber(dv: DataView, off: number): number {
  return dv.getUint32(off + 4, true) * TWO32 + dv.getUint32(off, true);
}

/** What the frame records about the interrupted context. */
export interface FrameInput {
  cpu: Cpu;
  info: SigInfo;
  /** Mask to restore on rt_sigreturn. */
  mask: SigSet;
  altStack: AltStack;
  /** Address where the FXSAVE image will live. */
  fpstateAddr: number;
  /** Fault details for sigcontext (trapno, err, cr2). */
  trapno: number;
  err: number;
  cr2: number;
}

/** Builds the frame's bytes (without the FPU state). */
export function encodeFrame(input: FrameInput, restorer: number): Uint8Array {
  const bytes = new Uint8Array(FRAME_SIZE);
  const dv = new DataView(bytes.buffer);
  const { cpu, info } = input;
  putNumber(dv, 0, restorer);
  // uc_flags: UC_FP_XSTATE is not set since the state is plain FXSAVE.
  putNumber(dv, UC, 0);
  putNumber(dv, UC_STACK, input.altStack.sp);
  dv.setInt32(UC_STACK + 8, input.altStack.flags, true);
  putNumber(dv, UC_STACK + 16, input.altStack.size);
  GREG_ORDER.forEach((r, k) => put64(dv, MCONTEXT + 8 * k, cpu.regs[2 * r], cpu.regs[2 * r + 1]));
  putNumber(dv, MCONTEXT + 128, cpu.rip);
  putNumber(dv, MCONTEXT + 136, cpu.getFlags());
  dv.setUint16(MCONTEXT + 144, 0x33, true); // cs
  dv.setUint16(MCONTEXT + 150, 0x2b, true); // ss
  putNumber(dv, MCONTEXT + 152, input.err);
  putNumber(dv, MCONTEXT + 160, input.trapno);
  putNumber(dv, MCONTEXT + 168, input.mask.lo >>> 0);
  putNumber(dv, MCONTEXT + 176, input.cr2);
  putNumber(dv, MCONTEXT + 184, input.fpstateAddr);
  put64(dv, UC_SIGMASK, input.mask.lo, input.mask.hi);
  dv.setInt32(INFO, info.signo, true);
  dv.setInt32(INFO + 4, info.errno, true);
  dv.setInt32(INFO + 8, info.code, true);
  if (info.addr !== 0 || info.pid === 0) putNumber(dv, INFO + 16, info.addr);
  else {
    dv.setInt32(INFO + 16, info.pid, true);
    dv.setInt32(INFO + 20, info.uid, true);
  }
  return bytes;
}

/** Offsets handlers need to point registers at. */
export const FRAME_UCONTEXT = UC;
export const FRAME_INFO = INFO;

/** What rt_sigreturn takes back from a frame. */
export interface RestoredContext {
  mask: SigSet;
  fpstateAddr: number;
  altStack: AltStack;
}

/**
 * Restores registers from a frame's bytes (as found at rsp - 8 on
 * rt_sigreturn) into the CPU.
 */
export function decodeFrame(bytes: Uint8Array, cpu: Cpu): RestoredContext {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  GREG_ORDER.forEach((r, k) => {
    cpu.regs[2 * r] = dv.getInt32(MCONTEXT + 8 * k, true);
    cpu.regs[2 * r + 1] = dv.getInt32(MCONTEXT + 8 * k + 4, true);
  });
  cpu.rip = getNumber(dv, MCONTEXT + 128);
  cpu.setFlags(dv.getInt32(MCONTEXT + 136, true));
  const mask = new SigSet();
  mask.set(dv.getInt32(UC_SIGMASK, true), dv.getInt32(UC_SIGMASK + 4, true));
  return {
    mask,
    fpstateAddr: getNumber(dv, MCONTEXT + 184),
    altStack: {
      sp: getNumber(dv, UC_STACK),
      flags: dv.getInt32(UC_STACK + 8, true),
      size: getNumber(dv, UC_STACK + 16),
    },
  };
}
