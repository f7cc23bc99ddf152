import type { IntervalTimer } from '../kernel/interval-timer.ts';
import type { SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { EFAULT, EINVAL, StructWriter, readStruct, writeStruct } from './args.ts';
import type { SyscallDef } from './table.ts';

/**
 * Interval timers: setitimer, getitimer and alarm. Only ITIMER_REAL is
 * implemented; it is kernel state on the thread group, in guest monotonic
 * time, fired by the kernel's waker (src/kernel/interval-timer.ts).
 */

const ITIMER_REAL = 0;
const ITIMER_VIRTUAL = 1;
const ITIMER_PROF = 2;
/** sizeof(struct itimerval): two struct timevals. */
const ITIMERVAL_SIZE = 32;

/** What is left of a timer: [remaining ns, interval ns]. */
function remaining(t: Task, timer: IntervalTimer): [number, number] {
  if (timer.deadlineNs < 0) return [0, timer.intervalNs];
  const left = timer.deadlineNs - t.kernel.timekeeper.monotonicNs();
  // An armed timer never reads as zero, as on Linux: it has not fired yet.
  return [Math.max(left, 1000), timer.intervalNs];
}

/** Writes a struct itimerval (interval first, then value) of ns values. */
function writeItimerval(t: Task, addr: number, [valueNs, intervalNs]: [number, number]): number {
  const s = new StructWriter(ITIMERVAL_SIZE);
  const usec = (ns: number) => Math.floor(ns / 1000);
  s.i64(0, Math.floor(intervalNs / 1e9)).i64(8, usec(intervalNs % 1e9));
  s.i64(16, Math.floor(valueNs / 1e9)).i64(24, usec(valueNs % 1e9));
  return writeStruct(t, addr, s);
}

/** Reads a struct itimerval as [value ns, interval ns], or an errno. */
function readItimerval(t: Task, addr: number): [number, number] | number {
  const r = readStruct(t, addr, ITIMERVAL_SIZE);
  if (r === null) return EFAULT;
  const fields = [r.i64(0), r.i64(8), r.i64(16), r.i64(24)];
  const [isec, iusec, vsec, vusec] = fields;
  if (isec < 0 || vsec < 0 || iusec < 0 || vusec < 0 || iusec >= 1e6 || vusec >= 1e6) {
    return EINVAL;
  }
  return [vsec * 1e9 + vusec * 1000, isec * 1e9 + iusec * 1000];
}

/** Arms (or, with a zero value, disarms) the real-time timer. */
function arm(t: Task, [valueNs, intervalNs]: [number, number]): void {
  const timer = t.tg.realTimer;
  timer.deadlineNs = valueNs === 0 ? -1 : t.kernel.timekeeper.monotonicNs() + valueNs;
  timer.intervalNs = valueNs === 0 ? 0 : intervalNs;
}

function getitimer(t: Task): SyscallResult {
  const which = t.argInt(0);
  if (which === ITIMER_VIRTUAL || which === ITIMER_PROF) {
    // Never armed here (setitimer refuses them), so always zero.
    return writeItimerval(t, t.arg(1), [0, 0]);
  }
  if (which !== ITIMER_REAL) return EINVAL;
  return writeItimerval(t, t.arg(1), remaining(t, t.tg.realTimer));
}

function setitimer(t: Task): SyscallResult {
  const which = t.argInt(0);
  if (which !== ITIMER_REAL && which !== ITIMER_VIRTUAL && which !== ITIMER_PROF) return EINVAL;
  // A null new value disarms, as Linux still accepts.
  const value = t.arg(1) === 0 ? ([0, 0] as [number, number]) : readItimerval(t, t.arg(1));
  if (typeof value === 'number') return value;
  if (which !== ITIMER_REAL) {
    // TODO: ITIMER_VIRTUAL and ITIMER_PROF need per-process CPU time that
    // stops with the guest; programs that arm them (profilers) get EINVAL.
    if (value[0] !== 0) return EINVAL;
    return t.arg(2) === 0 ? 0 : writeItimerval(t, t.arg(2), [0, 0]);
  }
  const old = remaining(t, t.tg.realTimer);
  if (t.arg(2) !== 0) {
    const err = writeItimerval(t, t.arg(2), old);
    if (err !== 0) return err;
  }
  arm(t, value);
  return 0;
}

function alarm(t: Task): SyscallResult {
  const [left] = remaining(t, t.tg.realTimer);
  arm(t, [t.argU32(0) * 1e9, 0]);
  // Whole seconds left, rounded to nearest, and never 0 for an armed timer.
  const sec = Math.floor(left / 1e9);
  const usec = Math.floor((left % 1e9) / 1000);
  return (sec === 0 && usec > 0) || usec >= 500_000 ? sec + 1 : sec;
}

/** Definitions of this area. */
export const TIMER_SYSCALLS: SyscallDef[] = [
  {
    name: 'setitimer',
    support: 'partial',
    note: 'ITIMER_REAL only, in guest monotonic time; ITIMER_VIRTUAL and ITIMER_PROF answer EINVAL',
    handler: setitimer,
  },
  {
    name: 'getitimer',
    support: 'partial',
    note: 'ITIMER_REAL; the CPU-time timers always read as disarmed',
    handler: getitimer,
  },
  { name: 'alarm', support: 'full', note: 'ITIMER_REAL in whole seconds', handler: alarm },
];
