/**
 * Attribute operations: access checks, chmod, chown, utimens, truncate by
 * path, and the checks of chdir.
 */
import { Errno } from '../linux/errno.ts';
import {
  AT_EACCESS,
  AT_EMPTY_PATH,
  AT_SYMLINK_NOFOLLOW,
  F_OK,
  S_IALLUGO,
  S_IFMT,
  S_ISGID,
  S_ISUID,
  UTIME_NOW,
  UTIME_OMIT,
} from './abi.ts';
import type { FsCred } from './host.ts';
import {
  DirInode,
  type Inode,
  RegularInode,
  SymlinkInode,
  TIME_A,
  TIME_C,
  TIME_M,
} from './inode.ts';
import { type FsContext, resolve } from './path-walk.ts';
import { MAY_EXEC, MAY_WRITE, checkAccess, inGroup, ownsOrRoot, permits } from './permission.ts';
import type { Filesystem, TimeSpec } from './vfs.ts';

/** faccessat2(2) by path. */
export function access(
  fs: Filesystem,
  ctx: FsContext,
  path: string,
  mode: number,
  flags: number,
): number {
  if ((mode & ~7) !== 0) return -Errno.EINVAL;
  if ((flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) return -Errno.EINVAL;
  const inode = resolve(fs, ctx, path, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  if (typeof inode === 'number') return inode;
  return accessInode(ctx.cred, inode, mode);
}

/** The access check of faccessat2 on an inode already found. */
export function accessInode(cred: FsCred, inode: Inode, mode: number): number {
  if (mode === F_OK) return 0;
  return checkAccess(inode, cred, mode);
}

/** chmod on an inode: owner or root; non-members of the group lose set-group-ID. */
export function chmodInode(fs: Filesystem, cred: FsCred, inode: Inode, mode: number): number {
  if (inode instanceof SymlinkInode) return -Errno.EOPNOTSUPP;
  if (!ownsOrRoot(inode, cred)) return -Errno.EPERM;
  let perm = mode & S_IALLUGO;
  if (cred.uid !== 0 && !inGroup(cred, inode.gid)) perm &= ~S_ISGID;
  inode.mode = (inode.mode & S_IFMT) | perm;
  inode.stamp(fs.nowNs(), TIME_C);
  return 0;
}

/**
 * chown on an inode (uid or gid -1 leaves it): root may give anything; an
 * owner may only change the group to one of its own.
 */
export function chownInode(
  fs: Filesystem,
  cred: FsCred,
  inode: Inode,
  uid: number,
  gid: number,
): number {
  if (cred.uid !== 0) {
    if (cred.uid !== inode.uid) return -Errno.EPERM;
    if (uid !== -1 && uid !== inode.uid) return -Errno.EPERM;
    if (gid !== -1 && gid !== inode.gid && !inGroup(cred, gid)) return -Errno.EPERM;
  }
  if (uid !== -1) inode.uid = uid;
  if (gid !== -1) inode.gid = gid;
  // Changing owners clears set-ID bits of files that others may execute.
  if (!(inode instanceof DirInode) && (uid !== -1 || gid !== -1)) {
    inode.mode &= ~(S_ISUID | (inode.mode & 0o010 ? S_ISGID : 0));
  }
  inode.stamp(fs.nowNs(), TIME_C);
  return 0;
}

function validTime(t: TimeSpec): boolean {
  return t.nsec === UTIME_NOW || t.nsec === UTIME_OMIT || (t.nsec >= 0 && t.nsec < 1e9);
}

/** utimensat on an inode; times null means both now. */
export function utimensInode(
  fs: Filesystem,
  cred: FsCred,
  inode: Inode,
  times: [TimeSpec, TimeSpec] | null,
): number {
  const now: TimeSpec = { sec: 0, nsec: UTIME_NOW };
  const [atime, mtime] = times ?? [now, now];
  if (!validTime(atime) || !validTime(mtime)) return -Errno.EINVAL;
  if (atime.nsec === UTIME_OMIT && mtime.nsec === UTIME_OMIT) return 0;
  const toNow = (t: TimeSpec): boolean => t.nsec === UTIME_NOW || t.nsec === UTIME_OMIT;
  if (toNow(atime) && toNow(mtime)) {
    // Setting the current time needs ownership or write access.
    if (!ownsOrRoot(inode, cred) && !permits(inode, cred, MAY_WRITE)) return -Errno.EACCES;
  } else if (!ownsOrRoot(inode, cred)) {
    return -Errno.EPERM;
  }
  const nowNs = fs.nowNs();
  const set = (t: TimeSpec, which: number): void => {
    if (t.nsec === UTIME_OMIT) return;
    if (t.nsec === UTIME_NOW) inode.stamp(nowNs, which);
    else if (which === TIME_A) [inode.atimeSec, inode.atimeNsec] = [t.sec, t.nsec];
    else [inode.mtimeSec, inode.mtimeNsec] = [t.sec, t.nsec];
  };
  set(atime, TIME_A);
  set(mtime, TIME_M);
  inode.stamp(nowNs, TIME_C);
  return 0;
}

/** truncate(2) by path. */
export function truncatePath(fs: Filesystem, ctx: FsContext, path: string, length: number): number {
  if (length < 0) return -Errno.EINVAL;
  const inode = resolve(fs, ctx, path, true);
  if (typeof inode === 'number') return inode;
  if (inode instanceof DirInode) return -Errno.EISDIR;
  if (!(inode instanceof RegularInode)) return -Errno.EINVAL;
  const err = checkAccess(inode, ctx.cred, MAY_WRITE);
  if (err) return err;
  return fs.truncateInode(inode, length);
}

/** The checks of chdir and fchdir: a directory the caller may search. */
export function chdirInode(cred: FsCred, inode: Inode): DirInode | number {
  if (!(inode instanceof DirInode)) return -Errno.ENOTDIR;
  const err = checkAccess(inode, cred, MAY_EXEC);
  return err || inode;
}
