import type { FeatureSet } from '../cpu/cpuid.ts';
import { instructionTable } from '../cpu/isa.ts';
import type { OpTable } from '../cpu/table.ts';
import type { Filesystem, HostInputInode, HostOutputInode } from '../fs/index.ts';
import type { MemoryFile } from '../mm/memory-file.ts';
import { SIGKILL } from '../linux/signal.ts';
import type { UserNamespace } from './credentials.ts';
import { KernelLog, type KernelLogger } from './kernel-log.ts';
import { createProcess, type CreateProcessArgs } from './process.ts';
import { runTask } from './task-run.ts';
import type { PidNamespace } from './task-set.ts';
import { TaskSet } from './task-set.ts';
import { sendToGroup, startGroupExit, type FpStateCodec } from './task-signals.ts';
import type { SyscallTable } from './syscall-types.ts';
import type { Task } from './task.ts';
import type { ExitInfo, ThreadGroup } from './thread-group.ts';
import type { Timekeeper } from './timekeeper.ts';
import type { RandomSource } from './time-source.ts';
import type { UtsNamespace } from './uts.ts';
import { recheckWaits, earliestDeadline, isQuiescent } from './waker.ts';
import { userSigInfo } from './signal-info.ts';

/** What a kernel is made from; every field is required. */
export interface InitKernelArgs {
  featureSet: FeatureSet;
  timekeeper: Timekeeper;
  rootUserNamespace: UserNamespace;
  /** Logical CPUs the guest sees (sched_getaffinity, /proc/cpuinfo). */
  applicationCores: number;
  uts: UtsNamespace;
  pidNamespace: PidNamespace;
  syscalls: SyscallTable;
  memoryFile: MemoryFile;
  /** The guest's file system. */
  fs: Filesystem;
  random: RandomSource;
  fpState: FpStateCodec;
  logger: KernelLogger;
}

/** The host's ends of the guest's standard streams. */
export interface HostStreams {
  stdin: HostInputInode | null;
  stdout: HostOutputInode | null;
  stderr: HostOutputInode | null;
}

/** Thrown by Kernel.create for missing or invalid arguments. */
export class KernelInitError extends Error {
  readonly code = 'KERNEL_INIT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'KernelInitError';
  }
}

/** Host hooks the kernel calls between slices; host handles, not saved. */
export interface KernelHooks {
  /** After each slice of guest execution: drain output, account, etc. */
  afterSlice?(): void;
  /** No task can run and none waits with a deadline: only the outside can help. */
  onQuiescent?(): void;
  /**
   * The instruction limit is reached. The hook kills, pauses or raises the
   * limit; if it does none, the kernel waits as if paused.
   */
  onBudgetSpent?(): void;
}

/** Instructions each task may run before the next one gets a turn. */
const QUANTUM = 1_000_000;
/** Instructions per slice before the kernel yields to the host event loop. */
const SLICE = 20_000_000;

/**
 * An emulated Linux kernel: the tasks, the memory file, clocks, randomness
 * and the system call table, with the life cycle the service drives
 * (create a process, start, pause, unpause, kill, wait for exit).
 *
 * Lock order: there are no locks; JavaScript runs one thing at a time. The
 * async driver touches kernel state only between slices, and pause() waits
 * for the slice in progress to end, so a paused kernel is never mid-change.
 *
 * Saved: everything reachable from here except the host handles marked so.
 */
