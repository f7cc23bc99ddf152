import { UsageError } from './cli-args.ts';
import { writeText } from './cli-output.ts';

// Each command loads its own modules when it runs: the HTTP server and the
// S3 client take over a second to load, and `amber run` needs neither.

/** The command line: run, resume, the snapshot commands, syscalls, serve. */
const USAGE = `usage: amber <command> [options]

commands:
  run [--env K=V]... [--cwd DIR] [--file HOST=GUEST]... [--max-instructions N] [--stats]
      [--store LOCATION] [--pause-after-instructions N] [--pause-when-idle] [--result FILE]
      PROGRAM [ARGS...]    run a static x86-64 Linux program on Amber
  resume --store LOCATION [--stdin-file F] [--close-stdin] [--signal SIG]
      [--pause-after-instructions N] [--pause-when-idle] [--result FILE] [--stats] ID
                           continue a snapshot in this process
  snapshots --store LOCATION           list the snapshots in a store
  export --store LOCATION ID > FILE    write a snapshot as one stream
  import --store LOCATION [FILE]       read such a stream into a store
  (LOCATION: a folder, or s3://bucket/prefix with AMBER_S3_ENDPOINT and the AWS variables)
  syscalls                 print the system call compatibility list
  serve                    start the HTTP service (configured from the environment: see README.md)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return (await import('./cli-run.ts')).runCommand(rest);
    case 'resume':
      return (await import('./cli-snapshot.ts')).resumeCommand(rest);
    case 'snapshots':
      return (await import('./cli-snapshot.ts')).snapshotsCommand(rest);
    case 'export':
      return (await import('./cli-snapshot.ts')).exportCommand(rest);
    case 'import':
      return (await import('./cli-snapshot.ts')).importCommand(rest);
    case 'syscalls':
      const { formatSyscallTable, linuxSyscalls } = await import('./syscalls/index.ts');
      writeText(1, formatSyscallTable(linuxSyscalls()));
      return 0;
    case 'serve':
      return (await import('./server.ts')).serveCommand(process.env);
    case undefined:
    case 'help':
    case '--help':
      writeText(1, USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

// The AWS SDK warns at every start that its releases after January 2027
// need Node 22. The lock file keeps the release Amber is tested with, so the
// notice tells a user of `amber` nothing. (The SDK reads this switch.)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

try {
  const status = await main(process.argv.slice(2));
  if (status >= 0) process.exit(status);
} catch (e) {
  // Store and snapshot errors carry a stable code for the user to act on.
  const coded = e instanceof Error && 'code' in e && typeof e.code === 'string';
  if (coded && (e.name === 'StoreError' || String(e.code).startsWith('SNAPSHOT_'))) {
    writeText(2, `amber: ${e.message} (${String(e.code)})\n`);
    process.exit(1);
  }
  if (!(e instanceof UsageError)) throw e;
  writeText(2, `amber: ${e.message}\n\n${USAGE}`);
  process.exit(2);
}
