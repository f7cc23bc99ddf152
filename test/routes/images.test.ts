import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Image } from '../../src/service/image-service.ts';
import type { Job } from '../../src/service/job.ts';
import { answer, multipart, program, startTestServer, type TestServer } from './helpers.ts';

const KEY_A = 'key-of-tenant-a-0123456789';
const KEY_B = 'key-of-tenant-b-0123456789';
const A = { authorization: `Bearer ${KEY_A}` };
const B = { authorization: `Bearer ${KEY_B}` };

let server: TestServer;
let snapshotId: string;

/** stdin-lines' answers (see test/guest/src/stdin-lines.c). */
const LINE_HELLO = '   5 a430d84680aabd0b olleh\n';

beforeAll(async () => {
  server = await startTestServer({
    AMBER_API_KEYS: `${KEY_A}:tenant-a,${KEY_B}:tenant-b`,
    AMBER_WORKERS: '2',
  });
  // The image: stdin-lines after its first line, waiting for the next.
  const form = multipart({
    binary: program('stdin-lines'),
    stdin: { filename: 'in', bytes: Buffer.from('abc\n') },
    closeStdin: 'false',
    pause: '{"whenIdle":true}',
    wait: 'true',
  });
  const res = await server.app.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers: { ...A, ...form.headers },
    payload: form.payload,
  });
  snapshotId = answer<Job>(res, 201).snapshotId!;
});
afterAll(async () => server.close());

const call = (
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  url: string,
  headers: Record<string, string> = A,
  payload?: object,
) => server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

describe('image routes', () => {
  it('create an image from a snapshot (201), repoint it (200), list, show and delete it', async () => {
    const made = answer<Image>(await call('PUT', '/v1/images/echo', A, { snapshotId }), 201);
    expect(made).toMatchObject({ name: 'echo', snapshotId });
    const again = answer<Image>(await call('PUT', '/v1/images/echo', A, { snapshotId }), 200);
    expect(again.createdAt).toBe(made.createdAt);
    answer(await call('PUT', '/v1/images/other', A, { snapshotId }), 201);

    const list = answer<{ images: Image[] }>(await call('GET', '/v1/images'), 200);
    expect(list.images.map((i) => i.name)).toEqual(['echo', 'other']);
    expect(answer<Image>(await call('GET', '/v1/images/other'), 200).snapshotId).toBe(snapshotId);
    answer(await call('DELETE', '/v1/images/other'), 200);
    expect(answer(await call('GET', '/v1/images/other'), 404)).toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
    expect(answer(await call('DELETE', '/v1/images/other'), 404)).toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
  });

  it('invoke an image: the job holds the output since the restore, and the image stays', async () => {
    answer(await call('PUT', '/v1/images/lines', A, { snapshotId }), 201);
    const inputs = ['hello\n', 'hello\n', 'xy\nz\n'];
    const jobs = await Promise.all(
      inputs.map(async (stdin) =>
        answer<Job>(await call('POST', '/v1/images/lines/invoke', A, { stdin }), 200),
      ),
    );
    expect(jobs[0]).toMatchObject({
      status: 'exited',
      exitCode: 2,
      stdout: LINE_HELLO,
      stderr: 'lines: 2\n',
      resumedFrom: snapshotId,
      snapshotId: null,
    });
    expect(jobs[1].stdout).toBe(LINE_HELLO);
    expect(jobs[2]).toMatchObject({ exitCode: 3, stderr: 'lines: 3\n' });
    const image = answer<Image>(await call('GET', '/v1/images/lines'), 200);
    expect(image.snapshotId).toBe(snapshotId);
  });

  it('answer an invocation that leaves stdin open when the program pauses again', async () => {
    answer(await call('PUT', '/v1/images/open', A, { snapshotId }), 201);
    const job = answer<Job>(
      await call('POST', '/v1/images/open/invoke', A, { stdin: 'hello\n', closeStdin: false }),
      200,
    );
    expect(job).toMatchObject({ status: 'paused', pausedFor: 'idle', stdout: LINE_HELLO });
    expect(job.snapshotId).not.toBe(snapshotId);
  });

  it('refuse bad names (400), unknown snapshots and images (404)', async () => {
    expect(answer(await call('PUT', '/v1/images/Bad!', A, { snapshotId }), 400)).toMatchObject({
      code: 'INVALID_FIELD',
      message: /^name: /,
    });
    const missing = '20990101t000000z-0000000000';
    expect(
      answer(await call('PUT', '/v1/images/x', A, { snapshotId: missing }), 404),
    ).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    expect(answer(await call('PUT', '/v1/images/x', A, {}), 400)).toMatchObject({
      code: 'INVALID_FIELD',
      message: /snapshotId/,
    });
    expect(answer(await call('POST', '/v1/images/nope/invoke', A, {}), 404)).toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
    expect(
      answer(await call('POST', '/v1/images/lines/invoke', A, { closeStdin: 'yes' }), 400),
    ).toMatchObject({ code: 'INVALID_FIELD', message: /^closeStdin: / });
  });

  it("keep each tenant's images and snapshots to itself, and ask for a key", async () => {
    answer(await call('PUT', '/v1/images/private', A, { snapshotId }), 201);
    expect(answer(await call('GET', '/v1/images/private', B), 404)).toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
    expect(answer<{ images: Image[] }>(await call('GET', '/v1/images', B), 200).images).toEqual([]);
    expect(answer(await call('GET', `/v1/snapshots/${snapshotId}`, B), 404)).toMatchObject({
      code: 'SNAPSHOT_NOT_FOUND',
    });
    expect(
      answer(await call('POST', `/v1/snapshots/${snapshotId}/resume`, B, {}), 404),
    ).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    expect(answer(await call('PUT', '/v1/images/mine', B, { snapshotId }), 404)).toMatchObject({
      code: 'SNAPSHOT_NOT_FOUND',
    });
    expect(answer(await call('GET', `/v1/snapshots/${snapshotId}`, A), 200)).toMatchObject({
      id: snapshotId,
    });
    for (const url of ['/v1/images', '/v1/images/private', `/v1/snapshots/${snapshotId}`]) {
      expect(answer(await call('GET', url, {}), 401)).toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });
});
