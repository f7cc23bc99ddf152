/**
 * Inodes: the objects names point at. The base class holds what stat shows;
 * each kind overrides the few operations it supports. Inodes are plain data
 * (numbers, strings, maps, byte arrays) so that the snapshot codec can walk
 * them; host services reach them only as arguments.
 *
 * Mutated by the Filesystem's operations and by open descriptions. Saved:
 * every field.
 */
import { Errno } from '../linux/errno.ts';
import { POLLIN, POLLOUT, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from './abi.ts';
import { FileData } from '../mm/file-data.ts';
import { OutOfMemoryError } from '../mm/memory-file.ts';
import type { OpenFile } from './open-file.ts';
import type { Filesystem } from './vfs.ts';

/** Which times stamp() updates. */
export const TIME_A = 1;
export const TIME_M = 2;
export const TIME_C = 4;

/** Common fields and default behaviour of every inode. */
export class Inode {
  /** Device number of the file system the inode belongs to (st_dev). */
  dev = 0;
  /** Device number a device inode stands for (st_rdev), 0 otherwise. */
  rdev = 0;
  nlink = 1;
  uid = 0;
  gid = 0;
  atimeSec = 0;
  atimeNsec = 0;
  mtimeSec = 0;
  mtimeNsec = 0;
  ctimeSec = 0;
  ctimeNsec = 0;
  /** Open descriptions referring to this inode; with nlink it decides when data is freed. */
  openCount = 0;
  /** Set by the host on its standard streams when the real one is a terminal. */
  terminal: TerminalSize | null = null;

  constructor(
    readonly ino: number,
    /** File type and permission bits (st_mode). */
    public mode: number,
  ) {}

  /** The S_IF* type bits. */
  get type(): number {
    return this.mode & S_IFMT;
  }

  /** What stat reports as st_size. */
  size(): number {
    return 0;
  }

  /** Whether descriptions keep a file offset that lseek may move. */
  seekable(): boolean {
    return false;
  }

  /**
   * Reads at offset (ignored by stream kinds) into dst: a byte count, a
   * negated errno or WOULD_BLOCK.
   */
  read(_fs: Filesystem, _file: OpenFile, _offset: number, _dst: Uint8Array): number {
    return -Errno.EINVAL;
  }

  /** Writes src at offset: a byte count, a negated errno or WOULD_BLOCK. */
  write(_fs: Filesystem, _file: OpenFile, _offset: number, _src: Uint8Array): number {
    return -Errno.EINVAL;
  }

  /** Ready poll events for a description of this inode. */
  poll(_file: OpenFile): number {
    return POLLIN | POLLOUT;
  }

  /** Called when a description of this inode is created. */
  onOpen(_file: OpenFile): void {}

  /** Called when the last reference to a description of this inode goes. */
  onClose(_fs: Filesystem, _file: OpenFile): void {}

  /** Frees the inode's data once no name and no description refers to it. */
  evict(): void {}

  /** Sets the chosen times to ns nanoseconds since the epoch. */
  stamp(ns: number, which: number): void {
    const sec = Math.floor(ns / 1e9);
    const nsec = Math.max(0, Math.min(999_999_999, Math.round(ns - sec * 1e9)));
    if (which & TIME_A) [this.atimeSec, this.atimeNsec] = [sec, nsec];
    if (which & TIME_M) [this.mtimeSec, this.mtimeNsec] = [sec, nsec];
    if (which & TIME_C) [this.ctimeSec, this.ctimeNsec] = [sec, nsec];
  }
}

/** The window size a terminal reports through TIOCGWINSZ. */
export class TerminalSize {
  constructor(
    public rows: number,
    public cols: number,
  ) {}
}

/** A regular file whose bytes live in frames of the memory file. */
export class RegularInode extends Inode {
  constructor(
    ino: number,
    perm: number,
    /** The file's bytes; shared mappings map its frames. Released by evict(). */
    public body: FileData,
  ) {
    super(ino, S_IFREG | perm);
  }

  override size(): number {
    return this.body.size;
  }

  override seekable(): boolean {
    return true;
  }

  override read(_fs: Filesystem, _file: OpenFile, offset: number, dst: Uint8Array): number {
    return this.body.read(offset, dst);
  }

  override write(fs: Filesystem, _file: OpenFile, offset: number, src: Uint8Array): number {
    if (src.length === 0) return 0;
    const err = guardMemory(() => this.body.write(offset, src));
    if (err) return err;
    this.stamp(fs.nowNs(), TIME_M | TIME_C);
    return src.length;
  }

  /** Sets the length: 0 or -ENOSPC when the memory file is full. */
  resize(size: number): number {
    return guardMemory(() => this.body.truncate(size));
  }

  override evict(): void {
    this.body.release();
  }
}

/** Runs a change to file data: 0, or -ENOSPC when the memory file is full. */
function guardMemory(change: () => void): number {
  try {
    change();
    return 0;
  } catch (error) {
    if (error instanceof OutOfMemoryError) return -Errno.ENOSPC;
    throw error;
  }
}

/** One name in a directory; seq orders entries for getdents cursors. */
export class DirEntry {
  constructor(
    public inode: Inode,
    /** Increasing per directory: a cursor past seq resumes after this entry. */
    public seq: number,
  ) {}
}

/** Bytes tmpfs counts per directory entry in a directory's st_size. */
const BOGO_DIRENT_SIZE = 20;

/** The first seq given to entries: 1 and 2 stand for '.' and '..'. */
export const FIRST_ENTRY_SEQ = 3;

/** A directory: named entries in creation order, and its parent for '..'. */
export class DirInode extends Inode {
  /** Entries by name, in order of increasing seq. */
  entries = new Map<string, DirEntry>();
  /** The next seq to hand out. */
  nextSeq = FIRST_ENTRY_SEQ;
  /** The directory '..' names; the root is its own parent. */
  parent: DirInode;
  /** This directory's name in its parent, for building paths. */
  name: string;
  /** False for directories whose entries the guest may not change (/proc). */
  mutable = true;

  constructor(ino: number, perm: number, parent: DirInode | null, name: string) {
    super(ino, S_IFDIR | perm);
    this.parent = parent ?? this;
    this.name = name;
    this.nlink = 2;
  }

  override size(): number {
    return (2 + this.entries.size) * BOGO_DIRENT_SIZE;
  }

  override seekable(): boolean {
    return true;
  }

  override read(): number {
    return -Errno.EISDIR;
  }

  override write(): number {
    return -Errno.EISDIR;
  }

  /** The inode a name refers to, or null. */
  lookup(_fs: Filesystem, name: string): Inode | null {
    return this.entries.get(name)?.inode ?? null;
  }

  /** The entries getdents shows, in seq order. */
  list(_fs: Filesystem): Iterable<[string, DirEntry]> {
    return this.entries;
  }

  /** Whether the directory has no entries besides '.' and '..'. */
  isEmpty(): boolean {
    return this.entries.size === 0;
  }

  /** Adds a name; the caller has checked that it is free. */
  link(name: string, inode: Inode): void {
    this.entries.set(name, new DirEntry(inode, this.nextSeq++));
    if (inode instanceof DirInode) {
      inode.parent = this;
      inode.name = name;
      this.nlink++;
    }
  }

  /** Removes a name; the caller has checked that it exists. */
  unlink(name: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    if (entry.inode instanceof DirInode) this.nlink--;
  }

  /** The absolute path of this directory, from the names of its ancestors. */
  path(): string {
    if (this.parent === this) return '/';
    const base = this.parent.path();
    return base === '/' ? '/' + this.name : base + '/' + this.name;
  }
}

/** A symbolic link. */
export class SymlinkInode extends Inode {
  constructor(
    ino: number,
    /** The path the link holds, a byte string. */
    public target: string,
  ) {
    super(ino, S_IFLNK | 0o777);
  }

  override size(): number {
    return this.target.length;
  }

  /**
   * Where the link leads: a path to walk, or for /proc's magic links the
   * inode itself.
   */
  follow(_fs: Filesystem): string | Inode {
    return this.target;
  }

  /** What readlink shows. */
  readlink(_fs: Filesystem): string {
    return this.target;
  }
}