export class Kernel {
  readonly featureSet: FeatureSet;
  readonly timekeeper: Timekeeper;
  readonly tasks: TaskSet;
  readonly rootUserNamespace: UserNamespace;
  readonly applicationCores: number;
  readonly uts: UtsNamespace;
  /** The system call table; host object, re-attached on load. */
  readonly syscalls: SyscallTable;
  readonly memoryFile: MemoryFile;
  readonly fs: Filesystem;
  /** Host handles, not saved: re-attached on load. */
  readonly random: RandomSource;
  readonly fpState: FpStateCodec;
  readonly log: KernelLog;
  instructionTable: OpTable = instructionTable();
  hooks: KernelHooks = {};
  /** Unsupported system calls by number: name and count. Saved. */
  readonly unsupported = new Map<number, { name: string; count: number }>();
  private uniqueId = 1;
  /** Instructions retired by all tasks. Saved. */
  instructions = 0;
  /** Guest execution stops when `instructions` reaches this. */
  instructionLimit = Number.POSITIVE_INFINITY;
  /** The task whose system call is running, for /proc; host state, not saved. */
  current: Task | null = null;
  /**
   * The standard streams the host feeds and drains, kept here so that a
   * loaded kernel still knows them whatever the guest did with its fds.
   */
  streams: HostStreams = { stdin: null, stdout: null, stderr: null };
  /** The thread group started first; its exit is the kernel's result. */
  init: ThreadGroup | null = null;

  private started = false;
  private pauseDepth = 0;
  private running = false;
  private wakeDriver: (() => void) | null = null;
  private readonly pauseWaiters: (() => void)[] = [];
  private readonly exitWaiters: ((e: ExitInfo) => void)[] = [];

  private constructor(args: InitKernelArgs) {
    this.featureSet = args.featureSet;
    this.timekeeper = args.timekeeper;
    this.tasks = new TaskSet(args.pidNamespace);
    this.rootUserNamespace = args.rootUserNamespace;
    this.applicationCores = args.applicationCores;
    this.uts = args.uts;
    this.syscalls = args.syscalls;
    this.memoryFile = args.memoryFile;
    this.fs = args.fs;
    this.random = args.random;
    this.fpState = args.fpState;
    this.log = new KernelLog(args.logger);
  }

  /** Creates a kernel with no tasks, refusing missing arguments by name. */
  static create(args: InitKernelArgs): Kernel {
    const required: (keyof InitKernelArgs)[] = [
      'featureSet',
      'timekeeper',
      'rootUserNamespace',
      'uts',
      'pidNamespace',
      'syscalls',
      'memoryFile',
      'fs',
      'random',
      'fpState',
      'logger',
    ];
    for (const key of required) {
      if (args[key] === undefined || args[key] === null) {
        throw new KernelInitError(`kernel: ${key} is missing`);
      }
    }
    if (!Number.isInteger(args.applicationCores) || args.applicationCores < 1) {
      throw new KernelInitError('kernel: applicationCores must be a positive integer');
    }
    return new Kernel(args);
  }

  /** A number unique within this kernel (inode numbers, futex keys). */
  nextUniqueId(): number {
    return this.uniqueId++;
  }

  /** Records a call to an unimplemented system call; logs the first. */
  noteUnsupported(nr: number, name = `syscall_${nr}`): void {
    const seen = this.unsupported.get(nr);
    if (seen !== undefined) {
      seen.count++;
      return;
    }
    this.unsupported.set(nr, { name, count: 1 });
    this.log.warn({ syscall: name, nr }, 'unsupported system call: returned ENOSYS');
  }

  /** Creates a process (see process.ts); it runs once the kernel starts. */
  createProcess(args: CreateProcessArgs): ThreadGroup {
    return createProcess(this, args);
  }

  /** Starts running the tasks. */
  start(): void {
    if (this.started) throw new Error('kernel already started');
    if (this.init === null) throw new Error('kernel contains no tasks');
    this.started = true;
    this.timekeeper.resume();
    void this.drive();
  }

