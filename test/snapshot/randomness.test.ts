/**
 * A restored guest's fresh randomness is fresh: getrandom and /dev/urandom
 * read after a restore do not replay what the saved guest went on to read,
 * and two resumes of one snapshot (here, and in a fresh process) read
 * different bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { saveSnapshot } from '../../src/snapshot/index.ts';
import { openSnapshotStore } from '../../src/store/index.ts';
import { guestBinary } from '../support/guest.ts';
import {
  Transcript,
  bootGuest,
  finish,
  loadGuest,
  resumeInFreshProcess,
  runGuest,
} from './harness.ts';

it('gives each resume of one snapshot its own random bytes', async () => {
  const program = guestBinary('snapshot-probe', 'musl');
  const spec = { program, args: ['random'], lateStdin: 'go\n' };
  const root = mkdtempSync(path.join(tmpdir(), 'amber-random-'));
  try {
    // The guest waits for a line before it reads any randomness: save it there.
    const store = openSnapshotStore(root);
    const original = bootGuest(spec);
    const paused = await runGuest(original, new Transcript(), { whenIdle: true });
    expect(paused.pausedFor).toBe('idle');
    const { id } = await saveSnapshot(original.kernel, store);

    const streams: string[] = [];
    const outOf = async (guest: Awaited<ReturnType<typeof loadGuest>>) => {
      const transcript = new Transcript();
      const result = await finish(guest, transcript, spec.lateStdin);
      expect(result.exitCode).toBe(0);
      return transcript.text().stdout;
    };
    streams.push(await outOf(original));
    streams.push(await outOf(await loadGuest(store, id)));
    streams.push(await outOf(await loadGuest(store, id)));
    const [elsewhere] = await resumeInFreshProcess(root, [{ id, lateStdin: spec.lateStdin }]);
    expect(elsewhere.status).toBe(0);
    streams.push(elsewhere.stdout);

    const lines = streams.flatMap((s) => s.split('\n').filter((l) => l !== ''));
    expect(lines).toHaveLength(8);
    for (const line of lines) expect(line).toMatch(/^(getrandom|urandom) [0-9a-f]{32}$/);
    // Eight reads of 16 bytes, all different: none replays another.
    expect(new Set(lines.map((l) => l.split(' ')[1])).size).toBe(8);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
