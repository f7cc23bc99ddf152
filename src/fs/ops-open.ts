/**
 * openat(2): walks to the file, creates it with O_CREAT (following a
 * dangling symbolic link to create its target, as Linux does), checks
 * access, truncates with O_TRUNC, and makes the open description.
 */
import { Errno } from '../linux/errno.ts';
import {
  O_ACCMODE,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOCTTY,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
} from './abi.ts';
import { DirInode, type Inode, RegularInode, SymlinkInode, TIME_C, TIME_M } from './inode.ts';
import { OpenFile } from './open-file.ts';
import {
  type FsContext,
  LinkBudget,
  type ParentWalk,
  Where,
  finishWalk,
  lookupIn,
  walkParent,
} from './path-walk.ts';
import { MAY_READ, MAY_WRITE, checkAccess } from './permission.ts';
import { checkCreate } from './ops-names.ts';
import type { Filesystem } from './vfs.ts';

/** Flags an O_PATH open keeps; Linux ignores the others. */
const O_PATH_KEEPS = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

/** Flags that only matter while opening and are not kept in the description. */
const OPEN_ONLY = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC;

/** The access bits an open asks for. */
function accessMask(flags: number): number {
  const mode = flags & O_ACCMODE;
  let mask = 0;
  if (mode === O_RDONLY || mode === O_RDWR || mode === O_ACCMODE) mask |= MAY_READ;
  if (mode === O_WRONLY || mode === O_RDWR || mode === O_ACCMODE) mask |= MAY_WRITE;
  if (flags & O_TRUNC) mask |= MAY_WRITE;
  return mask;
}

/** Opens (and maybe creates) the file at path: a description or -errno. */
export function openPath(
  fs: Filesystem,
  ctx: FsContext,
  path: string,
  flags: number,
  mode: number,
): OpenFile | number {
  if ((flags & O_TMPFILE) === O_TMPFILE) return -Errno.EOPNOTSUPP;
  if (flags & O_PATH) flags &= O_PATH_KEEPS;
  if (flags & O_CREAT && flags & O_DIRECTORY) return -Errno.EINVAL;
  const budget = new LinkBudget();
  const walk = walkParent(fs, ctx, ctx.cwd, path, budget);
  if (typeof walk === 'number') return walk;
  const where = new Where();
  let inode: Inode | number;
  let created = false;
  if (flags & O_CREAT) {
    const found = lookupOrCreate(fs, ctx, walk, flags, mode, budget, where);
    if (typeof found === 'number') return found;
    [inode, created] = found;
  } else {
    inode = finishWalk(fs, ctx, walk, (flags & O_NOFOLLOW) === 0, budget, where);
    if (typeof inode === 'number') return inode;
  }
  if (!created) {
    const err = checkExisting(ctx, inode, flags);
    if (err) return err;
    if (flags & O_TRUNC && inode instanceof RegularInode && (flags & O_PATH) === 0) {
      const truncated = fs.truncateInode(inode, 0);
      if (truncated < 0) return truncated;
    }
  }
  return new OpenFile(fs, inode, flags & ~OPEN_ONLY, where.path(inode));
}

/** The checks an open of a file that already exists must pass. */
function checkExisting(ctx: FsContext, inode: Inode, flags: number): number {
  if (inode instanceof SymlinkInode && (flags & O_PATH) === 0) return -Errno.ELOOP;
  if (flags & O_DIRECTORY && !(inode instanceof DirInode)) return -Errno.ENOTDIR;
  if (flags & O_PATH) return 0;
  if (flags & O_CREAT && inode instanceof DirInode) return -Errno.EISDIR;
  const mask = accessMask(flags);
  if (inode instanceof DirInode && mask & MAY_WRITE) return -Errno.EISDIR;
  return checkAccess(inode, ctx.cred, mask);
}

/**
 * O_CREAT: the existing inode (following symbolic links unless O_EXCL or
 * O_NOFOLLOW forbid it), or a new regular file.
 */
function lookupOrCreate(
  fs: Filesystem,
  ctx: FsContext,
  walk: ParentWalk,
  flags: number,
  mode: number,
  budget: LinkBudget,
  where: Where,
): [Inode, boolean] | number {
  for (;;) {
    if (walk.last !== 'norm' || walk.trailingSlash) return -Errno.EISDIR;
    where.dir = walk.dir;
    where.name = walk.name;
    const child = lookupIn(fs, walk.dir, walk.name);
    if (!child) break;
    if (flags & O_EXCL) return -Errno.EEXIST;
    if (!(child instanceof SymlinkInode)) return [child, false];
    if (flags & O_NOFOLLOW) return -Errno.ELOOP;
    if (--budget.remaining < 0) return -Errno.ELOOP;
    const target = child.follow(fs);
    if (typeof target !== 'string') {
      where.dir = null;
      where.name = child.readlink(fs);
      return [target, false];
    }
    const next = walkParent(fs, ctx, walk.dir, target, budget);
    if (typeof next === 'number') return next;
    walk = next;
  }
  const err = checkCreate(ctx, walk.dir);
  if (err) return err;
  const perm = mode & ~ctx.umask & 0o7777;
  const file = fs.initInode(
    new RegularInode(fs.allocIno(), perm, fs.newBody()),
    walk.dir,
    ctx.cred,
  );
  walk.dir.link(walk.name, file);
  walk.dir.stamp(fs.nowNs(), TIME_M | TIME_C);
  return [file, true];
}
