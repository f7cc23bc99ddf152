import { describe, expect, it } from 'vitest';
import {
  AT_SYMLINK_FOLLOW,
  O_RDONLY,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  RENAME_WHITEOUT,
  S_IFDIR,
} from '../../src/fs/abi.ts';
import { DirInode, RegularInode, SymlinkInode } from '../../src/fs/inode.ts';
import { Errno } from '../../src/linux/errno.ts';
import { OTHER, bytes, ok, readAll, setup } from './helpers.ts';

describe('mkdir and rmdir', () => {
  it('makes a directory with the umask applied and counts its link in the parent', () => {
    const { fs, root } = setup();
    const tmp = ok(fs.resolve(root, '/tmp'));
    const before = tmp.nlink;
    expect(fs.mkdir(root, '/tmp/d/', 0o777)).toBe(0);
    const dir = ok(fs.resolve(root, '/tmp/d'));
    expect(dir.mode).toBe(S_IFDIR | 0o755);
    expect(dir.nlink).toBe(2);
    expect(tmp.nlink).toBe(before + 1);
  });

  it('reports EEXIST for an existing name, . and /', () => {
    const { fs, root } = setup();
    expect(fs.mkdir(root, '/tmp', 0o755)).toBe(-Errno.EEXIST);
    expect(fs.mkdir(root, '/tmp/.', 0o755)).toBe(-Errno.EEXIST);
    expect(fs.mkdir(root, '/', 0o755)).toBe(-Errno.EEXIST);
  });

  it('removes an empty directory and refuses a full one', () => {
    const { fs, root } = setup();
    fs.mkdir(root, '/tmp/d', 0o755);
    fs.addFile('/tmp/d/f', bytes('x'));
    expect(fs.rmdir(root, '/tmp/d')).toBe(-Errno.ENOTEMPTY);
    expect(fs.unlink(root, '/tmp/d/f')).toBe(0);
    expect(fs.rmdir(root, '/tmp/d')).toBe(0);
    expect(fs.resolve(root, '/tmp/d')).toBe(-Errno.ENOENT);
  });

  it('gives rmdir Linux errors for ., .., /, files and mount points', () => {
    const { fs, root } = setup();
    fs.mkdir(root, '/tmp/d', 0o755);
    fs.addFile('/tmp/f', bytes('x'));
    expect(fs.rmdir(root, '/tmp/d/.')).toBe(-Errno.EINVAL);
    expect(fs.rmdir(root, '/tmp/d/..')).toBe(-Errno.ENOTEMPTY);
    expect(fs.rmdir(root, '/')).toBe(-Errno.EBUSY);
    expect(fs.rmdir(root, '/tmp/f')).toBe(-Errno.ENOTDIR);
    expect(fs.rmdir(root, '/proc')).toBe(-Errno.EBUSY);
    expect(fs.rmdir(root, '/tmp/none')).toBe(-Errno.ENOENT);
  });
});

describe('unlink', () => {
  it('removes a name and keeps the data while a description is open', () => {
    const { fs, root } = setup();
    fs.addFile('/tmp/f', bytes('still here'));
    const file = ok(fs.open(root, '/tmp/f', O_RDONLY, 0));
    expect(fs.unlink(root, '/tmp/f')).toBe(0);
    expect(file.inode.nlink).toBe(0);
    expect(readAll(file)).toBe('still here');
    file.unref();
    expect((file.inode as RegularInode).body.size).toBe(0);
  });

  it('gives EISDIR for directories and ENOTDIR for a file with a trailing slash', () => {
    const { fs, root } = setup();
    fs.addFile('/tmp/f', bytes('x'));
    expect(fs.unlink(root, '/tmp')).toBe(-Errno.EISDIR);
    expect(fs.unlink(root, '/')).toBe(-Errno.EISDIR);
    expect(fs.unlink(root, '/tmp/f/')).toBe(-Errno.ENOTDIR);
    expect(fs.unlink(root, '/tmp/none')).toBe(-Errno.ENOENT);
  });

  it('removes a link, not its target', () => {
    const { fs, root } = setup();
    fs.addFile('/tmp/f', bytes('x'));
    fs.symlink(root, '/tmp/f', '/tmp/l');
    expect(fs.unlink(root, '/tmp/l')).toBe(0);
    expect(fs.resolve(root, '/tmp/f')).toBeInstanceOf(RegularInode);
  });

  it('honours the sticky bit of /tmp', () => {
    const { fs, user } = setup();
    const other = { ...user, cred: OTHER };
    ok(fs.open(user, '/tmp/mine', 0o101, 0o666));
    expect(fs.unlink(other, '/tmp/mine')).toBe(-Errno.EPERM);
    expect(fs.rename(other, '/tmp/mine', '/tmp/theirs')).toBe(-Errno.EPERM);
    expect(fs.unlink(user, '/tmp/mine')).toBe(0);
  });

  it('refuses changes inside /proc', () => {
    const { fs, root } = setup();
    expect(fs.unlink(root, '/proc/meminfo')).toBe(-Errno.EPERM);
    expect(fs.mkdir(root, '/proc/x', 0o755)).toBe(-Errno.EACCES);
  });
});

