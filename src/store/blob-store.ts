import { StoreError } from './store-error.ts';

/** What a store knows about one object without reading it. */
export interface BlobInfo {
  /** The object's key, relative to the store's root or prefix. */
  key: string;
  /** Size in bytes. */
  size: number;
  /** When the object was last written. */
  lastModified: Date;
}

/** Options of {@link BlobStore.put}. */
export interface PutOptions {
  /**
   * Write only if no object has this key (HTTP `If-None-Match: *`); a taken
   * key fails with STORE_CONFLICT and leaves the old object as it was.
   */
  createOnly?: boolean;
}

/** One page of a listing. */
export interface BlobPage {
  /** Objects in ascending key order. */
  items: BlobInfo[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  cursor?: string;
}

/** Options of {@link BlobStore.list}. */
export interface ListOptions {
  /** Where the previous page ended (its `cursor`). */
  cursor?: string;
  /** Most objects to return; the store may return fewer. */
  limit?: number;
}

/**
 * A flat namespace of immutable-once-written byte objects, addressed by
 * '/'-separated keys. Every write is atomic: a reader sees either the whole
 * old object, the whole new one, or none. Errors are StoreErrors.
 */
export interface BlobStore {
  /** Human-readable location, for messages (a folder path or s3://...). */
  readonly location: string;
  /** Writes `bytes` under `key`, replacing it unless `createOnly`. */
  put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<void>;
  /** Reads a whole object; STORE_NOT_FOUND when absent. */
  get(key: string): Promise<Uint8Array>;
  /**
   * Reads `length` bytes from `offset`; fewer when the object ends first.
   * STORE_NOT_FOUND when absent.
   */
  getRange(key: string, offset: number, length: number): Promise<Uint8Array>;
  /** The object's size and date, or undefined when absent. */
  head(key: string): Promise<BlobInfo | undefined>;
  /** One page of the objects whose key starts with `prefix`. */
  list(prefix: string, options?: ListOptions): Promise<BlobPage>;
  /** Removes an object; removing an absent one succeeds. */
  delete(key: string): Promise<void>;
}

/** Every object under `prefix`, page after page. */
export async function* listAll(store: BlobStore, prefix: string): AsyncGenerator<BlobInfo> {
  let cursor: string | undefined;
  do {
    const page = await store.list(prefix, cursor === undefined ? {} : { cursor });
    yield* page.items;
    cursor = page.cursor;
  } while (cursor !== undefined);
}

const KEY_MAX_BYTES = 900;

/**
 * Refuses keys that could escape a folder or mean different objects on
 * different stores: empty segments, '.' or '..', segments starting with '.'
 * (kept for the folder store's own files), backslashes and control bytes.
 */
export function checkKey(key: string): void {
  const bad = (why: string): never => {
    throw new StoreError('STORE_INVALID', `invalid object key ${JSON.stringify(key)}: ${why}`);
  };
  if (key.length === 0) bad('empty');
  if (Buffer.byteLength(key) > KEY_MAX_BYTES) bad(`longer than ${KEY_MAX_BYTES} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\\\x00-\x1f\x7f]/.test(key)) bad('backslash or control character');
  for (const segment of key.split('/')) {
    if (segment === '') bad('empty path segment');
    if (segment.startsWith('.')) bad('a segment starts with "."');
  }
}

/** Refuses a listing prefix that no valid key could start with. */
export function checkPrefix(prefix: string): void {
  if (prefix === '') return;
  checkKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}
