import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, program, startTestServer, type TestServer } from './helpers.ts';

const KEY_A = 'key-for-tenant-a-0123456789';
const KEY_B = 'key-for-tenant-b-0123456789';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ AMBER_API_KEYS: `${KEY_A}:tenantA,${KEY_B}:tenantB` });
});
afterAll(async () => server.close());

function submitAs(headers: Record<string, string>) {
  const form = multipart({ binary: program('hello'), wait: 'true' });
  return server.app.inject({
    method: 'POST',
    url: '/v1/jobs',
    payload: form.payload,
    headers: { ...form.headers, ...headers },
  });
}

describe('API keys', () => {
  it('answer 401 without a key or with an unknown one', async () => {
    const none = await submitAs({});
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('UNAUTHORIZED');
    const wrong = await submitAs({ authorization: 'Bearer not-a-key-at-all-000' });
    expect(wrong.statusCode).toBe(401);
    const get = await server.app.inject({
      method: 'GET',
      url: '/v1/jobs/00000000-0000-4000-8000-000000000000',
    });
    expect(get.statusCode).toBe(401);
  });

  it('let each tenant see its own jobs and answer 404 for the others', async () => {
    const res = await submitAs({ authorization: `Bearer ${KEY_A}` });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    const mine = await server.app.inject({
      method: 'GET',
      url: `/v1/jobs/${id}`,
      headers: { 'x-api-key': KEY_A },
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().stdout).toBe('hello, world\n');
    for (const url of [`/v1/jobs/${id}`, `/v1/jobs/${id}/stdout`]) {
      const theirs = await server.app.inject({
        method: 'GET',
        url,
        headers: { 'x-api-key': KEY_B },
      });
      expect(theirs.statusCode).toBe(404);
      expect(theirs.json().code).toBe('JOB_NOT_FOUND');
    }
    const kill = await server.app.inject({
      method: 'DELETE',
      url: `/v1/jobs/${id}`,
      headers: { authorization: `Bearer ${KEY_B}` },
    });
    expect(kill.statusCode).toBe(404);
  });

  it('leave the probes, metrics and docs open', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs/json']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
    }
  });
});