describe('rename', () => {
  it('moves a file and replaces an existing one', () => {
    const { fs, root } = setup();
    fs.addFile('/tmp/a', bytes('A'));
    fs.addFile('/tmp/b', bytes('B'));
    expect(fs.rename(root, '/tmp/a', '/tmp/b')).toBe(0);
    expect(fs.resolve(root, '/tmp/a')).toBe(-Errno.ENOENT);
    expect(readAll(ok(fs.open(root, '/tmp/b', O_RDONLY, 0)))).toBe('A');
  });

  it('moves a directory to a new parent and fixes the link counts and ..', () => {
    const { fs, root } = setup();
    fs.mkdir(root, '/x', 0o755);
    fs.mkdir(root, '/y', 0o755);
    fs.mkdir(root, '/x/d', 0o755);
    expect(fs.rename(root, '/x/d', '/y/d')).toBe(0);
    const d = ok(fs.resolve(root, '/y/d')) as DirInode;
    expect(d.parent).toBe(fs.resolve(root, '/y'));
    expect(ok(fs.resolve(root, '/x')).nlink).toBe(2);
    expect(ok(fs.resolve(root, '/y')).nlink).toBe(3);
    expect(d.path()).toBe('/y/d');
  });

  it('refuses to move a directory into itself with EINVAL', () => {
    const { fs, root } = setup();
    fs.mkdir(root, '/a', 0o755);
    fs.mkdir(root, '/a/b', 0o755);
    expect(fs.rename(root, '/a', '/a/b/c')).toBe(-Errno.EINVAL);
    expect(fs.rename(root, '/a/b', '/a')).toBe(-Errno.ENOTEMPTY);
  });

  it('checks the kinds of the two names', () => {
    const { fs, root } = setup();
    fs.mkdir(root, '/d', 0o755);
    fs.mkdir(root, '/full', 0o755);
    fs.addFile('/full/f', bytes('x'));
    fs.addFile('/f', bytes('x'));
    expect(fs.rename(root, '/f', '/d')).toBe(-Errno.EISDIR);
    expect(fs.rename(root, '/d', '/f')).toBe(-Errno.ENOTDIR);
    expect(fs.rename(root, '/d', '/full')).toBe(-Errno.ENOTEMPTY);
    expect(fs.rename(root, '/f/', '/g')).toBe(-Errno.ENOTDIR);
    expect(fs.rename(root, '/none', '/g')).toBe(-Errno.ENOENT);
    expect(fs.rename(root, '/tmp/.', '/g')).toBe(-Errno.EBUSY);
    expect(fs.rename(root, '/f', '/proc/f')).toBe(-Errno.EXDEV);
  });

  it('replaces an empty directory with a directory', () => {
    const { fs, root } = setup();
    fs.mkdir(root, '/a', 0o755);
    fs.mkdir(root, '/b', 0o755);
    const a = ok(fs.resolve(root, '/a'));
    expect(fs.rename(root, '/a', '/b')).toBe(0);
    expect(fs.resolve(root, '/b')).toBe(a);
  });

  it('does nothing when both names are links to one inode', () => {
    const { fs, root } = setup();
    fs.addFile('/f', bytes('x'));
    fs.link(root, '/f', '/g');
    expect(fs.rename(root, '/f', '/g')).toBe(0);
    expect(fs.resolve(root, '/f')).toBeInstanceOf(RegularInode);
  });

  it('supports RENAME_NOREPLACE and RENAME_EXCHANGE', () => {
    const { fs, root } = setup();
    const a = fs.addFile('/a', bytes('A'));
    fs.mkdir(root, '/b', 0o755);
    const b = ok(fs.resolve(root, '/b'));
    expect(fs.rename(root, '/a', '/b', RENAME_NOREPLACE)).toBe(-Errno.EEXIST);
    expect(fs.rename(root, '/a', '/c', RENAME_EXCHANGE)).toBe(-Errno.ENOENT);
    expect(fs.rename(root, '/a', '/b', RENAME_EXCHANGE)).toBe(0);
    expect(fs.resolve(root, '/a')).toBe(b);
    expect(fs.resolve(root, '/b')).toBe(a);
    expect(fs.rename(root, '/a', '/b', RENAME_EXCHANGE | RENAME_NOREPLACE)).toBe(-Errno.EINVAL);
    expect(fs.rename(root, '/a', '/b', RENAME_WHITEOUT)).toBe(-Errno.EINVAL);
    expect(fs.rename(root, '/a', '/b', 8)).toBe(-Errno.EINVAL);
  });

  it('renames relative to a second start directory', () => {
    const { fs, root } = setup();
    fs.addFile('/a', bytes('A'));
    expect(fs.rename(root, 'a', 'moved', 0, ok(fs.resolve(root, '/tmp')))).toBe(0);
    expect(fs.resolve(root, '/tmp/moved')).toBeInstanceOf(RegularInode);
  });
});

