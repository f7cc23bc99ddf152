import type { Task } from './task.ts';
import type { ThreadGroup } from './thread-group.ts';

/**
 * A PID namespace: the numbers tasks and thread groups are known by. Amber
 * has one, the root, per kernel. IDs start at 1 and are never reused while
 * the kernel lives, which keeps snapshots and logs unambiguous.
 */
export class PidNamespace {
  /** Next ID to hand out. Saved. */
  private next = 1;
  readonly tasks = new Map<number, Task>();
  readonly groups = new Map<number, ThreadGroup>();

  /** Reserves the next ID. */
  allocate(): number {
    return this.next++;
  }
}

/** All tasks of a kernel, in the root PID namespace. */
export class TaskSet {
  readonly root: PidNamespace;

  constructor(root: PidNamespace) {
    this.root = root;
  }

  /** Tasks in creation order. */
  all(): Task[] {
    return [...this.root.tasks.values()];
  }

  /** Live (not exited) tasks. */
  live(): Task[] {
    return this.all().filter((t) => t.state !== 'exited');
  }
}
