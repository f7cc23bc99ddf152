/**
 * The Linux x86-64 system call table, one file per area. The table registers
 * with the kernel at creation (`linuxSyscalls()`); the kernel does not import
 * this layer.
 *
 * Handlers run synchronously inside the kernel's task loop and touch only
 * the calling task's kernel state; there is nothing async here.
 */
import { FS_ATTR_SYSCALLS } from './sys-fs-attr.ts';
import { FS_DIR_SYSCALLS } from './sys-fs-dirs.ts';
import { FS_FD_SYSCALLS } from './sys-fs-fds.ts';
import { FS_PATH_SYSCALLS } from './sys-fs-paths.ts';
import { FS_POLL_SYSCALLS } from './sys-fs-poll.ts';
import { FS_STAT_SYSCALLS } from './sys-fs-stat.ts';
import { FUTEX_SYSCALLS } from './sys-futex.ts';
import { IO_SYSCALLS } from './sys-io.ts';
import { MM_SYSCALLS } from './sys-mm.ts';
import { PROCESS_SYSCALLS } from './sys-process.ts';
import { SIGNAL_SYSCALLS } from './sys-signal.ts';
import { TIME_SYSCALLS } from './sys-time.ts';
import { TIMER_SYSCALLS } from './sys-timer.ts';
import { LinuxSyscallTable } from './table.ts';

export { LinuxSyscallTable, formatSyscallTable } from './table.ts';

/** The table of every system call Amber implements. */
export function linuxSyscalls(): LinuxSyscallTable {
  return new LinuxSyscallTable([
    ...PROCESS_SYSCALLS,
    ...TIME_SYSCALLS,
    ...TIMER_SYSCALLS,
    ...SIGNAL_SYSCALLS,
    ...FUTEX_SYSCALLS,
    ...MM_SYSCALLS,
    ...IO_SYSCALLS,
    ...FS_PATH_SYSCALLS,
    ...FS_STAT_SYSCALLS,
    ...FS_ATTR_SYSCALLS,
    ...FS_DIR_SYSCALLS,
    ...FS_FD_SYSCALLS,
    ...FS_POLL_SYSCALLS,
  ]);
}
