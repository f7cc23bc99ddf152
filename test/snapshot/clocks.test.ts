/**
 * Clocks across a snapshot: CLOCK_MONOTONIC continues from the value it had
 * at the save, with no jump for the time the snapshot spent saved, while
 * CLOCK_REALTIME follows the host and so shows that time. README.md
 * ("Snapshots") states these semantics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { saveSnapshot } from '../../src/snapshot/index.ts';
import { openSnapshotStore } from '../../src/store/index.ts';
import { guestBinary } from '../support/guest.ts';
import { Transcript, bootGuest, finish, loadGuest, runGuest } from './harness.ts';

/** Time the snapshot spends saved before it is loaded. */
const SAVED_MS = 1500;

it('continues monotonic time from the save and shows the host realtime after a restore', async () => {
  const spec = {
    program: guestBinary('snapshot-probe', 'glibc'),
    args: ['clocks'],
    lateStdin: '\n',
  };
  const root = mkdtempSync(path.join(tmpdir(), 'amber-clocks-'));
  try {
    const store = openSnapshotStore(root);
    const guest = bootGuest(spec);
    const transcript = new Transcript();
    // The guest reads both clocks, then waits for a line: save it there.
    const paused = await runGuest(guest, transcript, { whenIdle: true });
    expect(paused.pausedFor).toBe('idle');
    const monotonicAtSave = guest.kernel.timekeeper.monotonicNs();
    const { id } = await saveSnapshot(guest.kernel, store);
    await sleep(SAVED_MS);

    const loaded = await loadGuest(store, id);
    // Loaded, not yet running: guest monotonic time is where the save left it.
    expect(loaded.kernel.timekeeper.monotonicNs()).toBe(monotonicAtSave);
    const result = await finish(loaded, transcript, spec.lateStdin);
    expect(result.exitCode).toBe(0);
    const hostRealtimeNs = Date.now() * 1e6;

    const [before, after] = transcript
      .text()
      .stdout.trim()
      .split('\n')
      .map((line) => line.split(' ').slice(1).map(Number));
    const monotonicStep = (after[0] - before[0]) / 1e6;
    const realtimeStep = (after[1] - before[1]) / 1e6;
    // Monotonic: only the guest's own running time passed, far below the gap.
    expect(monotonicStep).toBeGreaterThanOrEqual(0);
    expect(monotonicStep).toBeLessThan(SAVED_MS / 2);
    // Realtime: the whole gap shows, and the guest's clock is the host's.
    expect(realtimeStep).toBeGreaterThanOrEqual(SAVED_MS);
    expect(Math.abs(after[1] - hostRealtimeNs) / 1e6).toBeLessThan(1000);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
