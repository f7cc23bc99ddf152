/**
 * Snapshot figures for `npm run bench` (issue 4): save and load time and
 * stored size for guests that touched 64 MiB and 512 MiB, the bytes a child
 * snapshot writes after the guest dirtied 1 MiB, and the time from the start
 * of a load to the first guest instruction, for the folder store (a fresh
 * temporary folder) and the S3 store (the S3 test server, started here on
 * 127.0.0.1 and stopped after).
 *
 * The guest is test/guest/bin/bench-touch.musl: it fills N MiB, prints a
 * checksum and waits on stdin (the snapshot is taken there, idle); resumed,
 * it rewrites 1 MiB, prints a checksum and waits again (the child snapshot).
 * Both checksums are checked against a native run of the same binary. Its
 * default pages compress about 100:1; an `r` case fills them with
 * pseudo-random words instead, which do not compress at all.
 *
 *   npx tsx bench/snapshot.ts [CASE ...]    CASE: MiB, or MiB then r (64r)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SILENT_LOGGER } from '../src/kernel/kernel-log.ts';
import { Guest } from '../src/sandbox/guest.ts';
import { loadSnapshot, saveSnapshot } from '../src/snapshot/index.ts';
import { openSnapshotStore, type SnapshotStore } from '../src/store/index.ts';
import { startTestS3, type TestS3 } from '../test/store/s3-test-server.ts';
import { childCpuMs, memoryCosts, newChunks, peakRss, resetPeakRss } from './snapshot-costs.ts';

const PROGRAM = join(import.meta.dirname, '../test/guest/bin/bench-touch.musl');
const DIRTY_MIB = 1;
const MIB = 1024 * 1024;
/** The cases `npm run bench` measures. */
const DEFAULT_CASES = ['64', '512', '64r'];

/** One guest: how much it touches, and with what. */
interface Case {
  mib: number;
  random: boolean;
}

/** One row of the table, and the phase figures behind it. */
interface Row {
  store: string;
  saveMs: number;
  storedBytes: number;
  loadMs: number;
  firstInsnMs: number;
  childMs: number;
  childWritten: number;
  childReused: number;
  childBytes: number;
  detail: string;
}

function parseCase(text: string): Case {
  const m = /^(\d+)(r?)$/.exec(text);
  if (!m || Number(m[1]) === 0) throw new Error(`bench/snapshot: bad case ${text} (64 or 64r)`);
  return { mib: Number(m[1]), random: m[2] === 'r' };
}

function guestArgs(c: Case): string[] {
  return [String(c.mib), String(DIRTY_MIB), ...(c.random ? ['random'] : [])];
}

function caseName(c: Case): string {
  return `${c.mib}${c.random ? ' random' : ''}`;
}

