/**
 * The Filesystem: one tmpfs tree holding /tmp, /dev and /proc, the inode
 * number source, the list of objects whose readiness changed, and the
 * host services. Guest operations are methods that return a result or a
 * negated errno; the host-side methods (addFile, the standard streams)
 * throw on misuse instead, since no guest is there to be told.
 *
 * Mutated by the system call layer through these methods and by the host
 * through the standard streams. Saved: every field but `host`.
 */
import { Errno } from '../linux/errno.ts';
import { O_LARGEFILE, O_NONBLOCK, O_RDONLY, O_WRONLY, S_IFDIR, makeDev } from './abi.ts';
import { FileData } from '../mm/file-data.ts';
import type { MemoryFile } from '../mm/memory-file.ts';
import type { FsCred, FsHost } from './host.ts';
import { DeviceInode, type DeviceKind, HostInputInode, HostOutputInode } from './inode-special.ts';
import { DirInode, type Inode, RegularInode, SymlinkInode, TIME_C, TIME_M } from './inode.ts';
import { openPath } from './ops-open.ts';
import * as attr from './ops-attr.ts';
import * as names from './ops-names.ts';
import { OpenFile, MAX_FILE_SIZE } from './open-file.ts';
import { type FsContext, resolve } from './path-walk.ts';
import { PipeInode } from './pipe.ts';
import { buildProc } from './proc.ts';
import { type StatRecord, statOf } from './stat-encode.ts';

/** Device number of the tmpfs tree. */
export const TMPFS_DEV = makeDev(0, 0x21);
/** Device number of /proc. */
export const PROC_DEV = makeDev(0, 0x16);
/** Device number pipes report. */
export const PIPEFS_DEV = makeDev(0, 0x0d);

/** Root's credential, for host-side work. */
export const ROOT_CRED: FsCred = { uid: 0, gid: 0, groups: [] };

/** An atime/mtime pair for utimens: nsec may be UTIME_NOW or UTIME_OMIT. */
export interface TimeSpec {
  sec: number;
  nsec: number;
}

/** The guest's file system. */
export class Filesystem {
  /** The root directory. */
  readonly root: DirInode;
  /** The next inode number to hand out. */
  nextIno = 1;
  /** Inodes whose poll readiness changed since the kernel last took the list. */
  wakeups: Inode[] = [];
  /** Host services. Not saved; load re-attaches them with attach(). */
  host: FsHost;
  /** Where regular files keep their bytes. Saved (a shared reference). */
  readonly memory: MemoryFile;

  constructor(host: FsHost, memory: MemoryFile) {
    this.host = host;
    this.memory = memory;
    this.root = new DirInode(this.allocIno(), 0o755, null, '');
    this.root.dev = TMPFS_DEV;
    this.stampNew(this.root);
    const tmp = this.mkdirp('/tmp', 0o1777);
    tmp.mode = S_IFDIR | 0o1777;
    this.buildDev();
    buildProc(this, this.root, PROC_DEV);
  }

  /** Re-attaches host services after a snapshot load. */
  attach(host: FsHost): void {
    this.host = host;
  }

  /** A fresh inode number. */
  allocIno(): number {
    return this.nextIno++;
  }

  /** The current time in nanoseconds since the epoch. */
  nowNs(): number {
    return this.host.clock.realtimeNs();
  }

  /** Sets every time of a new inode to now. */
  stampNew(inode: Inode): void {
    inode.stamp(this.nowNs(), 7);
  }

  /** Records that an inode's readiness changed, for the kernel to wake its waiters. */
  wake(inode: Inode): void {
    if (!this.wakeups.includes(inode)) this.wakeups.push(inode);
  }

  /** Takes the inodes whose readiness changed since the last call. */
  takeWakeups(): Inode[] {
    const out = this.wakeups;
    this.wakeups = [];
    return out;
  }

  /** Storage for a new, empty regular file. */
  newBody(): FileData {
    return new FileData(this.memory);
  }