  /**
   * Stops all tasks at the next slice boundary and resolves once they are
   * stopped. Pauses nest: each needs its unpause().
   */
  pause(): Promise<void> {
    this.pauseDepth++;
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.pauseWaiters.push(resolve);
      this.wakeDriver?.();
    });
  }

  /** True while paused with no slice in progress (or never started). */
  isPaused(): boolean {
    return !this.running || (this.pauseDepth > 0 && this.pauseWaiters.length === 0);
  }

  /** Ends one pause(); tasks run again when every pause is ended. */
  unpause(): void {
    if (this.pauseDepth === 0) throw new Error('kernel: unpause without pause');
    this.pauseDepth--;
    if (this.pauseDepth === 0) this.wakeDriver?.();
  }

  /** Tells the kernel something outside changed (input arrived, a signal). */
  notify(): void {
    this.wakeDriver?.();
  }

  /** Kills every process, as if by SIGKILL. */
  kill(): void {
    for (const tg of this.tasks.root.groups.values()) {
      startGroupExit(tg, { code: 0, signal: SIGKILL, core: false });
    }
    this.notify();
  }

  /** Sends a signal from outside the guest to the init process. */
  sendExternalSignal(sig: number): void {
    if (this.init === null) return;
    sendToGroup(this.init, userSigInfo(sig, 0, 0));
    this.notify();
  }

  /** Resolves with how the init process ended, once every task has exited. */
  waitExited(): Promise<ExitInfo> {
    const done = this.exitInfo();
    if (done !== null) return Promise.resolve(done);
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** The init process's exit, once all tasks are gone; else null. */
  exitInfo(): ExitInfo | null {
    if (this.init === null || this.tasks.live().length > 0) return null;
    return this.init.exit ?? { code: 0, signal: 0, core: false };
  }

  /**
   * Runs tasks for at most `budget` instructions, round robin. Returns the
   * instructions retired (0 when nothing could run).
   */
  runSlice(budget: number): number {
    let done = 0;
    for (;;) {
      recheckWaits(this);
      const runnable = this.tasks.all().filter((t) => t.state === 'runnable');
      if (runnable.length === 0) break;
      let progressed = false;
      for (const t of runnable) {
        if (done >= budget) break;
        if (t.state !== 'runnable') continue;
        const start = this.timekeeper.monotonicNs();
        const n = runTask(t, Math.min(QUANTUM, budget - done));
        t.cpuTimeNs += this.timekeeper.monotonicNs() - start;
        done += n;
        progressed = true;
        this.afterTask(t);
      }
      if (done >= budget || !progressed) break;
    }
    this.instructions += done;
    return done;
  }

  private afterTask(t: Task): void {
    if (t.tg.exit !== null && t.tg.dead) this.log.debug({ pid: t.tg.pid }, 'process exited');
  }

  /** The async driver: slices of guest execution between host events. */
  private async drive(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        const exit = this.exitInfo();
        if (exit !== null) {
          for (const w of this.exitWaiters.splice(0)) w(exit);
          return;
        }
        if (this.pauseDepth > 0) {
          this.timekeeper.pause();
          for (const w of this.pauseWaiters.splice(0)) w();
          await new Promise<void>((resolve) => (this.wakeDriver = resolve));
          this.wakeDriver = null;
          if (this.pauseDepth === 0) this.timekeeper.resume();
          continue;
        }
        if (this.instructions >= this.instructionLimit) {
          this.hooks.onBudgetSpent?.();
          // The hook may have paused, killed or given more budget; if it did
          // none of these, wait for the host to do one.
          const stuck = this.instructions >= this.instructionLimit && this.pauseDepth === 0;
          if (stuck && this.exitInfo() === null) {
            await new Promise<void>((resolve) => (this.wakeDriver = resolve));
            this.wakeDriver = null;
          }
          continue;
        }
        const ran = this.runSlice(Math.min(SLICE, this.instructionLimit - this.instructions));
        this.hooks.afterSlice?.();
        if (ran > 0) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        if (this.exitInfo() !== null) continue;
        if (isQuiescent(this)) this.hooks.onQuiescent?.();
        if (this.pauseDepth > 0 || this.exitInfo() !== null) continue;
        await this.sleepUntil(earliestDeadline(this));
      }
    } finally {
      this.running = false;
    }
  }

  /** Waits for a deadline (guest monotonic ns, -1: none) or a notify(). */
  private sleepUntil(deadlineNs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.wakeDriver = () => {
        if (timer !== undefined) clearTimeout(timer);
        this.wakeDriver = null;
        resolve();
      };
      if (deadlineNs >= 0) {
        const ms = Math.max(0, (deadlineNs - this.timekeeper.monotonicNs()) / 1e6);
        timer = setTimeout(() => this.wakeDriver?.(), Math.ceil(ms));
      }
    });
  }
}
