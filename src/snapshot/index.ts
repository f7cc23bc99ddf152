/**
 * The snapshot layer: saving a paused kernel into a snapshot store and
 * loading one back, with the kernel's three parts (header, kernel state,
 * memory file) written in that order and the manifest last.
 *
 * Async steps: a save awaits the store between parts while the kernel is
 * paused, so no guest state changes meanwhile; a load builds a kernel that
 * nothing else sees until it returns.
 */
import { FXSAVE_FRAMES } from '../kernel/fpstate.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { KernelLogger } from '../kernel/kernel-log.ts';
import { loadKernel, saveKernel, type SnapshotStats } from '../kernel/kernel-save.ts';
import { SYSTEM_CLOCK, SYSTEM_RANDOM } from '../kernel/time-source.ts';
import type { SaveResult, SnapshotStore } from '../store/index.ts';
import { linuxSyscalls } from '../syscalls/index.ts';

/** What a save produced: the store's result and the kernel's phase figures. */
export interface SavedSnapshot extends SaveResult {
  kernel: SnapshotStats;
}

/**
 * Saves a paused kernel as a new snapshot. Nothing is visible in the store
 * unless every part was written (the manifest goes last).
 *
 * Preconditions: the kernel is paused.
 */
export async function saveSnapshot(
  kernel: Kernel,
  store: SnapshotStore,
  options: { parent?: string; meta?: Record<string, unknown> } = {},
): Promise<SavedSnapshot> {
  const writer = await store.begin(options);
  try {
    const stats = await saveKernel(kernel, {
      header: (bytes) => writer.writeHeader(bytes),
      kernelState: (bytes) => writer.writeKernelState(bytes),
      memory: async (chunks) => {
        for (const chunk of chunks) await writer.writeMemoryChunk(chunk);
      },
    });
    const result = await writer.commit();
    kernel.log.info(
      {
        snapshotId: result.id,
        durationMs: result.durationMs,
        chunksWritten: result.chunksWritten,
        chunksReused: result.chunksReused,
        bytes: result.bytesWritten,
      },
      'snapshot saved',
    );
    return { ...result, kernel: stats };
  } catch (e) {
    await writer.abort();
    throw e;
  }
}

/** Loads a snapshot into a new kernel, not yet started. */
export async function loadSnapshot(
  store: SnapshotStore,
  id: string,
  logger: KernelLogger,
): Promise<{ kernel: Kernel; stats: SnapshotStats }> {
  const reader = await store.open(id);
  return loadKernel(
    {
      header: () => reader.header(),
      kernelState: () => reader.kernelState(),
      memory: () => reader.memory(),
    },
    {
      syscalls: linuxSyscalls(),
      random: SYSTEM_RANDOM,
      fpState: FXSAVE_FRAMES,
      clock: SYSTEM_CLOCK,
      logger,
    },
  );
}
