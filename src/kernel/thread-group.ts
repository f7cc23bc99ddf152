import { SigSet } from '../linux/signal.ts';
import type { DirInode, FdTable } from '../fs/index.ts';
import type { AddressSpace } from '../mm/address-space.ts';
import type { MemoryManager } from '../mm/memory-manager.ts';
import type { IntervalTimer } from './interval-timer.ts';
import type { LimitSet } from './limits.ts';
import type { SigInfo } from './signal-info.ts';
import type { Task } from './task.ts';

/** A signal disposition (struct sigaction). */
export interface SigAction {
  /** SIG_DFL (0), SIG_IGN (1) or the handler's address. */
  handler: number;
  flags: number;
  restorer: number;
  mask: SigSet;
}

export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SA_NOCLDSTOP = 0x1;
export const SA_NOCLDWAIT = 0x2;
export const SA_SIGINFO = 0x4;
export const SA_RESTORER = 0x04000000;
export const SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;

/** How a thread group ended. */
export interface ExitInfo {
  /** Exit code when it exited, else 0. */
  code: number;
  /** The signal that killed it, else 0. */
  signal: number;
  /** A core dump would have been written (default action "core"). */
  core: boolean;
}

/**
 * A process: the tasks sharing one address space, signal dispositions, file
 * table and limits. Mutated by its tasks' system calls and by the kernel's
 * exit path.
 *
 * Saved: everything; `memory` and `files` are the mm and fs layers' objects.
 */
export class ThreadGroup {
  readonly pid: number;
  readonly tasks: Task[] = [];
  /** Dispositions for signals 1-64 (index 0 unused). */
  readonly actions: SigAction[];
  /** Process-directed pending signals. */
  pending = new SigSet();
  pendingInfo = new Map<number, SigInfo>();
  /** Set once the group starts exiting (exit_group or a fatal signal). */
  exit: ExitInfo | null = null;
  /** The mappings and pages. */
  mm: MemoryManager;
  /** The file descriptor table. */
  files: FdTable;
  /** Working directory. */
  cwd: DirInode;
  limits: LimitSet;
  /** Path of the running program (/proc/self/exe). */
  exePath = '';
  /** The parent process id seen by getppid (0: started by the host). */
  ppid = 0;
  umask = 0o022;
  /**
   * The ITIMER_REAL timer (setitimer, alarm): set by those calls, reloaded
   * by the waker when it fires (interval-timer.ts). Saved.
   */
  realTimer: IntervalTimer = { deadlineNs: -1, intervalNs: 0 };

  constructor(pid: number, mm: MemoryManager, files: FdTable, cwd: DirInode, limits: LimitSet) {
    this.pid = pid;
    this.mm = mm;
    this.files = files;
    this.cwd = cwd;
    this.limits = limits;
    this.actions = Array.from({ length: 65 }, () => ({
      handler: SIG_DFL,
      flags: 0,
      restorer: 0,
      mask: new SigSet(),
    }));
  }

  /** The address space of the group's tasks. */
  get space(): AddressSpace {
    return this.mm.space;
  }

  /** The thread-group leader (first task). */
  get leader(): Task {
    return this.tasks[0];
  }

  /** True once every task has exited. */
  get dead(): boolean {
    return this.tasks.every((t) => t.state === 'exited');
  }
}
