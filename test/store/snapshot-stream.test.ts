import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore, StoreError } from '../../src/store/index.ts';
import { sampleSnapshot } from './snapshot-data.ts';
import { folderKind, s3Kind, type StoreKind } from './store-cases.ts';

let folders: StoreKind;
let s3: StoreKind;

beforeAll(async () => {
  folders = folderKind();
  s3 = await s3Kind();
});
afterAll(async () => {
  await folders?.stop();
  await s3?.stop();
});

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

/** Feeds `bytes` in uneven slices, as a network would. */
async function* slices(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0, n = 1; at < bytes.length; at += n, n = (n * 7 + 3) % 5000) {
    yield bytes.subarray(at, at + n);
  }
}

async function importError(store: SnapshotStore, bytes: Uint8Array): Promise<StoreError> {
  const error = await store.import(slices(bytes)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe('the single-stream form of a snapshot', () => {
  let exported: Buffer;
  const input = sampleSnapshot();

  beforeAll(async () => {
    const source = new SnapshotStore(folders.fresh(), { pieceSize: 4096 });
    await source.save({ ...input, id: 'origin' });
    await source.save({ ...input, id: 'kid', parent: 'origin', meta: { n: 2 } });
    exported = await collect(source.export('kid'));
  });

  it('imports into another kind of store with every part intact', async () => {
    const target = new SnapshotStore(s3.fresh());
    const result = await target.import(slices(exported));
    expect(result.id).toBe('kid');
    expect(result.chunksWritten).toBeGreaterThan(0);
    const loaded = await target.load('kid');
    expect(loaded.header).toEqual(input.header);
    expect(loaded.kernelState).toEqual(input.kernelState);
    expect(loaded.memory).toEqual(input.memory);
    expect(loaded.manifest.parent).toBe('origin');
    expect(loaded.manifest.meta).toEqual({ n: 2 });
    // Exporting the copy gives a stream that imports again, under a new id.
    const again = await collect(target.export('kid'));
    const third = new SnapshotStore(folders.fresh());
    expect((await third.import(slices(again), { id: 'renamed' })).id).toBe('renamed');
    expect((await third.load('renamed')).memory).toEqual(input.memory);
  });

  it('starts with its magic and keeps the header, kernel state, memory order', () => {
    expect(exported.subarray(0, 8).toString('latin1')).toBe('AMBRSTRM');
    const kinds: number[] = [];
    for (let at = 16; at < exported.length;) {
      kinds.push(exported[at]);
      at += 8 + exported.readUInt32LE(at + 4) + 4;
    }
    // INFO, HEADER, two KERNEL_STATE pieces, three MEMORY chunks, END.
    expect(kinds).toEqual([1, 2, 3, 3, 4, 4, 4, 5]);
  });

  it('refuses a stream with a flipped bit anywhere and leaves no snapshot', async () => {
    const target = new SnapshotStore(folders.fresh());
    const step = Math.max(1, Math.floor(exported.length / 40));
    for (let at = 0; at < exported.length; at += step) {
      const damaged = Buffer.from(exported);
      damaged[at] ^= 0x04;
      const error = await importError(target, damaged);
      expect(error.code, `bit flipped at byte ${at}`).toBe('STORE_CORRUPT');
      expect(error.message).toMatch(/^snapshot stream is corrupt: /);
    }
    expect(await target.list()).toEqual([]);
  });

  it('refuses a truncated stream, or one with bytes after its end', async () => {
    const target = new SnapshotStore(folders.fresh());
    for (const cut of [0, 7, 16, 100, exported.length >> 1, exported.length - 1]) {
      const error = await importError(target, exported.subarray(0, cut));
      expect(error.code).toBe('STORE_CORRUPT');
      expect(error.message).toMatch(/truncated/);
    }
    const longer = Buffer.concat([exported, Buffer.from([0])]);
    expect((await importError(target, longer)).message).toMatch(/follow the END frame/);
    expect(await target.list()).toEqual([]);
  });

  it('refuses to import over a snapshot id that is taken', async () => {
    const target = new SnapshotStore(folders.fresh());
    await target.import(slices(exported));
    expect((await importError(target, exported)).code).toBe('STORE_CONFLICT');
  });

  it('will not export a snapshot whose chunks are damaged', async () => {
    const store = new SnapshotStore(folders.fresh());
    const saved = await store.save({ ...input, id: 'rotten' });
    await store.blobs.put(`chunks/${saved.manifest.header.sha256}`, new Uint8Array([0, 1, 2]));
    const error = await collect(store.export('rotten')).catch((e: unknown) => e);
    expect((error as StoreError).code).toBe('STORE_CORRUPT');
    expect((error as StoreError).message).toContain('header of snapshot rotten');
  });
});
