import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FolderStore,
  openStore,
  parseStoreLocation,
  S3Store,
  StoreError,
} from '../../src/store/index.ts';

describe('store locations', () => {
  it('reads s3://bucket/prefix with or without a prefix', () => {
    expect(parseStoreLocation('s3://my-bucket/a/b/')).toEqual({
      kind: 's3',
      bucket: 'my-bucket',
      prefix: 'a/b/',
    });
    expect(parseStoreLocation('s3://my-bucket')).toEqual({
      kind: 's3',
      bucket: 'my-bucket',
      prefix: '',
    });
  });

  it('reads anything without a scheme, or file://, as a folder', () => {
    expect(parseStoreLocation('data/snaps')).toEqual({
      kind: 'folder',
      path: path.resolve('data/snaps'),
    });
    expect(parseStoreLocation('file:///var/amber')).toEqual({ kind: 'folder', path: '/var/amber' });
  });

  it('refuses unknown schemes and bad bucket names', () => {
    for (const bad of ['', 'gs://bucket', 's3://', 's3://UPPER', 's3://a']) {
      expect(() => parseStoreLocation(bad)).toThrow(StoreError);
    }
  });

  it('opens the kind of store its location names, S3 settings from the environment', async () => {
    expect(openStore('/tmp/x')).toBeInstanceOf(FolderStore);
    const s3 = openStore('s3://bucket/pre', {
      AMBER_S3_ENDPOINT: 'http://127.0.0.1:9',
      AWS_REGION: 'eu-west-3',
      AWS_ACCESS_KEY_ID: 'id',
      AWS_SECRET_ACCESS_KEY: 'secret',
    }) as S3Store;
    expect(s3).toBeInstanceOf(S3Store);
    expect(s3.location).toBe('s3://bucket/pre/');
    expect(await s3.client.config.region()).toBe('eu-west-3');
    expect(s3.client.config.forcePathStyle).toBe(true);
    const endpoint = await s3.client.config.endpoint!();
    expect(endpoint.hostname).toBe('127.0.0.1');
    expect((await s3.client.config.credentials()).accessKeyId).toBe('id');
    s3.destroy();
  });
});
