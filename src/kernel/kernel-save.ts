import { AMBER_FEATURES } from '../cpu/cpuid.ts';
import { instructionTable } from '../cpu/isa.ts';
import type { MemoryChunk } from '../mm/memory-file.ts';
import { decodeSection, encodeSection } from '../state/index.ts';
import { Kernel, type KernelHooks } from './kernel.ts';
import { KernelLog, type KernelLogger } from './kernel-log.ts';
import { kernelRegistry } from './persist.ts';
import { KernelProc } from './proc-provider.ts';
import { SnapshotFormatError, decodeHeader, encodeHeader } from './snapshot-header.ts';
import type { SyscallTable } from './syscall-types.ts';
import type { FpStateCodec } from './task-signals.ts';
import type { HostClock, RandomSource } from './time-source.ts';

/**
 * Saving a kernel to a byte sink and loading one from a byte source, in the
 * order of DESIGN.md: the header (magic, versions, CPUID feature set), the
 * kernel state (an object graph encoded by src/state), then the memory file
 * (frames in use, all-zero pages left out).
 */

/** Where a snapshot's three parts go. */
export interface SnapshotSink {
  header(bytes: Uint8Array): Promise<void>;
  kernelState(bytes: Uint8Array): Promise<void>;
  memory(chunks: Iterable<MemoryChunk>): Promise<void>;
}

/** Where a snapshot's three parts come from, read in order. */
export interface SnapshotSource {
  header(): Promise<Uint8Array>;
  kernelState(): Promise<Uint8Array>;
  memory(): AsyncIterable<MemoryChunk> | Iterable<MemoryChunk>;
}

/** Sizes and durations of a save or load, per part. */
export interface SnapshotStats {
  headerBytes: number;
  stateBytes: number;
  memoryBytes: number;
  memoryChunks: number;
  headerMs: number;
  stateMs: number;
  memoryMs: number;
}

/** The host parts a loaded kernel is given. */
export interface KernelHost {
  syscalls: SyscallTable;
  random: RandomSource;
  fpState: FpStateCodec;
  clock: HostClock;
  logger: KernelLogger;
}

/** Counts the bytes of chunks as they pass to the sink. */
function* counted(chunks: Iterable<MemoryChunk>, total: { bytes: number; n: number }) {
  for (const c of chunks) {
    total.bytes += c.bytes.length;
    total.n++;
    yield c;
  }
}

/**
 * Writes the kernel to `sink`.
 *
 * Preconditions: the kernel is paused (no slice in progress), so nothing
 * changes while it is written.
 */
export async function saveKernel(k: Kernel, sink: SnapshotSink): Promise<SnapshotStats> {
  if (!k.isPaused()) throw new Error('kernel: saveTo needs a paused kernel');

  // Stop guest time and flush what the guest wrote to the host.
  k.timekeeper.pause();
  k.hooks.afterSlice?.();

  // Header.
  let t = performance.now();
  const header = encodeHeader(k.featureSet);
  await sink.header(header);
  const headerMs = performance.now() - t;
  k.log.info({ phase: 'header', durationMs: headerMs, bytes: header.length }, 'snapshot save');

  // Kernel state.
  t = performance.now();
  const state = encodeSection(k, kernelRegistry());
  await sink.kernelState(state);
  const stateMs = performance.now() - t;
  k.log.info({ phase: 'kernel-state', durationMs: stateMs, bytes: state.length }, 'snapshot save');

  // Memory file.
  t = performance.now();
  const total = { bytes: 0, n: 0 };
  await sink.memory(counted(k.memoryFile.chunks(), total));
  const memoryMs = performance.now() - t;
  k.log.info(
    { phase: 'memory', durationMs: memoryMs, bytes: total.bytes, chunks: total.n },
    'snapshot save',
  );
  return {
    headerBytes: header.length,
    stateBytes: state.length,
    memoryBytes: total.bytes,
    memoryChunks: total.n,
    headerMs,
    stateMs,
    memoryMs,
  };
}

/**
 * Builds a kernel from `source`. The header is read and checked before
 * anything else. The loaded kernel is paused-not-started: start() runs it,
 * resuming guest time where the save stopped it.
 */
export async function loadKernel(
  source: SnapshotSource,
  host: KernelHost,
): Promise<{ kernel: Kernel; stats: SnapshotStats }> {
  const log = new KernelLog(host.logger);

  // Header: refuse what this CPU cannot run before reading further.
  let t = performance.now();
  const header = await source.header();
  decodeHeader(header, AMBER_FEATURES);
  const headerMs = performance.now() - t;
  log.info({ phase: 'header', durationMs: headerMs, bytes: header.length }, 'snapshot load');

  // Kernel state.
  t = performance.now();
  const state = await source.kernelState();
  const k = decodeSection(state, kernelRegistry());
  if (!(k instanceof Kernel)) {
    throw new SnapshotFormatError(
      'SNAPSHOT_CORRUPT',
      'snapshot kernel state has no kernel at its root',
    );
  }
  attachHost(k, host, log);
  const stateMs = performance.now() - t;
  log.info({ phase: 'kernel-state', durationMs: stateMs, bytes: state.length }, 'snapshot load');

  // Memory file.
  t = performance.now();
  k.memoryFile.restoreAfterLoad();
  let bytes = 0;
  let n = 0;
  for await (const chunk of source.memory()) {
    try {
      k.memoryFile.loadChunk(chunk.index, chunk.bytes);
    } catch (e) {
      throw new SnapshotFormatError('SNAPSHOT_CORRUPT', `snapshot memory: ${(e as Error).message}`);
    }
    bytes += chunk.bytes.length;
    n++;
  }
  relinkTasks(k);
  const memoryMs = performance.now() - t;
  log.info({ phase: 'memory', durationMs: memoryMs, bytes, chunks: n }, 'snapshot load');
  return {
    kernel: k,
    stats: {
      headerBytes: header.length,
      stateBytes: state.length,
      memoryBytes: bytes,
      memoryChunks: n,
      headerMs,
      stateMs,
      memoryMs,
    },
  };
}

/** Gives a decoded kernel its host handles and empty driver state. */
function attachHost(k: Kernel, host: KernelHost, log: KernelLog): void {
  const hooks: KernelHooks = {};
  Object.assign(k, {
    syscalls: host.syscalls,
    random: host.random,
    fpState: host.fpState,
    log,
    instructionTable: instructionTable(),
    hooks,
    current: null,
    started: false,
    pauseDepth: 0,
    running: false,
    wakeDriver: null,
    pauseWaiters: [],
    exitWaiters: [],
  });
  k.timekeeper.attachClock(host.clock);
  const proc = new KernelProc();
  proc.kernel = k;
  k.fs.attach({
    clock: {
      realtimeNs: () => {
        const [s, ns] = host.clock.realtime();
        return s * 1e9 + ns;
      },
    },
    random: host.random,
    proc,
  });
}

/** Connects every task's CPU to its address space again. */
function relinkTasks(k: Kernel): void {
  for (const t of k.tasks.root.tasks.values()) t.cpu.attach(t.tg.space);
}
