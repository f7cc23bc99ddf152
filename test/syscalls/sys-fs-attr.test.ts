import { describe, expect, it } from 'vitest';
import {
  AT_FDCWD,
  AT_SYMLINK_NOFOLLOW,
  O_CREAT,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  UTIME_NOW,
  UTIME_OMIT,
} from '../../src/fs/index.ts';
import { Errno } from '../../src/linux/errno.ts';
import { StructWriter } from '../../src/syscalls/args.ts';
import { Harness, UNMAPPED } from './harness.ts';

/** Fields of a stat buffer: mode, uid, gid, size, atime and mtime seconds. */
function statOf(h: Harness, path: string) {
  const st = h.alloc(144);
  expect(h.call('lstat', h.str(path), st)).toBe(0);
  return {
    perm: h.i32(st + 24) & 0o7777,
    uid: h.i32(st + 28),
    gid: h.i32(st + 32),
    size: h.i64(st + 48),
    atime: h.i64(st + 72),
    mtime: h.i64(st + 88),
    mtimeNsec: h.i64(st + 96),
  };
}

function timespecs(h: Harness, a: [number, number], m: [number, number]): number {
  const w = new StructWriter(32).i64(0, a[0]).i64(8, a[1]).i64(16, m[0]).i64(24, m[1]);
  return h.put(w.bytes);
}

function newFile(h: Harness, path: string, flags = O_RDWR | O_CREAT): number {
  return h.call('open', h.str(path), flags, 0o644) as number;
}

describe('chmod', () => {
  it('changes the mode by descriptor and by path', () => {
    const h = new Harness();
    const fd = newFile(h, '/tmp/a');
    expect(h.call('fchmod', fd, 0o4711)).toBe(0);
    expect(statOf(h, '/tmp/a').perm).toBe(0o4711);
    expect(h.call('chmod', h.str('/tmp/a'), 0o600)).toBe(0);
    expect(statOf(h, '/tmp/a').perm).toBe(0o600);
    expect(h.call('fchmodat', AT_FDCWD, h.str('/tmp/a'), 0o640)).toBe(0);
    expect(statOf(h, '/tmp/a').perm).toBe(0o640);
  });

  it('refuses a user who does not own the file, and O_PATH descriptors', () => {
    const h = new Harness(1000, 1000);
    expect(h.call('chmod', h.str('/tmp'), 0o777)).toBe(-Errno.EPERM);
    const fd = h.call('open', h.str('/tmp'), O_PATH) as number;
    expect(h.call('fchmod', fd, 0o777)).toBe(-Errno.EBADF);
  });

  it('fchmodat2 cannot change a symbolic link itself and rejects unknown flags', () => {
    const h = new Harness();
    h.call('symlink', h.str('/tmp'), h.str('/tmp/l'));
    const path = h.str('/tmp/l');
    expect(h.call('fchmodat2', AT_FDCWD, path, 0o700, AT_SYMLINK_NOFOLLOW)).toBe(-Errno.EOPNOTSUPP);
    expect(h.call('fchmodat2', AT_FDCWD, path, 0o700, 0x2)).toBe(-Errno.EINVAL);
  });
});

describe('chown', () => {
  it('lets root give a file away, and -1 keeps a field', () => {
    const h = new Harness();
    const fd = newFile(h, '/tmp/a');
    expect(h.call('fchown', fd, 5, 0xffffffff)).toBe(0);
    expect(statOf(h, '/tmp/a')).toMatchObject({ uid: 5, gid: 0 });
    expect(h.call('chown', h.str('/tmp/a'), 0xffffffff, 7)).toBe(0);
    expect(statOf(h, '/tmp/a')).toMatchObject({ uid: 5, gid: 7 });
  });

  it('lchown changes the link and fchownat rejects unknown flags', () => {
    const h = new Harness();
    h.call('symlink', h.str('/tmp'), h.str('/tmp/l'));
    expect(h.call('lchown', h.str('/tmp/l'), 9, 9)).toBe(0);
    expect(statOf(h, '/tmp/l').uid).toBe(9);
    expect(statOf(h, '/tmp').uid).toBe(0);
    expect(h.call('fchownat', AT_FDCWD, h.str('/tmp'), 1, 1, 0x2)).toBe(-Errno.EINVAL);
  });
});

