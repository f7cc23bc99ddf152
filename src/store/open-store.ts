import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlobStore } from './blob-store.ts';
import { FolderStore } from './folder-store.ts';
import { S3Store, type S3StoreOptions } from './s3-store.ts';
import { StoreError } from './store-error.ts';

/** A parsed store location. */
export type StoreLocation =
  { kind: 'folder'; path: string } | { kind: 's3'; bucket: string; prefix: string };

/** Environment variables the S3 store reads; process.env fits. */
export type StoreEnv = Record<string, string | undefined>;

/**
 * Parses a store location: `s3://bucket[/prefix]`, `file:///path`, or a
 * folder path (relative ones against the working directory).
 */
export function parseStoreLocation(location: string): StoreLocation {
  const invalid = (why: string): never => {
    throw new StoreError(
      'STORE_INVALID',
      `invalid store location ${JSON.stringify(location)}: ${why}`,
    );
  };
  if (location.trim() === '') invalid('empty');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'folder', path: path.resolve(location) };
  if (scheme === 'file') return { kind: 'folder', path: fileURLToPath(location) };
  if (scheme !== 's3') invalid(`unknown scheme "${scheme}:", expected a folder or s3://`);
  const rest = location.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  let prefix = slash < 0 ? '' : rest.slice(slash + 1);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    invalid(`"${bucket}" is not a bucket name (3 to 63 of a-z, 0-9, '.', '-')`);
  }
  prefix = prefix.replace(/\/+$/, '');
  return { kind: 's3', bucket, prefix: prefix === '' ? '' : `${prefix}/` };
}

/** Tuning for the stores {@link openStore} makes; tests shorten retries. */
export type OpenStoreOptions = Pick<S3StoreOptions, 'attempts' | 'retryDelayMs' | 'timeoutMs'> & {
  /** Passed to FolderStore. */
  durable?: boolean;
};

/**
 * Opens the store at `location`. For S3: endpoint from AMBER_S3_ENDPOINT
 * (else AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL), region from AWS_REGION or
 * AWS_DEFAULT_REGION (else us-east-1), credentials from AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (else the SDK's default chain:
 * profiles, instance roles), path-style addressing whenever an endpoint is
 * set unless AMBER_S3_PATH_STYLE=0.
 */
export function openStore(
  location: string,
  env: StoreEnv = process.env,
  options: OpenStoreOptions = {},
): BlobStore {
  const { durable, ...tuning } = options;
  const parsed = parseStoreLocation(location);
  if (parsed.kind === 'folder') return new FolderStore(parsed.path, { durable: durable ?? true });
  const endpoint = env.AMBER_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const s3: S3StoreOptions = {
    bucket: parsed.bucket,
    prefix: parsed.prefix,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    ...tuning,
  };
  if (endpoint) {
    s3.endpoint = endpoint;
    s3.forcePathStyle = env.AMBER_S3_PATH_STYLE !== '0';
  }
  if (accessKeyId && secretAccessKey) {
    s3.credentials = { accessKeyId, secretAccessKey };
    if (env.AWS_SESSION_TOKEN) s3.credentials.sessionToken = env.AWS_SESSION_TOKEN;
  }
  return new S3Store(s3);
}
