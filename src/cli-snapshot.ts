import { createReadStream } from 'node:fs';
import { UsageError, optionValue, parseOptions } from './cli-args.ts';
import { SESSION_OPTIONS, driveSession, readHostFile, sessionArgs, writeText } from './cli-run.ts';
import { SILENT_LOGGER, type KernelLogger } from './kernel/kernel-log.ts';
import { parseSignal } from './linux/signal.ts';
import { Guest } from './sandbox/guest.ts';
import { loadSnapshot } from './snapshot/index.ts';
import { openSnapshotStore, type SnapshotStore } from './store/index.ts';

/** The snapshot commands: resume, snapshots, export, import. */

function storeOf(argv: string[], extra: Record<string, 'flag' | 'value'> = {}) {
  const p = parseOptions(argv, { store: 'value', ...extra });
  const location = optionValue(p, 'store');
  if (location === undefined) throw new UsageError('--store is required');
  return { p, store: openSnapshotStore(location) };
}

/** `amber resume`: continues a snapshot in this process. */
export async function resumeCommand(argv: string[], logger: KernelLogger = SILENT_LOGGER) {
  const p = parseOptions(argv, {
    ...SESSION_OPTIONS,
    'stdin-file': 'value',
    'close-stdin': 'flag',
    signal: 'value',
  });
  const session = sessionArgs({
    ...p,
    options: new Map([...p.options, ['store', p.options.get('store') ?? []]]),
  });
  if (session.store === undefined) throw new UsageError('--store is required');
  if (p.rest.length !== 1) throw new UsageError('resume needs exactly one snapshot ID');
  const id = p.rest[0];
  const signalText = optionValue(p, 'signal');
  const signal = signalText === undefined ? 0 : parseSignal(signalText);
  if (signalText !== undefined && signal === 0)
    throw new UsageError(`unknown signal ${signalText}`);
  const stdinFile = optionValue(p, 'stdin-file');
  const input = stdinFile === undefined ? null : readHostFile(stdinFile, 'stdin file');

  const store = openSnapshotStore(session.store);
  const { kernel } = await loadSnapshot(store, id, logger);
  const guest = new Guest(kernel);
  if (input !== null) guest.feedStdin(input);
  if (p.options.has('close-stdin')) guest.closeStdin();
  if (signal !== 0) kernel.sendExternalSignal(signal);
  // Nothing outside this process can wake an idle guest: pause it there.
  const pause = { ...session.pause, whenIdle: true };
  return driveSession(guest, { ...session, pause }, { store, parent: id, forwardStdin: false });
}

/** `amber snapshots`: lists the snapshots in a store. */
export async function snapshotsCommand(argv: string[]): Promise<number> {
  const { store } = storeOf(argv);
  for (const id of await store.list()) {
    const m = await store.manifest(id);
    const parent = m.parent ?? '-';
    writeText(1, `${id}\t${m.created}\tparent ${parent}\n`);
  }
  return 0;
}

/** `amber export --store L ID`: writes one snapshot as a single stream to stdout. */
export async function exportCommand(argv: string[]): Promise<number> {
  const { p, store } = storeOf(argv);
  if (p.rest.length !== 1) throw new UsageError('export needs exactly one snapshot ID');
  for await (const piece of store.export(p.rest[0])) {
    if (!process.stdout.write(piece)) await new Promise((r) => process.stdout.once('drain', r));
  }
  await new Promise<void>((r) => process.stdout.end(r));
  return 0;
}

/** `amber import --store L [FILE]`: reads a stream (or FILE) into the store. */
export async function importCommand(argv: string[]): Promise<number> {
  const { p, store } = storeOf(argv);
  const source = p.rest.length === 1 ? createReadStream(p.rest[0]) : process.stdin;
  const result = await importInto(store, source);
  writeText(1, `${result}\n`);
  return 0;
}

async function importInto(
  store: SnapshotStore,
  source: AsyncIterable<Uint8Array>,
): Promise<string> {
  const saved = await store.import(source);
  return saved.id;
}
