import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore, StoreError } from '../../src/store/index.ts';
import { noise, sampleSnapshot } from './snapshot-data.ts';
import { folderKind, s3Kind, type StoreKind } from './store-cases.ts';

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('expected a StoreError');
}

describe.each([['folder'], ['s3']])('snapshots in the %s store', (name) => {
  let kind: StoreKind;
  const fresh = (): SnapshotStore => new SnapshotStore(kind.fresh(), { pieceSize: 4096 });

  beforeAll(async () => {
    kind = name === 'folder' ? folderKind() : await s3Kind();
  });
  afterAll(async () => kind?.stop());

  it('loads back the header, kernel state and memory chunks it saved', async () => {
    const store = fresh();
    const input = sampleSnapshot();
    const saved = await store.save({ ...input, id: 'snap-1' });
    expect(saved.id).toBe('snap-1');
    // header + 2 state pieces + 3 memory chunks, all new.
    expect(saved.chunksWritten).toBe(6);
    expect(saved.chunksReused).toBe(0);
    expect(saved.bytesWritten).toBeGreaterThan(0);
    const loaded = await store.load('snap-1');
    expect(loaded.header).toEqual(input.header);
    expect(loaded.kernelState).toEqual(input.kernelState);
    expect(loaded.memory).toEqual(input.memory);
    expect(loaded.manifest.meta).toEqual({ note: 'sample base' });
    expect(loaded.manifest.parent).toBeNull();
    expect(await store.list()).toEqual(['snap-1']);
  });

  it('gives a fresh snapshot a time-ordered id of its own', async () => {
    const store = fresh();
    const first = await store.save(sampleSnapshot('a'));
    const second = await store.save(sampleSnapshot('b'));
    expect(first.id).toMatch(/^\d{8}t\d{6}z-[0-9a-f]{10}$/);
    expect(await store.list()).toEqual([first.id, second.id].sort());
  });

  it('writes only the chunks a child adds to its parent, and says so', async () => {
    const store = fresh();
    const parent = sampleSnapshot();
    await store.save({ ...parent, id: 'parent' });
    const before = await store.blobs.list('chunks/');
    const child = {
      ...parent,
      id: 'child',
      parent: 'parent',
      memory: [parent.memory[0], { index: 2, bytes: noise('dirtied', 4128) }, parent.memory[2]],
    };
    const saved = await store.save(child);
    expect(saved.chunksWritten).toBe(1);
    expect(saved.chunksReused).toBe(5);
    const after = await store.blobs.list('chunks/');
    expect(after.items.length).toBe(before.items.length + 1);
    const loaded = await store.load('child');
    expect(loaded.memory).toEqual(child.memory);
    expect(loaded.manifest.parent).toBe('parent');
  });

  it('reuses chunks another snapshot stored even without a parent', async () => {
    const store = fresh();
    await store.save({ ...sampleSnapshot(), id: 'one' });
    const saved = await store.save({ ...sampleSnapshot(), id: 'two' });
    expect(saved.chunksWritten).toBe(0);
    expect(saved.chunksReused).toBe(6);
  });

  it('refuses a second snapshot with a taken id', async () => {
    const store = fresh();
    await store.save({ ...sampleSnapshot(), id: 'taken' });
    const error = await failure(store.save({ ...sampleSnapshot('other'), id: 'taken' }));
    expect(error.code).toBe('STORE_CONFLICT');
    expect((await store.load('taken')).manifest.meta).toEqual({ note: 'sample base' });
  });

  it('says which part is corrupt when a stored chunk changed', async () => {
    const store = fresh();
    const input = sampleSnapshot();
    const saved = await store.save({ ...input, id: 'victim' });
    const target = saved.manifest.memory[1];
    const key = `chunks/${target.sha256}`;
    const stored = await store.blobs.get(key);
    const flipped = new Uint8Array(stored);
    flipped[flipped.length >> 1] ^= 0x10;
    await store.blobs.put(key, flipped);
    const error = await failure(store.load('victim'));
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain('memory chunk 2 of snapshot victim');
    // The header and kernel state are still readable on their own.
    const reader = await store.open('victim');
    expect(await reader.header()).toEqual(input.header);
  });

  it('says a chunk is missing when it was deleted under a snapshot', async () => {
    const store = fresh();
    const saved = await store.save({ ...sampleSnapshot(), id: 'holey' });
    await store.blobs.delete(`chunks/${saved.manifest.kernelState.pieces[1].sha256}`);
    const error = await failure(store.load('holey'));
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain('kernel state piece 1 of snapshot holey');
    expect(error.message).toContain('missing');
  });

  it('refuses a manifest whose text was altered', async () => {
    const store = fresh();
    await store.save({ ...sampleSnapshot(), id: 'edited' });
    const text = Buffer.from(await store.blobs.get('snapshots/edited.json')).toString();
    await store.blobs.put('snapshots/edited.json', Buffer.from(text.replace('sample', 'simple')));
    const error = await failure(store.load('edited'));
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain('manifest of snapshot edited');
  });

  it('says an unknown snapshot is not found and a bad id is invalid', async () => {
    const store = fresh();
    expect((await failure(store.load('nope'))).code).toBe('STORE_NOT_FOUND');
    expect((await failure(store.load('../etc'))).code).toBe('STORE_INVALID');
    expect((await failure(store.save({ ...sampleSnapshot(), parent: 'gone' }))).code).toBe(
      'STORE_NOT_FOUND',
    );
  });

  it('deletes a snapshot but keeps the chunks its child still uses', async () => {
    const store = fresh();
    const parent = sampleSnapshot();
    await store.save({ ...parent, id: 'p' });
    const child = { ...parent, id: 'c', parent: 'p', memory: parent.memory.slice(0, 2) };
    child.memory = [...child.memory, { index: 9, bytes: noise('new', 5000) }];
    await store.save(child);
    const removed = await store.delete('p');
    // Only memory chunk 5 was the parent's alone.
    expect(removed.chunksDeleted).toBe(1);
    expect(await store.list()).toEqual(['c']);
    expect((await store.load('c')).memory).toEqual(child.memory);
    expect((await store.delete('c')).chunksDeleted).toBe(6);
    expect((await store.blobs.list('chunks/')).items).toEqual([]);
  });

  it('sweeps chunks no snapshot uses once they are old enough', async () => {
    const store = fresh();
    await store.save({ ...sampleSnapshot(), id: 'kept' });
    await store.blobs.put(`chunks/${'ab'.repeat(32)}`, new Uint8Array([0, 1, 2]));
    expect((await store.sweep()).chunksDeleted).toBe(0);
    expect((await store.sweep({ olderThanMs: -60_000 })).chunksDeleted).toBe(1);
    expect((await store.load('kept')).memory).toHaveLength(3);
  });

  it('writes parts only in the snapshot order', async () => {
    const store = fresh();
    const writer = await store.begin({ id: 'ordered' });
    await expect(writer.writeKernelState(new Uint8Array(4))).rejects.toThrow(/expecting header/);
    await writer.writeHeader(new Uint8Array(4));
    await writer.writeKernelState(new Uint8Array(0));
    await writer.writeMemoryChunk({ index: 3, bytes: new Uint8Array(8) });
    await expect(writer.writeMemoryChunk({ index: 3, bytes: new Uint8Array(8) })).rejects.toThrow(
      /out of order/,
    );
    await writer.commit();
    const loaded = await store.load('ordered');
    expect(loaded.kernelState).toHaveLength(0);
    expect(loaded.memory.map((c) => c.index)).toEqual([3]);
  });
});
