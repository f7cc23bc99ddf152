import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll, StoreError, type BlobStore } from '../../src/store/index.ts';
import { folderKind, s3Kind, type StoreKind } from './store-cases.ts';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text));
const text = (data: Uint8Array): string => Buffer.from(data).toString();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreError) return error.code;
    throw error;
  }
  return 'resolved';
}

describe.each([['folder'], ['s3']])('the %s blob store', (name) => {
  let kind: StoreKind;
  let store: BlobStore;

  beforeAll(async () => {
    kind = name === 'folder' ? folderKind() : await s3Kind();
  });
  afterAll(async () => kind?.stop());

  it('reads back what it wrote, whole and by range', async () => {
    store = kind.fresh();
    await store.put('a/b/c', bytes('hello, world'));
    expect(text(await store.get('a/b/c'))).toBe('hello, world');
    expect(text(await store.getRange('a/b/c', 7, 5))).toBe('world');
    expect(text(await store.getRange('a/b/c', 7, 100))).toBe('world');
    expect(await store.getRange('a/b/c', 50, 10)).toHaveLength(0);
    const info = await store.head('a/b/c');
    expect(info?.size).toBe(12);
    expect(info?.lastModified.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('says an absent object is not found', async () => {
    store = kind.fresh();
    expect(await store.head('nothing/here')).toBeUndefined();
    expect(await codeOf(store.get('nothing/here'))).toBe('STORE_NOT_FOUND');
    expect(await codeOf(store.getRange('nothing/here', 0, 4))).toBe('STORE_NOT_FOUND');
  });

  it('replaces an object on a plain put', async () => {
    store = kind.fresh();
    await store.put('k', bytes('one'));
    await store.put('k', bytes('two'));
    expect(text(await store.get('k'))).toBe('two');
  });

  it('refuses a create-only put of a taken key and keeps the old bytes', async () => {
    store = kind.fresh();
    await store.put('k', bytes('first'), { createOnly: true });
    expect(await codeOf(store.put('k', bytes('second'), { createOnly: true }))).toBe(
      'STORE_CONFLICT',
    );
    expect(text(await store.get('k'))).toBe('first');
  });

  it('lets exactly one of many concurrent create-only puts win', async () => {
    store = kind.fresh();
    const tries = Array.from({ length: 6 }, (_, k) =>
      codeOf(store.put('race', bytes(`writer ${k}`), { createOnly: true })),
    );
    const codes = await Promise.all(tries);
    expect(codes.filter((c) => c === 'resolved')).toHaveLength(1);
    expect(codes.filter((c) => c === 'STORE_CONFLICT')).toHaveLength(5);
    const winner = codes.indexOf('resolved');
    expect(text(await store.get('race'))).toBe(`writer ${winner}`);
  });

  it('lists by prefix in key order, page by page', async () => {
    store = kind.fresh();
    const keys = Array.from({ length: 7 }, (_, k) => `p/item-${k}`);
    await Promise.all(keys.map((key) => store.put(key, bytes(key))));
    await store.put('q/other', bytes('x'));
    const first = await store.list('p/', { limit: 3 });
    expect(first.items.map((i) => i.key)).toEqual(keys.slice(0, 3));
    expect(first.cursor).toBeDefined();
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list('p/', { limit: 3, ...(cursor ? { cursor } : {}) });
      all.push(...page.items.map((i) => i.key));
      cursor = page.cursor;
    } while (cursor);
    expect(all).toEqual(keys);
    const streamed: string[] = [];
    for await (const info of listAll(store, 'p/item-')) streamed.push(info.key);
    expect(streamed).toEqual(keys);
    expect((await store.list('p/item-3')).items.map((i) => i.key)).toEqual(['p/item-3']);
    expect((await store.list('none/')).items).toEqual([]);
  });

  it('deletes objects, and deleting an absent one succeeds', async () => {
    store = kind.fresh();
    await store.put('d/x', bytes('x'));
    await store.delete('d/x');
    await store.delete('d/x');
    expect(await store.head('d/x')).toBeUndefined();
    expect((await store.list('d/')).items).toEqual([]);
  });

  it('refuses keys that could escape or collide', async () => {
    store = kind.fresh();
    for (const key of ['', '../x', 'a//b', 'a/./b', '.tmp/x', 'a\\b', '/abs']) {
      expect(await codeOf(store.put(key, bytes('x')))).toBe('STORE_INVALID');
    }
  });
});
