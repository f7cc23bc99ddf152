import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  checkKey,
  checkPrefix,
  type BlobInfo,
  type BlobPage,
  type BlobStore,
  type ListOptions,
  type PutOptions,
} from './blob-store.ts';
import { StoreError } from './store-error.ts';

/** Where unfinished writes wait; keys never start with '.', so no clash. */
const TEMP_DIR = '.tmp';
const DEFAULT_PAGE = 1000;

/** Options of {@link FolderStore}. */
export interface FolderStoreOptions {
  /**
   * Flush each object to disk before it becomes visible (default true).
   * Tests on a throwaway folder may turn it off for speed.
   */
  durable?: boolean;
}

/**
 * A store in a local folder: each key is a file path under the root. Writes
 * go to a temporary file in the root's `.tmp` folder and are then renamed
 * (or, create-only, hard-linked) into place, so a reader never sees half an
 * object and a crash leaves at most a stray temporary file.
 */
export class FolderStore implements BlobStore {
  /** The absolute root folder. */
  readonly location: string;
  private readonly durable: boolean;

  constructor(root: string, options: FolderStoreOptions = {}) {
    this.location = path.resolve(root);
    this.durable = options.durable ?? true;
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<void> {
    const target = this.pathOf(key);
    const temp = await this.writeTemp(bytes);
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      if (options.createOnly) {
        // link() fails with EEXIST instead of replacing: the atomic test.
        await fs.link(temp, target);
      } else {
        await fs.rename(temp, target);
      }
    } catch (error) {
      if (errno(error) === 'EEXIST') {
        throw new StoreError('STORE_CONFLICT', `${this.describe(key)} already exists`, {
          cause: error,
        });
      }
      throw this.failure('write', key, error);
    } finally {
      // After a rename the temporary name is gone and this does nothing.
      await fs.rm(temp, { force: true });
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await fs.readFile(this.pathOf(key));
    } catch (error) {
      throw this.failure('read', key, error);
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.pathOf(key), 'r');
      const buffer = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } catch (error) {
      throw this.failure('read', key, error);
    } finally {
      await handle?.close();
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const stat = await fs.stat(this.pathOf(key));
      if (!stat.isFile()) return undefined;
      return { key, size: stat.size, lastModified: stat.mtime };
    } catch (error) {
      if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return undefined;
      throw this.failure('inspect', key, error);
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<BlobPage> {
    checkPrefix(prefix);
    const limit = Math.max(1, options.limit ?? DEFAULT_PAGE);
    const start = prefix.lastIndexOf('/') + 1;
    const keys: string[] = [];
    await this.walk(prefix.slice(0, start), (key) => {
      if (key.startsWith(prefix) && (options.cursor === undefined || key > options.cursor)) {
        keys.push(key);
      }
    });
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const chosen = keys.slice(0, limit);
    const items: BlobInfo[] = [];
    for (const key of chosen) {
      const info = await this.head(key);
      // A key deleted between the walk and now is simply left out.
      if (info) items.push(info);
    }
    const page: BlobPage = { items };
    if (keys.length > limit) page.cursor = chosen[chosen.length - 1];
    return page;
  }

  async delete(key: string): Promise<void> {
    try {
      await fs.rm(this.pathOf(key), { force: true });
    } catch (error) {
      throw this.failure('delete', key, error);
    }
  }

  /** Calls `visit` with the key of every file under the folder `dir` (a key prefix). */
  private async walk(dir: string, visit: (key: string) => void): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(path.join(this.location, dir), { withFileTypes: true });
    } catch (error) {
      if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return;
      throw this.failure('list', dir, error);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const key = dir + entry.name;
      if (entry.isDirectory()) await this.walk(key + '/', visit);
      else if (entry.isFile()) visit(key);
    }
  }

  private async writeTemp(bytes: Uint8Array): Promise<string> {
    const dir = path.join(this.location, TEMP_DIR);
    const temp = path.join(dir, `${randomBytes(12).toString('hex')}.part`);
    try {
      await fs.mkdir(dir, { recursive: true });
      const handle = await fs.open(temp, 'wx');
      try {
        await handle.writeFile(bytes);
        if (this.durable) await handle.sync();
      } finally {
        await handle.close();
      }
      return temp;
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw this.failure('write', TEMP_DIR, error);
    }
  }

  private pathOf(key: string): string {
    checkKey(key);
    return path.join(this.location, key);
  }

  private describe(key: string): string {
    return path.join(this.location, key);
  }

  private failure(action: string, key: string, error: unknown): StoreError {
    const code = errno(error);
    const where = this.describe(key);
    if (error instanceof StoreError) return error;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
      return new StoreError('STORE_NOT_FOUND', `${where} does not exist`, { cause: error });
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      return new StoreError('STORE_DENIED', `cannot ${action} ${where}: ${code}`, {
        cause: error,
      });
    }
    return new StoreError('STORE_UNAVAILABLE', `cannot ${action} ${where}: ${String(error)}`, {
      cause: error,
    });
  }
}

function errno(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** Refuses an offset or length that is not a non-negative safe integer. */
export function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new StoreError('STORE_INVALID', `invalid byte range: offset ${offset}, length ${length}`);
  }
}
