/**
 * Messages between the service's worker pool and a sandbox worker thread.
 * A worker runs one guest at a time: the pool sends `run`, may send `pause`
 * or `kill`, and the worker answers `started` (or `failed`), any number of
 * `output` messages, then exactly one `done` (or `failed`). A guest that
 * pauses is saved into the request's snapshot store before `done`.
 */

/** Limits one guest run is held to. */
export interface GuestLimits {
  /** The guest is killed once it has retired this many instructions. */
  maxInstructions: number;
  /** The guest is killed after this much wall time, in milliseconds. */
  maxWallMs: number;
  /** The memory file may grow to this many bytes. */
  maxMemoryBytes: number;
  /** Bytes kept per output stream; more are dropped and flagged. */
  maxOutputBytes: number;
}

/** When a guest should pause itself and be saved (DESIGN.md). */
export interface PauseRule {
  /** Pause once every task waits for something only the outside can give. */
  whenIdle?: boolean;
  /** Pause after this many more instructions (a budget, not a kill). */
  afterInstructions?: number;
}

/** Where a worker saves and loads snapshots: a store location it opens. */
export interface StoreRef {
  /** A folder path or `s3://bucket/prefix`, as openStore takes it. */
  location: string;
  /** The variables the S3 store reads (endpoint, region, credentials). */
  env: Record<string, string | undefined>;
  /** Whether a folder store syncs each write to disk. */
  durable: boolean;
}

/** What the guest starts from: a program to boot, or a snapshot to load. */
export type GuestSource =
  | {
      kind: 'boot';
      /** The ELF file; transferred, so the pool must not use it afterwards. */
      program: Uint8Array;
      /** argv[0] first. */
      argv: string[];
      /** `NAME=value` strings. */
      env: string[];
    }
  | { kind: 'restore'; snapshotId: string };

/** Pool to worker: start a guest and run it until it exits or pauses. */
export interface RunRequest {
  type: 'run';
  /** The job this run belongs to, echoed in every answer and log line. */
  jobId: string;
  source: GuestSource;
  /** Bytes fed to standard input before the guest starts (or continues). */
  stdin: Uint8Array;
  /** Whether standard input ends after `stdin` (else the guest may wait on it). */
  closeStdin: boolean;
  /** A signal delivered before the guest continues; 0 for none. */
  signal: number;
  limits: GuestLimits;
  pause: PauseRule;
  /**
   * Where snapshots are loaded from and saved to; without one, a restore
   * fails and a guest that would pause is killed instead.
   */
  store?: StoreRef;
  /** Kept in the manifest of a snapshot this run saves (tenant, job...). */
  meta: Record<string, string>;
}

/** Pool to worker: kill the running guest, saying why. */
export interface KillRequest {
  type: 'kill';
  jobId: string;
  /** Stable code recorded as the job's error code (LIMIT_WALL_TIME, ...). */
  code: string;
  reason: string;
}

/** Pool to worker: pause the running guest now and save it. */
export interface PauseRequest {
  type: 'pause';
  jobId: string;
}

/** Everything the pool sends. */
export type ToWorker = RunRequest | KillRequest | PauseRequest;

/** The snapshot a paused run was saved as. */
export interface SavedRun {
  id: string;
  /** Why the guest paused: its budget, idleness, or a request. */
  pausedFor: 'instructions' | 'idle' | 'request';
  /** Wall time of the save, in milliseconds. */
  saveMs: number;
  /** Bytes the save uploaded (compressed chunks and manifest). */
  bytes: number;
  chunksWritten: number;
  chunksReused: number;
}

/** Why a finished run ended, as the worker reports it. */
export interface RunOutcome {
  status: 'exited' | 'killed' | 'paused';
  exitCode: number;
  /** The signal that ended the guest, 0 if none. */
  signal: number;
  /** When Amber killed the guest: the stable code and the reason. */
  kill?: { code: string; reason: string };
  /** When the guest paused: the snapshot it was saved as. */
  snapshot?: SavedRun;
  /** Instructions this run retired (not counting those before a restore). */
  instructions: number;
  wallMs: number;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  unsupportedSyscalls: { nr: number; name: string; count: number }[];
}

/** Worker to pool messages. */
export type FromWorker =
  | { type: 'ready' }
  /**
   * The guest is booted or loaded and about to run its first instruction:
   * `loadMs` is how long that took, `at` the wall clock (epoch ms, with
   * fractions) at that moment.
   */
  | { type: 'started'; jobId: string; loadMs: number; at: number }
  | { type: 'output'; jobId: string; stream: 1 | 2; bytes: Uint8Array }
  | { type: 'done'; jobId: string; outcome: RunOutcome }
  | { type: 'failed'; jobId: string; code: string; message: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; obj: object; msg: string };
