import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderStore, StoreError, type BlobStore } from '../../src/store/index.ts';
import { multipart, program, startTestServer, type TestServer } from './helpers.ts';

/** A folder store that can be switched off, as a store that went down. */
class FlakyStore extends FolderStore {
  down = false;
  private check(): void {
    if (this.down) throw new StoreError('STORE_UNAVAILABLE', 'the test store is down');
  }
  override async put(...args: Parameters<BlobStore['put']>) {
    this.check();
    return super.put(...args);
  }
  override async get(key: string) {
    this.check();
    return super.get(key);
  }
}

let server: TestServer;
let store: FlakyStore;

beforeAll(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  store = new FlakyStore(mkdtempSync(`${tmpdir()}/amber-flaky-`), { durable: false });
  server = await startTestServer({}, { store });
});
afterAll(async () => server.close());

describe('health, metrics and docs', () => {
  it('answer /healthz and /readyz while the store works', async () => {
    const live = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('serve Prometheus metrics with jobs, instructions, queue and store errors', async () => {
    const form = multipart({ binary: program('hello'), wait: 'true' });
    await server.app.inject({ method: 'POST', url: '/v1/jobs', ...form });
    const res = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/amber_jobs_finished_total\{state="exited"\} [1-9]/);
    expect(res.body).toMatch(/amber_guest_instructions_total [1-9]/);
    expect(res.body).toContain('amber_queue_length 0');
    expect(res.body).toContain('amber_jobs{state="running"} 0');
    expect(res.body).toContain('amber_store_errors_total');
  });

  it('serve an OpenAPI document generated from the route schemas', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/docs/json' });
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/v1/jobs',
      '/v1/jobs/{id}',
      '/v1/jobs/{id}/stdout',
      '/v1/jobs/{id}/pause',
      '/v1/snapshots/{id}',
      '/v1/snapshots/{id}/resume',
      '/v1/snapshots/{id}/export',
      '/v1/snapshots/import',
      '/v1/images',
      '/v1/images/{name}',
      '/v1/images/{name}/invoke',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const post = doc.paths['/v1/jobs'].post;
    const form = post.requestBody.content['multipart/form-data'].schema;
    expect(form.properties.binary).toMatchObject({ type: 'string', format: 'binary' });
    expect(form.required).toContain('binary');
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '413', '422']),
    );
    const ui = await server.app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBeLessThan(400);
  });

  it('answers 404 as JSON for an unknown route', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/v2/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers 503 when the store is down, and counts the store errors', async () => {
    store.down = true;
    try {
      const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().code).toBe('STORE_UNAVAILABLE');
      const form = multipart({ binary: program('hello') });
      const submit = await server.app.inject({ method: 'POST', url: '/v1/jobs', ...form });
      expect(submit.statusCode).toBe(503);
      expect(submit.json().code).toBe('STORE_UNAVAILABLE');
      const get = await server.app.inject({
        method: 'GET',
        url: '/v1/jobs/00000000-0000-4000-8000-000000000000',
      });
      expect(get.statusCode).toBe(503);
      const metrics = await server.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/amber_store_errors_total\{operation="save-job"\} [1-9]/);
    } finally {
      store.down = false;
    }
  });
});
