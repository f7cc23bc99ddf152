import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestS3, type TestS3 } from './s3-test-server.ts';

/*
 * What our S3 store relies on, checked on the test server with plain HTTP
 * (no SDK): the fixes our front adds to s3rver hold.
 */

let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => s3?.stop());

// s3rver checks only that a version 4 credential's key exists, and the date.
const auth = (key: string): Record<string, string> => {
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return {
    authorization:
      `AWS4-HMAC-SHA256 Credential=${key}/${now.slice(0, 8)}/us-east-1/s3/aws4_request, ` +
      'SignedHeaders=host, Signature=00',
    'x-amz-date': now,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
  };
};

async function send(method: string, key: string, headers = {}, body?: string) {
  const res = await fetch(`${s3.endpoint}/amber/${key}`, {
    method,
    headers: { ...auth('anyone-at-all'), ...headers },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, etag: res.headers.get('etag'), text: await res.text() };
}

describe('the S3 test server', () => {
  it('accepts any access key', async () => {
    expect((await send('PUT', 'any/key', auth('a-key-never-seen'), 'x')).status).toBe(200);
  });

  it('honours If-None-Match: * on PUT', async () => {
    expect((await send('PUT', 'inm', { 'if-none-match': '*' }, 'one')).status).toBe(200);
    const second = await send('PUT', 'inm', { 'if-none-match': '*' }, 'two');
    expect(second.status).toBe(412);
    expect(second.text).toContain('PreconditionFailed');
    expect((await send('GET', 'inm')).text).toBe('one');
  });

  it('honours If-Match on PUT', async () => {
    const first = await send('PUT', 'im', {}, 'one');
    expect((await send('PUT', 'im', { 'if-match': '"0000"' }, 'two')).status).toBe(412);
    expect((await send('PUT', 'im', { 'if-match': first.etag! }, 'three')).status).toBe(200);
    expect((await send('GET', 'im')).text).toBe('three');
    expect((await send('PUT', 'absent', { 'if-match': '*' }, 'x')).status).toBe(404);
  });

  it('answers a suffix range with the last bytes', async () => {
    await send('PUT', 'range', {}, '0123456789');
    const tail = await send('GET', 'range', { range: 'bytes=-3' });
    expect(tail.status).toBe(206);
    expect(tail.text).toBe('789');
    expect((await send('GET', 'range', { range: 'bytes=-30' })).text).toBe('0123456789');
  });

  it('fails requests from the Nth on as armed, then recovers', async () => {
    await s3.arm({ after: 1, mode: 'refuse', times: 2 });
    expect((await send('GET', 'range')).status).toBe(200);
    expect((await send('GET', 'range')).status).toBe(503);
    expect((await send('GET', 'range')).status).toBe(503);
    expect((await send('GET', 'range')).status).toBe(200);
    await s3.arm({ after: 0, mode: 'hangup' });
    await expect(send('GET', 'range')).rejects.toThrow();
    await s3.disarm();
    expect((await send('GET', 'range')).status).toBe(200);
  });
});
