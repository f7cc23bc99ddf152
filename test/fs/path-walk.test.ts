import { describe, expect, it } from 'vitest';
import { O_CREAT, O_DIRECTORY, O_NOFOLLOW, O_PATH, O_RDONLY, O_WRONLY } from '../../src/fs/abi.ts';
import { DirInode, RegularInode, SymlinkInode } from '../../src/fs/inode.ts';
import { Errno } from '../../src/linux/errno.ts';
import { USER, ok, setup } from './helpers.ts';

describe('path resolution', () => {
  it('resolves absolute paths and collapses repeated slashes', () => {
    const { fs, root } = setup();
    fs.addFile('/a/b/c.txt', new Uint8Array(3));
    const inode = fs.resolve(root, '//a///b/c.txt');
    expect(inode).toBeInstanceOf(RegularInode);
    expect(fs.resolve(root, '/')).toBe(fs.root);
  });

  it('resolves relative paths from the context directory, with . and ..', () => {
    const { fs, root } = setup();
    const file = fs.addFile('/a/b/c.txt', new Uint8Array(3));
    const b = ok(fs.resolve(root, '/a/b')) as DirInode;
    expect(fs.resolve({ ...root, cwd: b }, 'c.txt')).toBe(file);
    expect(fs.resolve({ ...root, cwd: b }, './../b/./c.txt')).toBe(file);
    expect(fs.resolve({ ...root, cwd: b }, '..')).toBe(b.parent);
  });

  it('keeps .. at the root on the root', () => {
    const { fs, root } = setup();
    expect(fs.resolve(root, '/../../..')).toBe(fs.root);
    expect(fs.resolve(root, '/../tmp')).toBe(fs.resolve(root, '/tmp'));
  });

  it('reports ENOENT for a missing name and for the empty path', () => {
    const { fs, root } = setup();
    expect(fs.resolve(root, '/nope')).toBe(-Errno.ENOENT);
    expect(fs.resolve(root, '/nope/deeper')).toBe(-Errno.ENOENT);
    expect(fs.resolve(root, '')).toBe(-Errno.ENOENT);
  });

  it('reports ENOTDIR when a file is used as a directory', () => {
    const { fs, root } = setup();
    fs.addFile('/f', new Uint8Array(1));
    expect(fs.resolve(root, '/f/x')).toBe(-Errno.ENOTDIR);
    expect(fs.resolve(root, '/f/')).toBe(-Errno.ENOTDIR);
    expect(fs.resolve(root, '/f/.')).toBe(-Errno.ENOTDIR);
  });

  it('accepts a trailing slash on a directory', () => {
    const { fs, root } = setup();
    expect(fs.resolve(root, '/tmp/')).toBeInstanceOf(DirInode);
  });

  it('reports ENAMETOOLONG for a long component or path', () => {
    const { fs, root } = setup();
    expect(fs.resolve(root, '/tmp/' + 'x'.repeat(256))).toBe(-Errno.ENAMETOOLONG);
    expect(fs.resolve(root, '/tmp/' + 'x'.repeat(255))).toBe(-Errno.ENOENT);
    expect(fs.resolve(root, '/' + 'a/'.repeat(2048))).toBe(-Errno.ENAMETOOLONG);
  });

  it('follows symbolic links in the middle and at the end', () => {
    const { fs, root } = setup();
    const file = fs.addFile('/data/real/f', new Uint8Array(1));
    expect(fs.symlink(root, 'real', '/data/rel')).toBe(0);
    expect(fs.symlink(root, '/data/real/f', '/data/abs')).toBe(0);
    expect(fs.resolve(root, '/data/rel/f')).toBe(file);
    expect(fs.resolve(root, '/data/abs')).toBe(file);
    expect(fs.resolve(root, '/data/abs', false)).toBeInstanceOf(SymlinkInode);
  });

  it('follows a final link when the path has a trailing slash, even without follow', () => {
    const { fs, root } = setup();
    fs.symlink(root, '/tmp', '/t');
    expect(fs.resolve(root, '/t/', false)).toBe(fs.resolve(root, '/tmp'));
  });

  it('gives ELOOP after 40 links and for a link to itself', () => {
    const { fs, root } = setup();
    fs.symlink(root, '/l0', '/self');
    fs.symlink(root, 'self', '/l0');
    expect(fs.resolve(root, '/self')).toBe(-Errno.ELOOP);
    fs.addFile('/chain/target', new Uint8Array(1));
    fs.symlink(root, 'target', '/chain/n0');
    for (let i = 1; i <= 40; i++) fs.symlink(root, `n${i - 1}`, `/chain/n${i}`);
    expect(fs.resolve(root, '/chain/n39')).toBeInstanceOf(RegularInode);
    expect(fs.resolve(root, '/chain/n40')).toBe(-Errno.ELOOP);
  });

  it('treats a dangling link as ENOENT', () => {
    const { fs, root } = setup();
    fs.symlink(root, '/missing', '/dangling');
    expect(fs.resolve(root, '/dangling')).toBe(-Errno.ENOENT);
    expect(fs.resolve(root, '/dangling', false)).toBeInstanceOf(SymlinkInode);
  });

  it('needs search permission on every directory passed through', () => {
    const { fs, root, user } = setup();
    fs.addFile('/locked/inner/f', new Uint8Array(1));
    expect(fs.chmod(root, '/locked', 0o700)).toBe(0);
    expect(fs.resolve(user, '/locked/inner/f')).toBe(-Errno.EACCES);
    expect(fs.resolve(user, '/locked')).toBeInstanceOf(DirInode);
    expect(fs.resolve(root, '/locked/inner/f')).toBeInstanceOf(RegularInode);
    expect(fs.chmod(root, '/locked', 0o711)).toBe(0);
    expect(fs.resolve(user, '/locked/inner/f')).toBeInstanceOf(RegularInode);
  });

  it('applies O_NOFOLLOW to the last component only', () => {
    const { fs, root } = setup();
    fs.addFile('/d/f', new Uint8Array(1));
    fs.symlink(root, '/d', '/ld');
    fs.symlink(root, '/d/f', '/lf');
    expect(fs.open(root, '/ld/f', O_RDONLY | O_NOFOLLOW, 0)).not.toBeTypeOf('number');
    expect(fs.open(root, '/lf', O_RDONLY | O_NOFOLLOW, 0)).toBe(-Errno.ELOOP);
    expect(fs.open(root, '/lf', O_WRONLY | O_CREAT | O_NOFOLLOW, 0o644)).toBe(-Errno.ELOOP);
  });

  it('opens the link itself with O_PATH | O_NOFOLLOW', () => {
    const { fs, root } = setup();
    fs.symlink(root, '/nowhere', '/l');
    const file = ok(fs.open(root, '/l', O_PATH | O_NOFOLLOW, 0));
    expect(file.inode).toBeInstanceOf(SymlinkInode);
    expect(file.read(new Uint8Array(1))).toBe(-Errno.EBADF);
  });

  it('refuses to start a relative walk from a non-directory', () => {
    const { fs, root } = setup();
    const file = fs.addFile('/f', new Uint8Array(1));
    expect(fs.resolve({ ...root, cwd: file }, 'x')).toBe(-Errno.ENOTDIR);
    expect(fs.resolve({ ...root, cwd: file }, '/tmp')).toBeInstanceOf(DirInode);
  });

  it('finds nothing in a removed directory, though . still names it', () => {
    const { fs, root } = setup();
    fs.mkdir(root, '/gone', 0o755);
    const gone = ok(fs.resolve(root, '/gone')) as DirInode;
    expect(fs.rmdir(root, '/gone')).toBe(0);
    const inGone = { ...root, cwd: gone };
    expect(fs.resolve(inGone, '.')).toBe(gone);
    expect(fs.open(inGone, 'new', O_WRONLY | O_CREAT, 0o644)).toBe(-Errno.ENOENT);
    expect(fs.cwdPath(gone)).toBe(-Errno.ENOENT);
  });

  it('uses USER credentials without root bypass', () => {
    const { fs, root, user } = setup();
    fs.mkdir(root, '/private', 0o700);
    expect(user.cred).toBe(USER);
    expect(fs.open(user, '/private', O_RDONLY | O_DIRECTORY, 0)).toBe(-Errno.EACCES);
  });
});
