/**
 * getdents64: directory entries encoded as struct linux_dirent64 records.
 * The description's offset is the position of the last entry returned
 * ('.' is 1, '..' is 2, then each entry's seq), so a later call resumes
 * after it even if entries were added or removed in between, and d_off
 * values work with lseek (telldir/seekdir).
 */
import { Errno } from '../linux/errno.ts';
import {
  DT_BLK,
  DT_CHR,
  DT_DIR,
  DT_FIFO,
  DT_LNK,
  DT_REG,
  DT_SOCK,
  DT_UNKNOWN,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFREG,
  S_IFSOCK,
} from './abi.ts';
import { DirInode, type Inode } from './inode.ts';
import type { OpenFile } from './open-file.ts';
import type { Filesystem } from './vfs.ts';

/** Offset of d_name within struct linux_dirent64. */
const NAME_OFFSET = 19;

/** The d_type for an inode. */
export function direntType(inode: Inode): number {
  switch (inode.type) {
    case S_IFREG:
      return DT_REG;
    case S_IFDIR:
      return DT_DIR;
    case S_IFLNK:
      return DT_LNK;
    case S_IFCHR:
      return DT_CHR;
    case S_IFIFO:
      return DT_FIFO;
    case S_IFSOCK:
      return DT_SOCK;
    case S_IFBLK:
      return DT_BLK;
    default:
      return DT_UNKNOWN;
  }
}

/** The size of a record for a name of the given byte length. */
export function direntSize(nameLength: number): number {
  return (NAME_OFFSET + nameLength + 1 + 7) & ~7;
}

/** Encodes one record at `at`; the caller has checked that it fits. */
function putDirent(
  view: DataView,
  bytes: Uint8Array,
  at: number,
  ino: number,
  off: number,
  type: number,
  name: string,
): number {
  const size = direntSize(name.length);
  view.setUint32(at, ino >>> 0, true);
  view.setUint32(at + 4, Math.floor(ino / 2 ** 32), true);
  view.setUint32(at + 8, off >>> 0, true);
  view.setUint32(at + 12, Math.floor(off / 2 ** 32), true);
  view.setUint16(at + 16, size, true);
  bytes[at + 18] = type;
  for (let i = 0; i < name.length; i++) bytes[at + NAME_OFFSET + i] = name.charCodeAt(i) & 0xff;
  return size;
}

/**
 * Fills up to bufSize bytes with the entries after the description's
 * position and advances it. An empty result means the end of the directory;
 * -EINVAL means not even one entry fits.
 */
export function readDirents(fs: Filesystem, file: OpenFile, bufSize: number): Uint8Array | number {
  const dir = file.inode;
  if (!(dir instanceof DirInode)) return -Errno.ENOTDIR;
  // A removed directory lists as empty, as in Linux.
  if (dir.nlink === 0) return new Uint8Array(0);
  const bytes = new Uint8Array(Math.max(0, Math.min(bufSize, 1 << 20)));
  const view = new DataView(bytes.buffer);
  let used = 0;
  const add = (ino: number, pos: number, type: number, name: string): boolean => {
    if (pos <= file.offset) return true;
    if (used + direntSize(name.length) > bytes.length) return false;
    used += putDirent(view, bytes, used, ino, pos, type, name);
    file.offset = pos;
    return true;
  };
  let room = add(dir.ino, 1, DT_DIR, '.') && add(dir.parent.ino, 2, DT_DIR, '..');
  if (room) {
    for (const [name, entry] of dir.list(fs)) {
      if (!add(entry.inode.ino, entry.seq, direntType(entry.inode), name)) {
        room = false;
        break;
      }
    }
  }
  if (!room && used === 0) return -Errno.EINVAL;
  return bytes.slice(0, used);
}
