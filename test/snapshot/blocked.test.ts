/**
 * Snapshots taken while the guest's task is blocked in a system call: a
 * read of an empty standard input, nanosleep, a futex wait, poll and a pipe
 * read. Each time the task blocks in a call it had not blocked in before,
 * the guest is paused, saved and loaded into a fresh kernel, which carries
 * on; the output must equal the native run's.
 */
import { describe, expect, it } from 'vitest';
import type { Guest } from '../../src/sandbox/guest.ts';
import { saveSnapshot } from '../../src/snapshot/index.ts';
import { openSnapshotStore } from '../../src/store/index.ts';
import { runNative } from '../run/helpers.ts';
import { guestBinary } from '../support/guest.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transcript, bootGuest, feedLate, loadGuest, runGuest } from './harness.ts';

/**
 * The guest's one task's wait as `kind/syscall` (`io/0/fdN` for a read), or
 * null when it is not blocked.
 */
function blockedIn(guest: Guest): string | null {
  const task = guest.kernel.tasks.all()[0];
  if (task === undefined || task.state !== 'blocked' || task.wait === null) return null;
  const call = `${task.wait.kind}/${task.syscallNr}`;
  return task.syscallNr === 0 ? `${call}/fd${task.argInt(0)}` : call;
}

/**
 * Pauses the guest (pauseNow) the first time it blocks in each call, polling
 * its task every millisecond while it runs.
 */
function pauseOnNewWaits(guest: Guest, seen: Set<string>): () => void {
  const timer = setInterval(() => {
    const wait = blockedIn(guest);
    if (wait === null || seen.has(wait) || guest.pausedFor !== undefined) return;
    seen.add(wait);
    guest.pauseNow('request');
  }, 1);
  return () => clearInterval(timer);
}

describe.each([['musl'], ['glibc']] as const)('a guest saved while blocked (waits, %s)', (libc) => {
  it('continues every blocked call correctly after a load', async () => {
    const program = guestBinary('waits', libc);
    const input = 'line one\n';
    const native = runNative({ program, stdin: input });
    const root = mkdtempSync(path.join(tmpdir(), 'amber-blocked-'));
    const store = openSnapshotStore(root);
    const seen = new Set<string>();
    const savedWhile: string[] = [];
    let late: string | undefined = input;
    let guest = bootGuest({ program, lateStdin: input });
    const transcript = new Transcript();
    try {
      for (;;) {
        const stop = pauseOnNewWaits(guest, seen);
        const result = await runGuest(guest, transcript, { whenIdle: true });
        stop();
        if (result.status === 'exited') {
          expect({ ...transcript.text(), status: result.exitCode }).toEqual(native);
          break;
        }
        const wait = blockedIn(guest);
        if (wait !== null) savedWhile.push(result.pausedFor === 'idle' ? `idle ${wait}` : wait);
        const { id } = await saveSnapshot(guest.kernel, store);
        guest = await loadGuest(store, id);
        if (result.pausedFor === 'idle') {
          expect(late).toBeDefined();
          feedLate(guest, late!);
          late = undefined;
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    // glibc sleeps with clock_nanosleep; either libc may poll with ppoll.
    for (const call of [
      /^idle io\/0\/fd0$/,
      /^sleep\/(35|230)$/,
      /^futex\/202$/,
      /^io\/(7|271)$/,
      /^io\/0\/fd3$/,
    ]) {
      expect(
        savedWhile.some((w) => call.test(w)),
        `${call} in ${savedWhile}`,
      ).toBe(true);
    }
  });
});
