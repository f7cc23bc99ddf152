/**
 * stat records and their guest encodings: x86-64 `struct stat` (144 bytes)
 * and `struct statx` (256 bytes).
 */
import { Errno } from '../linux/errno.ts';
import {
  AT_EMPTY_PATH,
  AT_NO_AUTOMOUNT,
  AT_STATX_SYNC_TYPE,
  AT_SYMLINK_NOFOLLOW,
  STATX_BASIC_STATS,
  STATX_MNT_ID,
  STATX__RESERVED,
  S_IFREG,
  devMajor,
  devMinor,
} from './abi.ts';
import type { Inode } from './inode.ts';

/** The block size stat reports. */
export const STAT_BLKSIZE = 4096;
/** Size of x86-64 struct stat. */
export const STAT_SIZE = 144;
/** Size of struct statx. */
export const STATX_SIZE = 256;

/** What stat(2) tells about an inode. */
export interface StatRecord {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  /** 512-byte units allocated. */
  blocks: number;
  atimeSec: number;
  atimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  ctimeSec: number;
  ctimeNsec: number;
}

/** The stat record of an inode. */
export function statOf(inode: Inode): StatRecord {
  const size = inode.size();
  return {
    dev: inode.dev,
    ino: inode.ino,
    mode: inode.mode,
    nlink: inode.nlink,
    uid: inode.uid,
    gid: inode.gid,
    rdev: inode.rdev,
    size,
    blksize: STAT_BLKSIZE,
    blocks: inode.type === S_IFREG ? Math.ceil(size / STAT_BLKSIZE) * (STAT_BLKSIZE / 512) : 0,
    atimeSec: inode.atimeSec,
    atimeNsec: inode.atimeNsec,
    mtimeSec: inode.mtimeSec,
    mtimeNsec: inode.mtimeNsec,
    ctimeSec: inode.ctimeSec,
    ctimeNsec: inode.ctimeNsec,
  };
}

/** Writes a signed 64-bit value held in a double as two 32-bit halves. */
function setI64(view: DataView, at: number, value: number): void {
  const high = Math.floor(value / 2 ** 32);
  view.setUint32(at, value - high * 2 ** 32, true);
  view.setInt32(at + 4, high, true);
}

/** Encodes struct stat as x86-64 Linux lays it out. */
export function encodeStat(st: StatRecord): Uint8Array {
  const bytes = new Uint8Array(STAT_SIZE);
  const view = new DataView(bytes.buffer);
  setI64(view, 0, st.dev);
  setI64(view, 8, st.ino);
  setI64(view, 16, st.nlink);
  view.setUint32(24, st.mode, true);
  view.setUint32(28, st.uid, true);
  view.setUint32(32, st.gid, true);
  setI64(view, 40, st.rdev);
  setI64(view, 48, st.size);
  setI64(view, 56, st.blksize);
  setI64(view, 64, st.blocks);
  setI64(view, 72, st.atimeSec);
  setI64(view, 80, st.atimeNsec);
  setI64(view, 88, st.mtimeSec);
  setI64(view, 96, st.mtimeNsec);
  setI64(view, 104, st.ctimeSec);
  setI64(view, 112, st.ctimeNsec);
  return bytes;
}

/** Checks statx's flags and mask: 0 or -EINVAL. */
export function checkStatxArgs(flags: number, mask: number): number {
  const known = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE;
  if ((flags & ~known) !== 0) return -Errno.EINVAL;
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) return -Errno.EINVAL;
  if ((mask & STATX__RESERVED) !== 0) return -Errno.EINVAL;
  return 0;
}

/**
 * Encodes struct statx. Like Linux, every basic field is filled whatever the
 * caller asked for, and stx_mask says which are valid: the basic stats and
 * the mount ID. Birth time is not kept, so STATX_BTIME is never set.
 */
export function encodeStatx(st: StatRecord, mountId = 1): Uint8Array {
  const bytes = new Uint8Array(STATX_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, STATX_BASIC_STATS | STATX_MNT_ID, true);
  view.setUint32(4, st.blksize, true);
  view.setUint32(16, st.nlink, true);
  view.setUint32(20, st.uid, true);
  view.setUint32(24, st.gid, true);
  view.setUint16(28, st.mode, true);
  setI64(view, 32, st.ino);
  setI64(view, 40, st.size);
  setI64(view, 48, st.blocks);
  const times: [number, number, number][] = [
    [64, st.atimeSec, st.atimeNsec],
    [96, st.ctimeSec, st.ctimeNsec],
    [112, st.mtimeSec, st.mtimeNsec],
  ];
  for (const [at, sec, nsec] of times) {
    setI64(view, at, sec);
    view.setUint32(at + 8, nsec, true);
  }
  view.setUint32(128, devMajor(st.rdev), true);
  view.setUint32(132, devMinor(st.rdev), true);
  view.setUint32(136, devMajor(st.dev), true);
  view.setUint32(140, devMinor(st.dev), true);
  setI64(view, 144, mountId);
  return bytes;
}
