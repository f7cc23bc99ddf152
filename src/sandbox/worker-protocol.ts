/**
 * Messages between the service's worker pool and a sandbox worker thread.
 * A worker runs one guest at a time: the pool sends `run`, may send `kill`,
 * and the worker answers `started` (or `failed`), any number of `output`
 * messages, then exactly one `done` (or `failed`).
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

/** Pool to worker: boot this program and run it to its end. */
export interface RunRequest {
  type: 'run';
  /** The job this run belongs to, echoed in every answer and log line. */
  jobId: string;
  /** The ELF file; transferred, so the pool must not use it afterwards. */
  program: Uint8Array;
  /** argv[0] first. */
  argv: string[];
  /** `NAME=value` strings. */
  env: string[];
  /** Bytes fed to standard input before the guest starts. */
  stdin: Uint8Array;
  /** Whether standard input ends after `stdin` (else the guest may wait on it). */
  closeStdin: boolean;
  limits: GuestLimits;
}

/** Pool to worker: kill the running guest, saying why. */
export interface KillRequest {
  type: 'kill';
  jobId: string;
  /** Stable code recorded as the job's error code (LIMIT_WALL_TIME, ...). */
  code: string;
  reason: string;
}

/** Everything the pool sends. */
export type ToWorker = RunRequest | KillRequest;

/** Why a finished run ended, as the worker reports it. */
export interface RunOutcome {
  status: 'exited' | 'killed';
  exitCode: number;
  /** The signal that ended the guest, 0 if none. */
  signal: number;
  /** When Amber killed the guest: the stable code and the reason. */
  kill?: { code: string; reason: string };
  instructions: number;
  wallMs: number;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  unsupportedSyscalls: { nr: number; name: string; count: number }[];
}

/** Worker to pool messages. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'started'; jobId: string }
  | { type: 'output'; jobId: string; stream: 1 | 2; bytes: Uint8Array }
  | { type: 'done'; jobId: string; outcome: RunOutcome }
  | { type: 'failed'; jobId: string; code: string; message: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; obj: object; msg: string };
