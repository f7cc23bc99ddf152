import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/service/job.ts';
import { findBusybox } from '../support/busybox.ts';
import { multipart, program, startTestServer, type FormPart, type TestServer } from './helpers.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ AMBER_MAX_UPLOAD_BYTES: String(4 * 1024 * 1024) });
});
afterAll(async () => server.close());

async function submit(parts: Record<string, FormPart>) {
  const form = multipart(parts);
  return server.app.inject({ method: 'POST', url: '/v1/jobs', ...form });
}

async function submitJob(parts: Record<string, FormPart>): Promise<Job> {
  const res = await submit(parts);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Job;
}

async function getJob(id: string): Promise<Job> {
  const res = await server.app.inject({ method: 'GET', url: `/v1/jobs/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json() as Job;
}

/** Polls until the job leaves queued and running. */
async function settled(id: string): Promise<Job> {
  for (;;) {
    const job = await getJob(id);
    if (!['queued', 'running'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('POST /v1/jobs', () => {
  it('runs a program and, with wait=true, answers 201 once it has exited', async () => {
    const job = await submitJob({ binary: program('hello'), wait: 'true' });
    expect(job.status).toBe('exited');
    expect(job.exitCode).toBe(0);
    expect(job.stdout).toBe('hello, world\n');
    expect(job.stdoutTruncated).toBe(false);
    expect(job.snapshotId).toBeNull();
    expect(job.instance).toBe('test-instance');
    expect(job.stats.instructions).toBeGreaterThan(0);
  });

  it('answers 201 at once without wait, and the job can be followed by id', async () => {
    const job = await submitJob({ binary: program('exit-code'), args: '["7"]' });
    expect(['queued', 'running']).toContain(job.status);
    const done = await settled(job.id);
    expect(done.status).toBe('exited');
    expect(done.exitCode).toBe(7);
    expect(done.stdout).toBe('exiting with 7\natexit handler ran\n');
  });

  it('passes arguments and environment, with the file name as argv[0]', async () => {
    const job = await submitJob({
      binary: program('args'),
      args: '["one","two words"]',
      env: '{"COLOR":"blue"}',
      wait: 'true',
    });
    expect(job.stdout).toContain('argv[0]=args.musl\n');
    expect(job.stdout).toContain('argv[2]=two words\n');
    expect(job.stdout).toContain('COLOR=blue');
  });

  it('feeds the stdin part to the program and closes it by default', async (ctx) => {
    const busybox = findBusybox();
    if (busybox.path === null) return ctx.skip(busybox.reason);
    const { readFileSync } = await import('node:fs');
    const job = await submitJob({
      binary: { filename: 'busybox', bytes: readFileSync(busybox.path) },
      args: '["wc","-c"]',
      stdin: { filename: 'in', bytes: Buffer.from('twelve bytes') },
      wait: 'true',
    });
    expect(job.status).toBe('exited');
    expect(job.stdout.trim()).toBe('12');
  });

  it('kills a job past its instruction limit and says so', async () => {
    const job = await submitJob({
      binary: program('bench-hash'),
      limits: '{"maxInstructions":2000000}',
      wait: 'true',
    });
    expect(job.status).toBe('killed');
    expect(job.error?.code).toBe('LIMIT_INSTRUCTIONS');
    expect(job.stats.instructions).toBeGreaterThanOrEqual(2_000_000);
  });

  it('kills a job that waits on open stdin past its wall-time limit', async (ctx) => {
    const busybox = findBusybox();
    if (busybox.path === null) return ctx.skip(busybox.reason);
    const { readFileSync } = await import('node:fs');
    const job = await submitJob({
      binary: { filename: 'busybox', bytes: readFileSync(busybox.path) },
      args: '["cat"]',
      closeStdin: 'false',
      limits: '{"maxWallMs":300}',
      wait: 'true',
    });
    expect(job.status).toBe('killed');
    expect(job.error?.code).toBe('LIMIT_WALL_TIME');
  });

  it('flags output cut by the output limit', async () => {
    const job = await submitJob({
      binary: program('hello'),
      limits: '{"maxOutputBytes":5}',
      wait: 'true',
    });
    expect(job.stdout).toBe('hello');
    expect(job.stdoutTruncated).toBe(true);
  });

  it.each([
    ['args', { args: 'not json' }, /^args: must be JSON/],
    ['args', { args: '["ok", 3]' }, /^args\.1: /],
    ['env', { env: '{"A=B":"c"}' }, /^env\.A=B: /],
    ['closeStdin', { closeStdin: 'maybe' }, /^closeStdin: /],
    ['limits', { limits: '{"maxInstructions":-1}' }, /^limits\.maxInstructions: /],
    ['limits', { limits: '{"fast":true}' }, /^limits: /],
    ['limits', { limits: '{"maxWallMs":999999999}' }, /^limits\.maxWallMs: at most/],
    ['pause', { pause: '{"whenIdle":"yes"}' }, /^pause\.whenIdle: /],
    ['an unknown field', { colour: 'red' }, /colour/],
  ])('answers 400 naming the field for a bad %s', async (_what, fields, message) => {
    const res = await submit({ binary: program('hello'), ...fields });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'INVALID_FIELD',
      message: expect.stringMatching(message),
    });
  });

  it('answers 400 when the binary part is missing or not a file', async () => {
    const missing = await submit({ args: '[]' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/^binary: /);
    const text = await submit({ binary: 'not a file' });
    expect(text.statusCode).toBe(400);
    expect(text.json()).toMatchObject({ code: 'INVALID_FIELD', message: /^binary: / });
  });

  it('answers 413 for an upload over the limit and leaves nothing behind', async () => {
    const before = jobFiles();
    const big = { filename: 'big', bytes: new Uint8Array(4 * 1024 * 1024 + 1) };
    const res = await submit({ binary: big });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'UPLOAD_TOO_LARGE', message: /^binary: / });
    const stdin = await submit({ binary: program('hello'), stdin: big });
    expect(stdin.statusCode).toBe(413);
    expect(stdin.json().message).toMatch(/^stdin: /);
    expect(jobFiles()).toEqual(before);
  });

  it('answers 415 for a body that is not multipart', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/v1/jobs', payload: { a: 1 } });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 422 with the loader code for a file that is not a loadable ELF', async () => {
    const res = await submit({
      binary: { filename: 'x', bytes: Buffer.from('#!/bin/sh\necho\n') },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'ELF_NOT_ELF', message: /^binary: not an ELF/ });
    const truncated = readProgramBytes('hello').subarray(0, 100);
    const res2 = await submit({ binary: { filename: 'x', bytes: truncated } });
    expect(res2.statusCode).toBe(422);
    expect(res2.json().code).toMatch(/^ELF_/);
  });

  it('accepts an empty pause, and a job that exits first is not paused', async () => {
    const none = await submit({ binary: program('hello'), pause: '{}', wait: 'true' });
    expect(none.statusCode).toBe(201);
    const idle = await submitJob({
      binary: program('hello'),
      pause: '{"whenIdle":true}',
      wait: 'true',
    });
    expect(idle).toMatchObject({ status: 'exited', snapshotId: null });
  });
});

describe('the other job routes', () => {
  it('serve stdout and stderr as raw bytes', async () => {
    const job = await submitJob({ binary: program('hello'), wait: 'true' });
    const out = await server.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}/stdout` });
    expect(out.statusCode).toBe(200);
    expect(out.headers['content-type']).toBe('application/octet-stream');
    expect(out.body).toBe('hello, world\n');
    const err = await server.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}/stderr` });
    expect(err.statusCode).toBe(200);
    expect(err.rawPayload.length).toBe(0);
  });

  it('keep job records and output in the store folder', async () => {
    const job = await submitJob({ binary: program('hello'), wait: 'true' });
    const base = join(server.dir, 'jobs', 'default', job.id);
    expect(existsSync(`${base}.json`)).toBe(true);
    expect(existsSync(join(base, 'stdout'))).toBe(true);
  });

  it('answer 404 for an unknown job and 400 for a malformed id', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/v1/jobs/${id}`, `/v1/jobs/${id}/stdout`, `/v1/jobs/${id}/stderr`]) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('JOB_NOT_FOUND');
    }
    const del = await server.app.inject({ method: 'DELETE', url: `/v1/jobs/${id}` });
    expect(del.statusCode).toBe(404);
    const pause = await server.app.inject({ method: 'POST', url: `/v1/jobs/${id}/pause` });
    expect(pause.statusCode).toBe(404);
    const bad = await server.app.inject({ method: 'GET', url: '/v1/jobs/nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_FIELD', message: /^id: / });
  });

  it('answer 409 to pausing or killing a finished job', async () => {
    const job = await submitJob({ binary: program('hello'), wait: 'true' });
    const pause = await server.app.inject({ method: 'POST', url: `/v1/jobs/${job.id}/pause` });
    expect(pause.statusCode).toBe(409);
    expect(pause.json().code).toBe('JOB_FINISHED');
    const del = await server.app.inject({ method: 'DELETE', url: `/v1/jobs/${job.id}` });
    expect(del.statusCode).toBe(409);
    expect(del.json().code).toBe('JOB_FINISHED');
  });

  it('queue jobs beyond the pool, show their position, and kill queued and running ones', async () => {
    const long = await submitJob({ binary: program('bench-sieve'), limits: '{"maxWallMs":20000}' });
    const waiting = await submitJob({ binary: program('hello') });
    expect(waiting.status).toBe('queued');
    expect(waiting.queuePosition).toBe(1);
    const third = await submitJob({ binary: program('hello') });
    expect(third.queuePosition).toBe(2);

    const killQueued = await server.app.inject({ method: 'DELETE', url: `/v1/jobs/${waiting.id}` });
    expect(killQueued.statusCode).toBe(200);
    expect(killQueued.json()).toMatchObject({
      status: 'killed',
      error: { code: 'KILLED_BY_CLIENT' },
    });
    expect((await getJob(third.id)).queuePosition).toBe(1);

    const running = await getJob(long.id);
    expect(running.status).toBe('running');
    const killRunning = await server.app.inject({ method: 'DELETE', url: `/v1/jobs/${long.id}` });
    expect(killRunning.json()).toMatchObject({
      status: 'killed',
      error: { code: 'KILLED_BY_CLIENT' },
    });
    expect((await settled(third.id)).status).toBe('exited');
  });
});

function jobFiles(): string[] {
  const dir = join(server.dir, 'jobs');
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];
}

function readProgramBytes(name: string): Buffer {
  const part = program(name);
  return Buffer.from(typeof part === 'string' ? part : part.bytes);
}
