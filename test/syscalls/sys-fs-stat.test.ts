import { describe, expect, it } from 'vitest';
import {
  AT_EACCESS,
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_STATX_SYNC_TYPE,
  AT_SYMLINK_NOFOLLOW,
  F_OK,
  O_CREAT,
  O_PATH,
  O_RDONLY,
  O_WRONLY,
  R_OK,
  STATX_BASIC_STATS,
  STATX__RESERVED,
  S_IFCHR,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  W_OK,
  X_OK,
} from '../../src/fs/index.ts';
import { Errno } from '../../src/linux/errno.ts';
import { Harness, UNMAPPED } from './harness.ts';

/** A file with some bytes in it; returns its descriptor. */
function fileWith(h: Harness, path: string, text: string, mode = 0o644): number {
  const fd = h.call('open', h.str(path), O_WRONLY | O_CREAT, mode) as number;
  h.call('write', fd, h.str(text), text.length);
  return fd;
}

describe('fstat, stat and lstat', () => {
  it('fstat describes an open file and a standard stream', () => {
    const h = new Harness();
    const fd = fileWith(h, '/tmp/a', 'hello');
    const st = h.alloc(144);
    expect(h.call('fstat', fd, st)).toBe(0);
    expect(h.i32(st + 24) & S_IFMT).toBe(S_IFREG);
    expect(h.i64(st + 48)).toBe(5);
    expect(h.call('fstat', 1, st)).toBe(0);
    expect(h.i32(st + 24) & S_IFMT).toBe(S_IFCHR);
  });

  it('fstat fails with EBADF for a closed descriptor and EFAULT for a bad buffer', () => {
    const h = new Harness();
    expect(h.call('fstat', 9, h.alloc(144))).toBe(-Errno.EBADF);
    expect(h.call('fstat', 0, UNMAPPED)).toBe(-Errno.EFAULT);
  });

  it('fstat works on O_PATH descriptors, as in Linux', () => {
    const h = new Harness();
    const fd = h.call('open', h.str('/tmp'), O_PATH) as number;
    const st = h.alloc(144);
    expect(h.call('fstat', fd, st)).toBe(0);
    expect(h.i32(st + 24) & S_IFMT).toBe(S_IFDIR);
  });

  it('stat follows a symbolic link and lstat does not', () => {
    const h = new Harness();
    fileWith(h, '/tmp/a', 'x');
    h.call('symlink', h.str('/tmp/a'), h.str('/tmp/l'));
    const st = h.alloc(144);
    expect(h.call('stat', h.str('/tmp/l'), st)).toBe(0);
    expect(h.i32(st + 24) & S_IFMT).toBe(S_IFREG);
    expect(h.call('lstat', h.str('/tmp/l'), st)).toBe(0);
    expect(h.i32(st + 24) & S_IFMT).toBe(S_IFLNK);
    expect(h.i64(st + 48)).toBe(6);
  });
});

describe('newfstatat', () => {
  it('stats the descriptor itself with AT_EMPTY_PATH and an empty or NULL path', () => {
    const h = new Harness();
    const fd = fileWith(h, '/tmp/a', 'abc');
    const st = h.alloc(144);
    expect(h.call('newfstatat', fd, h.str(''), st, AT_EMPTY_PATH)).toBe(0);
    expect(h.i64(st + 48)).toBe(3);
    expect(h.call('newfstatat', fd, 0, st, AT_EMPTY_PATH)).toBe(0);
    expect(h.call('newfstatat', AT_FDCWD, h.str(''), st, AT_EMPTY_PATH)).toBe(0);
    expect(h.i32(st + 24) & S_IFMT).toBe(S_IFDIR);
  });

  it('fails with ENOENT for an empty path without AT_EMPTY_PATH and EINVAL for unknown flags', () => {
    const h = new Harness();
    const st = h.alloc(144);
    expect(h.call('newfstatat', 0, h.str(''), st, 0)).toBe(-Errno.ENOENT);
    expect(h.call('newfstatat', AT_FDCWD, h.str('/tmp'), st, 0x1)).toBe(-Errno.EINVAL);
    expect(h.call('newfstatat', 77, h.str(''), st, AT_EMPTY_PATH)).toBe(-Errno.EBADF);
  });

  it('honours AT_SYMLINK_NOFOLLOW', () => {
    const h = new Harness();
    h.call('symlink', h.str('/tmp'), h.str('/tmp/l'));
    const st = h.alloc(144);
    expect(h.call('newfstatat', AT_FDCWD, h.str('/tmp/l'), st, AT_SYMLINK_NOFOLLOW)).toBe(0);
    expect(h.i32(st + 24) & S_IFMT).toBe(S_IFLNK);
  });
});

