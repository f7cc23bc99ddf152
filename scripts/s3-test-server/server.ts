import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { S3Front } from './front.ts';

/** Options of {@link startS3TestServer}. */
export interface S3TestServerOptions {
  /** Where s3rver keeps its buckets. */
  dir: string;
  /** Port of the front (0 picks a free one). */
  port?: number;
  /** Address of the front (default 127.0.0.1). */
  host?: string;
  /** Bucket created at start (default amber). */
  bucket?: string;
}

/** A running test server. */
export interface S3TestServer {
  endpoint: string;
  bucket: string;
  front: S3Front;
  close(): Promise<void>;
}

/**
 * Starts s3rver on a free port of 127.0.0.1 with the bucket created, and our
 * front (see front.ts) on `host:port`. Paged listings need the process to run
 * under `node --openssl-legacy-provider` (s3rver encrypts its continuation
 * tokens with DES).
 */
export async function startS3TestServer(options: S3TestServerOptions): Promise<S3TestServer> {
  const bucket = options.bucket ?? 'amber';
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dir, { recursive: true });
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: options.dir,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const upstream = await s3rver.run();
  const front = new S3Front(upstream.port);
  await new Promise<void>((resolve, reject) => {
    front.server.once('error', reject);
    front.server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = front.server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${shown}:${port}`,
    bucket,
    front,
    async close() {
      front.disarm();
      front.server.closeAllConnections();
      await new Promise<void>((resolve) => front.server.close(() => resolve()));
      await s3rver.close();
    },
  };
}
