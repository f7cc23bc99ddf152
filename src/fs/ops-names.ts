/**
 * Operations on names: mkdir, unlink, rmdir, rename (with renameat2's
 * flags), link and symlink, with Linux's checks in Linux's order.
 */
import { Errno } from '../linux/errno.ts';
import {
  AT_EMPTY_PATH,
  AT_SYMLINK_FOLLOW,
  PATH_MAX,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  RENAME_WHITEOUT,
} from './abi.ts';
import { DirInode, type Inode, SymlinkInode, TIME_C, TIME_M } from './inode.ts';
import {
  type FsContext,
  LinkBudget,
  type ParentWalk,
  lookupIn,
  resolveFrom,
  walkParent,
} from './path-walk.ts';
import { MAY_EXEC, MAY_WRITE, checkAccess, stickyDenies } from './permission.ts';
import type { Filesystem } from './vfs.ts';

/** Whether a new entry may be made in dir: 0 or -errno. */
export function checkCreate(ctx: FsContext, dir: DirInode): number {
  if (dir.nlink === 0) return -Errno.ENOENT;
  if (!dir.mutable) return -Errno.EACCES;
  return checkAccess(dir, ctx.cred, MAY_WRITE | MAY_EXEC);
}

/** Whether victim's entry in dir may be removed by ctx: 0 or -errno. */
function checkDelete(ctx: FsContext, dir: DirInode, victim: Inode): number {
  if (!dir.mutable) return -Errno.EPERM;
  const err = checkAccess(dir, ctx.cred, MAY_WRITE | MAY_EXEC);
  if (err) return err;
  return stickyDenies(dir, victim, ctx.cred) ? -Errno.EPERM : 0;
}

/** Walks to the parent of a name to be created: -EEXIST for '.', '..' and '/'. */
function walkForCreate(
  fs: Filesystem,
  ctx: FsContext,
  start: Inode,
  path: string,
  wantDir: boolean,
): ParentWalk | number {
  const walk = walkParent(fs, ctx, start, path, new LinkBudget());
  if (typeof walk === 'number') return walk;
  if (walk.last !== 'norm') return -Errno.EEXIST;
  if (lookupIn(fs, walk.dir, walk.name)) return -Errno.EEXIST;
  // A missing name with a trailing slash asks for a directory.
  if (walk.trailingSlash && !wantDir) return -Errno.ENOENT;
  return walk;
}

/** Removes a name and frees the inode if nothing refers to it any more. */
export function removeEntry(fs: Filesystem, dir: DirInode, name: string): void {
  const inode = dir.entries.get(name)?.inode;
  if (!inode) return;
  dir.unlink(name);
  inode.nlink = inode instanceof DirInode ? 0 : inode.nlink - 1;
  const now = fs.nowNs();
  inode.stamp(now, TIME_C);
  dir.stamp(now, TIME_M | TIME_C);
  if (inode.nlink === 0 && inode.openCount === 0) inode.evict();
}

/** mkdirat(2). */
export function mkdir(fs: Filesystem, ctx: FsContext, path: string, mode: number): number {
  const walk = walkForCreate(fs, ctx, ctx.cwd, path, true);
  if (typeof walk === 'number') return walk;
  const err = checkCreate(ctx, walk.dir);
  if (err) return err;
  const perm = mode & ~ctx.umask & 0o1777;
  const dir = fs.initInode(
    new DirInode(fs.allocIno(), perm, walk.dir, walk.name),
    walk.dir,
    ctx.cred,
  );
  walk.dir.link(walk.name, dir);
  walk.dir.stamp(fs.nowNs(), TIME_M | TIME_C);
  return 0;
}

/** unlinkat(2) for a non-directory. */
export function unlink(fs: Filesystem, ctx: FsContext, path: string): number {
  const walk = walkParent(fs, ctx, ctx.cwd, path, new LinkBudget());
  if (typeof walk === 'number') return walk;
  if (walk.last !== 'norm') return -Errno.EISDIR;
  const victim = lookupIn(fs, walk.dir, walk.name);
  if (!victim) return -Errno.ENOENT;
  if (victim instanceof DirInode) return -Errno.EISDIR;
  if (walk.trailingSlash) return -Errno.ENOTDIR;
  const err = checkDelete(ctx, walk.dir, victim);
  if (err) return err;
  removeEntry(fs, walk.dir, walk.name);
  return 0;
}

