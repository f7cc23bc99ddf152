import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/service/job.ts';
import type { SnapshotInfo } from '../../src/service/snapshot-service.ts';
import { answer, multipart, program, startTestServer, type TestServer } from './helpers.ts';

let server: TestServer;
let other: TestServer;

beforeAll(async () => {
  [server, other] = await Promise.all([
    startTestServer(),
    startTestServer({ AMBER_MAX_IMPORT_BYTES: '200000', AMBER_INSTANCE_ID: 'other' }),
  ]);
});
afterAll(async () => Promise.all([server.close(), other.close()]));

/** stdin-lines' answer to one line (see test/guest/src/stdin-lines.c). */
const LINE_ABC = '   3 e71fa2190541574b cba\n';

/** A job that reads "abc", answers, and pauses waiting for more input. */
async function pausedJob(s = server): Promise<Job> {
  const form = multipart({
    binary: program('stdin-lines'),
    stdin: { filename: 'in', bytes: Buffer.from('abc\n') },
    closeStdin: 'false',
    pause: '{"whenIdle":true}',
    wait: 'true',
  });
  return answer<Job>(await s.app.inject({ method: 'POST', url: '/v1/jobs', ...form }), 201);
}

function resume(id: string, body: object, s = server) {
  return s.app.inject({ method: 'POST', url: `/v1/snapshots/${id}/resume`, payload: body });
}

/** What an uninterrupted run prints for the given input. */
async function uninterrupted(input: string): Promise<Job> {
  const form = multipart({
    binary: program('stdin-lines'),
    stdin: { filename: 'in', bytes: Buffer.from(input) },
    wait: 'true',
  });
  return answer<Job>(await server.app.inject({ method: 'POST', url: '/v1/jobs', ...form }), 201);
}

describe('pausing jobs', () => {
  it('pauses a job that waits on open stdin and saves it, with the save figures', async () => {
    const job = await pausedJob();
    expect(job).toMatchObject({ status: 'paused', pausedFor: 'idle', stdout: LINE_ABC });
    expect(job.snapshotId).toMatch(/^[a-z0-9]/);
    expect(job.stats.saveMs).toBeGreaterThanOrEqual(0);
    expect(job.stats.bytes).toBeGreaterThan(0);
    expect(job.stats.chunksWritten).toBeGreaterThan(0);
    expect(job.stats.startMs).toBeGreaterThan(0);
    const metrics = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^amber_snapshot_save_seconds_count [1-9]/m);
    expect(metrics.body).toMatch(/^amber_snapshot_saved_bytes_total [1-9]/m);
    expect(metrics.body).toMatch(/^amber_jobs_finished_total\{state="paused"\} [1-9]/m);
  });

  it('pauses after an instruction budget, and the resumed job finishes the program', async () => {
    const form = multipart({
      binary: program('hello'),
      pause: '{"afterInstructions":300}',
      wait: 'true',
    });
    const job = answer<Job>(
      await server.app.inject({ method: 'POST', url: '/v1/jobs', ...form }),
      201,
    );
    expect(job).toMatchObject({ status: 'paused', pausedFor: 'instructions', stdout: '' });
    expect(job.stats.instructions).toBe(300);
    const done = answer<Job>(await resume(job.snapshotId!, { closeStdin: true, wait: true }), 201);
    expect(done).toMatchObject({ status: 'exited', exitCode: 0, stdout: 'hello, world\n' });
    expect(done.resumedFrom).toBe(job.snapshotId);
  });

  it('pauses a running job on request, and 409s a queued one', async () => {
    const waiting = multipart({ binary: program('stdin-lines'), closeStdin: 'false' });
    const first = answer<Job>(
      await server.app.inject({ method: 'POST', url: '/v1/jobs', ...waiting }),
      201,
    );
    const queued = answer<Job>(
      await server.app.inject({
        method: 'POST',
        url: '/v1/jobs',
        ...multipart({ binary: program('hello') }),
      }),
      201,
    );
    const early = await server.app.inject({ method: 'POST', url: `/v1/jobs/${queued.id}/pause` });
    expect(answer(early, 409)).toMatchObject({ code: 'JOB_NOT_STARTED' });

    const paused = answer<Job>(
      await server.app.inject({ method: 'POST', url: `/v1/jobs/${first.id}/pause` }),
      200,
    );
    expect(paused).toMatchObject({ status: 'paused', pausedFor: 'request' });
    const again = await server.app.inject({ method: 'POST', url: `/v1/jobs/${first.id}/pause` });
    expect(answer(again, 409)).toMatchObject({ code: 'JOB_FINISHED' });
    const done = answer<Job>(
      await resume(paused.snapshotId!, { stdin: 'abc\n', closeStdin: true, wait: true }),
      201,
    );
    expect(done).toMatchObject({
      status: 'exited',
      exitCode: 1,
      stdout: LINE_ABC,
      stderr: 'lines: 1\n',
    });
  });
});

