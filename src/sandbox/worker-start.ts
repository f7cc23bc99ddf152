/**
 * How a sandbox worker gets its guest: booting a program, or loading a
 * snapshot from the request's store and adjusting it to the new run's
 * limits.
 */
import type { KernelLogger } from '../kernel/kernel-log.ts';
import { loadSnapshot } from '../snapshot/index.ts';
import { isStoreError } from '../store/index.ts';
import { Guest } from './guest.ts';
import type { GuestSource, RunRequest } from './worker-protocol.ts';
import { snapshotStoreOf } from './worker-store.ts';

/** A guest could not be started or saved; `code` is the job's error code. */
export class StartError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartError';
  }
}

/** Boots a program as the guest's first process. */
export function bootGuest(
  req: RunRequest,
  source: Extract<GuestSource, { kind: 'boot' }>,
  logger: KernelLogger,
): Guest {
  return new Guest({
    program: source.program,
    programPath: '/bin/program',
    argv: source.argv,
    env: source.env,
    cwd: '/',
    files: [],
    maxMemoryBytes: req.limits.maxMemoryBytes,
    maxOutputBytes: req.limits.maxOutputBytes,
    logger,
  });
}

/**
 * Loads snapshot `id` from the request's store. The output limit counts
 * from the restore, since the job's output is what the guest writes from
 * here on.
 */
export async function restoreGuest(
  req: RunRequest,
  id: string,
  logger: KernelLogger,
): Promise<Guest> {
  if (req.store === undefined) {
    throw new StartError('SNAPSHOT_LOAD_FAILED', 'no snapshot store to load from');
  }
  let guest: Guest;
  try {
    const { kernel } = await loadSnapshot(snapshotStoreOf(req.store), id, logger);
    guest = new Guest(kernel);
  } catch (e) {
    throw loadError(id, e);
  }
  // The job's own memory budget replaces the one the snapshot was saved
  // with (never below what the guest already holds).
  guest.kernel.memoryFile.setLimit(req.limits.maxMemoryBytes);
  for (const stream of [guest.stdout, guest.stderr]) {
    stream.limit = req.limits.maxOutputBytes < 0 ? -1 : stream.kept + req.limits.maxOutputBytes;
    stream.truncated = false;
  }
  return guest;
}

function loadError(id: string, e: unknown): StartError {
  const message = `snapshot ${id} cannot be loaded: ${(e as Error).message}`;
  if (isStoreError(e, 'STORE_NOT_FOUND')) {
    return new StartError('SNAPSHOT_NOT_FOUND', message, { cause: e });
  }
  if (isStoreError(e)) return new StartError(e.code, message, { cause: e });
  // SnapshotFormatError and StateDecodeError carry stable codes of their own.
  const code = (e as { code?: unknown }).code;
  return new StartError(typeof code === 'string' ? code : 'SNAPSHOT_LOAD_FAILED', message, {
    cause: e,
  });
}
