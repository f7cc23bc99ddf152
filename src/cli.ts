import { buildServer, configFromEnv } from './server.ts';

/**
 * The command line: `amber serve` (also `npm start`).
 * TODO: `amber run`, `amber resume`, `amber syscalls` and the snapshot
 * commands are not available yet; they print the usage and exit 2.
 */
const USAGE = `usage: amber <command>

commands:
  serve        start the HTTP service (PORT, HOST, AMBER_STORE from the environment)
`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command === 'serve') {
    const config = configFromEnv(process.env);
    const app = await buildServer(config);
    await app.listen({ host: config.host, port: config.port });
    return -1;
  }
  process.stderr.write(USAGE);
  return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
}

const status = await main(process.argv.slice(2));
if (status >= 0) process.exitCode = status;
