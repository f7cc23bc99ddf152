import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore, StoreError } from '../../src/store/index.ts';
import { sampleSnapshot } from './snapshot-data.ts';
import { s3Kind, type StoreKind } from './store-cases.ts';

/*
 * Saves through the test S3 server while it fails every request from the
 * Nth on, for every N a save makes: the save fails, no snapshot appears, and
 * the same save retried once the server is back succeeds.
 */

let kind: StoreKind;

beforeAll(async () => {
  kind = await s3Kind();
});
afterAll(async () => kind?.stop());

/** Requests a clean save of the sample makes on an empty store. */
async function requestsPerSave(): Promise<number> {
  const store = new SnapshotStore(kind.fresh(), { pieceSize: 4096 });
  const before = await kind.s3!.requests();
  await store.save({ ...sampleSnapshot(), id: 'probe' });
  return (await kind.s3!.requests()) - before;
}

describe.each([['refuse'], ['hangup']] as const)('a save while S3 answers %s', (mode) => {
  it('leaves no snapshot at any failing request, and a retry then succeeds', async () => {
    const total = await requestsPerSave();
    expect(total).toBeGreaterThan(8);
    for (let after = 0; after < total; after++) {
      const store = new SnapshotStore(kind.fresh(), { pieceSize: 4096, concurrency: 3 });
      const input = { ...sampleSnapshot(), id: 'victim' };
      await kind.s3!.arm({ after, mode });
      const error = await store.save(input).then(
        () => undefined,
        (e: unknown) => e,
      );
      await kind.s3!.disarm();
      expect(error, `fault after ${after} requests`).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('STORE_UNAVAILABLE');
      expect(await store.exists('victim')).toBe(false);
      expect(await store.list()).toEqual([]);
      const saved = await store.save(input);
      expect(saved.chunksWritten + saved.chunksReused).toBe(6);
      // Reading everything back costs ten requests: do it for some steps.
      if (after % 3 === 0) {
        const loaded = await store.load('victim');
        expect(loaded.memory).toEqual(input.memory);
        expect(loaded.kernelState).toEqual(input.kernelState);
      } else {
        expect((await store.manifest('victim')).memory).toHaveLength(3);
      }
    }
  });
});

describe('a save through passing S3 failures', () => {
  it('rides out one refused request at every step by retrying', async () => {
    const total = await requestsPerSave();
    for (let after = 0; after < total; after += 2) {
      const store = new SnapshotStore(kind.fresh(), { pieceSize: 4096 });
      await kind.s3!.arm({ after, mode: 'refuse', times: 1 });
      const saved = await store.save({ ...sampleSnapshot(), id: 'steady' });
      await kind.s3!.disarm();
      expect(saved.chunksWritten).toBe(6);
      expect((await store.load('steady')).memory).toHaveLength(3);
    }
  });

  it('succeeds when a write landed but its reply was lost, the manifest included', async () => {
    const total = await requestsPerSave();
    for (let after = 0; after < total; after++) {
      const store = new SnapshotStore(kind.fresh(), { pieceSize: 4096 });
      await kind.s3!.arm({ after, mode: 'lost-reply', times: 1 });
      const saved = await store.save({ ...sampleSnapshot(), id: 'echo' });
      await kind.s3!.disarm();
      expect(saved.chunksWritten + saved.chunksReused).toBe(6);
      expect((await store.load('echo')).header).toEqual(sampleSnapshot().header);
    }
  });

  it('gives up on a stalled server after its timeout and leaves no snapshot', async () => {
    const store = new SnapshotStore(kind.fresh({ attempts: 2, retryDelayMs: 5, timeoutMs: 300 }));
    await kind.s3!.arm({ after: 3, mode: 'stall' });
    const error = await store.save({ ...sampleSnapshot(), id: 'stuck' }).catch((e: unknown) => e);
    await kind.s3!.disarm();
    expect((error as StoreError).code).toBe('STORE_UNAVAILABLE');
    expect(await store.exists('stuck')).toBe(false);
    await store.save({ ...sampleSnapshot(), id: 'stuck' });
    expect(await store.exists('stuck')).toBe(true);
  });
});