describe('statx', () => {
  it('fills the basic fields and says so in stx_mask', () => {
    const h = new Harness();
    fileWith(h, '/tmp/a', 'hello world');
    const buf = h.alloc(256);
    expect(h.call('statx', AT_FDCWD, h.str('/tmp/a'), 0, STATX_BASIC_STATS, buf)).toBe(0);
    expect(h.i32(buf) & STATX_BASIC_STATS).toBe(STATX_BASIC_STATS);
    expect(h.read(buf + 28, 2)[0] | (h.read(buf + 29, 1)[0] << 8)).toBe(S_IFREG | 0o644);
    expect(h.i64(buf + 40)).toBe(11);
  });

  it('rejects reserved mask bits and a conflicting sync type', () => {
    const h = new Harness();
    const buf = h.alloc(256);
    const path = h.str('/tmp');
    expect(h.call('statx', AT_FDCWD, path, 0, STATX__RESERVED, buf)).toBe(-Errno.EINVAL);
    expect(h.call('statx', AT_FDCWD, path, AT_STATX_SYNC_TYPE, 0, buf)).toBe(-Errno.EINVAL);
    expect(h.call('statx', AT_FDCWD, path, 0, 0, UNMAPPED)).toBe(-Errno.EFAULT);
  });
});

describe('access checks', () => {
  it('answers F_OK for existence and rejects unknown modes and flags', () => {
    const h = new Harness();
    expect(h.call('access', h.str('/tmp'), F_OK)).toBe(0);
    expect(h.call('access', h.str('/tmp/none'), F_OK)).toBe(-Errno.ENOENT);
    expect(h.call('access', h.str('/tmp'), 8)).toBe(-Errno.EINVAL);
    expect(h.call('faccessat2', AT_FDCWD, h.str('/tmp'), F_OK, 0x4)).toBe(-Errno.EINVAL);
  });

  it('checks permission bits for an ordinary user', () => {
    const h = new Harness(1000, 1000);
    fileWith(h, '/tmp/mine', '', 0o600);
    expect(h.call('access', h.str('/tmp/mine'), R_OK | W_OK)).toBe(0);
    expect(h.call('access', h.str('/tmp/mine'), X_OK)).toBe(-Errno.EACCES);
    expect(h.call('faccessat', AT_FDCWD, h.str('/proc/self'), W_OK)).toBe(-Errno.EACCES);
  });

  it('uses the real IDs unless AT_EACCESS asks for the effective ones', () => {
    const h = new Harness(1000, 1000);
    fileWith(h, '/tmp/secret', '', 0o600);
    h.call('fchmod', 3, 0o000);
    h.task.creds.euid = 0;
    expect(h.call('access', h.str('/tmp/secret'), R_OK)).toBe(-Errno.EACCES);
    const path = h.str('/tmp/secret');
    expect(h.call('faccessat2', AT_FDCWD, path, R_OK, AT_EACCESS)).toBe(0);
  });

  it('checks the descriptor itself with AT_EMPTY_PATH', () => {
    const h = new Harness();
    const fd = h.call('open', h.str('/tmp'), O_RDONLY) as number;
    expect(h.call('faccessat2', fd, h.str(''), W_OK, AT_EMPTY_PATH)).toBe(0);
    expect(h.call('faccessat2', fd, h.str(''), W_OK, 0)).toBe(-Errno.ENOENT);
  });
});
