/**
 * Saving a real guest through the test S3 server while it fails every
 * request from the Nth on (refused with 503, or hung up on), for every N the
 * save makes: the save fails, no snapshot appears, and saving the same
 * paused guest again once the server is back succeeds and resumes right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Guest } from '../../src/sandbox/guest.ts';
import { saveSnapshot } from '../../src/snapshot/index.ts';
import { SnapshotStore, StoreError } from '../../src/store/index.ts';
import { s3Kind, type StoreKind } from '../store/store-cases.ts';
import { guestBinary } from '../support/guest.ts';
import { Transcript, bootGuest, finish, loadGuest, referenceRun, runGuest } from './harness.ts';

const spec = { program: guestBinary('files', 'glibc') };
let kind: StoreKind;
let expected: { stdout: string; stderr: string; status: number };
let guest: Guest;
let before: { stdout: string; stderr: string };

beforeAll(async () => {
  kind = await s3Kind();
  const { instructions, ...outcome } = await referenceRun(spec);
  expected = outcome;
  guest = bootGuest(spec);
  const transcript = new Transcript();
  await runGuest(guest, transcript, { afterInstructions: Math.floor(instructions * 0.6) });
  before = transcript.text();
});
afterAll(async () => kind?.stop());

const fresh = () => new SnapshotStore(kind.fresh(), { concurrency: 3 });

/** Requests one save of the paused guest makes on an empty store. */
async function requestsPerSave(): Promise<number> {
  const start = await kind.s3!.requests();
  await saveSnapshot(guest.kernel, fresh());
  return (await kind.s3!.requests()) - start;
}

describe.each([['refuse'], ['hangup']] as const)(
  'saving a paused guest while S3 answers %s',
  (mode) => {
    it('leaves no snapshot at any failing request, and a retry then succeeds', async () => {
      const total = await requestsPerSave();
      expect(total).toBeGreaterThan(5);
      for (let after = 0; after < total; after++) {
        const store = fresh();
        await kind.s3!.arm({ after, mode });
        const error = await saveSnapshot(guest.kernel, store).then(
          () => undefined,
          (e: unknown) => e,
        );
        await kind.s3!.disarm();
        expect(error, `fault after ${after} of ${total} requests`).toBeInstanceOf(StoreError);
        expect((error as StoreError).code).toBe('STORE_UNAVAILABLE');
        expect(await store.list()).toEqual([]);

        const saved = await saveSnapshot(guest.kernel, store);
        expect(await store.list()).toEqual([saved.id]);
        // A full resume costs a run of the guest: check it at some steps.
        if (after % 4 === 0) {
          const transcript = new Transcript();
          const result = await finish(await loadGuest(store, saved.id), transcript);
          const after = transcript.text();
          expect({
            stdout: before.stdout + after.stdout,
            stderr: before.stderr + after.stderr,
            status: result.exitCode,
          }).toEqual(expected);
        }
      }
    });
  },
);
