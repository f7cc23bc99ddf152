/**
 * The Linux x86-64 system call table, one file per area. The table registers
 * with the kernel at creation (`linuxSyscalls()`); the kernel does not import
 * this layer.
 *
 * Handlers run synchronously inside the kernel's task loop and touch only
 * the calling task's kernel state; there is nothing async here.
 */
import { FUTEX_SYSCALLS } from './sys-futex.ts';
import { IO_SYSCALLS } from './sys-io.ts';
import { MM_SYSCALLS } from './sys-mm.ts';
import { PROCESS_SYSCALLS } from './sys-process.ts';
import { SIGNAL_SYSCALLS } from './sys-signal.ts';
import { TIME_SYSCALLS } from './sys-time.ts';
import { LinuxSyscallTable } from './table.ts';

export { LinuxSyscallTable, formatSyscallTable } from './table.ts';

/** The table of every system call Amber implements. */
export function linuxSyscalls(): LinuxSyscallTable {
  return new LinuxSyscallTable([
    ...PROCESS_SYSCALLS,
    ...TIME_SYSCALLS,
    ...SIGNAL_SYSCALLS,
    ...FUTEX_SYSCALLS,
    ...MM_SYSCALLS,
    ...IO_SYSCALLS,
  ]);
}
