import type { Task } from './task.ts';

/**
 * The contract between the kernel and the system call table. The table
 * (src/syscalls/) registers with the kernel at creation; the kernel never
 * imports it.
 */

/** A handler's answer that is not a return value. */
export const SYSCALL_BLOCK = Symbol('block');
export const SYSCALL_NORETURN = Symbol('noreturn');

/**
 * What a system call handler returns: a value for RAX (a result, or a
 * negated errno), SYSCALL_BLOCK after parking the task with `task.block()`
 * (the call runs again when the task is woken), or SYSCALL_NORETURN when the
 * handler set the registers itself (exit, rt_sigreturn, execve).
 */
export type SyscallResult = number | typeof SYSCALL_BLOCK | typeof SYSCALL_NORETURN;

/** A system call handler. Arguments are read from the task's registers. */
export type SyscallHandler = (t: Task) => SyscallResult;

/** How much of a system call Amber implements. */
export type SupportLevel = 'full' | 'partial' | 'stub' | 'none';

/** One row of the system call table. */
export interface SyscallEntry {
  nr: number;
  name: string;
  support: SupportLevel;
  /** What is and is not implemented, in a sentence. */
  note: string;
  /** Absent for unsupported calls: they return ENOSYS. */
  handler?: SyscallHandler;
}

/** The table, indexed by number. */
export interface SyscallTable {
  lookup(nr: number): SyscallEntry | undefined;
}
