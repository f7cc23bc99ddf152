import { SIGALRM } from '../linux/signal.ts';
import type { Kernel } from './kernel.ts';
import { SI_KERNEL } from './signal-info.ts';
import { sendToGroup } from './task-signals.ts';

/**
 * A process's real-time interval timer (setitimer ITIMER_REAL, alarm). It is
 * plain data on the thread group: a deadline in guest monotonic time and a
 * reload interval, with no host timer behind it. The waker fires expired
 * timers before it looks at blocked tasks, and the kernel's driver sleeps no
 * later than the earliest deadline. Because the deadline is in guest
 * monotonic time, a timer stops with guest time while the kernel is paused
 * or saved, and carries on after a restore with the time it had left.
 */
export interface IntervalTimer {
  /** Guest monotonic time of the next expiry in ns, or -1 while disarmed. */
  deadlineNs: number;
  /** Reload period in ns after each expiry; 0 for a one-shot timer. */
  intervalNs: number;
}

/** A disarmed timer. */
export function disarmedTimer(): IntervalTimer {
  return { deadlineNs: -1, intervalNs: 0 };
}

/**
 * Fires every expired real-time timer: SIGALRM to its process, then the
 * timer reloads or disarms. Periods missed while nothing looked (a long
 * quantum) are skipped, not queued: Linux keeps one SIGALRM pending at most.
 */
export function fireRealTimers(k: Kernel): void {
  let now = -1;
  for (const tg of k.tasks.root.groups.values()) {
    const timer = tg.realTimer;
    if (timer.deadlineNs < 0 || tg.exit !== null) continue;
    if (now < 0) now = k.timekeeper.monotonicNs();
    if (now < timer.deadlineNs) continue;
    if (timer.intervalNs > 0) {
      const missed = Math.floor((now - timer.deadlineNs) / timer.intervalNs);
      timer.deadlineNs += (missed + 1) * timer.intervalNs;
    } else {
      timer.deadlineNs = -1;
    }
    sendToGroup(tg, { signo: SIGALRM, code: SI_KERNEL, errno: 0, pid: 0, uid: 0, addr: 0 });
  }
}

/** The earliest armed real-time timer deadline (guest monotonic ns), or -1. */
export function earliestTimerDeadline(k: Kernel): number {
  let best = -1;
  for (const tg of k.tasks.root.groups.values()) {
    const d = tg.exit === null ? tg.realTimer.deadlineNs : -1;
    if (d >= 0 && (best < 0 || d < best)) best = d;
  }
  return best;
}
