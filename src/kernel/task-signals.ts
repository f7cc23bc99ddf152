import { Errno } from '../linux/errno.ts';
import {
  DefaultAction,
  SIGKILL,
  SIGSEGV,
  SIGSTOP,
  SigSet,
  UNBLOCKABLE,
  defaultAction,
} from '../linux/signal.ts';
import {
  FPSTATE_SIZE,
  FRAME_INFO,
  FRAME_SIZE,
  FRAME_UCONTEXT,
  decodeFrame,
  encodeFrame,
} from './signal-frame.ts';
import { SI_KERNEL, faultSigInfo, type SigInfo } from './signal-info.ts';
import type { Task } from './task.ts';
import {
  SA_NODEFER,
  SA_ONSTACK,
  SA_RESETHAND,
  SA_RESTART,
  SIG_DFL,
  SIG_IGN,
  type ThreadGroup,
} from './thread-group.ts';

/**
 * Signals: queueing, choosing a task, interrupting blocked calls, delivery
 * through the Linux signal frame, and rt_sigreturn.
 */

/** Bytes below RSP that the x86-64 ABI lets code use without moving RSP. */
const RED_ZONE = 128;
const SS_ONSTACK = 1;
const SS_DISABLE = 2;

/** Functions the frame code needs from the x87/SSE unit, set by the kernel. */
export interface FpStateCodec {
  save(t: Task, addr: number): boolean;
  restore(t: Task, addr: number): boolean;
}

/** True when the thread group would discard `sig` right now. */
function ignored(tg: ThreadGroup, sig: number): boolean {
  const handler = tg.actions[sig].handler;
  return (
    handler === SIG_IGN || (handler === SIG_DFL && defaultAction(sig) === DefaultAction.IGNORE)
  );
}

/** Queues a signal for one task (tgkill, faults). */
export function sendToTask(t: Task, info: SigInfo): void {
  if (t.state === 'exited' || ignored(t.tg, info.signo)) return;
  if (!t.pending.has(info.signo)) {
    t.pending.add(info.signo);
    t.pendingInfo.set(info.signo, info);
  }
  interruptIfDeliverable(t, info.signo);
}

/** Queues a signal for a process (kill): any task not blocking it takes it. */
export function sendToGroup(tg: ThreadGroup, info: SigInfo): void {
  if (tg.exit !== null) return;
  const sig = info.signo;
  if (sig === SIGKILL) {
    startGroupExit(tg, { code: 0, signal: SIGKILL, core: false });
    return;
  }
  if (ignored(tg, sig)) return;
  if (!tg.pending.has(sig)) {
    tg.pending.add(sig);
    tg.pendingInfo.set(sig, info);
  }
  const target = tg.tasks.find((t) => t.state !== 'exited' && !t.mask.has(sig));
  if (target !== undefined) interruptIfDeliverable(target, sig);
}

/**
 * A blocked task that can take `sig` stops waiting: its call fails with
 * EINTR, or runs again after the handler when the call and SA_RESTART allow.
 */
function interruptIfDeliverable(t: Task, sig: number): void {
  if (t.state !== 'blocked' || t.mask.has(sig) || t.wait === null) return;
  const action = t.tg.actions[sig];
  if (action.handler === SIG_DFL && defaultAction(sig) !== DefaultAction.IGNORE) {
    // A fatal signal: the task will die at delivery; just let it run.
    t.wakeToRerun();
    return;
  }
  if (t.wait.restartable && action.flags & SA_RESTART) {
    t.wakeToRerun();
    return;
  }
  const w = t.wait;
  if (w.kind === 'sleep' && w.remAddr) {
    // nanosleep reports the time it did not sleep.
    const left = Math.max(0, w.deadlineNs - t.kernel.timekeeper.monotonicNs());
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, Math.floor(left / 1e9), true);
    dv.setUint32(8, left % 1e9, true);
    t.copyOut(w.remAddr, b);
  }
  t.wakeWithResult(-Errno.EINTR);
}

/** Begins the exit of every task of a group (exit_group, fatal signal). */
export function startGroupExit(tg: ThreadGroup, exit: ThreadGroup['exit'] & object): void {
  if (tg.exit === null) tg.exit = exit;
  for (const t of tg.tasks) {
    if (t.state !== 'exited') {
      t.wait = null;
      t.state = 'exited';
      t.cpu.detach();
    }
  }
}

/** The next deliverable signal for a task, removed from its queue, or null. */
function dequeue(t: Task): SigInfo | null {
  let sig = t.pending.firstNotIn(t.mask);
  if (sig !== 0) {
    t.pending.delete(sig);
    const info = t.pendingInfo.get(sig)!;
    t.pendingInfo.delete(sig);
    return info;
  }
  sig = t.tg.pending.firstNotIn(t.mask);
  if (sig === 0) return null;
  t.tg.pending.delete(sig);
  const info = t.tg.pendingInfo.get(sig)!;
  t.tg.pendingInfo.delete(sig);
  return info;
}

/**
 * Interrupts a blocked task that has a deliverable signal pending (one that
 * arrived before it blocked, or was unblocked by sigsuspend's mask).
 */
export function interruptIfSignalled(t: Task): void {
  const sig = t.pending.firstNotIn(t.mask) || t.tg.pending.firstNotIn(t.mask);
  if (sig !== 0) interruptIfDeliverable(t, sig);
}

/** True when the task has a signal it would take now. */
export function hasDeliverable(t: Task): boolean {
  return t.pending.firstNotIn(t.mask) !== 0 || t.tg.pending.firstNotIn(t.mask) !== 0;
}

