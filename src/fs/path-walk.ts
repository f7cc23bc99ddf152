/**
 * Path resolution: absolute and relative paths, '.', '..', repeated slashes,
 * symbolic links (ELOOP after MAXSYMLINKS), trailing slashes, and search
 * permission on every directory passed through. Paths are byte strings: one
 * character per byte, as the guest passed them.
 */
import { Errno } from '../linux/errno.ts';
import { MAXSYMLINKS, NAME_MAX, PATH_MAX } from './abi.ts';
import type { FsCred } from './host.ts';
import { DirInode, type Inode, SymlinkInode } from './inode.ts';
import { MAY_EXEC, permits } from './permission.ts';
import type { Filesystem } from './vfs.ts';

/** Who walks and from where: the system call layer builds one per call. */
export interface FsContext {
  /** The credential checks are made with. */
  cred: FsCred;
  /** Where relative paths start: the cwd, or the directory of a dirfd. */
  cwd: Inode;
  /** The file mode creation mask. */
  umask: number;
}

/** What the last component of a path is. */
export type LastKind = 'norm' | 'dot' | 'dotdot' | 'root';

/** A path walked up to its last component. */
export interface ParentWalk {
  /** The directory the last component is looked up in. */
  dir: DirInode;
  /** The last component ('' for the root). */
  name: string;
  last: LastKind;
  /** Whether the path ended in '/': the result must then be a directory. */
  trailingSlash: boolean;
}

/**
 * Where the final inode of a lookup was found, to name it under
 * /proc/self/fd: a directory and name, or a ready path for magic links.
 */
export class Where {
  dir: DirInode | null = null;
  name = '';

  /** The absolute path of the place found. */
  path(inode: Inode): string {
    if (inode instanceof DirInode) return inode.path();
    return this.dir ? entryPath(this.dir, this.name) : this.name;
  }
}

/** Symbolic links one lookup may still follow. */
export class LinkBudget {
  remaining = MAXSYMLINKS;
}

function lastKind(name: string): LastKind {
  return name === '.' ? 'dot' : name === '..' ? 'dotdot' : 'norm';
}

/** Walks every component but the last, following symbolic links on the way. */
export function walkParent(
  fs: Filesystem,
  ctx: FsContext,
  start: Inode,
  path: string,
  budget: LinkBudget,
): ParentWalk | number {
  if (path.length === 0) return -Errno.ENOENT;
  if (path.length >= PATH_MAX) return -Errno.ENAMETOOLONG;
  const first = path.charCodeAt(0) === 0x2f ? fs.root : start;
  if (!(first instanceof DirInode)) return -Errno.ENOTDIR;
  let dir = first;
  const parts = path.split('/').filter((p) => p.length > 0);
  if (parts.length === 0) return { dir, name: '', last: 'root', trailingSlash: false };
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i];
    if (name.length > NAME_MAX) return -Errno.ENAMETOOLONG;
    if (!permits(dir, ctx.cred, MAY_EXEC)) return -Errno.EACCES;
    if (i === parts.length - 1) {
      return { dir, name, last: lastKind(name), trailingSlash: path.endsWith('/') };
    }
    const next = step(fs, ctx, dir, name, budget);
    if (typeof next === 'number') return next;
    if (!(next instanceof DirInode)) return -Errno.ENOTDIR;
    dir = next;
  }
  return -Errno.ENOENT;
}

/** Looks up one name in a directory and follows it if it is a symbolic link. */
function step(
  fs: Filesystem,
  ctx: FsContext,
  dir: DirInode,
  name: string,
  budget: LinkBudget,
): Inode | number {
  if (name === '.') return dir;
  if (name === '..') return dir.parent;
  const child = lookupIn(fs, dir, name);
  if (!child) return -Errno.ENOENT;
  return child instanceof SymlinkInode ? followLink(fs, ctx, dir, child, budget) : child;
}

/** A name in a directory, or null; a removed directory has no names. */
export function lookupIn(fs: Filesystem, dir: DirInode, name: string): Inode | null {
  if (dir.nlink === 0) return null;
  return dir.lookup(fs, name);
}

/** The inode a symbolic link in dir leads to, following further links. */
export function followLink(
  fs: Filesystem,
  ctx: FsContext,
  dir: DirInode,
  link: SymlinkInode,
  budget: LinkBudget,
  where?: Where,
): Inode | number {
  if (--budget.remaining < 0) return -Errno.ELOOP;
  const target = link.follow(fs);
  if (typeof target === 'string') return resolveFrom(fs, ctx, dir, target, true, budget, where);
  if (where) {
    where.dir = null;
    where.name = link.readlink(fs);
  }
  return target;
}

/** The inode the last component of a walked path names, per lookup rules. */
export function finishWalk(
  fs: Filesystem,
  ctx: FsContext,
  walk: ParentWalk,
  follow: boolean,
  budget: LinkBudget,
  where?: Where,
): Inode | number {
  if (where) {
    where.dir = walk.dir;
    where.name = walk.name;
  }
  let inode: Inode | null;
  if (walk.last === 'root' || walk.last === 'dot') inode = walk.dir;
  else if (walk.last === 'dotdot') inode = walk.dir.parent;
  else inode = lookupIn(fs, walk.dir, walk.name);
  if (!inode) return -Errno.ENOENT;
  if (inode instanceof SymlinkInode && (follow || walk.trailingSlash)) {
    const target = followLink(fs, ctx, walk.dir, inode, budget, where);
    if (typeof target === 'number') return target;
    inode = target;
  }
  if (walk.trailingSlash && !(inode instanceof DirInode)) return -Errno.ENOTDIR;
  return inode;
}

/** Resolves a whole path from start. */
export function resolveFrom(
  fs: Filesystem,
  ctx: FsContext,
  start: Inode,
  path: string,
  follow: boolean,
  budget: LinkBudget,
  where?: Where,
): Inode | number {
  const walk = walkParent(fs, ctx, start, path, budget);
  if (typeof walk === 'number') return walk;
  return finishWalk(fs, ctx, walk, follow, budget, where);
}

/** Resolves a path from the context's cwd; follow says whether a final link is followed. */
export function resolve(
  fs: Filesystem,
  ctx: FsContext,
  path: string,
  follow: boolean,
): Inode | number {
  return resolveFrom(fs, ctx, ctx.cwd, path, follow, new LinkBudget());
}

/** The absolute path of an entry, for /proc/self/fd and getcwd. */
export function entryPath(dir: DirInode, name: string): string {
  const base = dir.path();
  return base === '/' ? '/' + name : base + '/' + name;
}
