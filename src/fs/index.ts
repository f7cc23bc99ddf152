/**
 * The file system layer: a tmpfs tree with /tmp, /dev and a small /proc,
 * pipes, the guest's standard streams, open file descriptions and the file
 * descriptor table.
 *
 * Use by the kernel and the system call layer:
 * - `new Filesystem(host, memoryFile)` builds the tree; `attach(host)` gives
 *   a loaded one its host services back. `addFile` places the program and
 *   `--file` imports.
 * - `createHostInput()` / `createHostOutput(limit)` make the standard streams
 *   and `openInode` opens them; `HostInputInode.feed/close` and
 *   `HostOutputInode.drain` are the host's side.
 * - Path operations take an FsContext (credential, start directory, umask);
 *   `FdTable.startDir` picks the start directory of an *at() call.
 * - Every guest operation returns a result or a negated errno and never
 *   throws for guest errors. WOULD_BLOCK means "park the task": after each
 *   system call, `takeWakeups()` lists the inodes whose readiness changed,
 *   and the kernel re-runs the calls of tasks waiting on them.
 *
 * Nothing here is async: every operation runs to completion inside one
 * system call, so there is no lock order to state.
 */
export * from './abi.ts';
export { readDirents, direntSize, direntType } from './dirent.ts';
export { DEFAULT_NOFILE, FdEntry, FdTable } from './fd-table.ts';
export type { FsClock, FsCred, FsHost, ProcProvider, RandomSource } from './host.ts';
export { WOULD_BLOCK } from './host.ts';
export { DeviceInode, HostInputInode, HostOutputInode } from './inode-special.ts';
export type { DeviceKind } from './inode-special.ts';
export {
  DirEntry,
  DirInode,
  Inode,
  RegularInode,
  SymlinkInode,
  TIME_A,
  TIME_C,
  TIME_M,
  TerminalSize,
} from './inode.ts';
export type { IoctlResult } from './ioctl.ts';
export { TERMIOS_SIZE } from './ioctl.ts';
export { MAX_FILE_SIZE, OpenFile } from './open-file.ts';
export { accessInode, chdirInode, chmodInode, chownInode, utimensInode } from './ops-attr.ts';
export { linkInode } from './ops-names.ts';
export type { FsContext, LastKind, ParentWalk } from './path-walk.ts';
export { entryPath, resolve } from './path-walk.ts';
export { MAY_EXEC, MAY_READ, MAY_WRITE, permits } from './permission.ts';
export { PipeInode } from './pipe.ts';
export { ProcExeLink, ProcFdDir, ProcFdLink, ProcFileInode, describeFile } from './proc.ts';
export type { ProcSource } from './proc.ts';
export type { StatRecord } from './stat-encode.ts';
export {
  STATX_SIZE,
  STAT_BLKSIZE,
  STAT_SIZE,
  checkStatxArgs,
  encodeStat,
  encodeStatx,
  statOf,
} from './stat-encode.ts';
export type { TimeSpec } from './vfs.ts';
export { Filesystem, PIPEFS_DEV, PROC_DEV, ROOT_CRED, TMPFS_DEV } from './vfs.ts';
