import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_REMOVEDIR,
  AT_SYMLINK_FOLLOW,
  O_ACCMODE,
  O_APPEND,
  O_ASYNC,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECT,
  O_DIRECTORY,
  O_DSYNC,
  O_EXCL,
  O_LARGEFILE,
  O_NOATIME,
  O_NOCTTY,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_PATH,
  O_SYNC,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  RENAME_WHITEOUT,
  S_IALLUGO,
  SymlinkInode,
  linkInode,
} from '../fs/index.ts';
import type { SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { Errno } from '../linux/errno.ts';
import { EFAULT, EINVAL } from './args.ts';
import { contextAt, copyInPath, inodeAt, pathAt, pathBytes } from './sys-fs-common.ts';
import type { SyscallDef } from './table.ts';

/**
 * Calls on names: opening and creating files, making and removing
 * directories, renaming, hard and symbolic links, and reading links.
 */

/** The open flags Linux knows; open and openat drop the others silently. */
const VALID_OPEN_FLAGS =
  O_ACCMODE |
  O_CREAT |
  O_EXCL |
  O_NOCTTY |
  O_TRUNC |
  O_APPEND |
  O_NONBLOCK |
  O_DSYNC |
  O_ASYNC |
  O_DIRECT |
  O_LARGEFILE |
  O_DIRECTORY |
  O_NOFOLLOW |
  O_NOATIME |
  O_CLOEXEC |
  O_SYNC |
  O_PATH |
  O_TMPFILE;

/** Whether a descriptor number below the limit is free. */
function hasFreeFd(t: Task): boolean {
  const files = t.tg.files;
  return files.fds().filter((fd) => fd < files.limit).length < files.limit;
}

/**
 * openat(2), and open and creat through it. As in Linux, a full table
 * fails with EMFILE before anything is created.
 */
function openAt(t: Task, dirfd: number, pathAddr: number, flags: number, mode: number): number {
  const arg = pathAt(t, dirfd, pathAddr);
  if (typeof arg === 'number') return arg;
  if (!hasFreeFd(t)) return -Errno.EMFILE;
  flags &= VALID_OPEN_FLAGS;
  // The mode matters only when a file may be created.
  const perm = flags & O_CREAT || (flags & O_TMPFILE) === O_TMPFILE ? mode & S_IALLUGO : 0;
  const file = t.kernel.fs.open(arg.ctx, arg.path, flags, perm);
  if (typeof file === 'number') return file;
  return t.tg.files.install(file, (flags & O_CLOEXEC) !== 0);
}

function mkdirAt(t: Task, dirfd: number, pathAddr: number, mode: number): number {
  const arg = pathAt(t, dirfd, pathAddr);
  if (typeof arg === 'number') return arg;
  return t.kernel.fs.mkdir(arg.ctx, arg.path, mode & 0o1777);
}

function unlinkAt(t: Task, dirfd: number, pathAddr: number, flags: number): number {
  if ((flags & ~AT_REMOVEDIR) !== 0) return EINVAL;
  const arg = pathAt(t, dirfd, pathAddr);
  if (typeof arg === 'number') return arg;
  const fs = t.kernel.fs;
  return flags & AT_REMOVEDIR ? fs.rmdir(arg.ctx, arg.path) : fs.unlink(arg.ctx, arg.path);
}

/** renameat2(2): flags are checked before either path is looked at, as in Linux. */
function renameAt(
  t: Task,
  oldFd: number,
  oldAddr: number,
  newFd: number,
  newAddr: number,
  flags: number,
): number {
  if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) !== 0) return EINVAL;
  if (flags & RENAME_EXCHANGE && flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) return EINVAL;
  const from = pathAt(t, oldFd, oldAddr);
  if (typeof from === 'number') return from;
  const to = pathAt(t, newFd, newAddr);
  if (typeof to === 'number') return to;
  return t.kernel.fs.rename(from.ctx, from.path, to.path, flags, to.ctx.cwd);
}

/**
 * linkat(2). With AT_EMPTY_PATH and an empty old path the new name is given
 * to oldFd's file; like Linux without CAP_DAC_READ_SEARCH, only root may.
 */
function linkAt(
  t: Task,
  oldFd: number,
  oldAddr: number,
  newFd: number,
  newAddr: number,
  flags: number,
): number {
  if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) !== 0) return EINVAL;
  const oldPath = copyInPath(t, oldAddr);
  if (typeof oldPath === 'number') return oldPath;
  const to = pathAt(t, newFd, newAddr);
  if (typeof to === 'number') return to;
  const fs = t.kernel.fs;
  if (oldPath.length === 0) {
    if ((flags & AT_EMPTY_PATH) === 0 || to.ctx.cred.uid !== 0) return -Errno.ENOENT;
    const src = inodeAt(t, oldFd, 0, AT_EMPTY_PATH, false);
    return typeof src === 'number' ? src : linkInode(fs, to.ctx, src, to.ctx.cwd, to.path);
  }
  const from = contextAt(t, oldFd, oldPath);
  if (typeof from === 'number') return from;
  return fs.link(from, oldPath, to.path, flags & AT_SYMLINK_FOLLOW, to.ctx.cwd);
}