/** unlinkat(2) with AT_REMOVEDIR. */
export function rmdir(fs: Filesystem, ctx: FsContext, path: string): number {
  const walk = walkParent(fs, ctx, ctx.cwd, path, new LinkBudget());
  if (typeof walk === 'number') return walk;
  if (walk.last === 'dotdot') return -Errno.ENOTEMPTY;
  if (walk.last === 'dot') return -Errno.EINVAL;
  if (walk.last === 'root') return -Errno.EBUSY;
  const victim = lookupIn(fs, walk.dir, walk.name);
  if (!victim) return -Errno.ENOENT;
  if (!(victim instanceof DirInode)) return -Errno.ENOTDIR;
  const err = checkDelete(ctx, walk.dir, victim);
  if (err) return err;
  // A directory of another file system is a mount point.
  if (victim.dev !== walk.dir.dev) return -Errno.EBUSY;
  if (!victim.isEmpty()) return -Errno.ENOTEMPTY;
  removeEntry(fs, walk.dir, walk.name);
  return 0;
}

/** Whether dir is ancestor or the same as inode. */
function contains(dir: DirInode, inode: DirInode): boolean {
  for (let at = inode; ; at = at.parent) {
    if (at === dir) return true;
    if (at.parent === at) return false;
  }
}

/** renameat2(2). */
export function rename(
  fs: Filesystem,
  ctx: FsContext,
  oldPath: string,
  newAt: Inode,
  newPath: string,
  flags: number,
): number {
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -Errno.EINVAL;
  if (flags & RENAME_NOREPLACE && flags & RENAME_EXCHANGE) return -Errno.EINVAL;
  // TODO: RENAME_WHITEOUT (overlay file systems' whiteouts) is refused with EINVAL.
  if (flags & RENAME_WHITEOUT) return -Errno.EINVAL;
  const exchange = (flags & RENAME_EXCHANGE) !== 0;
  const from = walkParent(fs, ctx, ctx.cwd, oldPath, new LinkBudget());
  if (typeof from === 'number') return from;
  const to = walkParent(fs, ctx, newAt, newPath, new LinkBudget());
  if (typeof to === 'number') return to;
  if (from.last !== 'norm') return -Errno.EBUSY;
  if (to.last !== 'norm') return flags & RENAME_NOREPLACE ? -Errno.EEXIST : -Errno.EBUSY;
  if (from.dir.dev !== to.dir.dev) return -Errno.EXDEV;
  const src = lookupIn(fs, from.dir, from.name);
  if (!src) return -Errno.ENOENT;
  const dst = lookupIn(fs, to.dir, to.name);
  if (exchange && !dst) return -Errno.ENOENT;
  if (flags & RENAME_NOREPLACE && dst) return -Errno.EEXIST;
  if ((from.trailingSlash || (to.trailingSlash && !exchange)) && !(src instanceof DirInode)) {
    return -Errno.ENOTDIR;
  }
  if (exchange && to.trailingSlash && !(dst instanceof DirInode)) return -Errno.ENOTDIR;
  if (src === dst) return 0;
  const err = checkRename(ctx, from, src, to, dst, exchange);
  if (err) return err;
  if (exchange && dst) {
    from.dir.unlink(from.name);
    to.dir.unlink(to.name);
    from.dir.link(from.name, dst);
    to.dir.link(to.name, src);
    dst.stamp(fs.nowNs(), TIME_C);
  } else {
    if (dst) removeEntry(fs, to.dir, to.name);
    from.dir.unlink(from.name);
    to.dir.link(to.name, src);
  }
  const now = fs.nowNs();
  src.stamp(now, TIME_C);
  from.dir.stamp(now, TIME_M | TIME_C);
  to.dir.stamp(now, TIME_M | TIME_C);
  return 0;
}

