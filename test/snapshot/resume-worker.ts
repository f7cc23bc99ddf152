/**
 * A fresh process for the snapshot tests: reads `{ location, jobs }` as JSON
 * on standard input, continues each job's snapshot to its end, and prints
 * one JSON array of what each printed after its snapshot and its status.
 * Run as `node --import tsx test/snapshot/resume-worker.ts`.
 */
import { openSnapshotStore } from '../../src/store/index.ts';
import { Transcript, finish, loadGuest, type Outcome, type ResumeJob } from './harness.ts';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { location, jobs } = JSON.parse(Buffer.concat(chunks).toString()) as {
    location: string;
    jobs: ResumeJob[];
  };
  const store = openSnapshotStore(location);
  const results: Outcome[] = [];
  for (const job of jobs) {
    const guest = await loadGuest(store, job.id);
    const transcript = new Transcript();
    const result = await finish(guest, transcript, job.lateStdin);
    results.push({ ...transcript.text(), status: result.exitCode });
  }
  process.stdout.write(JSON.stringify(results));
}

await main();
