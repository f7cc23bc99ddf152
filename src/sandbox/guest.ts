import { AMBER_FEATURES } from '../cpu/cpuid.ts';
import {
  FdTable,
  Filesystem,
  type HostInputInode,
  type HostOutputInode,
  O_RDONLY,
  O_WRONLY,
} from '../fs/index.ts';
import { Credentials, UserNamespace } from '../kernel/credentials.ts';
import { FXSAVE_FRAMES } from '../kernel/fpstate.ts';
import { Kernel } from '../kernel/kernel.ts';
import type { KernelLogger } from '../kernel/kernel-log.ts';
import { LimitSet } from '../kernel/limits.ts';
import { KernelProc } from '../kernel/proc-provider.ts';
import { PidNamespace } from '../kernel/task-set.ts';
import type { ExitInfo } from '../kernel/thread-group.ts';
import { Timekeeper } from '../kernel/timekeeper.ts';
import { SYSTEM_CLOCK, SYSTEM_RANDOM } from '../kernel/time-source.ts';
import { UtsNamespace } from '../kernel/uts.ts';
import { MemoryFile } from '../mm/memory-file.ts';
import { linuxSyscalls } from '../syscalls/index.ts';

/** How to start a guest. */
export interface GuestOptions {
  /** The program's bytes and where it lives in the guest. */
  program: Uint8Array;
  programPath: string;
  /** argv, with argv[0]. */
  argv: string[];
  env: string[];
  cwd: string;
  /** Extra files copied into the guest's tmpfs before start. */
  files: { path: string; bytes: Uint8Array; mode: number }[];
  /** Memory file limit in bytes. */
  maxMemoryBytes: number;
  /** Output kept per stream (-1: no limit). */
  maxOutputBytes: number;
  logger: KernelLogger;
}

/** When a running guest should pause (DESIGN.md, "When a guest pauses"). */
export interface PauseOptions {
  afterInstructions?: number;
  whenIdle?: boolean;
}

/** How a guest run ended. */
export interface RunResult {
  status: 'exited' | 'killed' | 'paused';
  /** Why it paused: its budget was spent, or it waits for the outside. */
  pausedFor?: 'instructions' | 'idle' | 'request';
  exitCode: number;
  signal: number;
  /** Why it was killed, when Amber killed it. */
  reason?: string;
  instructions: number;
  seconds: number;
  unsupportedSyscalls: { nr: number; name: string; count: number }[];
}

/**
 * One guest: a kernel with its file system, the program loaded as its first
 * process, and the host's side of its standard streams.
 */
export class Guest {
  readonly kernel: Kernel;
  readonly stdin: HostInputInode;
  readonly stdout: HostOutputInode;
  readonly stderr: HostOutputInode;
  private killedFor: string | undefined;

  /**
   * Boots a program (GuestOptions), or wraps a kernel loaded from a
   * snapshot, whose standard streams are in `kernel.streams`.
   */
  constructor(opts: GuestOptions | Kernel) {
    if (opts instanceof Kernel) {
      const { stdin, stdout, stderr } = opts.streams;
      if (stdin === null || stdout === null || stderr === null) {
        throw new Error('guest: the kernel has no host streams');
      }
      this.kernel = opts;
      this.stdin = stdin;
      this.stdout = stdout;
      this.stderr = stderr;
      return;
    }
    const memoryFile = new MemoryFile(opts.maxMemoryBytes);
    const timekeeper = new Timekeeper(SYSTEM_CLOCK);
    timekeeper.pause();
    const proc = new KernelProc();
    const fs = new Filesystem(
      { clock: { realtimeNs: () => realtimeNs() }, random: SYSTEM_RANDOM, proc },
      memoryFile,
    );
    const kernel = Kernel.create({
      featureSet: AMBER_FEATURES,
      timekeeper,
      rootUserNamespace: new UserNamespace(),
      applicationCores: 1,
      uts: new UtsNamespace('amber'),
      pidNamespace: new PidNamespace(),
      syscalls: linuxSyscalls(),
      memoryFile,
      fs,
      random: SYSTEM_RANDOM,
      fpState: FXSAVE_FRAMES,
      logger: opts.logger,
    });
    proc.kernel = kernel;
    this.kernel = kernel;

    // The file system: the program and the imported files.
    fs.addFile(opts.programPath, opts.program, 0o755);
    for (const f of opts.files) fs.addFile(f.path, f.bytes, f.mode);

    // Standard streams connected to the host.
    this.stdin = fs.createHostInput();
    this.stdout = fs.createHostOutput(opts.maxOutputBytes);
    this.stderr = fs.createHostOutput(opts.maxOutputBytes);
    kernel.streams = { stdin: this.stdin, stdout: this.stdout, stderr: this.stderr };
    const files = new FdTable();
    files.install(fs.openInode(this.stdin, O_RDONLY, '/dev/stdin'), false);
    files.install(fs.openInode(this.stdout, O_WRONLY, '/dev/stdout'), false);
    files.install(fs.openInode(this.stderr, O_WRONLY, '/dev/stderr'), false);

    kernel.createProcess({
      filename: opts.programPath,
      argv: opts.argv,
      envv: opts.env,
      workingDirectory: opts.cwd,
      credentials: new Credentials(0, 0),
      umask: 0o022,
      limits: new LimitSet(),
      files,
    });
  }

