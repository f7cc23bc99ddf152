import { AT_FDCWD, chdirInode } from '../fs/index.ts';
import type { SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { Errno } from '../linux/errno.ts';
import { EFAULT } from './args.ts';
import { fsCred, pathAt, pathBytes, rawFileOf } from './sys-fs-common.ts';
import type { SyscallDef } from './table.ts';

/** Directories: listing them, the working directory, and the creation mask. */

/**
 * getdents64(2). When the records cannot be copied out the directory
 * position is put back, so that no entry is skipped by a retry.
 */
function getdents64(t: Task): SyscallResult {
  const file = rawFileOf(t, t.argInt(0));
  if (typeof file === 'number') return file;
  const before = file.offset;
  const records = file.getdents(t.argU32(2));
  if (typeof records === 'number') return records;
  if (!t.copyOut(t.arg(1), records)) {
    file.offset = before;
    return EFAULT;
  }
  return records.length;
}

function chdir(t: Task): SyscallResult {
  const arg = pathAt(t, AT_FDCWD, t.arg(0));
  if (typeof arg === 'number') return arg;
  const dir = t.kernel.fs.chdir(arg.ctx, arg.path);
  if (typeof dir === 'number') return dir;
  t.tg.cwd = dir;
  return 0;
}

/** fchdir(2): O_PATH descriptors of directories are accepted, as in Linux. */
function fchdir(t: Task): SyscallResult {
  const file = rawFileOf(t, t.argInt(0));
  if (typeof file === 'number') return file;
  const dir = chdirInode(fsCred(t), file.inode);
  if (typeof dir === 'number') return dir;
  t.tg.cwd = dir;
  return 0;
}

/** getcwd(2): the length copied, NUL included; ENOENT once the directory was removed. */
function getcwd(t: Task): SyscallResult {
  const path = t.kernel.fs.cwdPath(t.tg.cwd);
  if (typeof path === 'number') return path;
  const bytes = pathBytes(path + '\0');
  if (bytes.length > t.argU(1)) return -Errno.ERANGE;
  return t.copyOut(t.arg(0), bytes) ? bytes.length : EFAULT;
}

function umask(t: Task): SyscallResult {
  const old = t.tg.umask;
  t.tg.umask = t.argU32(0) & 0o777;
  return old;
}

/** Definitions of this area. */
export const FS_DIR_SYSCALLS: SyscallDef[] = [
  { name: 'getdents64', support: 'full', note: '', handler: getdents64 },
  { name: 'chdir', support: 'full', note: '', handler: chdir },
  { name: 'fchdir', support: 'full', note: '', handler: fchdir },
  { name: 'getcwd', support: 'full', note: '', handler: getcwd },
  { name: 'umask', support: 'full', note: '', handler: umask },
];