/** The two lines the guest prints, from a native run. */
function nativeLines(c: Case): string[] {
  const r = spawnSync(PROGRAM, guestArgs(c), { input: '\n\n', encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench-touch failed natively (status ${r.status})`);
  return r.stdout.trim().split('\n');
}

/** Collects a guest's standard output as text; standard error goes to ours. */
function outputSink(): { text: () => string; on: (stream: 1 | 2, b: Uint8Array) => void } {
  let out = '';
  const decoder = new TextDecoder();
  return {
    text: () => out,
    on: (stream, bytes) => {
      if (stream === 1) out += decoder.decode(bytes);
      else process.stderr.write(bytes);
    },
  };
}

function expectLine(got: string, want: string, what: string): void {
  if (got.trim() !== want) {
    throw new Error(
      `${what}: guest printed ${JSON.stringify(got)}, native ${JSON.stringify(want)}`,
    );
  }
}

/** Boots the guest and runs it until it waits on stdin, memory touched. */
async function touchedGuest(c: Case, want: string): Promise<{ guest: Guest; seconds: number }> {
  const guest = new Guest({
    program: readFileSync(PROGRAM),
    programPath: '/bin/bench-touch',
    argv: ['bench-touch', ...guestArgs(c)],
    env: [],
    cwd: '/',
    files: [],
    maxMemoryBytes: (c.mib + 64) * MIB,
    maxOutputBytes: 1 << 20,
    logger: SILENT_LOGGER,
  });
  const out = outputSink();
  const r = await guest.run(out.on, Number.POSITIVE_INFINITY, { whenIdle: true });
  if (r.status !== 'paused') throw new Error(`bench-touch ${caseName(c)}: ${r.status}`);
  expectLine(out.text(), want, `bench-touch ${caseName(c)} touch`);
  return { guest, seconds: r.seconds };
}

/** Wall and CPU milliseconds of `work` (CPU: this process, every thread). */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await work();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * Saves the touched guest into `store`, loads it back into a new kernel,
 * runs it to its first instruction, lets it dirty 1 MiB and saves the child.
 */
async function measureStore(
  name: string,
  store: SnapshotStore,
  parent: Guest,
  c: Case,
  want: string[],
): Promise<Row> {
  // Save the touched guest.
  let serverAt = childCpuMs();
  let rssAt = resetPeakRss();
  const save = await timed(() => saveSnapshot(parent.kernel, store));
  const saveServerMs = childCpuMs() - serverAt;
  const saveRss = `rss ${rssAt.toFixed(0)} to peak ${peakRss().toFixed(0)} MiB`;
  const saved = save.value;

  // Load it, feed the line it waits for, and run it to its first instruction.
  serverAt = childCpuMs();
  const start = performance.now();
  rssAt = resetPeakRss();
  const load = await timed(() => loadSnapshot(store, saved.id, SILENT_LOGGER));
  const loadServerMs = childCpuMs() - serverAt;
  const loadRss = `rss ${rssAt.toFixed(0)} to peak ${peakRss().toFixed(0)} MiB`;
  const guest = new Guest(load.value.kernel);
  const out = outputSink();
  guest.feedStdin(new TextEncoder().encode('\n'));
  const first = await guest.run(out.on, Number.POSITIVE_INFINITY, { afterInstructions: 1 });
  const firstInsnMs = performance.now() - start;
  if (first.status !== 'paused') throw new Error(`${name} ${caseName(c)}: ${first.status}`);

  // Dirty 1 MiB, check the guest's memory came back whole, save the child.
  const dirty = await guest.run(out.on, Number.POSITIVE_INFINITY, { whenIdle: true });
  if (dirty.status !== 'paused') throw new Error(`${name} ${caseName(c)}: ${dirty.status}`);
  expectLine(out.text(), want[1], `${name} ${caseName(c)} after load`);
  const child = await timed(() => saveSnapshot(guest.kernel, store, { parent: saved.id }));
  guest.kill('benchmark done');

  const k = saved.kernel;
  const ls = load.value.stats;
  const fresh = newChunks(saved.manifest, child.value.manifest);
  const server = (ms: number): string => (name === 's3' ? `, server CPU ${ms.toFixed(0)}` : '');
  return {
    store: name,
    saveMs: save.ms,
    storedBytes: saved.bytesWritten,
    loadMs: load.ms,
    firstInsnMs,
    childMs: child.ms,
    childWritten: child.value.chunksWritten,
    childReused: child.value.chunksReused,
    childBytes: child.value.bytesWritten,
    detail:
      `  ${name}: save ${save.ms.toFixed(0)} ms (CPU ${save.cpuMs.toFixed(0)}` +
      `${server(saveServerMs)}): state ${k.stateMs.toFixed(0)} ms ` +
      `(${(k.stateBytes / 1024).toFixed(0)} KiB), memory ${k.memoryMs.toFixed(0)}, ` +
      `manifest ${(save.ms - k.headerMs - k.stateMs - k.memoryMs).toFixed(0)}, ` +
      `${saveRss}; ` +
      `load ${load.ms.toFixed(0)} ms (CPU ${load.cpuMs.toFixed(0)}${server(loadServerMs)}): ` +
      `header ${ls.headerMs.toFixed(0)}, state ${ls.stateMs.toFixed(0)}, ` +
      `memory ${ls.memoryMs.toFixed(0)}, ${loadRss}; ` +
      `child wrote ${fresh.memory} memory chunks, ` +
      `${fresh.state} state pieces, ${fresh.header} header`,
  };
}

const COLUMNS: [string, number][] = [
  ['store', 7],
  ['guest MiB', 11],
  ['save ms', 8],
  ['stored MiB', 11],
  ['load ms', 8],
  ['1st insn ms', 12],
  ['child ms', 9],
  ['written/reused', 15],
  ['child KiB', 10],
];

function line(cells: (string | number)[]): string {
  return cells.map((c, k) => String(c).padStart(COLUMNS[k][1])).join(' ');
}

function rowLine(r: Row, c: Case): string {
  return line([
    r.store,
    caseName(c),
    r.saveMs.toFixed(0),
    (r.storedBytes / MIB).toFixed(2),
    r.loadMs.toFixed(0),
    r.firstInsnMs.toFixed(0),
    r.childMs.toFixed(0),
    `${r.childWritten}/${r.childReused}`,
    (r.childBytes / 1024).toFixed(1),
  ]);
}

/** Measures every case against both stores, printing rows as they come. */
async function measureAll(cases: Case[], folder: string, s3: TestS3): Promise<string[]> {
  const stores: [string, SnapshotStore][] = [
    ['folder', openSnapshotStore(folder)],
    ['s3', openSnapshotStore(`s3://${s3.bucket}/bench`, s3.env)],
  ];
  // A first request sets up the S3 client (and lets the SDK say what it
  // says once) so that the first save does not pay for it.
  await stores[1][1].list();
  console.log(line(COLUMNS.map(([title]) => title)));
  const notes: string[] = [];
  for (const c of cases) {
    const want = nativeLines(c);
    const { guest, seconds } = await touchedGuest(c, want[0]);
    notes.push(`${caseName(c)} MiB: touched in ${seconds.toFixed(1)} s on Amber`);
    for (const [name, store] of stores) {
      const row = await measureStore(name, store, guest, c, want);
      console.log(rowLine(row, c));
      notes.push(row.detail);
    }
    notes.push(memoryCosts(guest.kernel));
    guest.kill('benchmark done');
  }
  return notes;
}

/** Runs the snapshot benchmark over `caseTexts` (64, 64r) and prints it. */
export async function snapshotBench(caseTexts: string[] = DEFAULT_CASES): Promise<void> {
  const cases = caseTexts.map(parseCase);
  const folder = mkdtempSync(join(tmpdir(), 'amber-bench-store-'));
  let s3: TestS3 | undefined;
  try {
    s3 = await startTestS3();
    console.log(
      '\nSnapshots of bench-touch.musl, one run each: folder store (durable writes) in a ' +
        `fresh temporary folder, S3 store on the S3 test server (s3rver) at ${s3.endpoint}`,
    );
    const notes = await measureAll(cases, folder, s3);
    console.log(
      'save: saveSnapshot until its manifest is stored; stored: bytes that save wrote ' +
        '(compressed chunks, manifest); load: loadSnapshot; 1st insn: from the start of the ' +
        'load until the loaded guest retired one instruction; child: the snapshot saved, ' +
        `over the loaded one, after the guest dirtied ${DIRTY_MIB} MiB: chunks written/reused ` +
        'and bytes written. Phases in ms, CPU is this process (all threads):',
    );
    for (const note of notes) console.log(note);
  } finally {
    await s3?.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const args = process.argv.slice(2);
  await snapshotBench(args.length > 0 ? args : undefined);
}
