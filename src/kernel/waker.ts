import { earliestTimerDeadline, fireRealTimers } from './interval-timer.ts';
import type { Kernel } from './kernel.ts';
import { hasDeliverable, interruptIfSignalled } from './task-signals.ts';

/**
 * Waking blocked tasks. Waits are level-triggered: before each round of
 * scheduling every blocked task's condition is checked again (file
 * readiness, deadlines), which keeps wait records plain data with no
 * callbacks to save.
 */

/** Wakes every blocked task whose wait is over. */
export function recheckWaits(k: Kernel): void {
  fireRealTimers(k);
  let now = -1;
  for (const t of k.tasks.root.tasks.values()) {
    if (t.state !== 'blocked' || t.wait === null) continue;
    if (hasDeliverable(t)) {
      interruptIfSignalled(t);
      if (t.state !== 'blocked') continue;
    }
    const w = t.wait;
    if (w.kind === 'io' && w.files !== undefined) {
      const ready = w.files.some((f, i) => (f.poll() & (w.events![i] | 0x18)) !== 0);
      if (ready) {
        t.wakeToRerun();
        continue;
      }
    }
    if (w.kind === 'child') {
      t.wakeToRerun();
      continue;
    }
    if (w.deadlineNs >= 0) {
      if (now < 0) now = k.timekeeper.monotonicNs();
      if (now >= w.deadlineNs) t.wakeWithResult(w.timeoutResult);
    }
  }
}

/**
 * The earliest deadline of any blocked task or interval timer (guest
 * monotonic ns), or -1.
 */
export function earliestDeadline(k: Kernel): number {
  let best = earliestTimerDeadline(k);
  for (const t of k.tasks.root.tasks.values()) {
    const d = t.state === 'blocked' ? (t.wait?.deadlineNs ?? -1) : -1;
    if (d >= 0 && (best < 0 || d < best)) best = d;
  }
  return best;
}

/**
 * True when no task can run, none waits with a deadline and no interval
 * timer is armed: every live task waits for something only the outside can
 * give (input, a signal), or for each other forever.
 */
export function isQuiescent(k: Kernel): boolean {
  if (earliestTimerDeadline(k) >= 0) return false;
  for (const t of k.tasks.root.tasks.values()) {
    if (t.state === 'runnable') return false;
    if (t.state === 'blocked' && (t.wait?.deadlineNs ?? -1) >= 0) return false;
    if (t.state === 'blocked' && hasDeliverable(t)) return false;
  }
  return true;
}
