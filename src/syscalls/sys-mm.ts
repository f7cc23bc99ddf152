import { RegularInode } from '../fs/index.ts';
import type { SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { Errno } from '../linux/errno.ts';
import type { SyscallDef } from './table.ts';

/** Memory mappings: the MemoryManager does the work; this maps arguments to it. */

const MAP_ANONYMOUS = 0x20;

function mmap(t: Task): SyscallResult {
  const addr = t.arg(0);
  const length = t.argU(1);
  const prot = t.argInt(2);
  const flags = t.argInt(3);
  const fd = t.argInt(4);
  const offset = t.arg(5);
  const mm = t.tg.mm;
  if (flags & MAP_ANONYMOUS) return mm.mmap(addr, length, prot, flags, null, 0);
  const file = t.tg.files.get(fd);
  if (file === null) return -Errno.EBADF;
  if (!(file.inode instanceof RegularInode)) return -Errno.ENODEV;
  if (!file.readable()) return -Errno.EACCES;
  return mm.mmap(addr, length, prot, flags, file.inode.body, offset, {
    writable: file.writable(),
    name: file.path,
    inode: file.inode.ino,
  });
}

function mprotect(t: Task): SyscallResult {
  return t.tg.mm.mprotect(t.arg(0), t.argU(1), t.argInt(2));
}

/** Definitions of this area. */
export const MM_SYSCALLS: SyscallDef[] = [
  {
    name: 'mmap',
    support: 'full',
    note: 'anonymous and tmpfs files; private, shared, fixed, fixed-noreplace and hints',
    handler: mmap,
  },
  {
    name: 'munmap',
    support: 'full',
    note: '',
    handler: (t) => t.tg.mm.munmap(t.arg(0), t.argU(1)),
  },
  { name: 'mprotect', support: 'full', note: '', handler: mprotect },
  {
    name: 'mremap',
    support: 'full',
    note: 'moves keep the pages',
    handler: (t) => t.tg.mm.mremap(t.arg(0), t.argU(1), t.argU(2), t.argInt(3), t.arg(4)),
  },
  { name: 'brk', support: 'full', note: '', handler: (t) => t.tg.mm.brk(t.arg(0)) },
  {
    name: 'madvise',
    support: 'partial',
    note: 'MADV_DONTNEED frees pages; other advice is accepted and ignored',
    handler: (t) => t.tg.mm.madvise(t.arg(0), t.argU(1), t.argInt(2)),
  },
];
