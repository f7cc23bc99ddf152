/**
 * A process's file descriptor table: numbers to open descriptions, with a
 * close-on-exec flag per number. New numbers are the lowest free ones below
 * the RLIMIT_NOFILE limit.
 *
 * Mutated by open, close, dup*, fcntl, execve (the close-on-exec sweep) and
 * fork (copy). Saved: every field.
 */
import { Errno } from '../linux/errno.ts';
import { AT_FDCWD, FD_CLOEXEC, O_CLOEXEC, SETFL_MASK } from './abi.ts';
import { DirInode, type Inode } from './inode.ts';
import type { OpenFile } from './open-file.ts';

/** One slot of the table. */
export class FdEntry {
  constructor(
    public file: OpenFile,
    public cloexec: boolean,
  ) {}
}

/** Linux's default soft RLIMIT_NOFILE. */
export const DEFAULT_NOFILE = 1024;

/** The descriptor table. */
export class FdTable {
  /** Slots by number; null marks a free one. */
  entries: (FdEntry | null)[] = [];

  constructor(
    /** RLIMIT_NOFILE: numbers must stay below it. */
    public limit = DEFAULT_NOFILE,
  ) {}

  /** The description behind fd, or null when fd is not open. */
  get(fd: number): OpenFile | null {
    return this.entry(fd)?.file ?? null;
  }

  /** The slot for fd, or null. */
  entry(fd: number): FdEntry | null {
    if (!Number.isInteger(fd) || fd < 0 || fd >= this.entries.length) return null;
    return this.entries[fd];
  }

  /** Open descriptor numbers, in increasing order. */
  fds(): number[] {
    const out: number[] = [];
    this.entries.forEach((e, fd) => e && out.push(fd));
    return out;
  }

  /**
   * Puts a description at the lowest free number >= minFd, taking over the
   * caller's reference: the number, or -EMFILE (the reference is then
   * dropped).
   */
  install(file: OpenFile, cloexec: boolean, minFd = 0): number {
    let fd = minFd;
    while (fd < this.entries.length && this.entries[fd]) fd++;
    if (fd >= this.limit) {
      file.unref();
      return -Errno.EMFILE;
    }
    this.place(fd, file, cloexec);
    return fd;
  }

  /** close(2). */
  close(fd: number): number {
    const entry = this.entry(fd);
    if (!entry) return -Errno.EBADF;
    this.entries[fd] = null;
    entry.file.unref();
    return 0;
  }

  /** dup(2). */
  dup(fd: number): number {
    const file = this.get(fd);
    if (!file) return -Errno.EBADF;
    return this.install(file.ref(), false);
  }

  /** dup2(2): newFd equal to oldFd is returned untouched when valid. */
  dup2(oldFd: number, newFd: number): number {
    const file = this.get(oldFd);
    if (!file) return -Errno.EBADF;
    if (oldFd === newFd) return newFd;
    return this.replace(file, newFd, false);
  }

  /** dup3(2): like dup2 but EINVAL for equal numbers, with O_CLOEXEC allowed. */
  dup3(oldFd: number, newFd: number, flags: number): number {
    if ((flags & ~O_CLOEXEC) !== 0 || oldFd === newFd) return -Errno.EINVAL;
    const file = this.get(oldFd);
    if (!file) return -Errno.EBADF;
    return this.replace(file, newFd, (flags & O_CLOEXEC) !== 0);
  }

  /** fcntl F_DUPFD and F_DUPFD_CLOEXEC. */
  dupFrom(fd: number, minFd: number, cloexec: boolean): number {
    const file = this.get(fd);
    if (!file) return -Errno.EBADF;
    if (minFd < 0 || minFd >= this.limit) return -Errno.EINVAL;
    return this.install(file.ref(), cloexec, minFd);
  }

  /** fcntl F_GETFD. */
  getFdFlags(fd: number): number {
    const entry = this.entry(fd);
    if (!entry) return -Errno.EBADF;
    return entry.cloexec ? FD_CLOEXEC : 0;
  }

  /** fcntl F_SETFD. */
  setFdFlags(fd: number, flags: number): number {
    const entry = this.entry(fd);
    if (!entry) return -Errno.EBADF;
    entry.cloexec = (flags & FD_CLOEXEC) !== 0;
    return 0;
  }

  /** fcntl F_GETFL. */
  getStatusFlags(fd: number): number {
    const file = this.get(fd);
    return file ? file.flags : -Errno.EBADF;
  }

  /** fcntl F_SETFL: only O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT and O_NOATIME change. */
  setStatusFlags(fd: number, flags: number): number {
    const file = this.get(fd);
    if (!file) return -Errno.EBADF;
    file.flags = (file.flags & ~SETFL_MASK) | (flags & SETFL_MASK);
    return 0;
  }

  /** execve's sweep: closes every descriptor marked close-on-exec. */
  closeOnExec(): void {
    this.entries.forEach((e, fd) => e?.cloexec && this.close(fd));
  }

  /** Closes everything (process exit). */
  closeAll(): void {
    this.entries.forEach((e, fd) => e && this.close(fd));
    this.entries = [];
  }

  /** fork's copy: the same descriptions, one more reference each. */
  fork(): FdTable {
    const copy = new FdTable(this.limit);
    copy.entries = this.entries.map((e) => e && new FdEntry(e.file.ref(), e.cloexec));
    return copy;
  }

  /**
   * Where an *at() call's relative path starts: cwd for AT_FDCWD (or any
   * absolute path, whose dirfd is never looked at), else dirfd's inode,
   * which must be a directory.
   */
  startDir(dirfd: number, path: string, cwd: Inode): Inode | number {
    if (path.startsWith('/') || dirfd === AT_FDCWD) return cwd;
    const file = this.get(dirfd);
    if (!file) return -Errno.EBADF;
    if (path.length > 0 && !(file.inode instanceof DirInode)) return -Errno.ENOTDIR;
    return file.inode;
  }

  private replace(file: OpenFile, newFd: number, cloexec: boolean): number {
    if (!Number.isInteger(newFd) || newFd < 0 || newFd >= this.limit) return -Errno.EBADF;
    const old = this.entry(newFd);
    this.place(newFd, file.ref(), cloexec);
    old?.file.unref();
    return newFd;
  }

  private place(fd: number, file: OpenFile, cloexec: boolean): void {
    while (this.entries.length <= fd) this.entries.push(null);
    this.entries[fd] = new FdEntry(file, cloexec);
  }
}
