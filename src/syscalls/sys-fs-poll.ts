import {
  HostInputInode,
  type OpenFile,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  POLLRDNORM,
  POLLWRNORM,
} from '../fs/index.ts';
import { RLIMIT_NOFILE } from '../kernel/limits.ts';
import { SYSCALL_BLOCK, type SyscallResult } from '../kernel/syscall-types.ts';
import { hasDeliverable, withoutUnblockable } from '../kernel/task-signals.ts';
import type { Task } from '../kernel/task.ts';
import { Errno } from '../linux/errno.ts';
import { SigSet } from '../linux/signal.ts';
import { EFAULT, EINVAL, StructWriter, readStruct, readTimespecNs } from './args.ts';
import type { SyscallDef } from './table.ts';

/**
 * poll(2) and ppoll(2). Readiness is level-triggered: each run of the call
 * asks every file again, and a call with nothing ready parks the task with
 * an io wait over all its files, which the kernel re-runs when one of them
 * changes, or completes with 0 at the deadline.
 */

/** Bytes of struct pollfd: int fd, short events, short revents. */
const POLLFD_SIZE = 8;

/** Events always reported, asked for or not. */
const ALWAYS = POLLERR | POLLHUP | POLLNVAL;

/** One entry of the caller's array. */
interface PollEntry {
  fd: number;
  events: number;
  file: OpenFile | null;
}

/**
 * A file's ready events as poll reports them: the file system gives
 * POLLIN and POLLOUT, which Linux pairs with POLLRDNORM and POLLWRNORM.
 */
function readiness(file: OpenFile): number {
  let ready = file.poll();
  if (ready & POLLIN) ready |= POLLRDNORM;
  if (ready & POLLOUT) ready |= POLLWRNORM;
  return ready;
}

/** The events to wait for, in the bits file poll() reports. */
function waitMask(events: number): number {
  let mask = events;
  if (events & POLLRDNORM) mask |= POLLIN;
  if (events & POLLWRNORM) mask |= POLLOUT;
  return mask;
}

/** Reads the pollfd array: entries, -EINVAL for too many, -EFAULT. */
function readEntries(t: Task, addr: number, count: number): PollEntry[] | number {
  if (count > t.tg.limits.get(RLIMIT_NOFILE).cur) return EINVAL;
  const r = count === 0 ? null : readStruct(t, addr, count * POLLFD_SIZE);
  if (count > 0 && r === null) return EFAULT;
  const entries: PollEntry[] = [];
  for (let i = 0; i < count; i++) {
    const fd = r!.i32(i * POLLFD_SIZE);
    const events = r!.i32(i * POLLFD_SIZE + 4) & 0xffff;
    entries.push({ fd, events, file: fd < 0 ? null : t.tg.files.get(fd) });
  }
  return entries;
}

/**
 * Asks every file and writes each revents back: the number of entries with
 * events, or -EFAULT.
 */
function scan(t: Task, addr: number, entries: PollEntry[]): number {
  let count = 0;
  for (let i = 0; i < entries.length; i++) {
    const { fd, events, file } = entries[i];
    let revents = 0;
    if (fd >= 0) revents = file === null ? POLLNVAL : readiness(file) & (events | ALWAYS);
    if (revents !== 0) count++;
    const out = new StructWriter(2).u16(0, revents).bytes;
    if (!t.copyOut(addr + i * POLLFD_SIZE + 6, out)) return EFAULT;
  }
  return count;
}

/**
 * The common body: scan, and when nothing is ready and the timeout allows,
 * park the task. timeoutNs < 0 waits without a deadline.
 */
function doPoll(t: Task, addr: number, count: number, timeoutNs: number): SyscallResult {
  const entries = readEntries(t, addr, count);
  if (typeof entries === 'number') return entries;
  const ready = scan(t, addr, entries);
  if (ready !== 0 || timeoutNs === 0) return ready;
  const waited = entries.filter((e) => e.file !== null);
  const now = t.kernel.timekeeper.monotonicNs();
  // TODO: a call woken without a ready file (another task took the data)
  // waits its whole timeout again; Linux keeps the first deadline.
  t.block({
    kind: 'io',
    files: waited.map((e) => e.file!),
    events: waited.map((e) => waitMask(e.events)),
    external: waited.every((e) => e.file!.inode instanceof HostInputInode),
    deadlineNs: timeoutNs < 0 ? -1 : now + timeoutNs,
    timeoutResult: 0,
    restartable: false,
  });
  return SYSCALL_BLOCK;
}

function poll(t: Task): SyscallResult {
  const ms = t.argInt(2);
  return doPoll(t, t.arg(0), t.argU32(1), ms < 0 ? -1 : ms * 1e6);
}

/**
 * ppoll(2): a timespec timeout, and a signal mask in force while the call
 * waits. The caller's mask comes back when the call returns, or after the
 * handler of the signal that interrupted it.
 */
function ppoll(t: Task): SyscallResult {
  let timeoutNs = -1;
  if (t.arg(2) !== 0) {
    const ns = readTimespecNs(t, t.arg(2));
    if (typeof ns !== 'number') return ns.errno;
    timeoutNs = ns;
  }
  const maskAddr = t.arg(3);
  if (maskAddr === 0) return doPoll(t, t.arg(0), t.argU32(1), timeoutNs);
  if (t.argU(4) !== 8) return EINVAL;
  const raw = readStruct(t, maskAddr, 8);
  if (raw === null) return EFAULT;
  const mask = new SigSet();
  mask.set(raw.i32(0), raw.i32(4));
  // A re-run after a wake-up finds the caller's mask already saved.
  t.savedMask ??= t.mask;
  t.mask = withoutUnblockable(mask);
  const result = hasDeliverable(t) ? -Errno.EINTR : doPoll(t, t.arg(0), t.argU32(1), timeoutNs);
  if (result !== SYSCALL_BLOCK && result !== -Errno.EINTR) {
    t.mask = t.savedMask;
    t.savedMask = null;
  }
  return result;
}

/** Definitions of this area. */
export const FS_POLL_SYSCALLS: SyscallDef[] = [
  {
    name: 'poll',
    support: 'full',
    note: 'interrupted by a handled signal it fails with EINTR, as in Linux',
    handler: poll,
  },
  {
    name: 'ppoll',
    support: 'full',
    note: 'with the temporary signal mask of its fourth argument',
    handler: ppoll,
  },
];
