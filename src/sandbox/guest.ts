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

/** How a guest run ended. */
export interface RunResult {
  status: 'exited' | 'killed';
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

  constructor(opts: GuestOptions) {
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
    this.stdin.feed(this.kernel.fs, bytes);
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
   * Runs the guest to its end. `onOutput` receives standard output and error
   * as they are produced. `maxInstructions` kills the guest past that count.
   */
  async run(
    onOutput: (stream: 1 | 2, bytes: Uint8Array) => void,
    maxInstructions = Number.POSITIVE_INFINITY,
  ): Promise<RunResult> {
    const k = this.kernel;
    const start = performance.now();
    const drain = () => {
      const out = this.stdout.drain();
      if (out.length > 0) onOutput(1, out);
      const err = this.stderr.drain();
      if (err.length > 0) onOutput(2, err);
    };
    k.instructionLimit = maxInstructions;
    k.hooks = {
      afterSlice: drain,
      onBudgetSpent: () => this.kill(`instruction limit of ${maxInstructions} reached`),
    };
    k.start();
    const exit = await k.waitExited();
    drain();
    return this.result(exit, (performance.now() - start) / 1000);
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
