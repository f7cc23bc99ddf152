import type { Task } from './task.ts';

/**
 * Futexes: tasks blocked in FUTEX_WAIT are found by scanning for waits on the
 * same word of the same address space. With few tasks per kernel the scan is
 * cheaper than keeping queues, and it leaves no extra state to save.
 */

/**
 * Wakes at most `count` tasks of t's address space waiting on `addr` whose
 * bitset intersects `bitset` (-1: any). Returns how many were woken.
 */
export function futexWake(t: Task, addr: number, count: number, bitset: number): number {
  let woken = 0;
  for (const other of t.kernel.tasks.root.tasks.values()) {
    if (woken >= count) break;
    const w = other.wait;
    if (other.state !== 'blocked' || w === null || w.kind !== 'futex') continue;
    if (w.futexAddr !== addr || other.space !== t.space) continue;
    if (((w.futexBitset ?? -1) & bitset) === 0) continue;
    other.wakeWithResult(0);
    woken++;
  }
  return woken;
}
