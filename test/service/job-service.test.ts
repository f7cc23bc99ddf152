import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/service/job.ts';
import { multipart, program, startTestServer } from '../routes/helpers.ts';

describe('JobService shutdown', () => {
  it('stops taking jobs, pauses running ones into snapshots, and kills queued ones', async () => {
    const server = await startTestServer();
    try {
      const submit = async (name: string) => {
        const form = multipart({ binary: program(name) });
        const res = await server.app.inject({ method: 'POST', url: '/v1/jobs', ...form });
        return res.json() as Job;
      };
      const long = await submit('bench-sieve');
      const queued = await submit('hello');
      expect(queued.status).toBe('queued');

      const stopping = server.jobs.shutdown(20_000);
      const late = multipart({ binary: program('hello') });
      const refused = await server.app.inject({ method: 'POST', url: '/v1/jobs', ...late });
      expect(refused.statusCode).toBe(503);
      expect(refused.json().code).toBe('SHUTTING_DOWN');
      const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      await stopping;

      // The records in the store say what happened to each job.
      const record = (id: string) =>
        JSON.parse(readFileSync(join(server.dir, 'jobs', 'default', `${id}.json`), 'utf8')).job;
      expect(record(long.id)).toMatchObject({ status: 'paused', pausedFor: 'request' });
      expect(record(long.id).snapshotId).toMatch(/^[a-z0-9]/);
      expect(record(queued.id)).toMatchObject({
        status: 'killed',
        error: { code: 'INSTANCE_SHUTDOWN' },
      });
    } finally {
      await server.close();
    }
  });

  it('lets a job that ends before it can pause end normally', async () => {
    const server = await startTestServer();
    try {
      const form = multipart({ binary: program('hello') });
      const res = await server.app.inject({ method: 'POST', url: '/v1/jobs', ...form });
      const id = (res.json() as Job).id;
      await server.jobs.shutdown(10_000);
      const record = JSON.parse(
        readFileSync(join(server.dir, 'jobs', 'default', `${id}.json`), 'utf8'),
      ).job;
      expect(record).toMatchObject({ status: 'exited', stdout: 'hello, world\n' });
    } finally {
      await server.close();
    }
  });
});
