import {
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  O_CLOEXEC,
  O_NONBLOCK,
  O_PATH,
} from '../fs/index.ts';
import type { SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { Errno } from '../linux/errno.ts';
import { EFAULT, EINVAL, StructWriter } from './args.ts';
import type { SyscallDef } from './table.ts';

/** Descriptor numbers: duplicating them, their flags, and making pipes. */

/** The fcntl commands an O_PATH descriptor allows; others are EBADF on it. */
const O_PATH_COMMANDS = new Set([F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL]);

/** fcntl(2) for the descriptor-flag, status-flag and duplication commands. */
function fcntl(t: Task): SyscallResult {
  const fd = t.argInt(0);
  const cmd = t.argInt(1);
  const files = t.tg.files;
  const file = files.get(fd);
  if (file === null) return -Errno.EBADF;
  if (file.flags & O_PATH && !O_PATH_COMMANDS.has(cmd)) return -Errno.EBADF;
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      // The minimum is an unsigned long: huge values fail like any past the limit.
      return files.dupFrom(fd, Math.min(t.argU(2), files.limit), cmd === F_DUPFD_CLOEXEC);
    case F_GETFD:
      return files.getFdFlags(fd);
    case F_SETFD:
      return files.setFdFlags(fd, t.argInt(2));
    case F_GETFL:
      return files.getStatusFlags(fd);
    case F_SETFL:
      return files.setStatusFlags(fd, t.argInt(2));
    default:
      // TODO: record locks (F_GETLK, F_SETLK, F_OFD_*), leases, owners,
      // signals, seals and pipe sizes are not implemented: callers get EINVAL.
      return EINVAL;
  }
}

/**
 * pipe2(2). Both numbers are taken before the array is written; when it
 * cannot be written the pipe is closed again.
 */
function pipe2(t: Task, addr: number, flags: number): SyscallResult {
  // TODO: O_DIRECT (packet mode) and O_NOTIFICATION_PIPE pipes are refused
  // with EINVAL; a program asking for them cannot make its pipe.
  if ((flags & ~(O_CLOEXEC | O_NONBLOCK)) !== 0) return EINVAL;
  const [readEnd, writeEnd] = t.kernel.fs.pipe(flags & O_NONBLOCK);
  const files = t.tg.files;
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const readFd = files.install(readEnd, cloexec);
  if (readFd < 0) {
    writeEnd.unref();
    return readFd;
  }
  const writeFd = files.install(writeEnd, cloexec);
  if (writeFd < 0) {
    files.close(readFd);
    return writeFd;
  }
  if (!t.copyOut(addr, new StructWriter(8).i32(0, readFd).i32(4, writeFd).bytes)) {
    files.close(readFd);
    files.close(writeFd);
    return EFAULT;
  }
  return 0;
}

/** Definitions of this area. */
export const FS_FD_SYSCALLS: SyscallDef[] = [
  { name: 'dup', support: 'full', note: '', handler: (t) => t.tg.files.dup(t.argInt(0)) },
  {
    name: 'dup2',
    support: 'full',
    note: '',
    handler: (t) => t.tg.files.dup2(t.argInt(0), t.argInt(1)),
  },
  {
    name: 'dup3',
    support: 'full',
    note: '',
    handler: (t) => t.tg.files.dup3(t.argInt(0), t.argInt(1), t.argInt(2)),
  },
  {
    name: 'fcntl',
    support: 'partial',
    note: 'F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL; other commands are EINVAL',
    handler: fcntl,
  },
  {
    name: 'pipe2',
    support: 'partial',
    note: 'O_CLOEXEC and O_NONBLOCK; packet-mode (O_DIRECT) pipes are EINVAL',
    handler: (t) => pipe2(t, t.arg(0), t.argInt(1)),
  },
  { name: 'pipe', support: 'full', note: '', handler: (t) => pipe2(t, t.arg(0), 0) },
];
