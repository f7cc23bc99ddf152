/**
 * Character devices (/dev/null, zero, full, random, urandom) and the guest's
 * standard streams as the host sees them: an input queue the host feeds and
 * output queues the host drains.
 */
import { Errno } from '../linux/errno.ts';
import { POLLHUP, POLLIN, POLLOUT, S_IFCHR, makeDev } from './abi.ts';
import { WOULD_BLOCK } from './host.ts';
import { Inode, TIME_A, TIME_M } from './inode.ts';
import type { OpenFile } from './open-file.ts';
import type { Filesystem } from './vfs.ts';

/** The character devices /dev holds. */
export type DeviceKind = 'null' | 'zero' | 'full' | 'random' | 'urandom';

/** Linux's device numbers for the memory devices (major 1). */
const MINORS: Record<DeviceKind, number> = { null: 3, zero: 5, full: 7, random: 8, urandom: 9 };

/** A memory character device. */
export class DeviceInode extends Inode {
  constructor(
    ino: number,
    readonly device: DeviceKind,
  ) {
    super(ino, S_IFCHR | 0o666);
    this.rdev = makeDev(1, MINORS[device]);
  }

  override seekable(): boolean {
    return true;
  }

  override read(fs: Filesystem, _file: OpenFile, _offset: number, dst: Uint8Array): number {
    switch (this.device) {
      case 'null':
        return 0;
      case 'zero':
      case 'full':
        dst.fill(0);
        return dst.length;
      default:
        fs.host.random.fill(dst);
        return dst.length;
    }
  }

  override write(_fs: Filesystem, _file: OpenFile, _offset: number, src: Uint8Array): number {
    return this.device === 'full' ? -Errno.ENOSPC : src.length;
  }
}

/**
 * The guest's standard input, fed by the host. Reading an empty queue that
 * is still open would block: that is what makes a waiting guest quiescent.
 */
export class HostInputInode extends Inode {
  /** Bytes the host appended and the guest has not read yet, oldest first. */
  chunks: Uint8Array[] = [];
  /** Bytes already consumed from chunks[0]. */
  headOffset = 0;
  /** Set by the host once no more input will come: reads then see EOF. */
  closed = false;

  constructor(ino: number) {
    super(ino, S_IFCHR | 0o600);
  }

  /** Bytes waiting to be read. */
  pending(): number {
    let n = -this.headOffset;
    for (const chunk of this.chunks) n += chunk.length;
    return n;
  }

  /** Appends bytes from the host. */
  feed(fs: Filesystem, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    // A plain copy: a Buffer's slice() is a view, and Buffers cannot be saved.
    this.chunks.push(new Uint8Array(bytes));
    fs.wake(this);
  }

  /** Marks the end of input. */
  close(fs: Filesystem): void {
    this.closed = true;
    fs.wake(this);
  }

  override read(fs: Filesystem, _file: OpenFile, _offset: number, dst: Uint8Array): number {
    if (dst.length === 0) return 0;
    if (this.chunks.length === 0) return this.closed ? 0 : WOULD_BLOCK;
    let copied = 0;
    while (copied < dst.length && this.chunks.length > 0) {
      const head = this.chunks[0].subarray(this.headOffset);
      const n = Math.min(head.length, dst.length - copied);
      dst.set(head.subarray(0, n), copied);
      copied += n;
      this.headOffset += n;
      if (this.headOffset === this.chunks[0].length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
    }
    this.stamp(fs.nowNs(), TIME_A);
    return copied;
  }

  override write(_fs: Filesystem, _file: OpenFile, _offset: number, _src: Uint8Array): number {
    return -Errno.EBADF;
  }

  override poll(): number {
    if (this.chunks.length > 0) return POLLIN;
    return this.closed ? POLLIN | POLLHUP : 0;
  }
}

/**
 * The guest's standard output or error: what it writes is queued until the
 * host drains it. With a limit, bytes past it are dropped and `truncated`
 * says so; the guest is still told that its writes succeeded.
 */
export class HostOutputInode extends Inode {
  /** Written bytes the host has not drained yet. */
  chunks: Uint8Array[] = [];
  /** Every byte the guest wrote, kept or not. */
  written = 0;
  /** Bytes kept for the host so far, drained or not. */
  kept = 0;
  /** Most bytes to keep; -1 for no limit. */
  limit: number;
  /** Whether some bytes were dropped at the limit. */
  truncated = false;

  constructor(ino: number, limit = -1) {
    super(ino, S_IFCHR | 0o600);
    this.limit = limit;
  }

  override write(fs: Filesystem, _file: OpenFile, _offset: number, src: Uint8Array): number {
    this.written += src.length;
    let keep = src.length;
    if (this.limit >= 0 && this.kept + keep > this.limit) {
      keep = Math.max(0, this.limit - this.kept);
      this.truncated = true;
    }
    if (keep > 0) {
      this.chunks.push(src.slice(0, keep));
      this.kept += keep;
    }
    this.stamp(fs.nowNs(), TIME_M);
    return src.length;
  }

  override read(): number {
    return -Errno.EBADF;
  }

  override poll(): number {
    return POLLOUT;
  }

  /** Takes every queued byte, in order. */
  drain(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    this.chunks = [];
    return out;
  }
}
