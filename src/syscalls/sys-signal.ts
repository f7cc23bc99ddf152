import { SYSCALL_BLOCK, SYSCALL_NORETURN, type SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import {
  forceSignal,
  sendToGroup,
  sendToTask,
  sigreturn,
  withoutUnblockable,
} from '../kernel/task-signals.ts';
import { SI_KERNEL, SI_TKILL, faultSigInfo, userSigInfo } from '../kernel/signal-info.ts';
import { Errno } from '../linux/errno.ts';
import { NSIG, SIGKILL, SIGSEGV, SIGSTOP, SigSet } from '../linux/signal.ts';
import { EFAULT, EINVAL, StructWriter, readStruct, writeStruct } from './args.ts';
import type { SyscallDef } from './table.ts';

/** Signal dispositions, masks, sending, waiting and returning from handlers. */

const SIGSET_SIZE = 8;
const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;
const SS_ONSTACK = 1;
const SS_DISABLE = 2;
const SS_AUTODISARM = 0x80000000 | 0;
const MINSIGSTKSZ = 2048;

function validSignal(sig: number): boolean {
  return sig >= 1 && sig <= NSIG;
}

function readSigSet(t: Task, addr: number): SigSet | null {
  const r = readStruct(t, addr, 8);
  if (r === null) return null;
  const s = new SigSet();
  s.set(r.i32(0), r.i32(4));
  return s;
}

function writeSigSet(t: Task, addr: number, s: SigSet): number {
  return writeStruct(t, addr, new StructWriter(8).i32(0, s.lo).i32(4, s.hi));
}

function rtSigaction(t: Task): SyscallResult {
  const sig = t.argInt(0);
  const actAddr = t.arg(1);
  const oldAddr = t.arg(2);
  if (t.argU(3) !== SIGSET_SIZE || !validSignal(sig)) return EINVAL;
  if (actAddr !== 0 && (sig === SIGKILL || sig === SIGSTOP)) return EINVAL;
  const action = t.tg.actions[sig];
  let next: typeof action | null = null;
  if (actAddr !== 0) {
    const r = readStruct(t, actAddr, 32);
    if (r === null) return EFAULT;
    const mask = new SigSet();
    mask.set(r.i32(24), r.i32(28));
    next = {
      handler: r.i64(0),
      flags: r.u32(8),
      restorer: r.i64(16),
      mask: withoutUnblockable(mask),
    };
  }
  if (oldAddr !== 0) {
    const w = new StructWriter(32)
      .i64(0, action.handler)
      .i64(8, action.flags >>> 0)
      .i64(16, action.restorer)
      .i32(24, action.mask.lo)
      .i32(28, action.mask.hi);
    if (writeStruct(t, oldAddr, w) !== 0) return EFAULT;
  }
  if (next !== null) t.tg.actions[sig] = next;
  return 0;
}

function rtSigprocmask(t: Task): SyscallResult {
  const how = t.argInt(0);
  const setAddr = t.arg(1);
  const oldAddr = t.arg(2);
  if (t.argU(3) !== SIGSET_SIZE) return EINVAL;
  let set: SigSet | null = null;
  if (setAddr !== 0) {
    set = readSigSet(t, setAddr);
    if (set === null) return EFAULT;
    if (how !== SIG_BLOCK && how !== SIG_UNBLOCK && how !== SIG_SETMASK) return EINVAL;
  }
  if (oldAddr !== 0 && writeSigSet(t, oldAddr, t.mask) !== 0) return EFAULT;
  if (set === null) return 0;
  const mask = t.mask.copy();
  if (how === SIG_BLOCK) mask.set(mask.lo | set.lo, mask.hi | set.hi);
  else if (how === SIG_UNBLOCK) mask.set(mask.lo & ~set.lo, mask.hi & ~set.hi);
  else mask.set(set.lo, set.hi);
  t.mask = withoutUnblockable(mask);
  return 0;
}

function sigaltstack(t: Task): SyscallResult {
  const ssAddr = t.arg(0);
  const oldAddr = t.arg(1);
  const rsp = t.cpu.regs[9] * 4294967296 + (t.cpu.regs[8] >>> 0);
  const cur = t.altStack;
  const onStack = (cur.flags & SS_DISABLE) === 0 && rsp > cur.sp && rsp <= cur.sp + cur.size;
  if (oldAddr !== 0) {
    const flags = onStack ? SS_ONSTACK : cur.flags;
    const w = new StructWriter(24).i64(0, cur.sp).i32(8, flags).i64(16, cur.size);
    if (writeStruct(t, oldAddr, w) !== 0) return EFAULT;
  }
  if (ssAddr === 0) return 0;
  const r = readStruct(t, ssAddr, 24);
  if (r === null) return EFAULT;
  if (onStack) return -Errno.EPERM;
  const flags = r.i32(8);
  const mode = flags & ~SS_AUTODISARM;
  if (mode !== 0 && mode !== SS_DISABLE && mode !== SS_ONSTACK) return EINVAL;
  if (mode === SS_DISABLE) {
    t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
    return 0;
  }
  const size = r.u64(16);
  if (size < MINSIGSTKSZ) return -Errno.ENOMEM;
  t.altStack = { sp: r.i64(0), size, flags: 0 };
  return 0;
}

function rtSigreturn(t: Task): SyscallResult {
  if (!sigreturn(t, t.kernel.fpState)) {
    forceSignal(t, SIGSEGV, faultSigInfo(SIGSEGV, SI_KERNEL, 0));
  }
  return SYSCALL_NORETURN;
}

function kill(t: Task): SyscallResult {
  const pid = t.argInt(0);
  const sig = t.argInt(1);
  if (sig < 0 || sig > NSIG) return EINVAL;
  const groups = t.kernel.tasks.root.groups;
  const targets =
    pid > 0
      ? [groups.get(pid)]
      : pid === 0 || pid === -1
        ? [...groups.values()]
        : [groups.get(-pid)];
  const live = targets.filter((g) => g !== undefined && g.exit === null);
  if (live.length === 0) return -Errno.ESRCH;
  if (sig !== 0) for (const g of live) sendToGroup(g!, userSigInfo(sig, t.tg.pid, t.creds.uid));
  return 0;
}

function tgkill(t: Task, tgid: number, tid: number, sig: number): SyscallResult {
  if (sig < 0 || sig > NSIG || tid <= 0 || (tgid !== -1 && tgid <= 0)) return EINVAL;
  const target = t.kernel.tasks.root.tasks.get(tid);
  if (target === undefined || target.state === 'exited') return -Errno.ESRCH;
  if (tgid !== -1 && target.tg.pid !== tgid) return -Errno.ESRCH;
  if (sig !== 0) sendToTask(target, userSigInfo(sig, t.tg.pid, t.creds.uid, SI_TKILL));
  return 0;
}

/** Waits for a signal with `mask` in force meanwhile (sigsuspend) or unchanged (pause). */
function waitForSignal(t: Task, mask: SigSet | null): SyscallResult {
  if (mask !== null) {
    t.savedMask = t.mask;
    t.mask = withoutUnblockable(mask);
  }
  t.block({ kind: 'signal', external: true, deadlineNs: -1, timeoutResult: 0, restartable: false });
  return SYSCALL_BLOCK;
}

function rtSigsuspend(t: Task): SyscallResult {
  if (t.argU(1) !== SIGSET_SIZE) return EINVAL;
  const mask = readSigSet(t, t.arg(0));
  return mask === null ? EFAULT : waitForSignal(t, mask);
}

/** Definitions of this area. */
export const SIGNAL_SYSCALLS: SyscallDef[] = [
  { name: 'rt_sigaction', support: 'full', note: '', handler: rtSigaction },
  { name: 'rt_sigprocmask', support: 'full', note: '', handler: rtSigprocmask },
  { name: 'sigaltstack', support: 'full', note: '', handler: sigaltstack },
  {
    name: 'rt_sigreturn',
    support: 'full',
    note: 'restores registers, mask and FPU state',
    handler: rtSigreturn,
  },
  {
    name: 'kill',
    support: 'partial',
    note: 'no process groups: 0 and -1 mean every process',
    handler: kill,
  },
  {
    name: 'tgkill',
    support: 'full',
    note: '',
    handler: (t) => tgkill(t, t.argInt(0), t.argInt(1), t.argInt(2)),
  },
  {
    name: 'tkill',
    support: 'full',
    note: '',
    handler: (t) => tgkill(t, -1, t.argInt(0), t.argInt(1)),
  },
  { name: 'pause', support: 'full', note: '', handler: (t) => waitForSignal(t, null) },
  { name: 'rt_sigsuspend', support: 'full', note: '', handler: rtSigsuspend },
];