/** Permission, type and tree checks of a rename, after both names were found. */
function checkRename(
  ctx: FsContext,
  from: ParentWalk,
  src: Inode,
  to: ParentWalk,
  dst: Inode | null,
  exchange: boolean,
): number {
  // The tree checks come first, as in Linux's lock_rename trap test.
  if (src instanceof DirInode && contains(src, to.dir)) return -Errno.EINVAL;
  if (exchange && dst instanceof DirInode && contains(dst, from.dir)) return -Errno.EINVAL;
  if (!exchange && dst instanceof DirInode && contains(dst, from.dir)) return -Errno.ENOTEMPTY;
  let err = checkDelete(ctx, from.dir, src);
  if (err) return err;
  if (dst) err = checkDelete(ctx, to.dir, dst);
  else err = to.dir.mutable ? checkAccess(to.dir, ctx.cred, MAY_WRITE | MAY_EXEC) : -Errno.EPERM;
  if (err) return err;
  const moves = from.dir !== to.dir;
  // A directory changing parents needs write access to itself for its '..'.
  if (moves && src instanceof DirInode) err = checkAccess(src, ctx.cred, MAY_WRITE);
  if (!err && moves && exchange && dst instanceof DirInode) {
    err = checkAccess(dst, ctx.cred, MAY_WRITE);
  }
  if (err || exchange) return err;
  if (!dst) return 0;
  if (src instanceof DirInode) {
    if (!(dst instanceof DirInode)) return -Errno.ENOTDIR;
    if (dst.dev !== to.dir.dev) return -Errno.EBUSY;
    return dst.isEmpty() ? 0 : -Errno.ENOTEMPTY;
  }
  return dst instanceof DirInode ? -Errno.EISDIR : 0;
}

/** linkat(2): flags may hold AT_SYMLINK_FOLLOW (AT_EMPTY_PATH is the caller's). */
export function link(
  fs: Filesystem,
  ctx: FsContext,
  oldPath: string,
  newAt: Inode,
  newPath: string,
  flags: number,
): number {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  const follow = (flags & AT_SYMLINK_FOLLOW) !== 0;
  const src = resolveFrom(fs, ctx, ctx.cwd, oldPath, follow, new LinkBudget());
  if (typeof src === 'number') return src;
  return linkInode(fs, ctx, src, newAt, newPath);
}

/** Gives an inode a new name (linkat, also with AT_EMPTY_PATH). */
export function linkInode(
  fs: Filesystem,
  ctx: FsContext,
  src: Inode,
  newAt: Inode,
  newPath: string,
): number {
  const walk = walkForCreate(fs, ctx, newAt, newPath, false);
  if (typeof walk === 'number') return walk;
  if (src.dev !== walk.dir.dev) return -Errno.EXDEV;
  const err = checkCreate(ctx, walk.dir);
  if (err) return err;
  if (src instanceof DirInode) return -Errno.EPERM;
  if (src.nlink === 0) return -Errno.ENOENT;
  walk.dir.link(walk.name, src);
  src.nlink++;
  const now = fs.nowNs();
  src.stamp(now, TIME_C);
  walk.dir.stamp(now, TIME_M | TIME_C);
  return 0;
}

/** symlinkat(2). */
export function symlink(fs: Filesystem, ctx: FsContext, target: string, path: string): number {
  if (target.length === 0) return -Errno.ENOENT;
  if (target.length >= PATH_MAX) return -Errno.ENAMETOOLONG;
  const walk = walkForCreate(fs, ctx, ctx.cwd, path, false);
  if (typeof walk === 'number') return walk;
  const err = checkCreate(ctx, walk.dir);
  if (err) return err;
  const link = fs.initInode(new SymlinkInode(fs.allocIno(), target), walk.dir, ctx.cred);
  walk.dir.link(walk.name, link);
  walk.dir.stamp(fs.nowNs(), TIME_M | TIME_C);
  return 0;
}
