/**
 * Open file descriptions: what open(2) makes and file descriptors point to.
 * A description holds the inode, the access mode and status flags, and the
 * file offset (for a directory, the getdents cursor), and is shared by dup
 * and fork.
 *
 * Mutated by the read/write/seek system calls and fcntl(F_SETFL). Saved:
 * every field.
 */
import { Errno } from '../linux/errno.ts';
import {
  O_ACCMODE,
  O_APPEND,
  O_NONBLOCK,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  POLLNVAL,
  SEEK_CUR,
  SEEK_DATA,
  SEEK_END,
  SEEK_HOLE,
  SEEK_SET,
  S_IFREG,
} from './abi.ts';
import { readDirents } from './dirent.ts';
import { WOULD_BLOCK } from './host.ts';
import type { Inode } from './inode.ts';
import { RegularInode } from './inode.ts';
import { type IoctlResult, fileIoctl } from './ioctl.ts';
import { PipeInode } from './pipe.ts';
import type { Filesystem } from './vfs.ts';

/** The largest file size writes may reach: beyond it they fail with EFBIG. */
export const MAX_FILE_SIZE = 2 ** 44;

/** One open file description. */
export class OpenFile {
  /** Holders: file descriptors and the kernel's other references. */
  refs = 1;
  /** The file offset; for directories the position of the last entry read. */
  offset = 0;
  /** Bytes of a /proc file, generated when it was opened. */
  procData: Uint8Array | null = null;

  constructor(
    readonly fs: Filesystem,
    readonly inode: Inode,
    /** Access mode and status flags; creation flags and O_CLOEXEC are not kept. */
    public flags: number,
    /** The path the file was opened by, shown under /proc/self/fd. */
    public path: string,
  ) {
    inode.openCount++;
    inode.onOpen(this);
  }

  /** Whether reads are allowed. */
  readable(): boolean {
    const mode = this.flags & O_ACCMODE;
    return (this.flags & O_PATH) === 0 && (mode === O_RDONLY || mode === O_RDWR);
  }

  /** Whether writes are allowed. */
  writable(): boolean {
    const mode = this.flags & O_ACCMODE;
    return (this.flags & O_PATH) === 0 && (mode === O_WRONLY || mode === O_RDWR);
  }

  /** Takes one more reference (dup, fork, a mapping). */
  ref(): this {
    this.refs++;
    return this;
  }

  /** Drops a reference; the last one closes the description. */
  unref(): void {
    if (--this.refs > 0) return;
    const inode = this.inode;
    inode.openCount--;
    inode.onClose(this.fs, this);
    if (inode.openCount === 0 && inode.nlink === 0) inode.evict();
  }

  /** Reads at the file offset and advances it: count, -errno or WOULD_BLOCK. */
  read(dst: Uint8Array): number {
    if (!this.readable()) return -Errno.EBADF;
    const n = this.blocking(this.inode.read(this.fs, this, this.offset, dst));
    if (n > 0 && this.inode.seekable()) this.offset += n;
    return n;
  }

  /** Writes at the file offset (or the end with O_APPEND) and advances it. */
  write(src: Uint8Array): number {
    if (!this.writable()) return -Errno.EBADF;
    const at = this.appendOffset() ?? this.offset;
    if (this.inode.type === S_IFREG && at + src.length > MAX_FILE_SIZE) return -Errno.EFBIG;
    const n = this.blocking(this.inode.write(this.fs, this, at, src));
    if (n > 0 && this.inode.seekable()) this.offset = at + n;
    return n;
  }

  /** Reads at an explicit offset without moving the file offset. */
  pread(dst: Uint8Array, offset: number): number {
    if (!this.readable()) return -Errno.EBADF;
    if (!this.inode.seekable()) return -Errno.ESPIPE;
    if (offset < 0) return -Errno.EINVAL;
    return this.blocking(this.inode.read(this.fs, this, offset, dst));
  }

  /** Writes at an explicit offset; with O_APPEND Linux appends regardless. */
  pwrite(src: Uint8Array, offset: number): number {
    if (!this.writable()) return -Errno.EBADF;
    if (!this.inode.seekable()) return -Errno.ESPIPE;
    if (offset < 0) return -Errno.EINVAL;
    const at = this.appendOffset() ?? offset;
    if (this.inode.type === S_IFREG && at + src.length > MAX_FILE_SIZE) return -Errno.EFBIG;
    return this.blocking(this.inode.write(this.fs, this, at, src));
  }

  /** Moves the file offset: the new offset or -errno. */
  lseek(offset: number, whence: number): number {
    if (this.flags & O_PATH) return -Errno.EBADF;
    if (!this.inode.seekable()) return -Errno.ESPIPE;
    let next: number;
    const size = this.inode.size();
    switch (whence) {
      case SEEK_SET:
        next = offset;
        break;
      case SEEK_CUR:
        next = this.offset + offset;
        break;
      case SEEK_END:
        next = size + offset;
        break;
      case SEEK_DATA:
      case SEEK_HOLE:
        if (!(this.inode instanceof RegularInode)) return -Errno.EINVAL;
        if (offset < 0 || offset >= size) return -Errno.ENXIO;
        // A file's bytes are all data: holes read as zeros but are not tracked.
        next = whence === SEEK_DATA ? offset : size;
        break;
      default:
        return -Errno.EINVAL;
    }
    if (next < 0 || !Number.isSafeInteger(next)) return -Errno.EINVAL;
    this.offset = next;
    return next;
  }

  /** Ready poll events; POLLHUP and POLLERR are reported whether asked or not. */
  poll(): number {
    if (this.flags & O_PATH) return POLLNVAL;
    return this.inode.poll(this);
  }

  /** The bytes of struct linux_dirent64 records that fit in bufSize, or -errno. */
  getdents(bufSize: number): Uint8Array | number {
    if (this.flags & O_PATH) return -Errno.EBADF;
    return readDirents(this.fs, this, bufSize);
  }

  /** ioctl(2): the return value and bytes to copy out to the argument. */
  ioctl(cmd: number): IoctlResult {
    if (this.flags & O_PATH) return { ret: -Errno.EBADF, out: null };
    return fileIoctl(this, cmd);
  }

  /** ftruncate(2). */
  truncate(length: number): number {
    if (length < 0) return -Errno.EINVAL;
    if (!this.writable() || !(this.inode instanceof RegularInode)) return -Errno.EINVAL;
    return this.fs.truncateInode(this.inode, length);
  }

  /** Whether a write's -EPIPE result should also raise SIGPIPE in the writer. */
  raisesSigpipe(result: number): boolean {
    return result === -Errno.EPIPE && this.inode instanceof PipeInode;
  }

  private appendOffset(): number | null {
    return this.flags & O_APPEND && this.inode.type === S_IFREG ? this.inode.size() : null;
  }

  private blocking(result: number): number {
    return result === WOULD_BLOCK && this.flags & O_NONBLOCK ? -Errno.EAGAIN : result;
  }
}
