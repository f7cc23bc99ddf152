import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  type FsContext,
  type FsCred,
  type Inode,
  O_PATH,
  type OpenFile,
  PATH_MAX,
} from '../fs/index.ts';
import type { Task } from '../kernel/task.ts';
import { Errno } from '../linux/errno.ts';

/**
 * Helpers shared by the file system call files (sys-fs-*.ts): path
 * arguments, the FsContext of a call, and descriptor lookups with Linux's
 * rules for O_PATH descriptors.
 *
 * Paths cross the boundary as byte strings, one character per byte (latin1),
 * which is how the file system layer stores names: a UTF-8 name the guest
 * creates reads back from getdents, getcwd and readlink byte for byte.
 */

/**
 * Copies a NUL-terminated path of fewer than PATH_MAX bytes from the guest:
 * the path, -EFAULT, or -ENAMETOOLONG when no NUL comes in time.
 */
export function copyInPath(t: Task, addr: number): string | number {
  return t.copyInString(addr, PATH_MAX);
}

/** A byte string (one character per byte) as the bytes the guest sees. */
export function pathBytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

/** The credential file checks use: the effective IDs (Linux's fsuid/fsgid). */
export function fsCred(t: Task): FsCred {
  return { uid: t.creds.euid, gid: t.creds.egid, groups: t.creds.groups };
}

/** The real IDs, which access(2) checks with unless AT_EACCESS is given. */
export function realCred(t: Task): FsCred {
  return { uid: t.creds.uid, gid: t.creds.gid, groups: t.creds.groups };
}

/** The context of a path call whose relative paths start at dirfd. */
export function contextAt(
  t: Task,
  dirfd: number,
  path: string,
  cred: FsCred = fsCred(t),
): FsContext | number {
  const cwd = t.tg.files.startDir(dirfd, path, t.tg.cwd);
  if (typeof cwd === 'number') return cwd;
  return { cred, cwd, umask: t.tg.umask };
}

/** A path argument with its context, ready for a file system operation. */
export interface PathArg {
  ctx: FsContext;
  path: string;
}

/**
 * Reads the path at addr and builds its context from dirfd. As in Linux,
 * the path is copied (EFAULT, ENAMETOOLONG, ENOENT for an empty one)
 * before dirfd is looked at (EBADF, ENOTDIR).
 */
export function pathAt(
  t: Task,
  dirfd: number,
  addr: number,
  cred: FsCred = fsCred(t),
): PathArg | number {
  const path = copyInPath(t, addr);
  if (typeof path === 'number') return path;
  if (path.length === 0) return -Errno.ENOENT;
  const ctx = contextAt(t, dirfd, path, cred);
  return typeof ctx === 'number' ? ctx : { ctx, path };
}

/**
 * The inode an AT_EMPTY_PATH-capable call names: with AT_EMPTY_PATH and an
 * empty (or, as since Linux 6.11, NULL) path, dirfd's own inode, or the
 * working directory for AT_FDCWD; otherwise the path resolved from dirfd.
 */
export function inodeAt(
  t: Task,
  dirfd: number,
  addr: number,
  flags: number,
  follow: boolean,
  cred: FsCred = fsCred(t),
): Inode | number {
  const emptyOk = (flags & AT_EMPTY_PATH) !== 0;
  const path = emptyOk && addr === 0 ? '' : copyInPath(t, addr);
  if (typeof path === 'number') return path;
  if (path.length === 0) {
    if (!emptyOk) return -Errno.ENOENT;
    if (dirfd === AT_FDCWD) return t.tg.cwd;
    return t.tg.files.get(dirfd)?.inode ?? -Errno.EBADF;
  }
  const ctx = contextAt(t, dirfd, path, cred);
  if (typeof ctx === 'number') return ctx;
  return t.kernel.fs.resolve(ctx, path, follow);
}

/** The description behind fd, O_PATH ones included (Linux's fdget_raw), or -EBADF. */
export function rawFileOf(t: Task, fd: number): OpenFile | number {
  return t.tg.files.get(fd) ?? -Errno.EBADF;
}

/** The description behind fd for calls that refuse O_PATH descriptors, or -EBADF. */
export function usableFileOf(t: Task, fd: number): OpenFile | number {
  const file = t.tg.files.get(fd);
  return file && (file.flags & O_PATH) === 0 ? file : -Errno.EBADF;
}
