/**
 * What a blocked task waits for. A task that blocks in a system call is
 * parked with one of these records and, when woken, either runs the call
 * again (its RIP was rewound to the `syscall` instruction) or completes it
 * with a value the waker supplies. Records are plain data so that a snapshot
 * can hold blocked tasks.
 */

/** A readiness source: anything with a poll() giving POLL* bits. */
export interface Pollable {
  poll(): number;
}

/** Kinds of wait. */
export type WaitKind =
  /** Readiness of one or more files (read, write, poll, select). Re-runs. */
  | 'io'
  /** A futex word. Completed by FUTEX_WAKE with 0, or by the deadline. */
  | 'futex'
  /** A sleep. Completed at the deadline. */
  | 'sleep'
  /** pause, sigsuspend, sigtimedwait: only a signal ends it. */
  | 'signal'
  /** wait4/waitid for a child. Re-runs. */
  | 'child';

/** A parked task's wait. */
export interface WaitRecord {
  kind: WaitKind;
  /** For io waits: the files and the POLL* events wanted from each. */
  files?: Pollable[];
  events?: number[];
  /**
   * True when only the world outside the guest can end the wait (reading an
   * empty standard input that is still open, pause()). A guest whose tasks
   * all wait like this, or without a deadline, is quiescent.
   */
  external: boolean;
  /** Guest monotonic deadline in ns, or -1 for none. */
  deadlineNs: number;
  /** RAX when the deadline passes (0, -ETIMEDOUT...). */
  timeoutResult: number;
  /** For futex waits: the word's address and bitset. */
  futexAddr?: number;
  futexBitset?: number;
  /** For futex waits: the address space's identity (shared futexes later). */
  futexKey?: number;
  /** For sleeps: where to write the remaining time when a signal interrupts. */
  remAddr?: number;
  /** Re-run the call after a handler with SA_RESTART rather than fail with EINTR. */
  restartable: boolean;
}
