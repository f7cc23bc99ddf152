import { futexWake } from '../kernel/futex.ts';
import { SYSCALL_BLOCK, type SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { Errno } from '../linux/errno.ts';
import { EFAULT, EINVAL, readTimespecNs } from './args.ts';
import type { SyscallDef } from './table.ts';

/** Fast user-space mutexes: wait and wake. */

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128;
const FUTEX_CLOCK_REALTIME = 256;

function futexWait(t: Task, op: number, absolute: boolean, bitset: number): SyscallResult {
  const addr = t.arg(0);
  if (addr % 4 !== 0) return EINVAL;
  if (bitset === 0) return EINVAL;
  const value = t.readI32(addr);
  if (value === null) return EFAULT;
  if (value !== t.argInt(2)) return -Errno.EAGAIN;
  let deadlineNs = -1;
  const tk = t.kernel.timekeeper;
  if (t.arg(3) !== 0) {
    const ns = readTimespecNs(t, t.arg(3));
    if (typeof ns !== 'number') return ns.errno;
    if (!absolute) deadlineNs = tk.monotonicNs() + ns;
    else if (op & FUTEX_CLOCK_REALTIME) {
      const [s, n] = tk.realtime();
      deadlineNs = tk.monotonicNs() + Math.max(0, ns - (s * 1e9 + n));
    } else deadlineNs = ns;
  }
  t.block({
    kind: 'futex',
    external: false,
    deadlineNs,
    timeoutResult: -Errno.ETIMEDOUT,
    restartable: false,
    futexAddr: addr,
    futexBitset: bitset,
  });
  return SYSCALL_BLOCK;
}

function futex(t: Task): SyscallResult {
  const op = t.argInt(1);
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  switch (cmd) {
    case FUTEX_WAIT:
      return futexWait(t, op, false, -1);
    case FUTEX_WAIT_BITSET:
      return futexWait(t, op, true, t.argInt(5));
    case FUTEX_WAKE:
      return futexWake(t, t.arg(0), Math.max(0, t.argInt(2)), -1);
    case FUTEX_WAKE_BITSET:
      if (t.argInt(5) === 0) return EINVAL;
      return futexWake(t, t.arg(0), Math.max(0, t.argInt(2)), t.argInt(5));
    default:
      return -Errno.ENOSYS;
  }
}

/** Definitions of this area. */
export const FUTEX_SYSCALLS: SyscallDef[] = [
  {
    name: 'futex',
    support: 'partial',
    note: 'WAIT, WAKE and their BITSET forms; requeue and PI futexes answer ENOSYS',
    handler: futex,
  },
];