describe('snapshot routes', () => {
  it('describe a snapshot: parent, sizes, chunks, feature set, the job', async () => {
    const job = await pausedJob();
    const info = answer<SnapshotInfo>(
      await server.app.inject({ method: 'GET', url: `/v1/snapshots/${job.snapshotId}` }),
      200,
    );
    expect(info).toMatchObject({
      id: job.snapshotId,
      parent: null,
      job: job.id,
      pausedFor: 'idle',
      compatible: true,
      incompatibility: null,
    });
    expect(info.featureSet?.features).toContain('sse2');
    expect(info.sizes.total).toBe(info.sizes.header + info.sizes.kernelState + info.sizes.memory);
    expect(info.chunks.written + info.chunks.shared).toBeLessThanOrEqual(info.chunks.total);
    expect(Date.parse(info.created)).toBeGreaterThan(0);
  });

  it('resume a snapshot with more input to the output of an uninterrupted run, many times', async () => {
    const job = await pausedJob();
    const whole = await uninterrupted('abc\nxyz\n');
    for (const body of [
      { stdin: 'xyz\n', closeStdin: true, wait: true },
      {
        stdin: Buffer.from('xyz\n').toString('base64'),
        stdinEncoding: 'base64',
        closeStdin: true,
        wait: true,
      },
    ]) {
      const done = answer<Job>(await resume(job.snapshotId!, body), 201);
      expect(job.stdout + done.stdout).toBe(whole.stdout);
      expect(done).toMatchObject({ status: 'exited', exitCode: 2, stderr: whole.stderr });
    }
  });

  it('pause a resumed job again into a child snapshot that shares chunks', async () => {
    const job = await pausedJob();
    const next = answer<Job>(await resume(job.snapshotId!, { stdin: 'xyz\n', wait: true }), 201);
    expect(next).toMatchObject({ status: 'paused', pausedFor: 'idle' });
    expect(next.stats.chunksShared).toBeGreaterThan(0);
    const info = answer<SnapshotInfo>(
      await server.app.inject({ method: 'GET', url: `/v1/snapshots/${next.snapshotId}` }),
      200,
    );
    expect(info.parent).toBe(job.snapshotId);
    expect(info.chunks.shared).toBe(next.stats.chunksShared);
  });

  it('deliver a signal on resume', async () => {
    const job = await pausedJob();
    const done = answer<Job>(await resume(job.snapshotId!, { signal: 'SIGTERM', wait: true }), 201);
    expect(done).toMatchObject({ status: 'exited', signal: 15, exitCode: 143, stdout: '' });
  });

  it('answer without waiting, and the resumed job can be followed', async () => {
    const job = await pausedJob();
    const started = answer<Job>(await resume(job.snapshotId!, { closeStdin: true }), 201);
    expect(['queued', 'running']).toContain(started.status);
    const done = await server.jobs.waitFor('default', started.id);
    expect(done).toMatchObject({ status: 'exited', stderr: 'lines: 1\n' });
  });

  it('refuse bad resume requests with 400 naming the field, and unknown snapshots with 404', async () => {
    const job = await pausedJob();
    const id = job.snapshotId!;
    const cases: [object, RegExp][] = [
      [{ stdin: '%%%', stdinEncoding: 'base64' }, /^stdin: /],
      [{ signal: 'SIGNOPE' }, /^signal: /],
      [{ limits: { maxWallMs: 10 ** 12 } }, /^limits\.maxWallMs: /],
      [{ pause: { afterInstructions: 0 } }, /^pause\.afterInstructions: /],
      [{ extra: 1 }, /extra/],
    ];
    for (const [body, message] of cases) {
      const res = await resume(id, body);
      expect(answer(res, 400)).toMatchObject({ code: 'INVALID_FIELD', message });
    }
    const missing = '20990101t000000z-0000000000';
    for (const [method, url] of [
      ['GET', `/v1/snapshots/${missing}`],
      ['POST', `/v1/snapshots/${missing}/resume`],
      ['DELETE', `/v1/snapshots/${missing}`],
      ['GET', `/v1/snapshots/${missing}/export`],
    ] as const) {
      const res = await server.app.inject({
        method,
        url,
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect(answer(res, 404)).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    }
    const bad = await server.app.inject({ method: 'GET', url: '/v1/snapshots/Not_An.Id' });
    expect(answer(bad, 400)).toMatchObject({ code: 'INVALID_FIELD', message: /^id: / });
  });

  it('export a snapshot as one stream that another store imports and resumes', async () => {
    const job = await pausedJob();
    const id = job.snapshotId!;
    const exported = await server.app.inject({ method: 'GET', url: `/v1/snapshots/${id}/export` });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('application/octet-stream');
    const stream = exported.rawPayload;

    const imported = answer<SnapshotInfo>(
      await other.app.inject({
        method: 'POST',
        url: '/v1/snapshots/import',
        headers: { 'content-type': 'application/octet-stream' },
        payload: stream,
      }),
      201,
    );
    expect(imported).toMatchObject({ id, job: job.id });
    const done = answer<Job>(
      await resume(id, { stdin: 'xyz\n', closeStdin: true, wait: true }, other),
      201,
    );
    expect(done).toMatchObject({ status: 'exited', exitCode: 2, instance: 'other' });

    const twice = await other.app.inject({
      method: 'POST',
      url: '/v1/snapshots/import',
      headers: { 'content-type': 'application/octet-stream' },
      payload: stream,
    });
    expect(answer(twice, 409)).toMatchObject({ code: 'SNAPSHOT_EXISTS' });
  });

  it('refuse imports that are corrupt (422), too large (413) or not a stream (415)', async () => {
    const job = await pausedJob();
    const exported = await server.app.inject({
      method: 'GET',
      url: `/v1/snapshots/${job.snapshotId}/export`,
    });
    const bytes = Buffer.from(exported.rawPayload);
    const post = (payload: Buffer | string, type = 'application/octet-stream') =>
      other.app.inject({
        method: 'POST',
        url: '/v1/snapshots/import',
        headers: { 'content-type': type },
        payload,
      });

    const cut = bytes.subarray(0, bytes.length - 40);
    expect(answer(await post(cut), 422)).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    const flipped = Buffer.from(bytes);
    flipped[flipped.length >> 1] ^= 0x40;
    expect(answer(await post(flipped), 422)).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    expect(answer(await post(Buffer.alloc(300_000, 1)), 413)).toMatchObject({
      code: 'UPLOAD_TOO_LARGE',
    });
    expect(answer(await post('{}', 'application/json'), 415)).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    const gone = await other.app.inject({ method: 'GET', url: `/v1/snapshots/${job.snapshotId}` });
    expect(gone.statusCode).toBe(404);
  });

  it('delete a snapshot, and refuse while an image names it', async () => {
    const job = await pausedJob();
    const id = job.snapshotId!;
    answer(
      await server.app.inject({
        method: 'PUT',
        url: '/v1/images/keeper',
        payload: { snapshotId: id },
      }),
      201,
    );
    const busy = await server.app.inject({ method: 'DELETE', url: `/v1/snapshots/${id}` });
    expect(answer(busy, 409)).toMatchObject({ code: 'SNAPSHOT_IN_USE', message: /keeper/ });
    answer(await server.app.inject({ method: 'DELETE', url: '/v1/images/keeper' }), 200);
    const del = answer(
      await server.app.inject({ method: 'DELETE', url: `/v1/snapshots/${id}` }),
      200,
    );
    expect(del).toMatchObject({ id });
    const gone = await server.app.inject({ method: 'GET', url: `/v1/snapshots/${id}` });
    expect(answer(gone, 404)).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
  });
});
