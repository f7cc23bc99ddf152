import type { TypeRegistry } from '../state/index.ts';
import { FdEntry, FdTable } from './fd-table.ts';
import { DeviceInode, HostInputInode, HostOutputInode } from './inode-special.ts';
import { DirEntry, DirInode, Inode, RegularInode, SymlinkInode, TerminalSize } from './inode.ts';
import { OpenFile } from './open-file.ts';
import { PipeInode } from './pipe.ts';
import { ProcExeLink, ProcFdDir, ProcFdLink, ProcFileInode } from './proc.ts';
import { Filesystem } from './vfs.ts';

/** Fields every inode has. */
const INODE = [
  'ino',
  'mode',
  'dev',
  'rdev',
  'nlink',
  'uid',
  'gid',
  'atimeSec',
  'atimeNsec',
  'mtimeSec',
  'mtimeNsec',
  'ctimeSec',
  'ctimeNsec',
  'openCount',
  'terminal',
];
const DIR = [...INODE, 'entries', 'nextSeq', 'parent', 'name', 'mutable'];

/**
 * Registers the file system's saved classes with the state codec. Everything
 * is saved except the Filesystem's host services (clock, randomness, the
 * /proc provider), which load re-attaches with Filesystem.attach().
 */
export function registerFsTypes(r: TypeRegistry): void {
  r.register(Filesystem, {
    name: 'fs.Filesystem',
    fields: ['root', 'nextIno', 'wakeups', 'memory'],
    unsaved: ['host'],
  });
  r.register(Inode, { name: 'fs.Inode', fields: INODE });
  r.register(RegularInode, { name: 'fs.RegularInode', fields: [...INODE, 'body'] });
  r.register(DirInode, { name: 'fs.DirInode', fields: DIR });
  r.register(DirEntry, { name: 'fs.DirEntry', fields: ['inode', 'seq'] });
  r.register(SymlinkInode, { name: 'fs.SymlinkInode', fields: [...INODE, 'target'] });
  r.register(DeviceInode, { name: 'fs.DeviceInode', fields: [...INODE, 'device'] });
  r.register(HostInputInode, {
    name: 'fs.HostInputInode',
    fields: [...INODE, 'chunks', 'headOffset', 'closed'],
  });
  r.register(HostOutputInode, {
    name: 'fs.HostOutputInode',
    fields: [...INODE, 'chunks', 'written', 'kept', 'limit', 'truncated'],
  });
  r.register(PipeInode, {
    name: 'fs.PipeInode',
    fields: [...INODE, 'buffer', 'head', 'length', 'readers', 'writers'],
  });
  r.register(TerminalSize, { name: 'fs.TerminalSize', fields: ['rows', 'cols'] });
  r.register(ProcFileInode, { name: 'fs.ProcFileInode', fields: [...INODE, 'source'] });
  r.register(ProcFdDir, { name: 'fs.ProcFdDir', fields: DIR });
  r.register(ProcExeLink, { name: 'fs.ProcExeLink', fields: [...INODE, 'target'] });
  r.register(ProcFdLink, { name: 'fs.ProcFdLink', fields: [...INODE, 'target', 'fd'] });
  r.register(OpenFile, {
    name: 'fs.OpenFile',
    fields: ['fs', 'inode', 'flags', 'path', 'refs', 'offset', 'procData'],
  });
  r.register(FdTable, { name: 'fs.FdTable', fields: ['limit', 'entries'] });
  r.register(FdEntry, { name: 'fs.FdEntry', fields: ['file', 'cloexec'] });
}