/**
 * Delivers pending signals to a runnable task before it runs guest code:
 * sets up a handler frame, or applies the default action.
 */
export function deliverSignals(t: Task, fp: FpStateCodec): void {
  while (t.state === 'runnable') {
    const info = dequeue(t);
    if (info === null) break;
    const sig = info.signo;
    const action = t.tg.actions[sig];
    if (action.handler === SIG_IGN) continue;
    if (action.handler === SIG_DFL) {
      const what = defaultAction(sig);
      if (what === DefaultAction.IGNORE || what === DefaultAction.CONTINUE) continue;
      if (what === DefaultAction.STOP) {
        // TODO: job control is not emulated: stop signals are ignored, so a
        // guest that stops itself keeps running.
        continue;
      }
      startGroupExit(t.tg, { code: 0, signal: sig, core: what === DefaultAction.CORE });
      return;
    }
    if (!setupFrame(t, info, fp)) {
      forceSignal(t, SIGSEGV, faultSigInfo(SIGSEGV, SI_KERNEL, 0));
      return;
    }
    return;
  }
  if (t.savedMask !== null && t.state === 'runnable') {
    t.mask = t.savedMask;
    t.savedMask = null;
  }
}

/**
 * A synchronous signal from a fault: if the task blocks or ignores it, the
 * disposition is reset to default and the signal unblocked (Linux's
 * force_sig), so that the fault cannot loop.
 */
export function forceSignal(t: Task, sig: number, info: SigInfo): void {
  const action = t.tg.actions[sig];
  if (t.mask.has(sig) || action.handler === SIG_IGN) {
    action.handler = SIG_DFL;
    t.mask.delete(sig);
  }
  t.pending.add(sig);
  t.pendingInfo.set(sig, info);
}

function onAltStack(t: Task, sp: number): boolean {
  const s = t.altStack;
  return (s.flags & SS_DISABLE) === 0 && sp > s.sp && sp <= s.sp + s.size;
}

/** Writes the frame and points the CPU at the handler; false when the stack is bad. */
function setupFrame(t: Task, info: SigInfo, fp: FpStateCodec): boolean {
  const cpu = t.cpu;
  const action = t.tg.actions[info.signo];
  const rsp = cpu.regs[9] * 4294967296 + (cpu.regs[8] >>> 0);
  let sp = rsp - RED_ZONE;
  if (action.flags & SA_ONSTACK && (t.altStack.flags & SS_DISABLE) === 0 && !onAltStack(t, rsp)) {
    sp = t.altStack.sp + t.altStack.size;
  }
  const fpAddr = Math.floor((sp - FPSTATE_SIZE) / 64) * 64;
  const frameAddr = Math.floor((fpAddr - FRAME_SIZE) / 16) * 16 - 8;
  const oldMask = t.savedMask ?? t.mask;
  const altStack = { ...t.altStack, flags: onAltStack(t, rsp) ? SS_ONSTACK : t.altStack.flags };
  const fault = info.addr !== 0 ? info.addr : 0;
  const bytes = encodeFrame(
    { cpu, info, mask: oldMask, altStack, fpstateAddr: fpAddr, trapno: 0, err: 0, cr2: fault },
    action.restorer,
  );
  if (!fp.save(t, fpAddr) || !t.copyOut(frameAddr, bytes)) return false;

  // Enter the handler: handler(sig, &info, &uc) with a return address that
  // points at the restorer.
  const set = (r: number, v: number) => {
    cpu.regs[2 * r] = (v % 4294967296) | 0;
    cpu.regs[2 * r + 1] = Math.floor(v / 4294967296) | 0;
  };
  set(7, info.signo);
  set(6, frameAddr + FRAME_INFO);
  set(2, frameAddr + FRAME_UCONTEXT);
  set(0, 0);
  set(4, frameAddr);
  cpu.rip = action.handler;
  cpu.setFlags(cpu.getFlags() & ~0x500); // clear DF and TF
  const mask = t.mask.copy();
  mask.lo |= action.mask.lo;
  mask.hi |= action.mask.hi;
  if (!(action.flags & SA_NODEFER)) mask.add(info.signo);
  t.mask = withoutUnblockable(mask);
  t.savedMask = null;
  if (action.flags & SA_RESETHAND) {
    action.handler = SIG_DFL;
    action.flags &= ~SA_RESETHAND;
  }
  return true;
}

/** A mask with SIGKILL and SIGSTOP removed. */
export function withoutUnblockable(mask: SigSet): SigSet {
  const m = mask.copy();
  m.lo &= ~UNBLOCKABLE.lo;
  m.hi &= ~UNBLOCKABLE.hi;
  return m;
}

/** rt_sigreturn: restores the context saved in the frame at RSP - 8. */
export function sigreturn(t: Task, fp: FpStateCodec): boolean {
  const cpu = t.cpu;
  const rsp = cpu.regs[9] * 4294967296 + (cpu.regs[8] >>> 0);
  const frameAddr = rsp - 8;
  const bytes = t.copyIn(frameAddr, FRAME_SIZE);
  if (bytes === null) return false;
  const ctx = decodeFrame(bytes, cpu);
  t.mask = withoutUnblockable(ctx.mask);
  if (ctx.fpstateAddr !== 0 && !fp.restore(t, ctx.fpstateAddr)) return false;
  if (!onAltStack(t, rsp)) {
    t.altStack = {
      sp: ctx.altStack.sp,
      size: ctx.altStack.size,
      flags: ctx.altStack.flags & SS_DISABLE,
    };
  }
  return true;
}

export { SIGKILL, SIGSTOP };