  /** Gives a new inode its owner, group, device and times. */
  initInode<T extends Inode>(inode: T, dir: DirInode, cred: FsCred): T {
    inode.uid = cred.uid;
    // A set-group-ID directory passes its group (and, to directories, the bit) on.
    inode.gid = dir.mode & 0o2000 ? dir.gid : cred.gid;
    if (dir.mode & 0o2000 && inode instanceof DirInode) inode.mode |= 0o2000;
    inode.dev = dir.dev;
    this.stampNew(inode);
    return inode;
  }

  // Host side.

  /**
   * Places a host file in the guest at an absolute path, creating missing
   * parent directories (mode 0755, owned by root). Replaces an existing
   * regular file. Throws when the path cannot hold a file.
   */
  addFile(path: string, bytes: Uint8Array, mode = 0o644): RegularInode {
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    if (!path.startsWith('/') || name === '' || name === '.' || name === '..') {
      throw new Error(`cannot place a file at ${JSON.stringify(path)}: need an absolute file path`);
    }
    const dir = this.mkdirp(path.slice(0, slash), 0o755);
    const old = dir.entries.get(name)?.inode;
    if (old && !(old instanceof RegularInode)) {
      throw new Error(`cannot place a file at ${path}: something else is there`);
    }
    if (old) names.removeEntry(this, dir, name);
    const file = this.initInode(
      new RegularInode(this.allocIno(), mode & 0o7777, this.newBody()),
      dir,
      ROOT_CRED,
    );
    file.body.write(0, bytes);
    dir.link(name, file);
    return file;
  }

  /** Creates the directories of an absolute path as needed; throws on a non-directory. */
  mkdirp(path: string, perm: number): DirInode {
    let dir = this.root;
    for (const part of path.split('/').filter((p) => p.length > 0 && p !== '.')) {
      const next = part === '..' ? dir.parent : dir.entries.get(part)?.inode;
      if (next instanceof DirInode) {
        dir = next;
        continue;
      }
      if (next) throw new Error(`cannot create directory ${path}: ${part} is not a directory`);
      const made = this.initInode(new DirInode(this.allocIno(), perm, dir, part), dir, ROOT_CRED);
      dir.link(part, made);
      dir = made;
    }
    return dir;
  }

  /** Makes the guest's standard input, fed by the host. */
  createHostInput(): HostInputInode {
    return this.initHost(new HostInputInode(this.allocIno()));
  }

  /** Makes a standard output or error stream; limit caps the bytes kept (-1: none). */
  createHostOutput(limit = -1): HostOutputInode {
    return this.initHost(new HostOutputInode(this.allocIno(), limit));
  }

  /** Opens an inode that has no name (standard streams) as a description. */
  openInode(inode: Inode, flags: number, path: string): OpenFile {
    return new OpenFile(this, inode, flags, path);
  }

  /** pipe2: the read and write descriptions of a new pipe. */
  pipe(flags: number): [OpenFile, OpenFile] {
    const pipe = this.initHost(new PipeInode(this.allocIno()));
    pipe.dev = PIPEFS_DEV;
    const path = `pipe:[${pipe.ino}]`;
    const status = flags & O_NONBLOCK;
    return [
      new OpenFile(this, pipe, O_RDONLY | status, path),
      new OpenFile(this, pipe, O_WRONLY | status, path),
    ];
  }

  // Guest operations on paths. ctx.cwd is where relative paths start.

  /** openat(2): the new description (caller installs it), or -errno. */
  open(ctx: FsContext, path: string, flags: number, mode: number): OpenFile | number {
    return openPath(this, ctx, path, flags | O_LARGEFILE, mode);
  }

  /** Resolves a path to its inode; follow says whether a final symlink is followed. */
  resolve(ctx: FsContext, path: string, follow = true): Inode | number {
    return resolve(this, ctx, path, follow);
  }

  /** mkdirat(2). */
  mkdir(ctx: FsContext, path: string, mode: number): number {
    return names.mkdir(this, ctx, path, mode);
  }

  /** unlinkat(2) without AT_REMOVEDIR. */
  unlink(ctx: FsContext, path: string): number {
    return names.unlink(this, ctx, path);
  }

  /** unlinkat(2) with AT_REMOVEDIR. */
  rmdir(ctx: FsContext, path: string): number {
    return names.rmdir(this, ctx, path);
  }

