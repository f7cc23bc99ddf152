import { describe, expect, it } from 'vitest';
import {
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_LARGEFILE,
  O_RDONLY,
  O_RDWR,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
  S_IFREG,
} from '../../src/fs/abi.ts';
import { Errno } from '../../src/linux/errno.ts';
import { bytes, ok, readAll, setup } from './helpers.ts';

describe('open', () => {
  it('creates a file with the mode masked by the umask, owned by the caller', () => {
    const { fs, user } = setup();
    const file = ok(fs.open(user, '/tmp/new', O_WRONLY | O_CREAT, 0o666));
    expect(file.inode.mode).toBe(S_IFREG | 0o644);
    expect(file.inode.uid).toBe(1000);
    expect(file.inode.gid).toBe(1000);
    expect(file.path).toBe('/tmp/new');
  });

  it('keeps the status flags but not the creation flags or O_CLOEXEC', () => {
    const { fs, root } = setup();
    const file = ok(
      fs.open(root, '/tmp/f', O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600),
    );
    expect(file.flags).toBe(O_RDWR | O_APPEND | O_LARGEFILE);
  });

  it('fails with EEXIST under O_EXCL, even for a dangling link', () => {
    const { fs, root } = setup();
    fs.addFile('/tmp/f', bytes('x'));
    expect(fs.open(root, '/tmp/f', O_WRONLY | O_CREAT | O_EXCL, 0o644)).toBe(-Errno.EEXIST);
    fs.symlink(root, '/tmp/none', '/tmp/l');
    expect(fs.open(root, '/tmp/l', O_WRONLY | O_CREAT | O_EXCL, 0o644)).toBe(-Errno.EEXIST);
  });

  it('creates the target of a dangling link without O_EXCL', () => {
    const { fs, root } = setup();
    fs.symlink(root, 'target', '/tmp/l');
    const file = ok(fs.open(root, '/tmp/l', O_WRONLY | O_CREAT, 0o644));
    expect(file.path).toBe('/tmp/target');
    expect(fs.resolve(root, '/tmp/target')).toBe(file.inode);
  });

  it('opens an existing file without touching it, and O_TRUNC empties it', () => {
    const { fs, root } = setup();
    fs.addFile('/tmp/f', bytes('hello'));
    expect(readAll(ok(fs.open(root, '/tmp/f', O_RDONLY | O_CREAT, 0o644)))).toBe('hello');
    const file = ok(fs.open(root, '/tmp/f', O_WRONLY | O_TRUNC, 0));
    expect(file.inode.size()).toBe(0);
  });

  it('reports ENOENT without O_CREAT and ENOENT for a missing parent', () => {
    const { fs, root } = setup();
    expect(fs.open(root, '/tmp/none', O_RDONLY, 0)).toBe(-Errno.ENOENT);
    expect(fs.open(root, '/tmp/no/f', O_WRONLY | O_CREAT, 0o644)).toBe(-Errno.ENOENT);
  });

  it('refuses to create with a trailing slash or on . with EISDIR', () => {
    const { fs, root } = setup();
    expect(fs.open(root, '/tmp/new/', O_WRONLY | O_CREAT, 0o644)).toBe(-Errno.EISDIR);
    expect(fs.open(root, '/tmp/.', O_RDONLY | O_CREAT, 0o644)).toBe(-Errno.EISDIR);
    expect(fs.open(root, '/tmp', O_RDONLY | O_CREAT, 0o644)).toBe(-Errno.EISDIR);
  });

  it('opens a directory read-only but not for writing', () => {
    const { fs, root } = setup();
    expect(ok(fs.open(root, '/tmp', O_RDONLY | O_DIRECTORY, 0)).path).toBe('/tmp');
    expect(fs.open(root, '/tmp', O_WRONLY, 0)).toBe(-Errno.EISDIR);
    expect(fs.open(root, '/tmp', O_RDWR, 0)).toBe(-Errno.EISDIR);
  });

  it('gives ENOTDIR for O_DIRECTORY on a file and EINVAL for O_CREAT | O_DIRECTORY', () => {
    const { fs, root } = setup();
    fs.addFile('/tmp/f', bytes('x'));
    expect(fs.open(root, '/tmp/f', O_RDONLY | O_DIRECTORY, 0)).toBe(-Errno.ENOTDIR);
    expect(fs.open(root, '/tmp/g', O_RDONLY | O_CREAT | O_DIRECTORY, 0)).toBe(-Errno.EINVAL);
  });

  it('refuses O_TMPFILE as unsupported', () => {
    const { fs, root } = setup();
    expect(fs.open(root, '/tmp', O_RDWR | O_TMPFILE, 0o600)).toBe(-Errno.EOPNOTSUPP);
  });

  it('checks read and write permission for the caller, root bypassing', () => {
    const { fs, root, user } = setup();
    fs.addFile('/tmp/secret', bytes('s'), 0o600);
    expect(fs.open(user, '/tmp/secret', O_RDONLY, 0)).toBe(-Errno.EACCES);
    expect(fs.open(user, '/tmp/secret', O_WRONLY, 0)).toBe(-Errno.EACCES);
    fs.addFile('/tmp/public', bytes('p'), 0o644);
    expect(fs.open(user, '/tmp/public', O_RDONLY, 0)).not.toBeTypeOf('number');
    expect(fs.open(user, '/tmp/public', O_RDWR, 0)).toBe(-Errno.EACCES);
    expect(fs.open(user, '/tmp/public', O_RDONLY | O_TRUNC, 0)).toBe(-Errno.EACCES);
    fs.addFile('/tmp/none', bytes('n'), 0o000);
    expect(fs.open(root, '/tmp/none', O_RDWR, 0)).not.toBeTypeOf('number');
  });

  it('lets a creator open a file whose new mode denies it access', () => {
    const { fs, user } = setup();
    const file = ok(fs.open(user, '/tmp/ro', O_RDWR | O_CREAT, 0o444));
    expect(file.write(bytes('ok'))).toBe(2);
    expect(fs.open(user, '/tmp/ro', O_RDWR, 0)).toBe(-Errno.EACCES);
  });

  it('needs write permission on the directory to create', () => {
    const { fs, root, user } = setup();
    fs.mkdir(root, '/ro', 0o755);
    expect(fs.open(user, '/ro/f', O_WRONLY | O_CREAT, 0o644)).toBe(-Errno.EACCES);
  });

  it('inherits the group of a set-group-ID directory', () => {
    const { fs, root, user } = setup();
    fs.mkdir(root, '/shared', 0o777);
    fs.chmod(root, '/shared', 0o2777);
    const dir = ok(fs.resolve(root, '/shared'));
    dir.gid = 77;
    expect(ok(fs.open(user, '/shared/f', O_WRONLY | O_CREAT, 0o644)).inode.gid).toBe(77);
    fs.mkdir(user, '/shared/sub', 0o755);
    const sub = ok(fs.resolve(root, '/shared/sub'));
    expect(sub.gid).toBe(77);
    expect(sub.mode & 0o2000).toBe(0o2000);
  });

  it('updates the directory times when a file is created', () => {
    const { fs, root, clock } = setup();
    clock.advance(10);
    fs.open(root, '/tmp/f', O_WRONLY | O_CREAT, 0o644);
    const tmp = ok(fs.resolve(root, '/tmp'));
    expect(tmp.mtimeSec).toBe(1_700_000_010);
    expect(tmp.ctimeSec).toBe(1_700_000_010);
  });
});
