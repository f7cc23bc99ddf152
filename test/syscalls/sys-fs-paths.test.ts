import { describe, expect, it } from 'vitest';
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_REMOVEDIR,
  FD_CLOEXEC,
  F_GETFD,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  S_IFMT,
  S_IFREG,
} from '../../src/fs/index.ts';
import { Errno } from '../../src/linux/errno.ts';
import { Harness, UNMAPPED } from './harness.ts';

/** The st_mode of a path, or the stat call's error. */
function modeOf(h: Harness, path: string): number {
  const buf = h.alloc(144);
  const r = h.call('stat', h.str(path), buf);
  return r === 0 ? h.i32(buf + 24) : (r as number);
}

/** st_nlink of a path. */
function linksOf(h: Harness, path: string): number {
  const buf = h.alloc(144);
  expect(h.call('stat', h.str(path), buf)).toBe(0);
  return h.i64(buf + 16);
}

function create(h: Harness, path: string, flags = O_WRONLY | O_CREAT, mode = 0o666): number {
  return h.call('openat', AT_FDCWD, h.str(path), flags, mode) as number;
}

describe('openat', () => {
  it('creates a file at the lowest free number with the mode masked by the umask', () => {
    const h = new Harness();
    expect(create(h, '/tmp/a')).toBe(3);
    expect(modeOf(h, '/tmp/a')).toBe(S_IFREG | 0o644);
    expect(create(h, '/tmp/b', O_WRONLY | O_CREAT, 0o100777)).toBe(4);
    expect(modeOf(h, '/tmp/b')).toBe(S_IFREG | 0o755);
  });

  it('reports a missing file, an existing one with O_EXCL and a file opened as a directory', () => {
    const h = new Harness();
    expect(h.call('open', h.str('/tmp/none'), O_RDONLY)).toBe(-Errno.ENOENT);
    create(h, '/tmp/a');
    expect(create(h, '/tmp/a', O_CREAT | O_EXCL | O_WRONLY)).toBe(-Errno.EEXIST);
    expect(h.call('open', h.str('/tmp/a'), O_RDONLY | O_DIRECTORY)).toBe(-Errno.ENOTDIR);
  });

  it('checks the path before the directory descriptor, as Linux does', () => {
    const h = new Harness();
    expect(h.call('openat', 99, UNMAPPED, O_RDONLY)).toBe(-Errno.EFAULT);
    expect(h.call('openat', 99, h.str(''), O_RDONLY)).toBe(-Errno.ENOENT);
    expect(h.call('openat', 99, h.str('tmp'), O_RDONLY)).toBe(-Errno.EBADF);
    // An absolute path never looks at the descriptor.
    expect(h.call('openat', 99, h.str('/tmp'), O_RDONLY)).toBe(3);
  });

  it('starts relative paths at the directory descriptor, which must be a directory', () => {
    const h = new Harness();
    const tmp = h.call('open', h.str('/tmp'), O_RDONLY | O_DIRECTORY) as number;
    expect(h.call('openat', tmp, h.str('rel'), O_CREAT | O_WRONLY, 0o600)).toBe(4);
    expect(modeOf(h, '/tmp/rel')).toBe(S_IFREG | 0o600);
    expect(h.call('openat', 4, h.str('x'), O_RDONLY)).toBe(-Errno.ENOTDIR);
  });

  it('marks the descriptor close-on-exec for O_CLOEXEC and ignores unknown flag bits', () => {
    const h = new Harness();
    const fd = create(h, '/tmp/a', O_WRONLY | O_CREAT | O_CLOEXEC | 0x40000000);
    expect(fd).toBe(3);
    expect(h.call('fcntl', fd, F_GETFD)).toBe(FD_CLOEXEC);
    expect(h.call('fcntl', create(h, '/tmp/b'), F_GETFD)).toBe(0);
  });

  it('fails with ENAMETOOLONG when no NUL comes within PATH_MAX bytes', () => {
    const h = new Harness();
    const long = h.put(new Uint8Array(5000).fill(0x61));
    expect(h.call('open', long, O_RDONLY)).toBe(-Errno.ENAMETOOLONG);
  });

  it('fails with EMFILE before creating anything when the table is full', () => {
    const h = new Harness();
    h.task.tg.files.limit = 3;
    expect(create(h, '/tmp/a')).toBe(-Errno.EMFILE);
    expect(modeOf(h, '/tmp/a')).toBe(-Errno.ENOENT);
  });

  it('creat truncates an existing file and opens it write-only', () => {
    const h = new Harness();
    const fd = create(h, '/tmp/a', O_RDWR | O_CREAT);
    expect(h.call('write', fd, h.str('hello'), 5)).toBe(5);
    const again = h.call('creat', h.str('/tmp/a'), 0o644) as number;
    expect(again).toBe(4);
    const st = h.alloc(144);
    expect(h.call('fstat', again, st)).toBe(0);
    expect(h.i64(st + 48)).toBe(0);
    expect(h.call('read', again, h.alloc(4), 4)).toBe(-Errno.EBADF);
  });
});

