import { UsageError, parseRunArgs, runCommand, writeText } from './cli-run.ts';
import { buildServer, configFromEnv } from './server.ts';
import { formatSyscallTable, linuxSyscalls } from './syscalls/index.ts';

/**
 * The command line.
 * TODO: `amber resume` and the snapshot commands are not available yet; they
 * print the usage and exit 2.
 */
const USAGE = `usage: amber <command> [options]

commands:
  run [--env K=V]... [--cwd DIR] [--file HOST=GUEST]... [--max-instructions N] [--stats]
      PROGRAM [ARGS...]    run a static x86-64 Linux program on Amber
  syscalls                 print the system call compatibility list
  serve                    start the HTTP service (PORT, HOST, AMBER_STORE from the environment)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCommand(parseRunArgs(rest));
    case 'syscalls':
      writeText(1, formatSyscallTable(linuxSyscalls()));
      return 0;
    case 'serve': {
      const config = configFromEnv(process.env);
      const app = await buildServer(config);
      await app.listen({ host: config.host, port: config.port });
      return -1;
    }
    case undefined:
    case 'help':
    case '--help':
      writeText(1, USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

try {
  const status = await main(process.argv.slice(2));
  if (status >= 0) process.exit(status);
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  writeText(2, `amber: ${e.message}\n\n${USAGE}`);
  process.exit(2);
}
