/**
 * Helpers for route tests: a server on a throwaway store folder with a small
 * worker pool, and multipart bodies for `inject`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, type AmberServer, type ServerDeps } from '../../src/server.ts';
import { configFromEnv } from '../../src/service/config.ts';
import { FolderStore } from '../../src/store/index.ts';
import { guestBinary } from '../support/guest.ts';

/** A server for tests and the folder its store lives in. */
export interface TestServer extends AmberServer {
  dir: string;
  /** Closes the server and removes its folder. */
  close(): Promise<void>;
}

/** Builds a server with one worker and a silent log, on a fresh folder. */
export async function startTestServer(
  env: Record<string, string> = {},
  deps: ServerDeps = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'amber-routes-'));
  const config = configFromEnv({
    AMBER_STORE: dir,
    AMBER_WORKERS: '1',
    LOG_LEVEL: 'silent',
    AMBER_INSTANCE_ID: 'test-instance',
    ...env,
  });
  const server = await buildServer(config, {
    store: new FolderStore(dir, { durable: false }),
    durableSnapshots: false,
    ...deps,
  });
  return {
    ...server,
    dir,
    async close() {
      await server.app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One part of a multipart form: text, or a file with its bytes. */
export type FormPart = string | { filename: string; bytes: Uint8Array };

/** A multipart/form-data body and its headers, for `inject`. */
export function multipart(parts: Record<string, FormPart>): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----amber-test-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, part] of Object.entries(parts)) {
    const head =
      typeof part === 'string'
        ? `Content-Disposition: form-data; name="${name}"\r\n\r\n`
        : `Content-Disposition: form-data; name="${name}"; filename="${part.filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n';
    chunks.push(Buffer.from(`--${boundary}\r\n${head}`));
    chunks.push(typeof part === 'string' ? Buffer.from(part) : Buffer.from(part.bytes));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A guest test program as a file part, named as its binary. */
export function program(name: string, libc: 'musl' | 'glibc' = 'musl'): FormPart {
  return { filename: `${name}.${libc}`, bytes: readFileSync(guestBinary(name, libc)) };
}

/** The JSON a route answered, after checking its status. */
export function answer<T = Record<string, unknown>>(
  res: { statusCode: number; body: string; json(): unknown },
  status: number,
): T {
  if (res.statusCode !== status) {
    throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  }
  return res.json() as T;
}