describe('mkdir, unlink and rmdir', () => {
  it('makes a directory, refuses to make it twice, and removes it', () => {
    const h = new Harness();
    expect(h.call('mkdir', h.str('/tmp/d'), 0o777)).toBe(0);
    expect(modeOf(h, '/tmp/d') & 0o7777).toBe(0o755);
    expect(h.call('mkdirat', AT_FDCWD, h.str('/tmp/d'), 0o700)).toBe(-Errno.EEXIST);
    expect(h.call('rmdir', h.str('/tmp/d'))).toBe(0);
    expect(modeOf(h, '/tmp/d')).toBe(-Errno.ENOENT);
  });

  it('refuses unlink of a directory and rmdir of a non-empty one or of a file', () => {
    const h = new Harness();
    h.call('mkdir', h.str('/tmp/d'), 0o777);
    create(h, '/tmp/d/f');
    expect(h.call('unlink', h.str('/tmp/d'))).toBe(-Errno.EISDIR);
    expect(h.call('rmdir', h.str('/tmp/d'))).toBe(-Errno.ENOTEMPTY);
    expect(h.call('rmdir', h.str('/tmp/d/f'))).toBe(-Errno.ENOTDIR);
    expect(h.call('unlink', h.str('/tmp/d/f'))).toBe(0);
    expect(h.call('unlinkat', AT_FDCWD, h.str('/tmp/d'), AT_REMOVEDIR)).toBe(0);
  });

  it('rejects unknown unlinkat flags before looking at the path', () => {
    const h = new Harness();
    expect(h.call('unlinkat', AT_FDCWD, UNMAPPED, 0x1)).toBe(-Errno.EINVAL);
    expect(h.call('unlinkat', AT_FDCWD, UNMAPPED, 0)).toBe(-Errno.EFAULT);
  });
});

describe('rename', () => {
  it('moves a file over another and leaves the old name gone', () => {
    const h = new Harness();
    create(h, '/tmp/a');
    create(h, '/tmp/b');
    expect(h.call('rename', h.str('/tmp/a'), h.str('/tmp/b'))).toBe(0);
    expect(modeOf(h, '/tmp/a')).toBe(-Errno.ENOENT);
    expect(modeOf(h, '/tmp/b') & S_IFMT).toBe(S_IFREG);
  });

  it('renameat2 honours RENAME_NOREPLACE and RENAME_EXCHANGE', () => {
    const h = new Harness();
    create(h, '/tmp/a');
    h.call('mkdir', h.str('/tmp/d'), 0o755);
    const [a, d] = [h.str('/tmp/a'), h.str('/tmp/d')];
    expect(h.call('renameat2', AT_FDCWD, a, AT_FDCWD, d, RENAME_NOREPLACE)).toBe(-Errno.EEXIST);
    expect(h.call('renameat2', AT_FDCWD, a, AT_FDCWD, d, RENAME_EXCHANGE)).toBe(0);
    expect(modeOf(h, '/tmp/a') & S_IFMT).toBe(0o040000);
  });

  it('checks flags before paths and resolves each path from its own descriptor', () => {
    const h = new Harness();
    expect(h.call('renameat2', AT_FDCWD, UNMAPPED, AT_FDCWD, UNMAPPED, 8)).toBe(-Errno.EINVAL);
    const both = RENAME_NOREPLACE | RENAME_EXCHANGE;
    expect(h.call('renameat2', AT_FDCWD, UNMAPPED, AT_FDCWD, UNMAPPED, both)).toBe(-Errno.EINVAL);
    h.call('mkdir', h.str('/tmp/d'), 0o755);
    create(h, '/tmp/a');
    const dir = h.call('open', h.str('/tmp/d'), O_RDONLY) as number;
    expect(h.call('renameat', AT_FDCWD, h.str('/tmp/a'), dir, h.str('moved'))).toBe(0);
    expect(modeOf(h, '/tmp/d/moved') & S_IFMT).toBe(S_IFREG);
  });
});

