// `npm run s3 -- --dir DIR --port PORT [--bucket NAME] [--host ADDR]`: an
// S3-compatible server for development and tests (s3rver behind our front,
// see front.ts). It prints `endpoint URL` on its first line of output, then
// the environment a client needs; any access key is accepted.
import { parseArgs } from 'node:util';
import { startS3TestServer } from './server.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '4568' },
    bucket: { type: 'string', default: 'amber' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

if (!values.dir) {
  process.stderr.write(
    'usage: npm run s3 -- --dir DIR [--port PORT] [--bucket NAME] [--host ADDR]\n',
  );
  process.exit(2);
}
if (!process.execArgv.includes('--openssl-legacy-provider')) {
  process.stderr.write('s3: warning: without --openssl-legacy-provider paged listings fail\n');
}

const server = await startS3TestServer({
  dir: values.dir,
  port: Number(values.port),
  bucket: values.bucket,
  host: values.host,
});
process.stdout.write(
  `endpoint ${server.endpoint}\n` +
    `# AMBER_S3_ENDPOINT=${server.endpoint} AWS_ACCESS_KEY_ID=any AWS_SECRET_ACCESS_KEY=any\n` +
    `# store location: s3://${server.bucket}/\n`,
);

const stop = (): void => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
