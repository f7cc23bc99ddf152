/**
 * `npm run bench`: CPU-bound guest programs natively and on Amber (and under
 * qemu-x86_64 when it is installed), with guest instructions per second and
 * the slowdown against native, plus the start-up time of `amber run` for
 * hello, then the snapshot figures of bench/snapshot.ts. Prints figures;
 * asserts nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SILENT_LOGGER } from '../src/kernel/kernel-log.ts';
import { Guest, type RunResult } from '../src/sandbox/guest.ts';
import { snapshotBench } from './snapshot.ts';
import { serviceBench } from './service.ts';

const BIN = join(import.meta.dirname, '../test/guest/bin');
const PROGRAMS = ['bench-hash', 'bench-sieve', 'bench-sort', 'bench-nbody'];

/** Wall seconds of a native run (best of `runs`). */
function nativeSeconds(path: string, args: string[], runs = 3): number {
  let best = Infinity;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const r = spawnSync(path, args, { env: {}, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`${path} failed natively (status ${r.status})`);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/** Runs a program on Amber in this process. */
async function amber(path: string, args: string[]): Promise<RunResult> {
  const guest = new Guest({
    program: readFileSync(path),
    programPath: `/bin/${basename(path)}`,
    argv: [path, ...args],
    env: [],
    cwd: '/',
    files: [],
    maxMemoryBytes: 1024 ** 3,
    maxOutputBytes: 1 << 20,
    logger: SILENT_LOGGER,
  });
  guest.closeStdin();
  return guest.run(() => {});
}

function qemuPath(): string | null {
  try {
    return execFileSync('which', ['qemu-x86_64'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

function row(cells: (string | number)[]): string {
  return cells.map((c, k) => String(c).padStart(k === 0 ? 18 : 12)).join(' ');
}

async function cpuPrograms(): Promise<void> {
  const qemu = qemuPath();
  console.log('CPU-bound programs (musl builds; best of 3 native runs, one Amber run)');
  console.log(
    row(['program', 'native s', 'amber s', 'M insn/s', 'x native', ...(qemu ? ['qemu s'] : [])]),
  );
  for (const name of PROGRAMS) {
    const path = join(BIN, `${name}.musl`);
    const native = nativeSeconds(path, []);
    const r = await amber(path, []);
    if (r.exitCode !== 0) {
      console.log(row([name, native.toFixed(3), `failed: exit ${r.exitCode}`]));
      continue;
    }
    const q = qemu ? [nativeSeconds(qemu, [path], 1).toFixed(3)] : [];
    console.log(
      row([
        name,
        native.toFixed(3),
        r.seconds.toFixed(3),
        (r.instructions / r.seconds / 1e6).toFixed(1),
        (r.seconds / native).toFixed(1),
        ...q,
      ]),
    );
  }
  if (!qemu) console.log('(qemu-x86_64 not installed: apt-get install qemu-user to compare)');
}

function startup(): void {
  const hello = join(BIN, 'hello.musl');
  const cli = join(import.meta.dirname, '../bin/amber.js');
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'run', hello], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error('amber run hello failed');
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`\namber run hello.musl, whole command: median ${times[2].toFixed(0)} ms of 5`);
}

async function inProcessHello(): Promise<void> {
  const t0 = performance.now();
  await amber(join(BIN, 'hello.musl'), []);
  const first = performance.now() - t0;
  const t1 = performance.now();
  await amber(join(BIN, 'hello.musl'), []);
  console.log(
    `hello.musl in process: first ${first.toFixed(1)} ms, second ` +
      `${(performance.now() - t1).toFixed(1)} ms`,
  );
}

await cpuPrograms();
startup();
await inProcessHello();
await snapshotBench();
await serviceBench();
