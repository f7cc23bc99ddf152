/**
 * One run carried through ten pause-save-load cycles, each snapshot the
 * child of the one before, in a folder store and in the test S3 server: the
 * output must equal an uninterrupted run, and each child must write only the
 * chunks its parent lacks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSnapshot, type SavedSnapshot } from '../../src/snapshot/index.ts';
import { SnapshotStore, type SnapshotManifest } from '../../src/store/index.ts';
import { folderKind, s3Kind, type StoreKind } from '../store/store-cases.ts';
import { guestBinary } from '../support/guest.ts';
import {
  Transcript,
  bootGuest,
  finish,
  loadGuest,
  pickPoints,
  referenceRun,
  runGuest,
  seededRandom,
  type ProgramSpec,
} from './harness.ts';

const SEED = 0xc4a1;
const CYCLES = 10;

/** Every chunk hash a manifest names. */
function hashes(m: SnapshotManifest): Set<string> {
  return new Set([m.header, ...m.kernelState.pieces, ...m.memory].map((r) => r.sha256));
}

/** A child wrote exactly the chunks its parent does not name, and reused the rest. */
function expectOnlyNewChunks(child: SavedSnapshot, parent: SnapshotManifest): void {
  const own = hashes(child.manifest);
  const known = hashes(parent);
  const fresh = [...own].filter((sha) => !known.has(sha));
  expect(child.chunksWritten).toBe(fresh.length);
  expect(child.chunksReused).toBeGreaterThan(0);
  expect(child.chunksWritten).toBeLessThan(own.size);
}

const PROGRAMS: [string, ProgramSpec][] = [
  ['cpu-rounds (glibc)', { program: guestBinary('cpu-rounds', 'glibc') }],
  ['itimer (musl)', { program: guestBinary('itimer', 'musl') }],
];

describe.each([['folder'], ['s3']] as const)(
  'a chain of pause-save-load cycles (%s store)',
  (name) => {
    let kind: StoreKind;
    beforeAll(async () => {
      kind = name === 'folder' ? folderKind() : await s3Kind();
    });
    afterAll(async () => kind?.stop());

    it.each(PROGRAMS.map(([what, spec], i) => [what, spec, i] as const))(
      'carries %s through ten cycles as if never paused',
      async (_what, spec, index) => {
        const seed = SEED + index;
        const reference = await referenceRun(spec);
        const store = new SnapshotStore(kind.fresh());
        // The interval timer's program takes a few more or fewer instructions
        // from run to run: pause within the first 90% of it.
        const points = pickPoints(
          seededRandom(seed),
          Math.floor(reference.instructions * 0.9),
          CYCLES,
        );

        let guest = bootGuest(spec);
        const transcript = new Transcript();
        let parent: SnapshotManifest | undefined;
        for (const point of points) {
          const left = point - guest.kernel.instructions;
          const result = await runGuest(guest, transcript, { afterInstructions: left });
          expect(result.status, `seed ${seed}: paused at ${point}`).toBe('paused');
          expect(guest.kernel.instructions).toBe(point);
          const saved = await saveSnapshot(
            guest.kernel,
            store,
            parent ? { parent: parent.id } : {},
          );
          if (parent !== undefined) {
            expect(saved.manifest.parent).toBe(parent.id);
            expectOnlyNewChunks(saved, parent);
          }
          parent = saved.manifest;
          guest = await loadGuest(store, saved.id);
        }
        const result = await finish(guest, transcript);
        const { instructions: _total, ...expected } = reference;
        expect({ ...transcript.text(), status: result.exitCode }, `seed ${seed}`).toEqual(expected);
        expect(await store.list()).toHaveLength(CYCLES);
      },
    );

    it('writes no memory chunk for the child of a resumed snapshot that did not run', async () => {
      const store = new SnapshotStore(kind.fresh());
      const guest = bootGuest(PROGRAMS[0][1]);
      await runGuest(guest, new Transcript(), { afterInstructions: 500_000 });
      const parent = await saveSnapshot(guest.kernel, store);
      const resumed = await loadGuest(store, parent.id);
      const child = await saveSnapshot(resumed.kernel, store, { parent: parent.id });
      expect(child.manifest.header).toEqual(parent.manifest.header);
      expect(child.manifest.memory).toEqual(parent.manifest.memory);
      // At most the kernel state's pieces are new.
      expect(child.chunksWritten).toBeLessThanOrEqual(child.manifest.kernelState.pieces.length);
      expect(child.chunksReused).toBeGreaterThan(parent.manifest.memory.length);
    });
  },
);
