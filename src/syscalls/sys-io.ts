import { HostInputInode, WOULD_BLOCK, type OpenFile } from '../fs/index.ts';
import { SYSCALL_BLOCK, type SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { sendToTask } from '../kernel/task-signals.ts';
import { userSigInfo } from '../kernel/signal-info.ts';
import { Errno } from '../linux/errno.ts';
import { SIGPIPE } from '../linux/signal.ts';
import { EFAULT, EINVAL, readStruct } from './args.ts';
import type { SyscallDef } from './table.ts';

/** Reading and writing open files: read, write, their vector and positioned forms. */

const POLLIN = 0x1;
const POLLOUT = 0x4;
/** Largest transfer of one call, as Linux caps it (MAX_RW_COUNT). */
const MAX_RW = 0x7ffff000;
const IOV_MAX = 1024;

/** The open file for `fd`, or -EBADF. */
export function fileOf(t: Task, fd: number): OpenFile | number {
  return t.tg.files.get(fd) ?? -Errno.EBADF;
}

/**
 * Parks the task until `file` is ready for `events`; the call runs again
 * then. Used by every call that can wait on a file.
 */
export function blockOn(t: Task, file: OpenFile, events: number): SyscallResult {
  t.block({
    kind: 'io',
    files: [file],
    events: [events],
    external: file.inode instanceof HostInputInode,
    deadlineNs: -1,
    timeoutResult: 0,
    restartable: true,
  });
  return SYSCALL_BLOCK;
}

/** A guest buffer: address and length. */
interface Span {
  addr: number;
  len: number;
}

function readIovec(t: Task, addr: number, count: number): Span[] | number {
  if (count < 0 || count > IOV_MAX) return EINVAL;
  const r = readStruct(t, addr, 16 * count);
  if (r === null) return EFAULT;
  const spans: Span[] = [];
  let total = 0;
  for (let k = 0; k < count; k++) {
    const len = r.u64(16 * k + 8);
    if (len > MAX_RW) return EINVAL;
    total += len;
    spans.push({ addr: r.i64(16 * k), len });
  }
  return total > MAX_RW * 2 ? EINVAL : spans;
}

/**
 * Reads into guest buffers. `offset` < 0 uses and advances the file offset.
 * Returns bytes read, -errno, or blocks when nothing is available yet.
 */
function readInto(t: Task, fd: number, spans: Span[], offset: number): SyscallResult {
  const file = fileOf(t, fd);
  if (typeof file === 'number') return file;
  if (!file.readable()) return -Errno.EBADF;
  let done = 0;
  for (const span of spans) {
    if (span.len === 0) continue;
    const buf = new Uint8Array(Math.min(span.len, MAX_RW - done));
    const n = offset < 0 ? file.read(buf) : file.pread(buf, offset + done);
    if (n === WOULD_BLOCK) return done > 0 ? done : blockOn(t, file, POLLIN);
    if (n < 0) return done > 0 ? done : n;
    if (!t.copyOut(span.addr, buf.subarray(0, n))) return done > 0 ? done : EFAULT;
    done += n;
    if (n < span.len) break;
  }
  return done;
}

/** Writes guest buffers; SIGPIPE goes with EPIPE on a pipe without readers. */
function writeFrom(t: Task, fd: number, spans: Span[], offset: number): SyscallResult {
  const file = fileOf(t, fd);
  if (typeof file === 'number') return file;
  if (!file.writable()) return -Errno.EBADF;
  let done = 0;
  for (const span of spans) {
    if (span.len === 0) continue;
    const data = t.copyIn(span.addr, Math.min(span.len, MAX_RW - done));
    if (data === null) return done > 0 ? done : EFAULT;
    const n = offset < 0 ? file.write(data) : file.pwrite(data, offset + done);
    if (n === WOULD_BLOCK) return done > 0 ? done : blockOn(t, file, POLLOUT);
    if (n < 0) {
      if (file.raisesSigpipe(n)) sendToTask(t, userSigInfo(SIGPIPE, t.tg.pid, t.creds.uid));
      return done > 0 ? done : n;
    }
    done += n;
    if (n < data.length) break;
  }
  return done;
}

function single(t: Task): Span[] {
  return [{ addr: t.arg(1), len: Math.min(t.argU(2), MAX_RW) }];
}

function vector(t: Task, run: (spans: Span[]) => SyscallResult): SyscallResult {
  const spans = readIovec(t, t.arg(1), t.argInt(2));
  return typeof spans === 'number' ? spans : run(spans);
}

function positioned(t: Task, n: number): number {
  const offset = t.arg(n);
  return offset < 0 ? EINVAL : offset;
}

function close(t: Task): SyscallResult {
  return t.tg.files.close(t.argInt(0));
}

function lseek(t: Task): SyscallResult {
  const file = fileOf(t, t.argInt(0));
  return typeof file === 'number' ? file : file.lseek(t.arg(1), t.argInt(2));
}

function ioctl(t: Task): SyscallResult {
  const file = fileOf(t, t.argInt(0));
  if (typeof file === 'number') return file;
  const r = file.ioctl(t.argU32(1));
  if (r.out !== null && r.ret >= 0 && !t.copyOut(t.arg(2), r.out)) return EFAULT;
  return r.ret;
}

/**
 * sendfile: copies between two open files through a kernel buffer, from
 * the given offset (left unchanged in the file) or the file offset.
 */
function sendfile(t: Task): SyscallResult {
  const out = fileOf(t, t.argInt(0));
  const src = fileOf(t, t.argInt(1));
  if (typeof out === 'number') return out;
  if (typeof src === 'number') return src;
  if (!src.readable() || !out.writable()) return -Errno.EBADF;
  const offAddr = t.arg(2);
  let offset = -1;
  if (offAddr !== 0) {
    const v = t.readU64(offAddr);
    if (v === null) return EFAULT;
    offset = v;
  }
  const buf = new Uint8Array(Math.min(t.argU(3), 1 << 20));
  const n = offset < 0 ? src.read(buf) : src.pread(buf, offset);
  if (n === WOULD_BLOCK) return blockOn(t, src, POLLIN);
  if (n <= 0) return n;
  const w = out.write(buf.subarray(0, n));
  if (w === WOULD_BLOCK) return blockOn(t, out, POLLOUT);
  if (w < 0) return w;
  if (offAddr !== 0 && !t.writeU64(offAddr, offset + w)) return EFAULT;
  // Bytes read but not written go back to the source's offset.
  if (offset < 0 && w < n) src.lseek(w - n, 1);
  return w;
}

/** Definitions of this area. */
export const IO_SYSCALLS: SyscallDef[] = [
  {
    name: 'read',
    support: 'full',
    note: '',
    handler: (t) => readInto(t, t.argInt(0), single(t), -1),
  },
  {
    name: 'write',
    support: 'full',
    note: '',
    handler: (t) => writeFrom(t, t.argInt(0), single(t), -1),
  },
  {
    name: 'readv',
    support: 'full',
    note: '',
    handler: (t) => vector(t, (s) => readInto(t, t.argInt(0), s, -1)),
  },
  {
    name: 'writev',
    support: 'full',
    note: '',
    handler: (t) => vector(t, (s) => writeFrom(t, t.argInt(0), s, -1)),
  },
  {
    name: 'pread64',
    support: 'full',
    note: '',
    handler: (t) => {
      const off = positioned(t, 3);
      return off < 0 ? off : readInto(t, t.argInt(0), single(t), off);
    },
  },
  {
    name: 'pwrite64',
    support: 'full',
    note: '',
    handler: (t) => {
      const off = positioned(t, 3);
      return off < 0 ? off : writeFrom(t, t.argInt(0), single(t), off);
    },
  },
  { name: 'close', support: 'full', note: '', handler: close },
  {
    name: 'sendfile',
    support: 'full',
    note: 'copies through a buffer of at most 1 MiB per call',
    handler: sendfile,
  },
  { name: 'lseek', support: 'full', note: '', handler: lseek },
  {
    name: 'ioctl',
    support: 'partial',
    note: 'TCGETS and TIOCGWINSZ on terminals; ENOTTY elsewhere',
    handler: ioctl,
  },
];
