/**
 * Determinism across a snapshot: each guest program is paused at random
 * instruction counts (from a seeded PRNG, printed on failure), saved into a
 * folder store, and every snapshot is loaded in a fresh Node process and run
 * to its end. What it printed before the snapshot plus what the fresh
 * process printed, and the exit status, must equal an uninterrupted run,
 * which must equal the program's native run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSnapshotStore } from '../../src/store/index.ts';
import { runNative } from '../run/helpers.ts';
import { guestBinary } from '../support/guest.ts';
import {
  pickPoints,
  referenceRun,
  resumeInFreshProcess,
  seededRandom,
  type ProgramSpec,
} from './harness.ts';
import { joined, saveAtPoints } from './pause-points.ts';

const SEED = 0x5eed4;
const root = mkdtempSync(path.join(tmpdir(), 'amber-determinism-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Forty lines of text of random lengths, the same for every run. */
function someLines(seed: number): string {
  const random = seededRandom(seed);
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const length = Math.floor(random() * 60);
    let line = '';
    for (let j = 0; j < length; j++) line += String.fromCharCode(32 + Math.floor(random() * 95));
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

const text = someLines(7);
const half = text.indexOf('\n', text.length >> 1) + 1;

/** The programs, and how many pause points each gets. */
const CASES: { what: string; spec: ProgramSpec; points: number }[] = [
  {
    what: 'CPU-bound rounds printing as they go (cpu-rounds, glibc)',
    spec: { program: guestBinary('cpu-rounds', 'glibc') },
    points: 8,
  },
  {
    what: 'file I/O in /tmp (files, musl)',
    spec: { program: guestBinary('files', 'musl') },
    points: 12,
  },
  {
    what: 'reading stdin, half of it given after a pause (stdin-lines, glibc)',
    spec: {
      program: guestBinary('stdin-lines', 'glibc'),
      stdin: text.slice(0, half),
      lateStdin: text.slice(half),
    },
    points: 10,
  },
  {
    what: 'sleeping (time-sleep, musl)',
    spec: { program: guestBinary('time-sleep', 'musl') },
    points: 8,
  },
  {
    what: 'a SIGSEGV handler (sigsegv, glibc)',
    spec: { program: guestBinary('sigsegv', 'glibc') },
    points: 10,
  },
  {
    what: 'an interval timer (itimer, musl)',
    spec: { program: guestBinary('itimer', 'musl') },
    points: 8,
  },
];

describe('a guest paused at random instructions, saved and loaded in a fresh process', () => {
  it.each(CASES.map((c, i) => [c.what, c, i] as const))(
    'prints and exits as if never paused: %s',
    async (_what, { spec, points }, index) => {
      const seed = SEED + index;
      const reference = await referenceRun(spec);
      const native = runNative({
        program: spec.program,
        args: spec.args ?? [],
        stdin: (spec.stdin ?? '') + (spec.lateStdin ?? ''),
      });
      const { instructions, ...outcome } = reference;
      expect(outcome).toEqual(native);

      const location = path.join(root, `case-${index}`);
      const store = openSnapshotStore(location);
      const at = pickPoints(seededRandom(seed), instructions, points);
      const { saved, outcome: paused } = await saveAtPoints(spec, at, store);
      expect(paused, 'the run that was paused and saved').toEqual(outcome);
      expect(saved.length, `seed ${seed}: snapshots taken`).toBeGreaterThan(points / 2);

      const resumed = await resumeInFreshProcess(
        location,
        saved.map((s) => ({
          id: s.id,
          ...(s.lateStdin !== undefined ? { lateStdin: s.lateStdin } : {}),
        })),
      );
      for (const [i, point] of saved.entries()) {
        const where = `seed ${seed}, snapshot at instruction ${point.instructions}`;
        expect(joined(point, resumed[i]), where).toEqual(outcome);
      }
    },
  );
});
