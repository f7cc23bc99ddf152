/**
 * Pipes: a ring buffer of PIPE_CAPACITY bytes with counts of the read and
 * write descriptions still open. Readers see EOF once the writers are gone;
 * writers get EPIPE (and the caller raises SIGPIPE) once the readers are.
 */
import { Errno } from '../linux/errno.ts';
import {
  O_ACCMODE,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  PIPE_BUF,
  PIPE_CAPACITY,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  S_IFIFO,
} from './abi.ts';
import { WOULD_BLOCK } from './host.ts';
import { Inode, TIME_A, TIME_C, TIME_M } from './inode.ts';
import type { OpenFile } from './open-file.ts';
import type { Filesystem } from './vfs.ts';

/** The shared state of one pipe. */
export class PipeInode extends Inode {
  /** The ring buffer. */
  buffer = new Uint8Array(PIPE_CAPACITY);
  /** Index of the oldest unread byte. */
  head = 0;
  /** Unread bytes. */
  length = 0;
  /** Open descriptions that can read. */
  readers = 0;
  /** Open descriptions that can write. */
  writers = 0;

  constructor(ino: number) {
    super(ino, S_IFIFO | 0o600);
  }

  override size(): number {
    return 0;
  }

  override onOpen(file: OpenFile): void {
    const mode = file.flags & O_ACCMODE;
    if (mode === O_RDONLY || mode === O_RDWR) this.readers++;
    if (mode === O_WRONLY || mode === O_RDWR) this.writers++;
  }

  override onClose(fs: Filesystem, file: OpenFile): void {
    const mode = file.flags & O_ACCMODE;
    if (mode === O_RDONLY || mode === O_RDWR) this.readers--;
    if (mode === O_WRONLY || mode === O_RDWR) this.writers--;
    fs.wake(this);
  }

  override read(fs: Filesystem, _file: OpenFile, _offset: number, dst: Uint8Array): number {
    if (dst.length === 0) return 0;
    if (this.length === 0) return this.writers === 0 ? 0 : WOULD_BLOCK;
    const n = Math.min(dst.length, this.length);
    const first = Math.min(n, PIPE_CAPACITY - this.head);
    dst.set(this.buffer.subarray(this.head, this.head + first));
    if (n > first) dst.set(this.buffer.subarray(0, n - first), first);
    this.head = (this.head + n) % PIPE_CAPACITY;
    this.length -= n;
    if (this.length === 0) this.head = 0;
    this.stamp(fs.nowNs(), TIME_A);
    fs.wake(this);
    return n;
  }

  /**
   * Writes as much as fits. Writes of up to PIPE_BUF bytes are all or
   * nothing, as POSIX requires.
   */
  override write(fs: Filesystem, _file: OpenFile, _offset: number, src: Uint8Array): number {
    if (this.readers === 0) return -Errno.EPIPE;
    if (src.length === 0) return 0;
    const room = PIPE_CAPACITY - this.length;
    if (room === 0 || (src.length <= PIPE_BUF && room < src.length)) return WOULD_BLOCK;
    // TODO: a blocking write larger than the free room returns a short count
    // instead of waiting for the rest; stdio loops on it, a raw write(2)
    // caller sees fewer bytes written than asked.
    const n = Math.min(room, src.length);
    const tail = (this.head + this.length) % PIPE_CAPACITY;
    const first = Math.min(n, PIPE_CAPACITY - tail);
    this.buffer.set(src.subarray(0, first), tail);
    if (n > first) this.buffer.set(src.subarray(first, n), 0);
    this.length += n;
    this.stamp(fs.nowNs(), TIME_M | TIME_C);
    fs.wake(this);
    return n;
  }

  override poll(file: OpenFile): number {
    const mode = file.flags & O_ACCMODE;
    let events = 0;
    if (mode === O_RDONLY || mode === O_RDWR) {
      if (this.length > 0) events |= POLLIN;
      if (this.writers === 0) events |= POLLHUP;
    }
    if (mode === O_WRONLY || mode === O_RDWR) {
      if (PIPE_CAPACITY - this.length >= PIPE_BUF) events |= POLLOUT;
      if (this.readers === 0) events |= POLLERR;
    }
    return events;
  }
}