describe('link, symlink and readlink', () => {
  it('adds a hard link and counts it', () => {
    const { fs, root } = setup();
    const f = fs.addFile('/f', bytes('x'));
    expect(fs.link(root, '/f', '/tmp/g')).toBe(0);
    expect(f.nlink).toBe(2);
    expect(fs.resolve(root, '/tmp/g')).toBe(f);
  });

  it('refuses directories, existing names, other devices and bad flags', () => {
    const { fs, root } = setup();
    fs.addFile('/f', bytes('x'));
    expect(fs.link(root, '/tmp', '/t2')).toBe(-Errno.EPERM);
    expect(fs.link(root, '/f', '/tmp')).toBe(-Errno.EEXIST);
    expect(fs.link(root, '/proc/meminfo', '/m')).toBe(-Errno.EXDEV);
    expect(fs.link(root, '/f', '/g', 0x8000)).toBe(-Errno.EINVAL);
    expect(fs.link(root, '/f', '/g/')).toBe(-Errno.ENOENT);
  });

  it('links a symbolic link itself unless AT_SYMLINK_FOLLOW', () => {
    const { fs, root } = setup();
    const f = fs.addFile('/f', bytes('x'));
    fs.symlink(root, '/f', '/l');
    fs.link(root, '/l', '/l2');
    expect(fs.resolve(root, '/l2', false)).toBeInstanceOf(SymlinkInode);
    fs.link(root, '/l', '/f2', AT_SYMLINK_FOLLOW);
    expect(fs.resolve(root, '/f2', false)).toBe(f);
  });

  it('makes links whose text readlink returns', () => {
    const { fs, root } = setup();
    expect(fs.symlink(root, '../some/where', '/tmp/l')).toBe(0);
    expect(fs.readlink(root, '/tmp/l')).toBe('../some/where');
    expect(ok(fs.stat(root, '/tmp/l', false)).size).toBe(13);
    expect(fs.readlink(root, '/tmp')).toBe(-Errno.EINVAL);
    expect(fs.symlink(root, '', '/tmp/e')).toBe(-Errno.ENOENT);
    expect(fs.symlink(root, 'x', '/tmp/l')).toBe(-Errno.EEXIST);
  });
});