  /** Feeds bytes to the guest's standard input. */
  feedStdin(bytes: Uint8Array): void {
    // A plain copy: a Node Buffer is a class the state codec cannot save,
    // and the caller may reuse its buffer.
    this.stdin.feed(this.kernel.fs, new Uint8Array(bytes));
    this.kernel.notify();
  }

  /** Closes the guest's standard input (end of file). */
  closeStdin(): void {
    this.stdin.close(this.kernel.fs);
    this.kernel.notify();
  }

  /** Kills the guest, recording why. */
  kill(reason: string): void {
    this.killedFor ??= reason;
    this.kernel.kill();
  }

  /**
   * Runs the guest until it exits or, with `pause`, until it pauses: after
   * `afterInstructions` more instructions, when idle (every task waits for
   * the outside), or on pauseNow(). A paused guest's kernel stays paused,
   * ready to be saved. `onOutput` receives standard output and error as they
   * are produced; `maxInstructions` kills the guest past that many.
   */
  async run(
    onOutput: (stream: 1 | 2, bytes: Uint8Array) => void,
    maxInstructions = Number.POSITIVE_INFINITY,
    pause: PauseOptions = {},
  ): Promise<RunResult> {
    const k = this.kernel;
    const start = performance.now();
    const drain = () => {
      const out = this.stdout.drain();
      if (out.length > 0) onOutput(1, out);
      const err = this.stderr.drain();
      if (err.length > 0) onOutput(2, err);
    };
    const pauseAt = k.instructions + (pause.afterInstructions ?? Number.POSITIVE_INFINITY);
    const killAt = k.instructions + maxInstructions;
    k.instructionLimit = Math.min(pauseAt, killAt);
    const paused = new Promise<void>((resolve) => (this.onPaused = resolve));
    k.hooks = {
      afterSlice: drain,
      onBudgetSpent: () => {
        if (k.instructions >= killAt) this.kill(`instruction limit of ${maxInstructions} reached`);
        else this.pauseNow('instructions');
      },
      onQuiescent: () => {
        if (pause.whenIdle) this.pauseNow('idle');
      },
    };
    if (this.pausedFor === undefined) k.start();
    else {
      this.pausedFor = undefined;
      k.unpause();
    }
    const exit = await Promise.race([k.waitExited(), paused.then(() => null)]);
    drain();
    const seconds = (performance.now() - start) / 1000;
    if (exit === null)
      return {
        ...this.result({ code: 0, signal: 0, core: false }, seconds),
        status: 'paused',
        pausedFor: this.pausedFor,
      };
    return this.result(exit, seconds);
  }

  /** Why the guest is paused, while it is. */
  pausedFor: RunResult['pausedFor'];
  private onPaused: (() => void) | undefined;

  /** Pauses a running guest; run() then resolves with status 'paused'. */
  pauseNow(why: NonNullable<RunResult['pausedFor']> = 'request'): void {
    if (this.pausedFor !== undefined) return;
    this.pausedFor = why;
    void this.kernel.pause().then(() => this.onPaused?.());
  }

  private result(exit: ExitInfo, seconds: number): RunResult {
    const k = this.kernel;
    const killed = this.killedFor !== undefined;
    return {
      status: killed ? 'killed' : 'exited',
      exitCode: exit.signal === 0 ? exit.code : 128 + exit.signal,
      signal: exit.signal,
      ...(killed ? { reason: this.killedFor } : {}),
      instructions: k.instructions,
      seconds,
      unsupportedSyscalls: [...k.unsupported].map(([nr, u]) => ({
        nr,
        name: u.name,
        count: u.count,
      })),
    };
  }
}

function realtimeNs(): number {
  const [s, ns] = SYSTEM_CLOCK.realtime();
  return s * 1e9 + ns;
}
