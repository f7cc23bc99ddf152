/**
 * Where a snapshot's time goes, for bench/snapshot.ts: the memory part's
 * steps measured one by one without a store, which chunks a child snapshot
 * added, and the CPU time our child processes (the S3 test server) spent.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';
import type { Kernel } from '../src/kernel/kernel.ts';
import type { SnapshotManifest } from '../src/store/index.ts';

/** Linux's USER_HZ, the unit of /proc/PID/stat times, on every x86-64 build. */
const CLOCK_TICKS = 100;

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/**
 * One line on the memory part of `kernel`'s snapshot: cutting the memory
 * file into chunks (zero-page scan and copy), hashing them, and deflating
 * (level 1, as the store does) and inflating them, each summed over every
 * chunk on this thread; and this process's resident size.
 */
export function memoryCosts(kernel: Kernel): string {
  let t = performance.now();
  let chunks = 0;
  let bytes = 0;
  for (const chunk of kernel.memoryFile.chunks()) {
    chunks++;
    bytes += chunk.bytes.length;
  }
  const chunkMs = performance.now() - t;

  let hashMs = 0;
  let deflateMs = 0;
  let inflateMs = 0;
  let packed = 0;
  for (const chunk of kernel.memoryFile.chunks()) {
    t = performance.now();
    createHash('sha256').update(chunk.bytes).digest();
    hashMs += performance.now() - t;
    t = performance.now();
    const z = deflateSync(chunk.bytes, { level: 1 });
    deflateMs += performance.now() - t;
    packed += z.length;
    t = performance.now();
    inflateSync(z);
    inflateMs += performance.now() - t;
  }
  return (
    `  memory part: ${chunks} chunks, ${mib(bytes)} MiB raw, ${mib(packed)} MiB deflated; ` +
    `one thread: chunking ${chunkMs.toFixed(0)} ms, sha256 ${hashMs.toFixed(0)}, ` +
    `deflate ${deflateMs.toFixed(0)}, inflate ${inflateMs.toFixed(0)}; ` +
    `rss now ${mib(process.memoryUsage().rss)} MiB`
  );
}

/** How many chunks of each part `child` has that `parent` lacks. */
export function newChunks(
  parent: SnapshotManifest,
  child: SnapshotManifest,
): { header: number; state: number; memory: number } {
  const known = new Set(
    [parent.header, ...parent.kernelState.pieces, ...parent.memory].map((r) => r.sha256),
  );
  const count = (refs: { sha256: string }[]): number =>
    refs.filter((r) => !known.has(r.sha256)).length;
  return {
    header: count([child.header]),
    state: count(child.kernelState.pieces),
    memory: count(child.memory),
  };
}

/**
 * CPU milliseconds (user and system) spent so far by the live child
 * processes of this one, read from /proc; 0 where there is no /proc.
 */
export function childCpuMs(): number {
  let ticks = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // It exited while we looked.
    }
    // Fields after the command name, which is in parentheses and may hold
    // spaces: state, ppid, ..., utime (12th), stime (13th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/**
 * Starts a new peak resident size measurement (Linux only; elsewhere the
 * peak stays the process's lifetime peak) and returns the resident size now,
 * in MiB, which may include garbage not yet collected.
 */
export function resetPeakRss(): number {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // No /proc: nothing to reset.
  }
  return process.memoryUsage().rss / 1024 / 1024;
}

/** Peak resident size in MiB since resetPeakRss(); NaN if unknown. */
export function peakRss(): number {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib === undefined ? NaN : Number(kib) / 1024;
  } catch {
    return NaN;
  }
}
