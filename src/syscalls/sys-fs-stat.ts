import {
  AT_EACCESS,
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_NO_AUTOMOUNT,
  AT_SYMLINK_NOFOLLOW,
  type Inode,
  accessInode,
  checkStatxArgs,
  encodeStat,
  encodeStatx,
  statOf,
} from '../fs/index.ts';
import type { SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { EFAULT, EINVAL } from './args.ts';
import { fsCred, inodeAt, rawFileOf, realCred } from './sys-fs-common.ts';
import type { SyscallDef } from './table.ts';

/** Looking at files: the stat family, statx and the access checks. */

/** The flags newfstatat accepts. */
const FSTATAT_FLAGS = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH;

/** Copies struct stat of an inode (or an errno) out to buf. */
function putStat(t: Task, inode: Inode | number, buf: number): number {
  if (typeof inode === 'number') return inode;
  return t.copyOut(buf, encodeStat(statOf(inode))) ? 0 : EFAULT;
}

function fstat(t: Task): SyscallResult {
  const file = rawFileOf(t, t.argInt(0));
  return putStat(t, typeof file === 'number' ? file : file.inode, t.arg(1));
}

/** newfstatat(2), and stat and lstat through it. */
function fstatAt(t: Task, dirfd: number, pathAddr: number, buf: number, flags: number): number {
  if ((flags & ~FSTATAT_FLAGS) !== 0) return EINVAL;
  const follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  return putStat(t, inodeAt(t, dirfd, pathAddr, flags, follow), buf);
}

/** statx(2): every basic field is filled whatever the mask asks. */
function statx(t: Task): SyscallResult {
  const flags = t.argInt(2);
  const err = checkStatxArgs(flags, t.argU32(3));
  if (err) return err;
  const follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  const inode = inodeAt(t, t.argInt(0), t.arg(1), flags, follow);
  if (typeof inode === 'number') return inode;
  return t.copyOut(t.arg(4), encodeStatx(statOf(inode))) ? 0 : EFAULT;
}

/**
 * faccessat2(2), and faccessat and access through it: checks with the real
 * IDs unless AT_EACCESS asks for the effective ones, for the walk too.
 */
function accessAt(t: Task, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  if ((mode & ~7) !== 0) return EINVAL;
  if ((flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) return EINVAL;
  const cred = flags & AT_EACCESS ? fsCred(t) : realCred(t);
  const follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  const inode = inodeAt(t, dirfd, pathAddr, flags, follow, cred);
  return typeof inode === 'number' ? inode : accessInode(cred, inode, mode);
}

/** Definitions of this area. */
export const FS_STAT_SYSCALLS: SyscallDef[] = [
  { name: 'fstat', support: 'full', note: '', handler: fstat },
  {
    name: 'newfstatat',
    support: 'full',
    note: '',
    handler: (t) => fstatAt(t, t.argInt(0), t.arg(1), t.arg(2), t.argInt(3)),
  },
  {
    name: 'stat',
    support: 'full',
    note: '',
    handler: (t) => fstatAt(t, AT_FDCWD, t.arg(0), t.arg(1), 0),
  },
  {
    name: 'lstat',
    support: 'full',
    note: '',
    handler: (t) => fstatAt(t, AT_FDCWD, t.arg(0), t.arg(1), AT_SYMLINK_NOFOLLOW),
  },
  {
    name: 'statx',
    support: 'partial',
    note: 'basic fields and the mount ID; no birth time or attributes',
    handler: statx,
  },
  {
    name: 'faccessat2',
    support: 'full',
    note: '',
    handler: (t) => accessAt(t, t.argInt(0), t.arg(1), t.argInt(2), t.argInt(3)),
  },
  {
    name: 'faccessat',
    support: 'full',
    note: '',
    handler: (t) => accessAt(t, t.argInt(0), t.arg(1), t.argInt(2), 0),
  },
  {
    name: 'access',
    support: 'full',
    note: '',
    handler: (t) => accessAt(t, AT_FDCWD, t.arg(0), t.argInt(1), 0),
  },
];
