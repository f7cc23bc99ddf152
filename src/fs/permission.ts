/**
 * Discretionary access checks, as Linux's generic_permission does them:
 * owner, group or other bits by the caller's fsuid and groups, with uid 0
 * standing in for CAP_DAC_OVERRIDE and CAP_FOWNER.
 */
import { Errno } from '../linux/errno.ts';
import { S_IFDIR, S_ISVTX } from './abi.ts';
import type { FsCred } from './host.ts';
import type { Inode } from './inode.ts';

/** Access bits asked of permits(); the same values as X_OK, W_OK, R_OK. */
export const MAY_EXEC = 1;
export const MAY_WRITE = 2;
export const MAY_READ = 4;

/** Whether the credential is in a group, as primary or supplementary. */
export function inGroup(cred: FsCred, gid: number): boolean {
  return cred.gid === gid || cred.groups.includes(gid);
}

/** Whether cred may access the inode with every bit of mask. */
export function permits(inode: Inode, cred: FsCred, mask: number): boolean {
  if (cred.uid === 0) {
    // Root may execute only what some execute bit allows, but may search any directory.
    if ((mask & MAY_EXEC) === 0 || inode.type === S_IFDIR) return true;
    return (inode.mode & 0o111) !== 0;
  }
  let bits: number;
  if (cred.uid === inode.uid) bits = inode.mode >> 6;
  else if (inGroup(cred, inode.gid)) bits = inode.mode >> 3;
  else bits = inode.mode;
  return (bits & 7 & mask) === mask;
}

/** 0 when permitted, else -EACCES. */
export function checkAccess(inode: Inode, cred: FsCred, mask: number): number {
  return permits(inode, cred, mask) ? 0 : -Errno.EACCES;
}

/** Whether cred owns the inode or is root (Linux's inode_owner_or_capable). */
export function ownsOrRoot(inode: Inode, cred: FsCred): boolean {
  return cred.uid === 0 || cred.uid === inode.uid;
}

/**
 * Whether a sticky directory keeps cred from removing or renaming victim:
 * only the victim's owner, the directory's owner or root may.
 */
export function stickyDenies(dir: Inode, victim: Inode, cred: FsCred): boolean {
  if ((dir.mode & S_ISVTX) === 0 || cred.uid === 0) return false;
  return cred.uid !== victim.uid && cred.uid !== dir.uid;
}
