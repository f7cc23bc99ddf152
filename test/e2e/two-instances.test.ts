/**
 * Two Amber instances sharing one S3 bucket (the test S3 server), on real
 * sockets: instance A is `amber serve` in a child process, so that it can
 * be sent SIGTERM; instance B is built in this process. Jobs paused on one
 * continue on the other, images answer on both, and a deploy (SIGTERM)
 * loses no work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type AmberServer } from '../../src/server.ts';
import { configFromEnv } from '../../src/service/config.ts';
import type { Job } from '../../src/service/job.ts';
import { guestBinary } from '../support/guest.ts';
import { findBusybox } from '../support/busybox.ts';
import { startTestS3, type TestS3 } from '../store/s3-test-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STORE = 's3://amber/e2e';

let s3: TestS3;
let a: { child: ChildProcess; url: string; exited: Promise<number | null> };
let b: { server: AmberServer; url: string };

/** Starts `amber serve` as a child process; resolves once it listens. */
async function serveChild(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['bin/amber.js', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  for (let i = 0; i < 600; i++) {
    const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
    if (m) return { child, url: m[1], exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`amber serve did not start: ${log}`);
}

beforeAll(async () => {
  s3 = await startTestS3();
  const env = { ...s3.env, AMBER_STORE: STORE, AMBER_WORKERS: '2', LOG_LEVEL: 'info' };
  const [childA, server] = await Promise.all([
    serveChild({ ...env, PORT: '0', HOST: '127.0.0.1', AMBER_INSTANCE_ID: 'instance-a' }),
    buildServer(configFromEnv({ ...env, LOG_LEVEL: 'silent', AMBER_INSTANCE_ID: 'instance-b' }), {
      env,
    }),
  ]);
  a = childA;
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  b = { server, url };
}, 120_000);

afterAll(async () => {
  if (a?.child.exitCode === null) a.child.kill('SIGKILL');
  await b?.server.app.close();
  await s3?.stop();
});

async function call<T>(base: string, method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body
      ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Submits a program with the multipart form of POST /v1/jobs. */
async function submit(
  base: string,
  binary: { name: string; bytes: Uint8Array },
  fields: Record<string, string>,
  stdin?: string,
): Promise<Job> {
  const form = new FormData();
  form.append('binary', new Blob([binary.bytes]), binary.name);
  if (stdin !== undefined) form.append('stdin', new Blob([stdin]), 'stdin');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${base}/v1/jobs`, { method: 'POST', body: form });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /v1/jobs: ${res.status} ${text}`);
  return JSON.parse(text) as Job;
}

const lines = () => ({
  name: 'stdin-lines',
  bytes: readFileSync(guestBinary('stdin-lines', 'musl')),
});

let snapshotId: string;

describe('two instances sharing a bucket', () => {
  it('resume on B, with new input, a job that paused idle on A', async () => {
    const paused = await submit(
      a.url,
      lines(),
      { closeStdin: 'false', pause: '{"whenIdle":true}', wait: 'true' },
      'abc\n',
    );
    expect(paused).toMatchObject({ status: 'paused', pausedFor: 'idle', instance: 'instance-a' });
    snapshotId = paused.snapshotId!;

    const resumed = await call<Job>(b.url, 'POST', `/v1/snapshots/${snapshotId}/resume`, {
      stdin: 'hello\n',
      closeStdin: true,
      wait: true,
    });
    const whole = await submit(b.url, lines(), { wait: 'true' }, 'abc\nhello\n');
    expect(resumed).toMatchObject({ status: 'exited', instance: 'instance-b', exitCode: 2 });
    expect(paused.stdout + resumed.stdout).toBe(whole.stdout);
    expect(resumed.stderr).toBe(whole.stderr);
    // Either instance answers for either job.
    const seen = await call<Job>(a.url, 'GET', `/v1/jobs/${resumed.id}`);
    expect(seen.stdout).toBe(resumed.stdout);
  });

  it('answer invocations of an image on both instances at once', async () => {
    await call(a.url, 'PUT', '/v1/images/lines', { snapshotId });
    const inputs = ['one\n', 'two\n', 'three\n', 'four\n'];
    const jobs = await Promise.all(
      inputs.map((stdin, k) =>
        call<Job>(k % 2 === 0 ? a.url : b.url, 'POST', '/v1/images/lines/invoke', { stdin }),
      ),
    );
    const expected = await Promise.all(
      inputs.map((stdin) => submit(b.url, lines(), { wait: 'true' }, `abc\n${stdin}`)),
    );
    for (const [k, job] of jobs.entries()) {
      expect(job.status).toBe('exited');
      expect(job.instance).toBe(k % 2 === 0 ? 'instance-a' : 'instance-b');
      expect(expected[k].stdout.endsWith(job.stdout)).toBe(true);
      expect(job.stdout.split('\n')).toHaveLength(2);
    }
    const image = await call<{ snapshotId: string }>(b.url, 'GET', '/v1/images/lines');
    expect(image.snapshotId).toBe(snapshotId);
  });

  it('on SIGTERM, A pauses its running job, and B resumes it to the uninterrupted output', async (ctx) => {
    const busybox = findBusybox();
    if (busybox.path === null) return ctx.skip(busybox.reason);
    const binary = { name: 'busybox', bytes: readFileSync(busybox.path) };
    // It computes, waits 2 s for input that never comes (where the SIGTERM
    // is meant to land, whatever the speed of this machine: a wait with a
    // deadline is not idle), computes again and prints as it goes.
    const script =
      'i=0; s=7; step() { while [ $i -lt $1 ]; do i=$((i+1)); s=$(((s*31+i)%1000003)); done; ' +
      'echo "$i $s"; }; step 40; read -t 2 x; step 80; step 120; echo done';
    const args = JSON.stringify(['sh', '-c', script]);
    const job = await submit(a.url, binary, { args, closeStdin: 'false' });

    // Wait until it has printed its first line, then stop A.
    let seen = job;
    for (let i = 0; i < 1200 && seen.stdout === ''; i++) {
      await new Promise((r) => setTimeout(r, 25));
      seen = await call<Job>(a.url, 'GET', `/v1/jobs/${job.id}`);
    }
    expect(seen.status).toBe('running');
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);

    const paused = await call<Job>(b.url, 'GET', `/v1/jobs/${job.id}`);
    expect(paused).toMatchObject({ status: 'paused', pausedFor: 'request' });
    const resumed = await call<Job>(b.url, 'POST', `/v1/snapshots/${paused.snapshotId}/resume`, {
      wait: true,
    });
    const whole = await submit(b.url, binary, { args, closeStdin: 'false', wait: 'true' });
    expect(whole).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(resumed).toMatchObject({ status: 'exited', exitCode: 0, instance: 'instance-b' });
    expect(paused.stdout + resumed.stdout).toBe(whole.stdout);
    expect(whole.stdout).toMatch(/^40 \d+\n80 \d+\n120 \d+\ndone\n$/);
    expect(paused.stdout).not.toContain('done');
  });
});
