import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FaultPlan } from '../../scripts/s3-test-server/front.ts';
import type { StoreEnv } from '../../src/store/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The test S3 server (`npm run s3`) as a child process, for one test file. */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** Environment that points openStore at this server. */
  env: StoreEnv;
  /** Fails requests as `plan` says, counting from now. */
  arm(plan: FaultPlan): Promise<void>;
  /** Stops failing requests. */
  disarm(): Promise<void>;
  /** Requests the server has seen. */
  requests(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the server on 127.0.0.1 with a free port and a fresh folder. */
export async function startTestS3(): Promise<TestS3> {
  const dir = mkdtempSync(path.join(tmpdir(), 'amber-s3-'));
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      'scripts/s3-test-server/main.ts',
      '--dir',
      dir,
      '--port',
      '0',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const endpoint = await firstLine(child);
  const control = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${endpoint}/_amber/${route}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`test S3 ${method} ${route}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    endpoint,
    bucket: 'amber',
    env: {
      AMBER_S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: 'test-key',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_REGION: 'us-east-1',
    },
    arm: async (plan) => void (await control('POST', 'faults', plan)),
    disarm: async () => void (await control('DELETE', 'faults')),
    requests: async () => ((await control('GET', 'stats')) as { requests: number }).requests,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let errors = '';
    child.stderr!.on('data', (part: Buffer) => (errors += part.toString()));
    const timer = setTimeout(() => reject(new Error(`test S3 did not start: ${errors}`)), 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = /^endpoint (\S+)$/.exec(line);
      if (match) resolve(match[1]);
      else reject(new Error(`test S3 said ${JSON.stringify(line)}: ${errors}`));
    });
    child.once('exit', (code) => reject(new Error(`test S3 exited (${code}): ${errors}`)));
  });
}
