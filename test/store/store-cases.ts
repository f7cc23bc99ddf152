import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, type BlobStore, type OpenStoreOptions } from '../../src/store/index.ts';
import { startTestS3, type TestS3 } from './s3-test-server.ts';

/** Makes fresh, empty stores of one kind for a test file. */
export interface StoreKind {
  name: 'folder' | 's3';
  /** A new empty store (its own folder or prefix). */
  fresh(options?: OpenStoreOptions): BlobStore;
  /** The location string of the last fresh store. */
  lastLocation: string;
  /** The S3 server, for the s3 kind. */
  s3?: TestS3;
  stop(): Promise<void>;
}

/** Short retries so that tests of failures stay quick. */
export const FAST_RETRIES: OpenStoreOptions = { attempts: 3, retryDelayMs: 5, timeoutMs: 2000 };

/** A folder kind: each store is a new folder under one temporary root. */
export function folderKind(): StoreKind {
  const root = mkdtempSync(path.join(tmpdir(), 'amber-store-'));
  const kind: StoreKind = {
    name: 'folder',
    lastLocation: '',
    fresh(options = {}) {
      kind.lastLocation = path.join(root, randomBytes(4).toString('hex'));
      return openStore(kind.lastLocation, {}, { durable: false, ...options });
    },
    async stop() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  return kind;
}

/** An S3 kind: each store is a new prefix in the test server's bucket. */
export async function s3Kind(): Promise<StoreKind> {
  const s3 = await startTestS3();
  const kind: StoreKind = {
    name: 's3',
    s3,
    lastLocation: '',
    fresh(options = {}) {
      kind.lastLocation = `s3://${s3.bucket}/t-${randomBytes(4).toString('hex')}`;
      return openStore(kind.lastLocation, s3.env, { ...FAST_RETRIES, ...options });
    },
    stop: () => s3.stop(),
  };
  return kind;
}
