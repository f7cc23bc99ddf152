import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILENT_LOGGER } from '../../src/kernel/kernel-log.ts';
import { WorkerPool, type PoolEnd } from '../../src/service/worker-pool.ts';
import type { GuestLimits } from '../../src/sandbox/worker-protocol.ts';
import { guestBinary } from '../support/guest.ts';

const LIMITS: GuestLimits = {
  maxInstructions: 30_000_000,
  maxWallMs: 30_000,
  maxMemoryBytes: 512 * 1024 * 1024,
  maxOutputBytes: 1024 * 1024,
};

let pool: WorkerPool;

beforeAll(async () => {
  pool = new WorkerPool({ size: 2, logger: SILENT_LOGGER, killGraceMs: 2000 });
  await pool.start();
});
afterAll(async () => pool.close());

interface Ran {
  end: PoolEnd;
  stdout: string;
  startedAt: number;
  endedAt: number;
}

/** Runs a guest program through the pool; resolves with how it ended. */
function run(name: string, jobId: string, limits: Partial<GuestLimits> = {}): Promise<Ran> {
  const out: Buffer[] = [];
  let startedAt = 0;
  return new Promise((resolve) => {
    pool.enqueue({
      request: {
        type: 'run',
        jobId,
        source: {
          kind: 'boot',
          program: readFileSync(guestBinary(name, 'musl')),
          argv: [name],
          env: [],
        },
        stdin: new Uint8Array(),
        closeStdin: true,
        signal: 0,
        limits: { ...LIMITS, ...limits },
        pause: {},
        meta: {},
      },
      onStart: () => (startedAt = performance.now()),
      onOutput: (_stream, bytes) => out.push(Buffer.from(bytes)),
      onEnd: (end) =>
        resolve({
          end,
          stdout: Buffer.concat(out).toString(),
          startedAt,
          endedAt: performance.now(),
        }),
    });
  });
}

describe('WorkerPool', () => {
  it('runs hello and bench programs concurrently, two at a time, queueing the rest', async () => {
    const names = ['bench-sieve', 'bench-hash', 'hello', 'bench-nbody', 'bench-sort', 'hello'];
    const runs = names.map((name, i) => run(name, `job-${i}`));
    expect(pool.running).toBe(2);
    expect(pool.queueLength).toBe(4);
    expect(pool.position('job-2')).toBe(1);
    expect(pool.position('job-0')).toBeNull();
    const results = await Promise.all(runs);

    for (const [i, r] of results.entries()) {
      expect(r.end.kind, names[i]).toBe('done');
      if (r.end.kind !== 'done') continue;
      if (names[i] === 'hello') {
        expect(r.end.outcome.status).toBe('exited');
        expect(r.stdout).toBe('hello, world\n');
      } else {
        // The benchmarks run far longer than the budget and are stopped by it.
        expect(r.end.outcome.status).toBe('killed');
        expect(r.end.outcome.kill?.code).toBe('LIMIT_INSTRUCTIONS');
        expect(r.end.outcome.instructions).toBeGreaterThanOrEqual(LIMITS.maxInstructions);
      }
    }
    // The two benchmarks started first ran side by side.
    const [a, b] = results;
    expect(b.startedAt).toBeLessThan(a.endedAt);
    expect(pool.running).toBe(0);
  });

  it('kills a running guest on request', async () => {
    const ran = run('bench-sieve', 'kill-me', { maxInstructions: 10_000_000_000 });
    await new Promise((r) => setTimeout(r, 200));
    expect(pool.kill('kill-me', 'KILLED_BY_CLIENT', 'test')).toBe(true);
    const { end } = await ran;
    expect(end.kind === 'done' && end.outcome.status).toBe('killed');
    expect(end.kind === 'done' && end.outcome.kill?.code).toBe('KILLED_BY_CLIENT');
  });

  it('reports a program the kernel cannot start as failed with its code', async () => {
    const out = await new Promise<PoolEnd>((resolve) =>
      pool.enqueue({
        request: {
          type: 'run',
          jobId: 'bad',
          source: { kind: 'boot', program: Buffer.from('not an elf'), argv: ['x'], env: [] },
          stdin: new Uint8Array(),
          closeStdin: true,
          signal: 0,
          limits: LIMITS,
          pause: {},
          meta: {},
        },
        onStart: () => {},
        onOutput: () => {},
        onEnd: resolve,
      }),
    );
    expect(out).toMatchObject({ kind: 'failed', code: 'ELF_NOT_ELF' });
  });
});

describe('WorkerPool with misbehaving workers', () => {
  /** A worker thread that says ready and then does what `onRun` says. */
  const fake = (onRun: string) => () =>
    new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.postMessage({ type: 'ready' });
       parentPort.on('message', (m) => { if (m.type === 'run') { ${onRun} } });`,
      { eval: true },
    );
  const request = (jobId: string, maxWallMs = 60_000) => ({
    type: 'run' as const,
    jobId,
    source: { kind: 'boot' as const, program: new Uint8Array(), argv: ['x'], env: [] },
    stdin: new Uint8Array(),
    closeStdin: true,
    signal: 0,
    limits: { ...LIMITS, maxWallMs },
    pause: {},
    meta: {},
  });
  const runOn = (p: WorkerPool, jobId: string, maxWallMs?: number) =>
    new Promise<PoolEnd>((resolve) =>
      p.enqueue({
        request: request(jobId, maxWallMs),
        onStart: () => {},
        onOutput: () => {},
        onEnd: resolve,
      }),
    );

  it('terminates a worker that ignores a kill, records the job killed, and replaces it', async () => {
    const p = new WorkerPool({ size: 1, logger: SILENT_LOGGER, killGraceMs: 100, spawn: fake('') });
    await p.start();
    try {
      const ended = runOn(p, 'stuck');
      p.kill('stuck', 'KILLED_BY_CLIENT', 'test');
      expect(await ended).toMatchObject({
        kind: 'done',
        outcome: { status: 'killed', kill: { code: 'KILLED_BY_CLIENT' } },
      });
      // The replacement worker takes the next job; its wall-time watchdog
      // stops it too.
      expect(await runOn(p, 'stuck-again', 50)).toMatchObject({
        outcome: { kill: { code: 'LIMIT_WALL_TIME' } },
      });
    } finally {
      await p.close();
    }
  });

  it('fails the job of a worker that dies, with WORKER_CRASHED', async () => {
    const p = new WorkerPool({ size: 1, logger: SILENT_LOGGER, spawn: fake('process.exit(3)') });
    await p.start();
    try {
      expect(await runOn(p, 'crash')).toMatchObject({ kind: 'failed', code: 'WORKER_CRASHED' });
      expect(await runOn(p, 'crash-again')).toMatchObject({ code: 'WORKER_CRASHED' });
    } finally {
      await p.close();
    }
  });
});
