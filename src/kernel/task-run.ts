import { Exit } from '../cpu/cpu.ts';
import { Vector, type CpuFault } from '../cpu/fault.ts';
import { Errno } from '../linux/errno.ts';
import { SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP } from '../linux/signal.ts';
import {
  FPE_INTDIV,
  FPE_FLTINV,
  ILL_ILLOPN,
  SI_KERNEL,
  TRAP_BRKPT,
  faultSigInfo,
} from './signal-info.ts';
import { SYSCALL_BLOCK, SYSCALL_NORETURN } from './syscall-types.ts';
import type { Task } from './task.ts';
import { deliverSignals, forceSignal } from './task-signals.ts';

/**
 * The task loop: deliver signals, run guest code for a quantum, and act on
 * why the CPU stopped (a system call, a fault, a trap).
 */

/**
 * Runs one task for at most `budget` instructions. Returns the number of
 * instructions retired.
 */
export function runTask(t: Task, budget: number): number {
  const k = t.kernel;
  deliverSignals(t, k.fpState);
  if (t.state !== 'runnable') return 0;
  const before = t.cpu.icount;
  const reason = t.cpu.run(budget);
  switch (reason) {
    case Exit.SYSCALL:
      dispatchSyscall(t);
      break;
    case Exit.FAULT:
      faultToSignal(t, t.cpu.fault!);
      break;
    case Exit.HALT:
      // hlt is privileged: user mode gets #GP, which Linux turns into SIGSEGV.
      t.cpu.rip -= 1;
      forceSignal(t, SIGSEGV, faultSigInfo(SIGSEGV, SI_KERNEL, 0));
      break;
    case Exit.TRAP:
      if (t.cpu.trapVector === 3) {
        forceSignal(t, SIGTRAP, faultSigInfo(SIGTRAP, TRAP_BRKPT, t.cpu.rip));
      } else {
        // TODO: int 0x80 (32-bit system calls) is not emulated: the guest
        // gets SIGSEGV, as on a kernel built without IA32 emulation.
        t.cpu.rip -= 2;
        forceSignal(t, SIGSEGV, faultSigInfo(SIGSEGV, SI_KERNEL, 0));
      }
      break;
  }
  return t.cpu.icount - before;
}

/** Runs the system call whose number is in RAX. */
function dispatchSyscall(t: Task): void {
  const k = t.kernel;
  const nr = t.syscallNr;
  const entry = k.syscalls.lookup(nr);
  if (entry?.handler === undefined) {
    k.noteUnsupported(nr, entry?.name);
    t.setReturn(-Errno.ENOSYS);
    return;
  }
  k.current = t;
  const result = entry.handler(t);
  k.current = null;
  if (result === SYSCALL_BLOCK) {
    // Rewind to the syscall instruction: waking the task runs the call again.
    t.cpu.rip -= 2;
    return;
  }
  if (result === SYSCALL_NORETURN) return;
  t.setReturn(result);
}

/** Turns a CPU fault into the signal Linux sends for it. */
function faultToSignal(t: Task, f: CpuFault): void {
  switch (f.vector) {
    case Vector.PF: {
      const { signo, code } = t.tg.mm.faultSignal(f.address);
      forceSignal(t, signo, faultSigInfo(signo, code, f.address));
      return;
    }
    case Vector.UD:
      forceSignal(t, SIGILL, faultSigInfo(SIGILL, ILL_ILLOPN, t.cpu.rip));
      return;
    case Vector.DE:
      forceSignal(t, SIGFPE, faultSigInfo(SIGFPE, FPE_INTDIV, t.cpu.rip));
      return;
    case Vector.MF:
    case Vector.XM:
      forceSignal(t, SIGFPE, faultSigInfo(SIGFPE, FPE_FLTINV, t.cpu.rip));
      return;
    case Vector.SS:
      forceSignal(t, SIGBUS, faultSigInfo(SIGBUS, SI_KERNEL, 0));
      return;
    case Vector.AC:
      forceSignal(t, SIGBUS, faultSigInfo(SIGBUS, 1, f.address));
      return;
    default:
      // #GP and anything else: SIGSEGV with no address, as Linux reports it.
      forceSignal(t, SIGSEGV, faultSigInfo(SIGSEGV, SI_KERNEL, 0));
  }
}
