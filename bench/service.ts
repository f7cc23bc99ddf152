/**
 * Service figures for `npm run bench` (issue 5), from one Amber instance in
 * this process, listening on 127.0.0.1, with a durable folder store:
 *
 * - request to first guest instruction for a new job (hello.musl);
 * - image invoke latency, p50 and p99, for warm-table.musl (about a second
 *   of start-up, then it answers numbers on stdin), against booting the
 *   same program fresh for each request, as a ratio;
 * - a load of 200 small jobs over 20 s: all must finish correctly, and
 *   /healthz is timed every 50 ms throughout, with the process's memory.
 *
 *   npx tsx bench/service.ts [--no-load]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, type AmberServer } from '../src/server.ts';
import { configFromEnv } from '../src/service/config.ts';
import type { Job } from '../src/service/job.ts';
import { startTestS3, type TestS3 } from '../test/store/s3-test-server.ts';

const BIN = join(import.meta.dirname, '../test/guest/bin');
const now = () => performance.timeOrigin + performance.now();
/** warm-table's start-up passes: about a second of guest time here. */
const ROUNDS = '["25"]';

interface Instance {
  server: AmberServer;
  url: string;
  dir: string;
}

/** An instance on a fresh folder, or on the S3 test server when given. */
async function start(s3?: TestS3): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), 'amber-bench-service-'));
  const env = { ...(s3?.env ?? {}), AMBER_STORE: s3 ? 's3://amber/bench' : dir };
  const config = configFromEnv({
    ...env,
    AMBER_WORKERS: '2',
    LOG_LEVEL: 'silent',
    AMBER_INSTANCE_ID: 'bench',
  });
  const server = await buildServer(config, { env });
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return { server, url, dir };
}

async function submit(
  url: string,
  name: string,
  fields: Record<string, string>,
  stdin?: string,
): Promise<Job> {
  const form = new FormData();
  form.append('binary', new Blob([readFileSync(join(BIN, name))]), name);
  if (stdin !== undefined) form.append('stdin', new Blob([stdin]), 'stdin');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${url}/v1/jobs`, { method: 'POST', body: form });
  if (res.status !== 201) throw new Error(`POST /v1/jobs: ${res.status} ${await res.text()}`);
  return (await res.json()) as Job;
}

async function call<T>(url: string, method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    ...(body
      ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summary(values: number[]): string {
  const s = [...values].sort((x, y) => x - y);
  const f = (v: number) => v.toFixed(1);
  return (
    `p50 ${f(quantile(s, 0.5))} ms, p99 ${f(quantile(s, 0.99))} ms, max ` +
    `${f(s[s.length - 1])} ms (n=${s.length})`
  );
}

/** Request sent to the job's first guest instruction, for hello.musl. */
async function firstInstruction(url: string, runs: number): Promise<void> {
  const total: number[] = [];
  const worker: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = now();
    const job = await submit(url, 'hello.musl', { wait: 'true' });
    if (job.stdout !== 'hello, world\n') throw new Error(`hello printed ${job.stdout}`);
    total.push(Date.parse(job.createdAt) - t0 + job.stats.startMs);
    worker.push(job.stats.loadMs);
  }
  console.log(`  request to first instruction, new job: ${summary(total)}`);
  console.log(`    of which the worker's boot of the guest: ${summary(worker)}`);
}

