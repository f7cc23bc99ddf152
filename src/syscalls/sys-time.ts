import { SYSCALL_BLOCK, type SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { Errno } from '../linux/errno.ts';
import { EINVAL, StructWriter, readTimespecNs, writeStruct, writeTimespec } from './args.ts';
import type { SyscallDef } from './table.ts';

/** Clocks and sleeping. */

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_PROCESS_CPUTIME_ID = 2;
const CLOCK_THREAD_CPUTIME_ID = 3;
const CLOCK_MONOTONIC_RAW = 4;
const CLOCK_REALTIME_COARSE = 5;
const CLOCK_MONOTONIC_COARSE = 6;
const CLOCK_BOOTTIME = 7;
const CLOCK_REALTIME_ALARM = 8;
const CLOCK_BOOTTIME_ALARM = 9;
const CLOCK_TAI = 11;
const TIMER_ABSTIME = 1;

/** The time of a clock as [sec, nsec], or null for an invalid clock. */
function clockNow(t: Task, clock: number): [number, number] | null {
  const tk = t.kernel.timekeeper;
  switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_REALTIME_ALARM:
    case CLOCK_TAI:
      return tk.realtime();
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    case CLOCK_BOOTTIME_ALARM:
      return split(tk.monotonicNs());
    case CLOCK_PROCESS_CPUTIME_ID:
      return split(t.tg.tasks.reduce((sum, x) => sum + x.cpuTimeNs, 0));
    case CLOCK_THREAD_CPUTIME_ID:
      return split(t.cpuTimeNs);
    default:
      return null;
  }
}

function split(ns: number): [number, number] {
  return [Math.floor(ns / 1e9), Math.floor(ns % 1e9)];
}

function clockGettime(t: Task): SyscallResult {
  const now = clockNow(t, t.argInt(0));
  if (now === null) return EINVAL;
  return writeTimespec(t, t.arg(1), now);
}

function clockGetres(t: Task): SyscallResult {
  const clock = t.argInt(0);
  if (clockNow(t, clock) === null) return EINVAL;
  if (t.arg(1) === 0) return 0;
  const coarse = clock === CLOCK_REALTIME_COARSE || clock === CLOCK_MONOTONIC_COARSE;
  return writeTimespec(t, t.arg(1), coarse ? 4_000_000 : 1);
}

function gettimeofday(t: Task): SyscallResult {
  const [sec, nsec] = t.kernel.timekeeper.realtime();
  if (t.arg(0) !== 0) {
    const err = writeStruct(
      t,
      t.arg(0),
      new StructWriter(16).i64(0, sec).i64(8, Math.floor(nsec / 1000)),
    );
    if (err !== 0) return err;
  }
  if (t.arg(1) !== 0) return writeStruct(t, t.arg(1), new StructWriter(8));
  return 0;
}

function time(t: Task): SyscallResult {
  const [sec] = t.kernel.timekeeper.realtime();
  if (t.arg(0) !== 0 && !t.writeU64(t.arg(0), sec)) return -Errno.EFAULT;
  return sec;
}

/**
 * Blocks until the guest monotonic deadline. The deadline is kept in the wait
 * record; a re-run after a restarted signal keeps it.
 */
function sleepUntil(t: Task, deadlineNs: number, remAddr: number): SyscallResult {
  if (t.kernel.timekeeper.monotonicNs() >= deadlineNs) return 0;
  t.block({
    kind: 'sleep',
    external: false,
    deadlineNs,
    timeoutResult: 0,
    restartable: false,
    remAddr,
  });
  return SYSCALL_BLOCK;
}

function nanosleep(t: Task): SyscallResult {
  const ns = readTimespecNs(t, t.arg(0));
  if (typeof ns !== 'number') return ns.errno;
  return sleepUntil(t, t.kernel.timekeeper.monotonicNs() + ns, t.arg(1));
}

function clockNanosleep(t: Task): SyscallResult {
  const clock = t.argInt(0);
  const flags = t.argInt(1);
  if (clock === CLOCK_PROCESS_CPUTIME_ID || clock === CLOCK_THREAD_CPUTIME_ID) {
    return -Errno.EOPNOTSUPP;
  }
  const now = clockNow(t, clock);
  if (now === null) return EINVAL;
  const ns = readTimespecNs(t, t.arg(2));
  if (typeof ns !== 'number') return ns.errno;
  const mono = t.kernel.timekeeper.monotonicNs();
  if (flags & TIMER_ABSTIME) {
    const nowNs = now[0] * 1e9 + now[1];
    return sleepUntil(t, mono + Math.max(0, ns - nowNs), 0);
  }
  return sleepUntil(t, mono + ns, t.arg(3));
}

/** Definitions of this area. */
export const TIME_SYSCALLS: SyscallDef[] = [
  {
    name: 'clock_gettime',
    support: 'full',
    note: 'realtime follows the host; monotonic stops while paused',
    handler: clockGettime,
  },
  { name: 'clock_getres', support: 'full', note: '', handler: clockGetres },
  { name: 'gettimeofday', support: 'full', note: '', handler: gettimeofday },
  { name: 'time', support: 'full', note: '', handler: time },
  { name: 'nanosleep', support: 'full', note: '', handler: nanosleep },
  {
    name: 'clock_nanosleep',
    support: 'full',
    note: 'CPU-time clocks answer EOPNOTSUPP',
    handler: clockNanosleep,
  },
];
