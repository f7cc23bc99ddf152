import { Cpu } from '../cpu/cpu.ts';
import { Errno } from '../linux/errno.ts';
import { SigSet } from '../linux/signal.ts';
import type { AddressSpace } from '../mm/address-space.ts';
import type { Credentials } from './credentials.ts';
import type { Kernel } from './kernel.ts';
import type { SigInfo } from './signal-info.ts';
import type { ThreadGroup } from './thread-group.ts';
import type { WaitRecord } from './wait.ts';

/** Life-cycle states of a task. */
export type TaskState = 'runnable' | 'blocked' | 'stopped' | 'exited';

const TWO32 = 4294967296;

/** An alternate signal stack (sigaltstack). */
export interface AltStack {
  sp: number;
  size: number;
  flags: number;
}

/**
 * A thread: a CPU context in a thread group, with its own signal mask and
 * pending signals, and what it is blocked on. Mutated by its own system
 * calls, by signal senders and by wakers.
 *
 * Saved: everything but `cpu`'s host parts (see Cpu) and `kernel`, which
 * load re-links.
 */
export class Task {
  /** Back reference; re-linked on load. */
  readonly kernel: Kernel;
  readonly tid: number;
  tg: ThreadGroup;
  readonly cpu: Cpu;
  state: TaskState = 'runnable';
  /** What the task waits for while blocked. */
  wait: WaitRecord | null = null;
  /** Blocked signals. */
  mask = new SigSet();
  /** Mask to restore after a sigsuspend-style temporary mask, or null. */
  savedMask: SigSet | null = null;
  /** Thread-directed pending signals and their information. */
  pending = new SigSet();
  pendingInfo = new Map<number, SigInfo>();
  altStack: AltStack = { sp: 0, size: 0, flags: 2 /* SS_DISABLE */ };
  /** set_tid_address: cleared and futex-woken at exit. */
  clearChildTid = 0;
  robustList = 0;
  robustListLen = 0;
  /** Thread name (prctl PR_SET_NAME, /proc comm). */
  comm = '';
  /** Registered rseq area, or 0. */
  rseqAddr = 0;
  creds: Credentials;
  /** Host time spent running this task's guest code, in ns. */
  cpuTimeNs = 0;
  /** Exit code (status for wait) once exited. */
  exitStatus = 0;
  /** Instructions this task has retired (its CPU time). */
  get instructions(): number {
    return this.cpu.icount;
  }

  constructor(kernel: Kernel, tid: number, tg: ThreadGroup, creds: Credentials) {
    this.kernel = kernel;
    this.tid = tid;
    this.tg = tg;
    this.creds = creds;
    this.cpu = new Cpu(kernel.instructionTable);
    this.cpu.attach(tg.space);
  }

  /** The address space the task runs in. */
  get space(): AddressSpace {
    return this.tg.space;
  }

  // --- system call arguments: rdi, rsi, rdx, r10, r8, r9 ---

  /** Register index of system call argument n (0-5). */
  private static readonly ARG_REGS = [7, 6, 2, 10, 8, 9];

  /** Argument n as a signed 64-bit number (exact below 2^53 in magnitude). */
  arg(n: number): number {
    const r = Task.ARG_REGS[n];
    return this.cpu.regs[2 * r + 1] * TWO32 + (this.cpu.regs[2 * r] >>> 0);
  }

  /** Argument n as an unsigned 64-bit number (large values lose low bits). */
  argU(n: number): number {
    const r = Task.ARG_REGS[n];
    return (this.cpu.regs[2 * r + 1] >>> 0) * TWO32 + (this.cpu.regs[2 * r] >>> 0);
  }

  /** Argument n's low 32 bits as a signed int (C `int` arguments: fds, flags). */
  argInt(n: number): number {
    return this.cpu.regs[2 * Task.ARG_REGS[n]];
  }

  /** Argument n's low 32 bits as unsigned. */
  argU32(n: number): number {
    return this.cpu.regs[2 * Task.ARG_REGS[n]] >>> 0;
  }

  /** The system call number in RAX. */
  get syscallNr(): number {
    return this.cpu.regs[0];
  }

  /** Sets RAX to a 64-bit result given as a number. */
  setReturn(value: number): void {
    this.cpu.regs[0] = value | 0;
    this.cpu.regs[1] = value < 0 ? -1 : Math.floor(value / TWO32) | 0;
  }

  // --- guest memory, with user permissions ---

  /** Copies `len` bytes from guest memory, or returns null for EFAULT. */
  copyIn(addr: number, len: number): Uint8Array | null {
    const out = new Uint8Array(len);
    return this.space.copyIn(addr, out) ? out : null;
  }

  /** Copies bytes into guest memory; false for EFAULT. */
  copyOut(addr: number, data: Uint8Array): boolean {
    return this.space.copyOut(addr, data);
  }

  /**
   * Reads a NUL-terminated string of at most `max` bytes, one character per
   * byte (as the file system stores names); an errno when it cannot.
   */
  copyInString(addr: number, max = 4096): string | number {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let a = addr;
    while (total < max) {
      const n = Math.min(4096 - (a % 4096), max - total);
      const part = this.copyIn(a, n);
      if (part === null) return -Errno.EFAULT;
      const nul = part.indexOf(0);
      if (nul >= 0) {
        chunks.push(part.subarray(0, nul));
        return Buffer.concat(chunks).toString('latin1');
      }
      chunks.push(part);
      total += n;
      a += n;
    }
    return -Errno.ENAMETOOLONG;
  }

  /** Reads a 64-bit little-endian value as a number; null for EFAULT. */
  readU64(addr: number): number | null {
    const b = this.copyIn(addr, 8);
    if (b === null) return null;
    const dv = new DataView(b.buffer, b.byteOffset, 8);
    return dv.getUint32(4, true) * TWO32 + dv.getUint32(0, true);
  }

  /** Writes a 64-bit little-endian value; false for EFAULT. */
  writeU64(addr: number, value: number): boolean {
    const b = new Uint8Array(8);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, (value % TWO32) >>> 0, true);
    dv.setUint32(4, Math.floor(value / TWO32) >>> 0, true);
    return this.copyOut(addr, b);
  }

  /** Reads a 32-bit little-endian value; null for EFAULT. */
  readI32(addr: number): number | null {
    const b = this.copyIn(addr, 4);
    if (b === null) return null;
    return new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
  }

  /** Writes a 32-bit little-endian value; false for EFAULT. */
  writeI32(addr: number, value: number): boolean {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, value, true);
    return this.copyOut(addr, b);
  }

  // --- blocking ---

  /**
   * Parks the task in its current system call. The handler then returns
   * SYSCALL_BLOCK; the call runs again when the task is woken, unless the
   * waker completes it with a value.
   */
  block(wait: WaitRecord): void {
    this.wait = wait;
    this.state = 'blocked';
  }

  /** Wakes a blocked task to run its system call again. */
  wakeToRerun(): void {
    if (this.state !== 'blocked') return;
    this.wait = null;
    this.state = 'runnable';
  }

  /** Wakes a blocked task and completes its system call with `result`. */
  wakeWithResult(result: number): void {
    if (this.state !== 'blocked') return;
    this.wait = null;
    this.state = 'runnable';
    this.cpu.rip += 2;
    this.setReturn(result);
  }
}