/** Image invocations against fresh boots of warm-table.musl. */
async function images(url: string, invokes: number, boots: number): Promise<void> {
  const t0 = now();
  const warm = await submit(url, 'warm-table.musl', {
    args: ROUNDS,
    closeStdin: 'false',
    pause: '{"whenIdle":true}',
    wait: 'true',
  });
  if (warm.status !== 'paused' || warm.stdout !== 'ready\n') {
    throw new Error(`warm-table did not pause ready: ${JSON.stringify(warm)}`);
  }
  console.log(
    `  warm-table start-up to its first read: ${warm.stats.instructions} instructions, ` +
      `guest ${warm.stats.wallMs} ms, whole request ${(now() - t0).toFixed(0)} ms; ` +
      `snapshot saved in ${warm.stats.saveMs} ms, ${warm.stats.bytes} bytes`,
  );
  await call(url, 'PUT', '/v1/images/warm-table', { snapshotId: warm.snapshotId });

  const invoked: number[] = [];
  const restore: number[] = [];
  let answer = '';
  for (let k = 0; k < invokes; k++) {
    const t = now();
    const job = await call<Job>(url, 'POST', '/v1/images/warm-table/invoke', { stdin: '12345\n' });
    invoked.push(now() - t);
    restore.push(job.stats.loadMs);
    if (job.status !== 'exited') throw new Error(`invoke ended ${job.status}`);
    answer = job.stdout;
  }
  const fresh: number[] = [];
  for (let k = 0; k < boots; k++) {
    const t = now();
    const job = await submit(url, 'warm-table.musl', { args: ROUNDS, wait: 'true' }, '12345\n');
    fresh.push(now() - t);
    if (job.stdout !== `ready\n${answer}`) throw new Error(`fresh run printed ${job.stdout}`);
  }
  const p50 = (v: number[]) =>
    quantile(
      [...v].sort((x, y) => x - y),
      0.5,
    );
  console.log(`  image invoke (restore, answer, exit, record): ${summary(invoked)}`);
  console.log(`    of which the worker's snapshot load: ${summary(restore)}`);
  console.log(`  the same request booting warm-table fresh: ${summary(fresh)}`);
  console.log(`  fresh / invoke at p50: ${(p50(fresh) / p50(invoked)).toFixed(1)}x`);
}

/** 200 small jobs over 20 s, with /healthz and memory watched. */
async function load(url: string, jobs: number, seconds: number): Promise<void> {
  const health: number[] = [];
  const rss: number[] = [];
  let watching = true;
  const watch = (async () => {
    let tick = 0;
    while (watching) {
      const t = now();
      const res = await fetch(`${url}/healthz`);
      await res.text();
      health.push(now() - t);
      if (tick++ % 20 === 0) rss.push(process.memoryUsage().rss);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const started = now();
  const pending: Promise<boolean>[] = [];
  for (let k = 0; k < jobs; k++) {
    const due = started + (k * seconds * 1000) / jobs;
    await new Promise((r) => setTimeout(r, Math.max(0, due - now())));
    // stdin-lines answers a line with its length, hash and reversal.
    const line = `job ${k}`;
    const reversed = [...line].reverse().join('');
    const ended = submit(url, 'stdin-lines.musl', { wait: 'true' }, `${line}\n`);
    pending.push(ended.then((job) => job.exitCode === 1 && job.stdout.endsWith(` ${reversed}\n`)));
  }
  const ok = (await Promise.all(pending)).filter(Boolean).length;
  const elapsed = (now() - started) / 1000;
  watching = false;
  await watch;
  const mib = (b: number) => (b / 1024 / 1024).toFixed(0);
  console.log(
    `  load: ${ok}/${jobs} jobs correct, all done in ${elapsed.toFixed(1)} s; ` +
      `/healthz ${summary(health)}, over 50 ms: ${health.filter((h) => h > 50).length}`,
  );
  console.log(
    `  memory (rss of this process, MiB): start ${mib(rss[0])}, max ${mib(Math.max(...rss))}, ` +
      `end ${mib(rss[rss.length - 1])}`,
  );
}

/** Runs the service benchmark and prints it. */
export async function serviceBench(options: { load?: boolean } = {}): Promise<void> {
  let instance = await start();
  let s3: TestS3 | undefined;
  try {
    console.log('\nREST service, one instance in this process, 2 workers, durable folder store');
    await firstInstruction(instance.url, 30);
    await images(instance.url, 50, 5);
    if (options.load !== false) await load(instance.url, 200, 20);
    await stop(instance);

    s3 = await startTestS3();
    instance = await start(s3);
    console.log(`\nThe same on the S3 test server (s3rver) at ${s3.endpoint}`);
    await firstInstruction(instance.url, 30);
    await images(instance.url, 50, 5);
  } finally {
    await stop(instance);
    await s3?.stop();
  }
}

async function stop(instance: Instance): Promise<void> {
  await instance.server.app.close();
  rmSync(instance.dir, { recursive: true, force: true });
}

if (process.argv[1] === import.meta.filename) {
  await serviceBench({ load: !process.argv.includes('--no-load') });
}
