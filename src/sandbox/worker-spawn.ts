import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread starts with a fresh module loader: whatever let the main
 * thread import TypeScript (tsx's CLI, tsx's register() in bin/amber.js,
 * vitest's transformer) does not reach it. So the thread begins with a small
 * CommonJS bootstrap that registers tsx's loader hooks and only then imports
 * worker.ts. This works the same under `npm start`, `npx amber` and vitest.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi)
  .then((tsx) => { tsx.register(); return import(workerData.entry); })
  .catch((error) => { process.nextTick(() => { throw error; }); });
`;

/** Options of {@link spawnSandboxWorker}. */
export interface SpawnOptions {
  /** Heap limit of the thread in MiB (guest memory lives outside the heap). */
  maxHeapMb?: number;
}

/**
 * Starts a sandbox worker thread running `worker.ts`. It posts
 * `{ type: 'ready' }` once loaded; see worker-protocol.ts for the rest.
 */
export function spawnSandboxWorker(options: SpawnOptions = {}): Worker {
  // The ESM build of tsx's API: its CommonJS build registers its hooks by a
  // path that does not resolve from a worker's eval context.
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./worker.ts', import.meta.url).href;
  return new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { tsxApi, entry },
    ...(options.maxHeapMb !== undefined
      ? { resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb } }
      : {}),
  });
}
