import { describe, expect, it } from 'vitest';
import { O_RDONLY, S_IFDIR, S_IFLNK } from '../../src/fs/abi.ts';
import { DirInode, RegularInode } from '../../src/fs/inode.ts';
import { bytes, ok, readAll, setup } from './helpers.ts';

describe('the initial tree', () => {
  it('has /tmp world-writable and sticky, and /dev/shm likewise', () => {
    const { fs, root } = setup();
    expect(ok(fs.stat(root, '/tmp')).mode).toBe(S_IFDIR | 0o1777);
    expect(ok(fs.stat(root, '/dev/shm')).mode).toBe(S_IFDIR | 0o1777);
    expect(ok(fs.stat(root, '/')).mode).toBe(S_IFDIR | 0o755);
  });

  it('links /dev/std* and /dev/fd into /proc/self/fd', () => {
    const { fs, root } = setup();
    expect(fs.readlink(root, '/dev/stdin')).toBe('/proc/self/fd/0');
    expect(fs.readlink(root, '/dev/stdout')).toBe('/proc/self/fd/1');
    expect(fs.readlink(root, '/dev/stderr')).toBe('/proc/self/fd/2');
    expect(fs.readlink(root, '/dev/fd')).toBe('/proc/self/fd');
    expect(ok(fs.stat(root, '/dev/fd', false)).mode).toBe(S_IFLNK | 0o777);
  });

  it('counts subdirectories in the root link count', () => {
    const { fs } = setup();
    expect(fs.root.nlink).toBe(2 + 3);
    expect(fs.root.parent).toBe(fs.root);
  });

  it('gives every inode a distinct number', () => {
    const { fs, root } = setup();
    const inos = ['/', '/tmp', '/dev', '/dev/null', '/proc', '/proc/self'].map(
      (p) => ok(fs.stat(root, p)).ino,
    );
    expect(new Set(inos).size).toBe(inos.length);
  });
});

describe('addFile', () => {
  it('places a file and creates its parent directories', () => {
    const { fs, root } = setup();
    const file = fs.addFile('/usr/local/bin/tool', bytes('#!'), 0o755);
    expect(file).toBeInstanceOf(RegularInode);
    expect(ok(fs.stat(root, '/usr/local/bin/tool')).mode & 0o777).toBe(0o755);
    expect(ok(fs.resolve(root, '/usr/local'))).toBeInstanceOf(DirInode);
    expect(readAll(ok(fs.open(root, '/usr/local/bin/tool', O_RDONLY, 0)))).toBe('#!');
  });

  it('replaces an earlier file at the same path', () => {
    const { fs, root } = setup();
    fs.addFile('/etc/conf', bytes('old'));
    fs.addFile('/etc/conf', bytes('new'));
    expect(readAll(ok(fs.open(root, '/etc/conf', O_RDONLY, 0)))).toBe('new');
  });

  it('throws for relative paths and paths through files', () => {
    const { fs } = setup();
    fs.addFile('/f', bytes('x'));
    expect(() => fs.addFile('rel', bytes('x'))).toThrow(/absolute/);
    expect(() => fs.addFile('/f/g', bytes('x'))).toThrow(/not a directory/);
    expect(() => fs.addFile('/tmp', bytes('x'))).toThrow(/something else/);
  });
});

describe('re-attaching host services', () => {
  it('uses the new clock after attach', () => {
    const { fs, proc } = setup();
    const random = { fill: (d: Uint8Array) => d.fill(7) };
    fs.attach({ clock: { realtimeNs: () => 5e9 }, random, proc });
    const file = fs.addFile('/tmp/late', bytes('x'));
    expect(file.mtimeSec).toBe(5);
  });
});