  /** renameat2(2); newAt is where a relative newPath starts (default ctx.cwd). */
  rename(ctx: FsContext, oldPath: string, newPath: string, flags = 0, newAt = ctx.cwd): number {
    return names.rename(this, ctx, oldPath, newAt, newPath, flags);
  }

  /** linkat(2); flags may hold AT_SYMLINK_FOLLOW. */
  link(ctx: FsContext, oldPath: string, newPath: string, flags = 0, newAt = ctx.cwd): number {
    return names.link(this, ctx, oldPath, newAt, newPath, flags);
  }

  /** symlinkat(2). */
  symlink(ctx: FsContext, target: string, path: string): number {
    return names.symlink(this, ctx, target, path);
  }

  /** readlinkat(2): the link's text, or -errno. */
  readlink(ctx: FsContext, path: string): string | number {
    const inode = resolve(this, ctx, path, false);
    if (typeof inode === 'number') return inode;
    if (!(inode instanceof SymlinkInode)) return -Errno.EINVAL;
    return inode.readlink(this);
  }

  /** stat/lstat/newfstatat by path. */
  stat(ctx: FsContext, path: string, follow = true): StatRecord | number {
    const inode = resolve(this, ctx, path, follow);
    return typeof inode === 'number' ? inode : statOf(inode);
  }

  /** faccessat2(2): ctx.cred is the real or (AT_EACCESS) effective credential. */
  access(ctx: FsContext, path: string, mode: number, flags = 0): number {
    return attr.access(this, ctx, path, mode, flags);
  }

  /** fchmodat(2); follow false is AT_SYMLINK_NOFOLLOW. */
  chmod(ctx: FsContext, path: string, mode: number, follow = true): number {
    const inode = resolve(this, ctx, path, follow);
    return typeof inode === 'number' ? inode : attr.chmodInode(this, ctx.cred, inode, mode);
  }

  /** utimensat(2): times null means both now. */
  utimens(ctx: FsContext, path: string, times: [TimeSpec, TimeSpec] | null, follow = true): number {
    const inode = resolve(this, ctx, path, follow);
    return typeof inode === 'number' ? inode : attr.utimensInode(this, ctx.cred, inode, times);
  }

  /** truncate(2). */
  truncate(ctx: FsContext, path: string, length: number): number {
    return attr.truncatePath(this, ctx, path, length);
  }

  /** chdir(2): the new working directory, or -errno. */
  chdir(ctx: FsContext, path: string): DirInode | number {
    const inode = resolve(this, ctx, path, true);
    return typeof inode === 'number' ? inode : attr.chdirInode(ctx.cred, inode);
  }

  /** getcwd(2)'s text for a working directory; -ENOENT once it was removed. */
  cwdPath(dir: DirInode): string | number {
    return dir.nlink === 0 ? -Errno.ENOENT : dir.path();
  }

  /** Sets a regular file's length (truncate, ftruncate, O_TRUNC). */
  truncateInode(inode: RegularInode, length: number): number {
    if (length > MAX_FILE_SIZE) return -Errno.EFBIG;
    const err = inode.resize(length);
    if (err) return err;
    inode.stamp(this.nowNs(), TIME_M | TIME_C);
    return 0;
  }

  private initHost<T extends Inode>(inode: T): T {
    this.stampNew(inode);
    return inode;
  }

  private buildDev(): void {
    const dev = this.mkdirp('/dev', 0o755);
    for (const kind of ['null', 'zero', 'full', 'random', 'urandom'] as DeviceKind[]) {
      dev.link(kind, this.initInode(new DeviceInode(this.allocIno(), kind), dev, ROOT_CRED));
    }
    const links: [string, string][] = [
      ['stdin', '/proc/self/fd/0'],
      ['stdout', '/proc/self/fd/1'],
      ['stderr', '/proc/self/fd/2'],
      ['fd', '/proc/self/fd'],
    ];
    for (const [name, target] of links) {
      dev.link(name, this.initInode(new SymlinkInode(this.allocIno(), target), dev, ROOT_CRED));
    }
    const shm = this.mkdirp('/dev/shm', 0o1777);
    shm.mode = S_IFDIR | 0o1777;
  }
}