function symlinkAt(t: Task, targetAddr: number, dirfd: number, pathAddr: number): number {
  const target = copyInPath(t, targetAddr);
  if (typeof target === 'number') return target;
  const arg = pathAt(t, dirfd, pathAddr);
  if (typeof arg === 'number') return arg;
  return t.kernel.fs.symlink(arg.ctx, target, arg.path);
}

/**
 * readlinkat(2): copies at most bufSize bytes of the link, without a NUL.
 * An empty path reads dirfd itself, which must then be a symbolic link
 * opened with O_PATH | O_NOFOLLOW.
 */
function readlinkAt(t: Task, dirfd: number, pathAddr: number, buf: number, size: number): number {
  if (size <= 0) return EINVAL;
  const path = copyInPath(t, pathAddr);
  if (typeof path === 'number') return path;
  const fs = t.kernel.fs;
  let text: string | number;
  if (path.length === 0) {
    const inode = inodeAt(t, dirfd, 0, AT_EMPTY_PATH, false);
    if (typeof inode === 'number') return inode;
    text = inode instanceof SymlinkInode ? inode.readlink(fs) : -Errno.ENOENT;
  } else {
    const ctx = contextAt(t, dirfd, path);
    if (typeof ctx === 'number') return ctx;
    text = fs.readlink(ctx, path);
  }
  if (typeof text === 'number') return text;
  const bytes = pathBytes(text).subarray(0, size);
  return t.copyOut(buf, bytes) ? bytes.length : EFAULT;
}

function creat(t: Task): SyscallResult {
  return openAt(t, AT_FDCWD, t.arg(0), O_CREAT | O_WRONLY | O_TRUNC, t.argU32(1));
}

/** Definitions of this area. */
export const FS_PATH_SYSCALLS: SyscallDef[] = [
  {
    name: 'openat',
    support: 'partial',
    note: 'files, directories, devices, /proc and O_PATH; O_TMPFILE is EOPNOTSUPP',
    handler: (t) => openAt(t, t.argInt(0), t.arg(1), t.argInt(2), t.argU32(3)),
  },
  {
    name: 'open',
    support: 'partial',
    note: 'as openat from the working directory',
    handler: (t) => openAt(t, AT_FDCWD, t.arg(0), t.argInt(1), t.argU32(2)),
  },
  { name: 'creat', support: 'full', note: '', handler: creat },
  {
    name: 'mkdirat',
    support: 'full',
    note: '',
    handler: (t) => mkdirAt(t, t.argInt(0), t.arg(1), t.argU32(2)),
  },
  {
    name: 'mkdir',
    support: 'full',
    note: '',
    handler: (t) => mkdirAt(t, AT_FDCWD, t.arg(0), t.argU32(1)),
  },
  {
    name: 'unlinkat',
    support: 'full',
    note: '',
    handler: (t) => unlinkAt(t, t.argInt(0), t.arg(1), t.argInt(2)),
  },
  { name: 'unlink', support: 'full', note: '', handler: (t) => unlinkAt(t, AT_FDCWD, t.arg(0), 0) },
  {
    name: 'rmdir',
    support: 'full',
    note: '',
    handler: (t) => unlinkAt(t, AT_FDCWD, t.arg(0), AT_REMOVEDIR),
  },
  {
    name: 'renameat2',
    support: 'partial',
    note: 'RENAME_NOREPLACE and RENAME_EXCHANGE; RENAME_WHITEOUT is EINVAL',
    handler: (t) => renameAt(t, t.argInt(0), t.arg(1), t.argInt(2), t.arg(3), t.argU32(4)),
  },
  {
    name: 'renameat',
    support: 'full',
    note: '',
    handler: (t) => renameAt(t, t.argInt(0), t.arg(1), t.argInt(2), t.arg(3), 0),
  },
  {
    name: 'rename',
    support: 'full',
    note: '',
    handler: (t) => renameAt(t, AT_FDCWD, t.arg(0), AT_FDCWD, t.arg(1), 0),
  },
  {
    name: 'linkat',
    support: 'full',
    note: 'AT_EMPTY_PATH only for root, as without CAP_DAC_READ_SEARCH',
    handler: (t) => linkAt(t, t.argInt(0), t.arg(1), t.argInt(2), t.arg(3), t.argInt(4)),
  },
  {
    name: 'link',
    support: 'full',
    note: '',
    handler: (t) => linkAt(t, AT_FDCWD, t.arg(0), AT_FDCWD, t.arg(1), 0),
  },
  {
    name: 'symlinkat',
    support: 'full',
    note: '',
    handler: (t) => symlinkAt(t, t.arg(0), t.argInt(1), t.arg(2)),
  },
  {
    name: 'symlink',
    support: 'full',
    note: '',
    handler: (t) => symlinkAt(t, t.arg(0), AT_FDCWD, t.arg(1)),
  },
  {
    name: 'readlinkat',
    support: 'full',
    note: '',
    handler: (t) => readlinkAt(t, t.argInt(0), t.arg(1), t.arg(2), t.argInt(3)),
  },
  {
    name: 'readlink',
    support: 'full',
    note: '',
    handler: (t) => readlinkAt(t, AT_FDCWD, t.arg(0), t.arg(1), t.argInt(2)),
  },
];
