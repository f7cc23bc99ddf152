import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_SYMLINK_NOFOLLOW,
  DirInode,
  type Inode,
  RegularInode,
  type TimeSpec,
  UTIME_OMIT,
  chmodInode,
  chownInode,
  utimensInode,
} from '../fs/index.ts';
import type { SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { EFAULT, EINVAL, readStruct } from './args.ts';
import { fsCred, inodeAt, pathAt, usableFileOf } from './sys-fs-common.ts';
import type { SyscallDef } from './table.ts';

/**
 * Changing files' attributes: mode, owner, times and length, and the sync
 * calls, which have nothing to flush in a memory-backed file system.
 */

/** The *at flags chmod, chown and utimens accept. */
const ATTR_FLAGS = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH;

/** An inode's or an errno's result after an attribute change. */
function onInode(inode: Inode | number, change: (inode: Inode) => number): number {
  return typeof inode === 'number' ? inode : change(inode);
}

/** The inode of an fd for calls that refuse O_PATH descriptors. */
function fdInode(t: Task, fd: number): Inode | number {
  const file = usableFileOf(t, fd);
  return typeof file === 'number' ? file : file.inode;
}

function chmodAt(t: Task, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  if ((flags & ~ATTR_FLAGS) !== 0) return EINVAL;
  const inode = inodeAt(t, dirfd, pathAddr, flags, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  return onInode(inode, (i) => chmodInode(t.kernel.fs, fsCred(t), i, mode));
}

function fchmod(t: Task): SyscallResult {
  return onInode(fdInode(t, t.argInt(0)), (i) =>
    chmodInode(t.kernel.fs, fsCred(t), i, t.argU32(1)),
  );
}

/** An ID argument: (uid_t)-1 means "leave it". */
function idArg(t: Task, n: number): number {
  const id = t.argU32(n);
  return id === 0xffffffff ? -1 : id;
}

function chownAt(t: Task, dirfd: number, pathAddr: number, ids: number, flags: number): number {
  if ((flags & ~ATTR_FLAGS) !== 0) return EINVAL;
  const inode = inodeAt(t, dirfd, pathAddr, flags, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  return onInode(inode, (i) =>
    chownInode(t.kernel.fs, fsCred(t), i, idArg(t, ids), idArg(t, ids + 1)),
  );
}

function fchown(t: Task): SyscallResult {
  return onInode(fdInode(t, t.argInt(0)), (i) =>
    chownInode(t.kernel.fs, fsCred(t), i, idArg(t, 1), idArg(t, 2)),
  );
}

/** Access and modification times read from the guest, null for "both now", or an errno. */
type TimesResult = [TimeSpec, TimeSpec] | null | number;

/**
 * utimensat(2) and the older calls built on it. A NULL path with a real
 * dirfd changes that descriptor's file (futimens); otherwise the path is
 * resolved. Two UTIME_OMIT times succeed before the path is even looked at.
 */
function utimensAt(
  t: Task,
  dirfd: number,
  pathAddr: number,
  times: TimesResult,
  flags: number,
): number {
  if (typeof times === 'number') return times;
  if (times !== null && times[0].nsec === UTIME_OMIT && times[1].nsec === UTIME_OMIT) return 0;
  const set = (i: Inode): number => utimensInode(t.kernel.fs, fsCred(t), i, times);
  if (pathAddr === 0 && dirfd !== AT_FDCWD) {
    return flags !== 0 ? EINVAL : onInode(fdInode(t, dirfd), set);
  }
  if ((flags & ~ATTR_FLAGS) !== 0) return EINVAL;
  if (pathAddr === 0) return EFAULT;
  return onInode(inodeAt(t, dirfd, pathAddr, flags, (flags & AT_SYMLINK_NOFOLLOW) === 0), set);
}

/** Two struct timespec; NULL means both now. */
function readTimespecs(t: Task, addr: number): TimesResult {
  if (addr === 0) return null;
  const r = readStruct(t, addr, 32);
  if (r === null) return EFAULT;
  return [
    { sec: r.i64(0), nsec: r.i64(8) },
    { sec: r.i64(16), nsec: r.i64(24) },
  ];
}

/** Two struct timeval (utimes, futimesat); microseconds must be below a second. */
function readTimevals(t: Task, addr: number): TimesResult {
  if (addr === 0) return null;
  const r = readStruct(t, addr, 32);
  if (r === null) return EFAULT;
  const usec = [r.i64(8), r.i64(24)];
  if (usec.some((u) => u < 0 || u >= 1e6)) return EINVAL;
  return [
    { sec: r.i64(0), nsec: usec[0] * 1000 },
    { sec: r.i64(16), nsec: usec[1] * 1000 },
  ];
}

/** struct utimbuf (utime): access and modification seconds. */
function readUtimbuf(t: Task, addr: number): TimesResult {
  if (addr === 0) return null;
  const r = readStruct(t, addr, 16);
  if (r === null) return EFAULT;
  return [
    { sec: r.i64(0), nsec: 0 },
    { sec: r.i64(8), nsec: 0 },
  ];
}

function truncate(t: Task): SyscallResult {
  const arg = pathAt(t, AT_FDCWD, t.arg(0));
  return typeof arg === 'number' ? arg : t.kernel.fs.truncate(arg.ctx, arg.path, t.arg(1));
}

function ftruncate(t: Task): SyscallResult {
  const length = t.arg(1);
  if (length < 0) return EINVAL;
  const file = usableFileOf(t, t.argInt(0));
  return typeof file === 'number' ? file : file.truncate(length);
}

/** fsync and fdatasync: files and directories have nothing to flush; other kinds cannot sync. */
function fsync(t: Task): SyscallResult {
  const inode = fdInode(t, t.argInt(0));
  if (typeof inode === 'number') return inode;
  return inode instanceof RegularInode || inode instanceof DirInode ? 0 : EINVAL;
}

/** Definitions of this area. */
export const FS_ATTR_SYSCALLS: SyscallDef[] = [
  { name: 'fchmod', support: 'full', note: '', handler: fchmod },
  {
    name: 'fchmodat',
    support: 'full',
    note: '',
    handler: (t) => chmodAt(t, t.argInt(0), t.arg(1), t.argU32(2), 0),
  },
  {
    name: 'fchmodat2',
    support: 'full',
    note: 'AT_SYMLINK_NOFOLLOW on a link is EOPNOTSUPP, as on tmpfs',
    handler: (t) => chmodAt(t, t.argInt(0), t.arg(1), t.argU32(2), t.argInt(3)),
  },
  {
    name: 'chmod',
    support: 'full',
    note: '',
    handler: (t) => chmodAt(t, AT_FDCWD, t.arg(0), t.argU32(1), 0),
  },
  { name: 'fchown', support: 'full', note: '', handler: fchown },
  {
    name: 'fchownat',
    support: 'full',
    note: '',
    handler: (t) => chownAt(t, t.argInt(0), t.arg(1), 2, t.argInt(4)),
  },
  {
    name: 'chown',
    support: 'full',
    note: '',
    handler: (t) => chownAt(t, AT_FDCWD, t.arg(0), 1, 0),
  },
  {
    name: 'lchown',
    support: 'full',
    note: '',
    handler: (t) => chownAt(t, AT_FDCWD, t.arg(0), 1, AT_SYMLINK_NOFOLLOW),
  },
  {
    name: 'utimensat',
    support: 'full',
    note: '',
    handler: (t) => utimensAt(t, t.argInt(0), t.arg(1), readTimespecs(t, t.arg(2)), t.argInt(3)),
  },
  {
    name: 'futimesat',
    support: 'full',
    note: '',
    handler: (t) => utimensAt(t, t.argInt(0), t.arg(1), readTimevals(t, t.arg(2)), 0),
  },
  {
    name: 'utimes',
    support: 'full',
    note: '',
    handler: (t) => utimensAt(t, AT_FDCWD, t.arg(0), readTimevals(t, t.arg(1)), 0),
  },
  {
    name: 'utime',
    support: 'full',
    note: '',
    handler: (t) => utimensAt(t, AT_FDCWD, t.arg(0), readUtimbuf(t, t.arg(1)), 0),
  },
  { name: 'truncate', support: 'full', note: '', handler: truncate },
  { name: 'ftruncate', support: 'full', note: '', handler: ftruncate },
  {
    name: 'fsync',
    support: 'full',
    note: 'nothing to flush: files live in memory',
    handler: fsync,
  },
  {
    name: 'fdatasync',
    support: 'full',
    note: 'nothing to flush: files live in memory',
    handler: fsync,
  },
  { name: 'sync', support: 'full', note: 'nothing to flush', handler: () => 0 },
  {
    name: 'syncfs',
    support: 'full',
    note: 'nothing to flush',
    handler: (t) => {
      const file = usableFileOf(t, t.argInt(0));
      return typeof file === 'number' ? file : 0;
    },
  },
];
