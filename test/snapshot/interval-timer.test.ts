/**
 * Interval timers (setitimer ITIMER_REAL) are kernel state in guest
 * monotonic time: a guest with an armed timer is never idle, and a timer
 * saved in a snapshot has, after the load, exactly the time left it had at
 * the save, however long the snapshot was kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { saveSnapshot } from '../../src/snapshot/index.ts';
import { openSnapshotStore } from '../../src/store/index.ts';
import { guestBinary } from '../support/guest.ts';
import { Transcript, bootGuest, finish, loadGuest, referenceRun, runGuest } from './harness.ts';

const spec = { program: guestBinary('itimer', 'glibc') };

/** The init process's timer: [ns left, interval ns], or null when disarmed. */
function timerLeft(kernel: Kernel): [number, number] | null {
  const timer = kernel.init!.realTimer;
  if (timer.deadlineNs < 0) return null;
  return [timer.deadlineNs - kernel.timekeeper.monotonicNs(), timer.intervalNs];
}

it('never counts a guest waiting with an armed timer as idle', async () => {
  const transcript = new Transcript();
  const guest = bootGuest(spec);
  // finish() fails if the guest pauses idle: it has no input to give.
  const result = await finish(guest, transcript);
  expect(result.exitCode).toBe(0);
  expect(transcript.text().stdout).toContain('ticks while suspended: 10\n');
});

it('keeps a saved timer’s time left across the time the snapshot is kept', async () => {
  const { instructions: _n, ...expected } = await referenceRun(spec);
  const root = mkdtempSync(path.join(tmpdir(), 'amber-itimer-'));
  try {
    const store = openSnapshotStore(root);
    const guest = bootGuest(spec);
    const transcript = new Transcript();
    // Run in small steps until the 2 ms interval timer is armed.
    while (timerLeft(guest.kernel) === null) {
      const step = await runGuest(guest, transcript, { afterInstructions: 2000 });
      expect(step.status).toBe('paused');
    }
    const atSave = timerLeft(guest.kernel)!;
    expect(atSave[1]).toBe(2_000_000);
    const { id } = await saveSnapshot(guest.kernel, store);
    await sleep(300);

    const loaded = await loadGuest(store, id);
    expect(timerLeft(loaded.kernel)).toEqual(atSave);
    const result = await finish(loaded, transcript);
    expect({ ...transcript.text(), status: result.exitCode }).toEqual(expected);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