describe('links', () => {
  it('link adds a name and counts it; linkat rejects unknown flags', () => {
    const h = new Harness();
    create(h, '/tmp/a');
    expect(h.call('link', h.str('/tmp/a'), h.str('/tmp/b'))).toBe(0);
    expect(linksOf(h, '/tmp/a')).toBe(2);
    expect(h.call('link', h.str('/tmp/a'), h.str('/tmp/b'))).toBe(-Errno.EEXIST);
    const args = [AT_FDCWD, h.str('/tmp/a'), AT_FDCWD, h.str('/tmp/c')];
    expect(h.call('linkat', ...args, 0x100)).toBe(-Errno.EINVAL);
  });

  it('linkat with AT_EMPTY_PATH names the descriptor, for root only', () => {
    const h = new Harness();
    const fd = create(h, '/tmp/a');
    expect(h.call('linkat', fd, h.str(''), AT_FDCWD, h.str('/tmp/b'), 0)).toBe(-Errno.ENOENT);
    expect(h.call('linkat', fd, h.str(''), AT_FDCWD, h.str('/tmp/b'), AT_EMPTY_PATH)).toBe(0);
    expect(linksOf(h, '/tmp/b')).toBe(2);
    const user = new Harness(1000, 1000);
    const ufd = create(user, '/tmp/u');
    const flags = AT_EMPTY_PATH;
    expect(user.call('linkat', ufd, user.str(''), AT_FDCWD, user.str('/tmp/v'), flags)).toBe(
      -Errno.ENOENT,
    );
  });

  it('symlink makes a link that readlink reads back without a NUL', () => {
    const h = new Harness();
    expect(h.call('symlink', h.str('target/path'), h.str('/tmp/l'))).toBe(0);
    const buf = h.put(new Uint8Array(64).fill(0x7a));
    expect(h.call('readlink', h.str('/tmp/l'), buf, 64)).toBe(11);
    expect(h.readStr(buf, 11)).toBe('target/path');
    expect(h.read(buf + 11, 1)[0]).toBe(0x7a);
    expect(h.call('readlink', h.str('/tmp/l'), buf, 4)).toBe(4);
    expect(h.readStr(buf, 4)).toBe('targ');
  });

  it('readlink fails with EINVAL for a size of zero or for a path that is not a link', () => {
    const h = new Harness();
    h.call('symlink', h.str('x'), h.str('/tmp/l'));
    expect(h.call('readlink', h.str('/tmp/l'), h.alloc(8), 0)).toBe(-Errno.EINVAL);
    expect(h.call('readlink', h.str('/tmp'), h.alloc(8), 8)).toBe(-Errno.EINVAL);
    expect(h.call('readlink', h.str('/tmp/l'), UNMAPPED, 8)).toBe(-Errno.EFAULT);
  });

  it('readlinkat with an empty path reads a link opened with O_PATH | O_NOFOLLOW', () => {
    const h = new Harness();
    h.call('symlink', h.str('somewhere'), h.str('/tmp/l'));
    const fd = h.call('open', h.str('/tmp/l'), O_PATH | O_NOFOLLOW) as number;
    const buf = h.alloc(16);
    expect(h.call('readlinkat', fd, h.str(''), buf, 16)).toBe(9);
    expect(h.readStr(buf, 9)).toBe('somewhere');
    const dir = h.call('open', h.str('/tmp'), O_RDONLY) as number;
    expect(h.call('readlinkat', dir, h.str(''), buf, 16)).toBe(-Errno.ENOENT);
  });

  it('symlinkat refuses an empty target and an existing name', () => {
    const h = new Harness();
    expect(h.call('symlinkat', h.str(''), AT_FDCWD, h.str('/tmp/l'))).toBe(-Errno.ENOENT);
    h.call('symlinkat', h.str('t'), AT_FDCWD, h.str('/tmp/l'));
    expect(h.call('symlinkat', h.str('t'), AT_FDCWD, h.str('/tmp/l'))).toBe(-Errno.EEXIST);
  });

  it('keeps non-ASCII names byte for byte through readlink', () => {
    const h = new Harness();
    h.call('symlink', h.str('caf\u00e9-\u263a'), h.str('/tmp/l\u00e9'));
    const buf = h.alloc(32);
    const n = h.call('readlink', h.str('/tmp/l\u00e9'), buf, 32) as number;
    expect(Buffer.from(h.read(buf, n)).toString('utf8')).toBe('caf\u00e9-\u263a');
  });
});
