/**
 * A kernel with one process and no program, for calling system call
 * handlers directly: arguments go in the registers, small buffers in a
 * scratch mapping, and the handler's result comes back as it would reach
 * RAX (or SYSCALL_BLOCK). Built the way src/sandbox/guest.ts builds a guest,
 * with clocks the test moves by hand.
 */
import { AMBER_FEATURES } from '../../src/cpu/cpuid.ts';
import { FdTable, Filesystem, O_RDONLY, O_WRONLY } from '../../src/fs/index.ts';
import { Credentials, UserNamespace } from '../../src/kernel/credentials.ts';
import { FXSAVE_FRAMES } from '../../src/kernel/fpstate.ts';
import { SILENT_LOGGER } from '../../src/kernel/kernel-log.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import { LimitSet } from '../../src/kernel/limits.ts';
import { KernelProc } from '../../src/kernel/proc-provider.ts';
import type { SyscallResult } from '../../src/kernel/syscall-types.ts';
import { PidNamespace } from '../../src/kernel/task-set.ts';
import { Task } from '../../src/kernel/task.ts';
import { ThreadGroup } from '../../src/kernel/thread-group.ts';
import { Timekeeper } from '../../src/kernel/timekeeper.ts';
import type { HostClock } from '../../src/kernel/time-source.ts';
import { UtsNamespace } from '../../src/kernel/uts.ts';
import { AddressSpace } from '../../src/mm/address-space.ts';
import { MemoryFile } from '../../src/mm/memory-file.ts';
import { MemoryManager } from '../../src/mm/memory-manager.ts';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE } from '../../src/mm/mm-constants.ts';
import { linuxSyscalls } from '../../src/syscalls/index.ts';
import { SYSCALL_NAMES } from '../../src/syscalls/numbers.ts';

/** Where the scratch mapping starts, and its size. */
export const SCRATCH = 0x10000000;
const SCRATCH_SIZE = 1 << 20;
/** An address nothing is mapped at: arguments there fault (EFAULT). */
export const UNMAPPED = 0x20000000;

/** A host clock whose monotonic time only moves when the test says. */
export class ManualHostClock implements HostClock {
  mono = 5e9;
  real: [number, number] = [1_700_000_000, 0];
  realtime(): [number, number] {
    return this.real;
  }
  monotonicNs(): number {
    return this.mono;
  }
}

const NUMBERS = new Map([...SYSCALL_NAMES].map(([nr, name]) => [name, nr]));

/** One process with one task, ready for calls. */
export class Harness {
  readonly clock = new ManualHostClock();
  readonly kernel: Kernel;
  readonly task: Task;
  private next = SCRATCH;

  constructor(uid = 0, gid = 0) {
    const memoryFile = new MemoryFile(64 * 1024 * 1024);
    const proc = new KernelProc();
    let counter = 0;
    const random = { fill: (dst: Uint8Array) => dst.forEach((_, i) => (dst[i] = counter++)) };
    const fs = new Filesystem(
      { clock: { realtimeNs: () => this.clock.real[0] * 1e9 + this.clock.real[1] }, random, proc },
      memoryFile,
    );
    this.kernel = Kernel.create({
      featureSet: AMBER_FEATURES,
      timekeeper: new Timekeeper(this.clock),
      rootUserNamespace: new UserNamespace(),
      applicationCores: 1,
      uts: new UtsNamespace('amber'),
      pidNamespace: new PidNamespace(),
      syscalls: linuxSyscalls(),
      memoryFile,
      fs,
      random,
      fpState: FXSAVE_FRAMES,
      logger: SILENT_LOGGER,
    });
    proc.kernel = this.kernel;
    const mm = new MemoryManager(new AddressSpace(memoryFile), 0x7ffff7fff000);
    const flags = MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS;
    if (mm.mmap(SCRATCH, SCRATCH_SIZE, 3, flags, null, 0) !== SCRATCH)
      throw new Error('no scratch');
    const files = new FdTable();
    const stdin = fs.createHostInput();
    files.install(fs.openInode(stdin, O_RDONLY, '/dev/stdin'), false);
    files.install(fs.openInode(fs.createHostOutput(), O_WRONLY, '/dev/stdout'), false);
    files.install(fs.openInode(fs.createHostOutput(), O_WRONLY, '/dev/stderr'), false);
    const ns = this.kernel.tasks.root;
    const pid = ns.allocate();
    const tg = new ThreadGroup(pid, mm, files, fs.root, new LimitSet());
    this.task = new Task(this.kernel, pid, tg, new Credentials(uid, gid));
    tg.tasks.push(this.task);
    ns.tasks.set(pid, this.task);
    ns.groups.set(pid, tg);
    this.kernel.init = tg;
  }

  get fs(): Filesystem {
    return this.kernel.fs;
  }

  /** Runs a system call by name with up to six arguments. */
  call(name: string, ...args: number[]): SyscallResult {
    const nr = NUMBERS.get(name);
    const entry = nr === undefined ? undefined : this.kernel.syscalls.lookup(nr);
    if (entry?.handler === undefined) throw new Error(`no handler for ${name}`);
    const regs = this.task.cpu.regs;
    regs[0] = nr!;
    regs[1] = 0;
    [7, 6, 2, 10, 8, 9].forEach((r, i) => {
      const v = args[i] ?? 0;
      regs[2 * r] = (v % 4294967296) | 0;
      regs[2 * r + 1] = Math.floor(v / 4294967296) | 0;
    });
    this.kernel.current = this.task;
    const result = entry.handler(this.task);
    this.kernel.current = null;
    return result;
  }

  /** Reserves n zeroed bytes of scratch memory (8-byte aligned). */
  alloc(n: number): number {
    const at = this.next;
    this.next += Math.ceil(Math.max(n, 1) / 8) * 8;
    this.task.space.writeBytes(at, new Uint8Array(n));
    return at;
  }

  /** Places bytes in scratch memory. */
  put(bytes: Uint8Array): number {
    const at = this.alloc(bytes.length);
    this.task.space.writeBytes(at, bytes);
    return at;
  }

  /** Places a NUL-terminated string (its UTF-8 bytes) in scratch memory. */
  str(text: string): number {
    return this.put(Buffer.from(text + '\0', 'utf8'));
  }

  /** Reads guest memory. */
  read(addr: number, n: number): Uint8Array {
    return this.task.space.readBytes(addr, n);
  }

  /** Reads a NUL-terminated string (bytes as latin1) from guest memory. */
  readStr(addr: number, max = 4096): string {
    const bytes = this.read(addr, max);
    const end = bytes.indexOf(0);
    return Buffer.from(bytes.subarray(0, end < 0 ? max : end)).toString('latin1');
  }

  /** A little-endian 32-bit signed value from guest memory. */
  i32(addr: number): number {
    return Buffer.from(this.read(addr, 4)).readInt32LE(0);
  }

  /** A little-endian 64-bit value (below 2^53) from guest memory. */
  i64(addr: number): number {
    return Number(Buffer.from(this.read(addr, 8)).readBigInt64LE(0));
  }
}
