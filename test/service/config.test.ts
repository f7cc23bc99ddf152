import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../../src/service/config.ts';

describe('configFromEnv', () => {
  it('fills every setting from defaults when nothing is set', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      store: './data',
      shutdownGraceMs: 30000,
    });
    expect(c.workers).toBeGreaterThan(0);
    expect(c.apiKeys.size).toBe(0);
    expect(c.limits.maxOutputBytes).toBe(1024 * 1024);
  });

  it('reads limits, keys, workers and an S3 store', () => {
    const c = configFromEnv({
      PORT: '0',
      AMBER_STORE: 's3://amber-bucket/jobs',
      AMBER_S3_ENDPOINT: 'http://127.0.0.1:9000',
      AMBER_MAX_INSTRUCTIONS: '1000',
      AMBER_API_KEYS: 'abcdefghijklmnop:alpha, qrstuvwxyz012345:beta',
      AMBER_WORKERS: '3',
    });
    expect(c.port).toBe(0);
    expect(c.store).toBe('s3://amber-bucket/jobs');
    expect(c.limits.maxInstructions).toBe(1000);
    expect([...c.apiKeys]).toEqual([
      ['abcdefghijklmnop', 'alpha'],
      ['qrstuvwxyz012345', 'beta'],
    ]);
    expect(c.workers).toBe(3);
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', 'eighty'],
    ['AMBER_WORKERS', '0'],
    ['AMBER_MAX_UPLOAD_BYTES', '-5'],
    ['AMBER_S3_ENDPOINT', 'not a url'],
    ['AMBER_STORE', 's3://Bad_Bucket'],
    ['AMBER_API_KEYS', 'short:tenant'],
    ['AMBER_API_KEYS', 'abcdefghijklmnop:bad tenant'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => configFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => configFromEnv({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });
});
