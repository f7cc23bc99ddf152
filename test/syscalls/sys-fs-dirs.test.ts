import { describe, expect, it } from 'vitest';
import { DT_DIR, DT_REG, O_CREAT, O_DIRECTORY, O_RDONLY, O_WRONLY } from '../../src/fs/index.ts';
import { Errno } from '../../src/linux/errno.ts';
import { Harness, UNMAPPED } from './harness.ts';

/** Decodes linux_dirent64 records into [name, d_type] pairs. */
function records(bytes: Uint8Array): [string, number][] {
  const out: [string, number][] = [];
  const view = Buffer.from(bytes);
  for (let at = 0; at < bytes.length;) {
    const size = view.readUInt16LE(at + 16);
    const nameEnd = view.indexOf(0, at + 19);
    out.push([view.subarray(at + 19, nameEnd).toString('latin1'), view[at + 18]]);
    at += size;
  }
  return out;
}

function listing(h: Harness, fd: number, size = 4096): [string, number][] | number {
  const buf = h.alloc(size);
  const n = h.call('getdents64', fd, buf, size) as number;
  return n < 0 ? n : records(h.read(buf, n));
}

function touch(h: Harness, path: string): void {
  h.call('close', h.call('open', h.str(path), O_WRONLY | O_CREAT, 0o644) as number);
}

describe('getdents64', () => {
  it('lists dot, dot-dot and the entries with their types, then returns 0', () => {
    const h = new Harness();
    h.call('mkdir', h.str('/tmp/d'), 0o755);
    touch(h, '/tmp/d/file');
    h.call('mkdir', h.str('/tmp/d/sub'), 0o755);
    const fd = h.call('open', h.str('/tmp/d'), O_RDONLY | O_DIRECTORY) as number;
    expect(listing(h, fd)).toEqual([
      ['.', DT_DIR],
      ['..', DT_DIR],
      ['file', DT_REG],
      ['sub', DT_DIR],
    ]);
    expect(listing(h, fd)).toEqual([]);
  });

  it('fails with EINVAL when not even one record fits, and ENOTDIR on a file', () => {
    const h = new Harness();
    const fd = h.call('open', h.str('/tmp'), O_RDONLY) as number;
    expect(listing(h, fd, 10)).toBe(-Errno.EINVAL);
    touch(h, '/tmp/f');
    const file = h.call('open', h.str('/tmp/f'), O_RDONLY) as number;
    expect(listing(h, file)).toBe(-Errno.ENOTDIR);
    expect(listing(h, 77)).toBe(-Errno.EBADF);
  });

  it('keeps its place when the buffer cannot be written, so a retry loses nothing', () => {
    const h = new Harness();
    touch(h, '/tmp/f');
    const fd = h.call('open', h.str('/tmp'), O_RDONLY) as number;
    expect(h.call('getdents64', fd, UNMAPPED, 4096)).toBe(-Errno.EFAULT);
    expect((listing(h, fd) as [string, number][]).map(([name]) => name)).toEqual(['.', '..', 'f']);
  });

  it('returns the names in several calls when the buffer is small', () => {
    const h = new Harness();
    for (const name of ['a', 'b', 'c']) touch(h, `/tmp/${name}`);
    const fd = h.call('open', h.str('/tmp'), O_RDONLY) as number;
    const seen: string[] = [];
    for (;;) {
      const part = listing(h, fd, 24) as [string, number][];
      if (part.length === 0) break;
      seen.push(...part.map(([name]) => name));
    }
    expect(seen).toEqual(['.', '..', 'a', 'b', 'c']);
  });
});

describe('working directory', () => {
  it('chdir changes where relative paths start and getcwd reports it', () => {
    const h = new Harness();
    h.call('mkdir', h.str('/tmp/d'), 0o755);
    expect(h.call('chdir', h.str('/tmp/d'))).toBe(0);
    touch(h, 'rel');
    const st = h.alloc(144);
    expect(h.call('stat', h.str('/tmp/d/rel'), st)).toBe(0);
    const buf = h.alloc(64);
    expect(h.call('getcwd', buf, 64)).toBe(7);
    expect(h.readStr(buf)).toBe('/tmp/d');
  });

  it('getcwd fails with ERANGE for a small buffer and ENOENT once the directory is gone', () => {
    const h = new Harness();
    h.call('mkdir', h.str('/tmp/d'), 0o755);
    h.call('chdir', h.str('/tmp/d'));
    expect(h.call('getcwd', h.alloc(8), 6)).toBe(-Errno.ERANGE);
    expect(h.call('getcwd', UNMAPPED, 64)).toBe(-Errno.EFAULT);
    expect(h.call('rmdir', h.str('/tmp/d'))).toBe(0);
    expect(h.call('getcwd', h.alloc(64), 64)).toBe(-Errno.ENOENT);
  });

  it('chdir and fchdir refuse files and fchdir bad descriptors', () => {
    const h = new Harness();
    touch(h, '/tmp/f');
    expect(h.call('chdir', h.str('/tmp/f'))).toBe(-Errno.ENOTDIR);
    expect(h.call('chdir', h.str('/none'))).toBe(-Errno.ENOENT);
    const file = h.call('open', h.str('/tmp/f'), O_RDONLY) as number;
    expect(h.call('fchdir', file)).toBe(-Errno.ENOTDIR);
    expect(h.call('fchdir', 99)).toBe(-Errno.EBADF);
    const dir = h.call('open', h.str('/proc'), O_RDONLY) as number;
    expect(h.call('fchdir', dir)).toBe(0);
    const buf = h.alloc(16);
    h.call('getcwd', buf, 16);
    expect(h.readStr(buf)).toBe('/proc');
  });

  it('a user may not enter a directory without search permission', () => {
    const h = new Harness();
    h.call('mkdir', h.str('/tmp/closed'), 0o700);
    const user = new Harness(1000, 1000);
    user.call('mkdir', user.str('/tmp/x'), 0o600);
    expect(user.call('chdir', user.str('/tmp/x'))).toBe(-Errno.EACCES);
  });
});

describe('umask', () => {
  it('returns the old mask, keeps only permission bits, and applies to new files', () => {
    const h = new Harness();
    expect(h.call('umask', 0o7077)).toBe(0o022);
    expect(h.call('umask', 0o077)).toBe(0o077);
    touch(h, '/tmp/f');
    const st = h.alloc(144);
    h.call('stat', h.str('/tmp/f'), st);
    expect(h.i32(st + 24) & 0o777).toBe(0o600);
  });
});
