/**
 * `amber resume` continuing snapshots in a fresh process, as a user runs it:
 * a guest paused in this process at random instructions and resumed by a
 * spawned `node bin/amber.js resume`, and a guest reading standard input
 * resumed with --stdin-file (it pauses again, idle, into a child snapshot)
 * and then with --close-stdin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openSnapshotStore } from '../../src/store/index.ts';
import { guestBinary } from '../support/guest.ts';
import { pickPoints, referenceRun, seededRandom, type Outcome } from './harness.ts';
import { joined, saveAtPoints } from './pause-points.ts';

const AMBER = fileURLToPath(new URL('../../bin/amber.js', import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), 'amber-cli-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `amber resume ARGS...`. */
function amberResume(args: string[]): Outcome {
  const result = spawnSync(process.execPath, [AMBER, 'resume', ...args], {
    encoding: 'latin1',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status ?? -1 };
}

it('continues snapshots taken at random instructions as if never paused', async () => {
  const spec = { program: guestBinary('sigsegv', 'musl') };
  const { instructions, ...expected } = await referenceRun(spec);
  const location = path.join(root, 'points');
  const points = pickPoints(seededRandom(0xc11), instructions, 3);
  const { saved } = await saveAtPoints(spec, points, openSnapshotStore(location));
  expect(saved).toHaveLength(3);
  for (const point of saved) {
    const resultFile = path.join(root, `${point.id}.json`);
    const out = amberResume(['--store', location, '--result', resultFile, point.id]);
    expect(joined(point, out), `snapshot at ${point.instructions}`).toEqual(expected);
    expect(JSON.parse(readFileSync(resultFile, 'utf8'))).toMatchObject({
      status: 'exited',
      exitCode: expected.status,
      snapshot: null,
    });
  }
});

it(
  'feeds --stdin-file, saves a child when the guest waits ' +
    'again, then ends it with --close-stdin',
  async () => {
    const program = guestBinary('stdin-lines', 'musl');
    const first = 'alpha\nbeta\n';
    const second = 'gamma\ndelta\nepsilon\n';
    const third = 'zeta\n';
    const { instructions: _n, ...expected } = await referenceRun({
      program,
      stdin: first + second + third,
    });
    const location = path.join(root, 'stdin');
    const [idle] = (
      await saveAtPoints(
        { program, stdin: first, lateStdin: '' },
        [1e9],
        openSnapshotStore(location),
      )
    ).saved;
    expect(idle.idle).toBe(true);

    const input = path.join(root, 'second.txt');
    writeFileSync(input, second);
    const middle = amberResume(['--store', location, '--stdin-file', input, idle.id]);
    expect(middle.status).toBe(0);
    const child = /^amber: paused, snapshot (\S+)\n$/.exec(middle.stderr)?.[1];
    expect(child, middle.stderr).toBeDefined();
    expect((await openSnapshotStore(location).manifest(child!)).parent).toBe(idle.id);

    writeFileSync(input, third);
    const last = amberResume(['--store', location, '--stdin-file', input, '--close-stdin', child!]);
    expect({
      stdout: idle.before.stdout + middle.stdout + last.stdout,
      stderr: idle.before.stderr + last.stderr,
      status: last.status,
    }).toEqual(expected);
  },
);