describe('utimensat and the older time calls', () => {
  it('sets both times to the given values', () => {
    const h = new Harness();
    newFile(h, '/tmp/a');
    const times = timespecs(h, [1000, 5], [2000, 7]);
    expect(h.call('utimensat', AT_FDCWD, h.str('/tmp/a'), times, 0)).toBe(0);
    expect(statOf(h, '/tmp/a')).toMatchObject({ atime: 1000, mtime: 2000, mtimeNsec: 7 });
  });

  it('treats two UTIME_OMIT as success without looking at the path', () => {
    const h = new Harness();
    const times = timespecs(h, [0, UTIME_OMIT], [0, UTIME_OMIT]);
    expect(h.call('utimensat', AT_FDCWD, h.str('/tmp/none'), times, 0)).toBe(0);
  });

  it('changes the descriptor file for a NULL path, and EFAULT with AT_FDCWD', () => {
    const h = new Harness();
    const fd = newFile(h, '/tmp/a');
    const times = timespecs(h, [0, UTIME_OMIT], [3000, 0]);
    expect(h.call('utimensat', fd, 0, times, 0)).toBe(0);
    expect(statOf(h, '/tmp/a').mtime).toBe(3000);
    expect(h.call('utimensat', fd, 0, times, AT_SYMLINK_NOFOLLOW)).toBe(-Errno.EINVAL);
    expect(h.call('utimensat', AT_FDCWD, 0, times, 0)).toBe(-Errno.EFAULT);
  });

  it('rejects out-of-range nanoseconds and unreadable times', () => {
    const h = new Harness();
    newFile(h, '/tmp/a');
    const bad = timespecs(h, [0, 1e9], [0, UTIME_NOW]);
    expect(h.call('utimensat', AT_FDCWD, h.str('/tmp/a'), bad, 0)).toBe(-Errno.EINVAL);
    expect(h.call('utimensat', AT_FDCWD, h.str('/tmp/a'), UNMAPPED, 0)).toBe(-Errno.EFAULT);
  });

  it('utimes takes microseconds and utime whole seconds', () => {
    const h = new Harness();
    newFile(h, '/tmp/a');
    const tv = h.put(new StructWriter(32).i64(0, 10).i64(8, 3).i64(16, 20).i64(24, 4).bytes);
    expect(h.call('utimes', h.str('/tmp/a'), tv)).toBe(0);
    expect(statOf(h, '/tmp/a')).toMatchObject({ atime: 10, mtime: 20, mtimeNsec: 4000 });
    const badTv = h.put(new StructWriter(32).i64(8, 1e6).bytes);
    expect(h.call('utimes', h.str('/tmp/a'), badTv)).toBe(-Errno.EINVAL);
    const buf = h.put(new StructWriter(16).i64(0, 30).i64(8, 40).bytes);
    expect(h.call('utime', h.str('/tmp/a'), buf)).toBe(0);
    expect(statOf(h, '/tmp/a')).toMatchObject({ atime: 30, mtime: 40, mtimeNsec: 0 });
  });
});

describe('truncate and ftruncate', () => {
  it('sets the length by path and by descriptor', () => {
    const h = new Harness();
    const fd = newFile(h, '/tmp/a');
    expect(h.call('truncate', h.str('/tmp/a'), 100)).toBe(0);
    expect(statOf(h, '/tmp/a').size).toBe(100);
    expect(h.call('ftruncate', fd, 3)).toBe(0);
    expect(statOf(h, '/tmp/a').size).toBe(3);
  });

  it('checks the length before the descriptor, and wants a writable regular file', () => {
    const h = new Harness();
    expect(h.call('ftruncate', 50, -1)).toBe(-Errno.EINVAL);
    expect(h.call('ftruncate', 50, 0)).toBe(-Errno.EBADF);
    newFile(h, '/tmp/a');
    const ro = h.call('open', h.str('/tmp/a'), O_RDONLY) as number;
    expect(h.call('ftruncate', ro, 0)).toBe(-Errno.EINVAL);
    const path = h.call('open', h.str('/tmp/a'), O_PATH) as number;
    expect(h.call('ftruncate', path, 0)).toBe(-Errno.EBADF);
    expect(h.call('truncate', h.str('/tmp'), 0)).toBe(-Errno.EISDIR);
  });
});

describe('fsync and fdatasync', () => {
  it('succeed on files and directories and fail with EINVAL on pipes', () => {
    const h = new Harness();
    const fd = newFile(h, '/tmp/a');
    expect(h.call('fsync', fd)).toBe(0);
    expect(h.call('fdatasync', h.call('open', h.str('/tmp'), O_RDONLY) as number)).toBe(0);
    const fds = h.alloc(8);
    h.call('pipe', fds);
    expect(h.call('fsync', h.i32(fds))).toBe(-Errno.EINVAL);
    expect(h.call('fsync', 99)).toBe(-Errno.EBADF);
  });
});
