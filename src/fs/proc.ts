/**
 * A small /proc: cpuinfo, meminfo, uptime, and self/{exe,maps,status,fd}.
 * File contents come from the ProcProvider when the file is opened and are
 * kept in the description, so reads at any offset see one consistent text.
 * /proc/self is a plain directory rather than a link to the pid's.
 */
import { O_ACCMODE, O_RDONLY, O_RDWR, O_WRONLY, S_IFLNK, S_IFREG } from './abi.ts';
import { DirEntry, DirInode, FIRST_ENTRY_SEQ, type Inode, Inode as InodeBase } from './inode.ts';
import { SymlinkInode } from './inode.ts';
import type { OpenFile } from './open-file.ts';
import { PipeInode } from './pipe.ts';
import type { Filesystem } from './vfs.ts';

/** The generated files /proc has. */
export type ProcSource = 'maps' | 'status' | 'cpuinfo' | 'meminfo' | 'uptime';

function encodeText(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A read-only file whose text is generated when it is opened. */
export class ProcFileInode extends InodeBase {
  constructor(
    ino: number,
    readonly source: ProcSource,
  ) {
    super(ino, S_IFREG | 0o444);
  }

  override seekable(): boolean {
    return true;
  }

  override onOpen(file: OpenFile): void {
    const proc = file.fs.host.proc;
    file.procData = encodeText(proc[this.source]());
  }

  override read(_fs: Filesystem, file: OpenFile, offset: number, dst: Uint8Array): number {
    const data = file.procData ?? new Uint8Array(0);
    if (offset >= data.length) return 0;
    const n = Math.min(dst.length, data.length - offset);
    dst.set(data.subarray(offset, offset + n));
    return n;
  }
}

/** /proc/self/exe: leads to the running program's path. */
export class ProcExeLink extends SymlinkInode {
  constructor(ino: number) {
    super(ino, '');
  }

  override follow(fs: Filesystem): string {
    return fs.host.proc.exePath();
  }

  override readlink(fs: Filesystem): string {
    return fs.host.proc.exePath();
  }
}

/** What /proc/self/fd/N reads as for a description. */
export function describeFile(file: OpenFile): string {
  if (file.inode instanceof PipeInode) return `pipe:[${file.inode.ino}]`;
  return file.inode.nlink === 0 && file.path.startsWith('/') ? `${file.path} (deleted)` : file.path;
}

/**
 * /proc/self/fd/N: a "magic" link that leads straight to the description's
 * inode, so that pipes and removed files can be reopened through it.
 */
export class ProcFdLink extends SymlinkInode {
  constructor(
    ino: number,
    readonly fd: number,
    access: number,
  ) {
    super(ino, '');
    const read = access === O_RDONLY || access === O_RDWR ? 0o500 : 0o100;
    const write = access === O_WRONLY || access === O_RDWR ? 0o200 : 0;
    this.mode = S_IFLNK | read | write;
  }

  private file(fs: Filesystem): OpenFile | null {
    return fs.host.proc.fdTable()?.get(this.fd) ?? null;
  }

  override follow(fs: Filesystem): string | Inode {
    // A descriptor closed meanwhile leads nowhere: the empty path is ENOENT.
    return this.file(fs)?.inode ?? '';
  }

  override readlink(fs: Filesystem): string {
    const file = this.file(fs);
    return file ? describeFile(file) : '';
  }
}

/** /proc/self/fd: one link per open descriptor of the calling process. */
export class ProcFdDir extends DirInode {
  override lookup(fs: Filesystem, name: string): Inode | null {
    if (!/^(0|[1-9][0-9]{0,9})$/.test(name)) return null;
    const fd = Number(name);
    const file = fs.host.proc.fdTable()?.get(fd);
    if (!file) return null;
    const link = new ProcFdLink(fs.allocIno(), fd, file.flags & O_ACCMODE);
    link.dev = this.dev;
    return link;
  }

  override list(fs: Filesystem): Iterable<[string, DirEntry]> {
    const out: [string, DirEntry][] = [];
    for (const fd of fs.host.proc.fdTable()?.fds() ?? []) {
      const link = this.lookup(fs, String(fd));
      if (link) out.push([String(fd), new DirEntry(link, FIRST_ENTRY_SEQ + fd)]);
    }
    return out;
  }

  override isEmpty(): boolean {
    return false;
  }
}

/** Builds /proc under root. */
export function buildProc(fs: Filesystem, root: DirInode, dev: number): DirInode {
  const proc = new DirInode(fs.allocIno(), 0o555, root, 'proc');
  const self = new DirInode(fs.allocIno(), 0o555, proc, 'self');
  const fdDir = new ProcFdDir(fs.allocIno(), 0o500, self, 'fd');
  const add = (dir: DirInode, name: string, inode: Inode): void => {
    inode.dev = dev;
    fs.stampNew(inode);
    dir.link(name, inode);
  };
  add(root, 'proc', proc);
  add(proc, 'self', self);
  for (const source of ['cpuinfo', 'meminfo', 'uptime'] as const) {
    add(proc, source, new ProcFileInode(fs.allocIno(), source));
  }
  add(self, 'exe', new ProcExeLink(fs.allocIno()));
  add(self, 'maps', new ProcFileInode(fs.allocIno(), 'maps'));
  add(self, 'status', new ProcFileInode(fs.allocIno(), 'status'));
  add(self, 'fd', fdDir);
  for (const dir of [proc, self, fdDir]) dir.mutable = false;
  return proc;
}
