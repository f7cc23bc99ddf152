import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type AmberServer } from '../../src/server.ts';
import { configFromEnv } from '../../src/service/config.ts';
import { startTestS3, type TestS3 } from '../store/s3-test-server.ts';
import { multipart, program } from './helpers.ts';

let s3: TestS3;
const servers: AmberServer[] = [];

async function instance(name: string): Promise<AmberServer> {
  const env = { ...s3.env, AMBER_STORE: 's3://amber/service-test' };
  const config = configFromEnv({
    ...env,
    AMBER_WORKERS: '1',
    LOG_LEVEL: 'silent',
    AMBER_INSTANCE_ID: name,
  });
  const server = await buildServer(config, { env });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  for (const server of servers) await server.app.close();
  await s3?.stop();
});

describe('jobs in an S3 store', () => {
  it('are recorded in the bucket, so another instance answers for them', async () => {
    const a = await instance('instance-a');
    const b = await instance('instance-b');
    const form = multipart({ binary: program('hello'), wait: 'true' });
    const res = await a.app.inject({ method: 'POST', url: '/v1/jobs', ...form });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;

    const seen = await b.app.inject({ method: 'GET', url: `/v1/jobs/${id}` });
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ status: 'exited', instance: 'instance-a' });
    const out = await b.app.inject({ method: 'GET', url: `/v1/jobs/${id}/stdout` });
    expect(out.body).toBe('hello, world\n');
    const kill = await b.app.inject({ method: 'DELETE', url: `/v1/jobs/${id}` });
    expect(kill.json().code).toBe('JOB_FINISHED');
    const ready = await b.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
  });
});
