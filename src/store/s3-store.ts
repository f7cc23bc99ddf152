import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  checkKey,
  checkPrefix,
  type BlobInfo,
  type BlobPage,
  type BlobStore,
  type ListOptions,
  type PutOptions,
} from './blob-store.ts';
import { checkRange } from './folder-store.ts';
import { isTransient, statusOf, toStoreError } from './s3-errors.ts';
import { StoreError } from './store-error.ts';

/** Options of {@link S3Store}. */
export interface S3StoreOptions {
  bucket: string;
  /** Key prefix inside the bucket, '' or ending in '/'. */
  prefix?: string;
  /** Endpoint of an S3-compatible server; AWS when absent. */
  endpoint?: string;
  /** Default us-east-1. */
  region?: string;
  /** Static credentials; the SDK's default provider chain when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style addressing (bucket in the path); default: true with an endpoint. */
  forcePathStyle?: boolean;
  /** Attempts per request, first included (default 5). */
  attempts?: number;
  /** First delay between attempts in ms, doubled after each (default 100). */
  retryDelayMs?: number;
  /** Longest one attempt may take before it is abandoned (default 60 s). */
  timeoutMs?: number;
}

const DEFAULT_PAGE = 1000;
const MAX_DELAY_MS = 5000;

/**
 * A store in an S3 bucket (AWS S3, MinIO, Ceph, R2, ...). Keys live under
 * the store's prefix. Passing failures (5xx, throttling, resets, timeouts)
 * are retried with exponential backoff; what is left is a StoreError.
 */
export class S3Store implements BlobStore {
  readonly location: string;
  /** The SDK client, configured once; exposed for diagnostics and tests. */
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    if (this.prefix !== '') {
      if (!this.prefix.endsWith('/')) this.prefix += '/';
      checkPrefix(this.prefix);
    }
    this.location = `s3://${this.bucket}/${this.prefix}`;
    this.attempts = Math.max(1, options.attempts ?? 5);
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      // We retry ourselves, with our own error classification.
      maxAttempts: 1,
      // Streamed-body CRC trailers are stored as object bytes by some
      // S3-compatible servers; send and check checksums only when required.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<void> {
    const Key = this.keyOf(key);
    await this.attempt(`PUT ${this.url(key)}`, (abortSignal) =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: bytes,
          ContentLength: bytes.length,
          ...(options.createOnly ? { IfNoneMatch: '*' } : {}),
        }),
        { abortSignal },
      ),
    );
  }

  async get(key: string): Promise<Uint8Array> {
    const Key = this.keyOf(key);
    return this.attempt(`GET ${this.url(key)}`, async (abortSignal) => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }), {
        abortSignal,
      });
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
    });
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length);
    const Key = this.keyOf(key);
    if (length === 0) {
      if (!(await this.head(key))) throw this.missing(key);
      return new Uint8Array(0);
    }
    const Range = `bytes=${offset}-${offset + length - 1}`;
    return this.attempt(`GET ${this.url(key)} ${Range}`, async (abortSignal) => {
      try {
        const out = await this.client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key, Range }),
          { abortSignal },
        );
        const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
        // A server that ignores Range sends everything: cut it ourselves.
        return out.ContentRange ? bytes : bytes.subarray(offset, offset + length);
      } catch (error) {
        // Starting at or past the end: S3 answers 416, we answer "nothing".
        if (statusOf(error) === 416) return new Uint8Array(0);
        throw error;
      }
    });
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const Key = this.keyOf(key);
    try {
      return await this.attempt(`HEAD ${this.url(key)}`, async (abortSignal) => {
        const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }), {
          abortSignal,
        });
        return { key, size: out.ContentLength ?? 0, lastModified: out.LastModified ?? new Date(0) };
      });
    } catch (error) {
      if (error instanceof StoreError && error.code === 'STORE_NOT_FOUND') return undefined;
      throw error;
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<BlobPage> {
    checkPrefix(prefix);
    const out = await this.attempt(`LIST ${this.url(prefix)}`, (abortSignal) =>
      this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          MaxKeys: Math.max(1, options.limit ?? DEFAULT_PAGE),
          ...(options.cursor === undefined ? {} : { ContinuationToken: options.cursor }),
        }),
        { abortSignal },
      ),
    );
    const items: BlobInfo[] = (out.Contents ?? []).map((object) => ({
      key: (object.Key ?? '').slice(this.prefix.length),
      size: object.Size ?? 0,
      lastModified: object.LastModified ?? new Date(0),
    }));
    const page: BlobPage = { items };
    if (out.IsTruncated && out.NextContinuationToken) page.cursor = out.NextContinuationToken;
    return page;
  }

  async delete(key: string): Promise<void> {
    const Key = this.keyOf(key);
    await this.attempt(`DELETE ${this.url(key)}`, (abortSignal) =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }), { abortSignal }),
    );
  }

  /** Closes the client's connections. */
  destroy(): void {
    this.client.destroy();
  }

  /**
   * Runs `request` until it succeeds, fails for good, or has used every
   * attempt; each attempt gets its own timeout.
   */
  private async attempt<T>(what: string, request: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(AbortSignal.timeout(this.timeoutMs));
      } catch (error) {
        if (attempt >= this.attempts || !isTransient(error)) {
          throw toStoreError(error, what, attempt);
        }
      }
      const delay = Math.min(MAX_DELAY_MS, this.retryDelayMs * 2 ** (attempt - 1));
      // Jitter spreads the retries of many writers that failed together.
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
    }
  }

  private keyOf(key: string): string {
    checkKey(key);
    return this.prefix + key;
  }

  private url(key: string): string {
    return `${this.location}${key}`;
  }

  private missing(key: string): StoreError {
    return new StoreError('STORE_NOT_FOUND', `GET ${this.url(key)}: no such object`);
  }
}
