/**
 * A snapshot's three parts held in memory, saved and loaded straight through
 * saveKernel and loadKernel with no store in between, so that tests can
 * damage any part and see what the kernel's own checks make of it.
 */
import { FXSAVE_FRAMES } from '../../src/kernel/fpstate.ts';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { SILENT_LOGGER } from '../../src/kernel/kernel-log.ts';
import { loadKernel, saveKernel, type KernelHost } from '../../src/kernel/kernel-save.ts';
import { SYSTEM_CLOCK, SYSTEM_RANDOM } from '../../src/kernel/time-source.ts';
import type { MemoryChunk } from '../../src/mm/memory-file.ts';
import { linuxSyscalls } from '../../src/syscalls/index.ts';

/** The parts of one snapshot. */
export interface SnapshotParts {
  header: Uint8Array;
  state: Uint8Array;
  memory: MemoryChunk[];
}

/**
 * Saves a paused kernel into memory, as plain Uint8Array copies (a Buffer's
 * slice() would share bytes with the kernel's).
 */
export async function captureParts(kernel: Kernel): Promise<SnapshotParts> {
  const parts: SnapshotParts = { header: new Uint8Array(), state: new Uint8Array(), memory: [] };
  await saveKernel(kernel, {
    header: async (bytes) => void (parts.header = new Uint8Array(bytes)),
    kernelState: async (bytes) => void (parts.state = new Uint8Array(bytes)),
    memory: async (chunks) => {
      for (const c of chunks) parts.memory.push({ index: c.index, bytes: new Uint8Array(c.bytes) });
    },
  });
  return parts;
}

/** The host a loaded kernel gets here: the real one, as loadSnapshot gives. */
export function realHost(overrides: Partial<KernelHost> = {}): KernelHost {
  return {
    syscalls: linuxSyscalls(),
    random: SYSTEM_RANDOM,
    fpState: FXSAVE_FRAMES,
    clock: SYSTEM_CLOCK,
    logger: SILENT_LOGGER,
    ...overrides,
  };
}

/** Loads a kernel from parts held in memory. */
export async function loadParts(parts: SnapshotParts, host = realHost()): Promise<Kernel> {
  const { kernel } = await loadKernel(
    {
      header: async () => parts.header,
      kernelState: async () => parts.state,
      memory: () => parts.memory,
    },
    host,
  );
  return kernel;
}
