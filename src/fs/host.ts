/**
 * What the file system needs from outside itself: a clock, a source of
 * random bytes and the /proc content of the calling process. All are passed
 * in as interfaces and kept in fields that a snapshot does not save; load
 * re-attaches them.
 */
import type { FdTable } from './fd-table.ts';

/**
 * Returned by operations that cannot make progress now (an empty pipe with
 * writers, an empty standard input that is still open). It is not an errno:
 * the description turns it into -EAGAIN for O_NONBLOCK callers, and a
 * blocking caller gets it back so that the kernel parks the task and runs
 * the call again when the object's readiness changes. Never let it reach the
 * guest.
 */
export const WOULD_BLOCK = -100_000;

/** The clock inode times are taken from. */
export interface FsClock {
  /** Nanoseconds since the Unix epoch. */
  realtimeNs(): number;
}

/** Where /dev/random and /dev/urandom get their bytes. */
export interface RandomSource {
  /** Fills dst with random bytes. */
  fill(dst: Uint8Array): void;
}

/**
 * The process-specific content of /proc, from the point of view of the task
 * that makes the call. Implemented by the kernel.
 */
export interface ProcProvider {
  /** The process ID, shown as the target of /proc/self. */
  pid(): number;
  /** The path of the running program, the target of /proc/self/exe. */
  exePath(): string;
  /** The text of /proc/self/maps. */
  maps(): string;
  /** The text of /proc/self/status. */
  status(): string;
  /** The calling process's descriptor table, listed under /proc/self/fd. */
  fdTable(): FdTable | null;
  /** The text of /proc/cpuinfo. */
  cpuinfo(): string;
  /** The text of /proc/meminfo. */
  meminfo(): string;
  /** The text of /proc/uptime. */
  uptime(): string;
}

/** The credentials a file-system check is made with (Linux's fsuid/fsgid). */
export interface FsCred {
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups. */
  readonly groups: readonly number[];
}

/** The host-side services of a Filesystem; not saved, re-attached on load. */
export interface FsHost {
  clock: FsClock;
  random: RandomSource;
  proc: ProcProvider;
}
