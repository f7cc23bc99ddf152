import { describe, expect, it } from 'vitest';
import {
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  S_IFLNK,
  S_IFREG,
} from '../../src/fs/abi.ts';
import { DirInode } from '../../src/fs/inode.ts';
import type { OpenFile } from '../../src/fs/open-file.ts';
import { Errno } from '../../src/linux/errno.ts';
import { bytes, ok, readAll, setup, text } from './helpers.ts';

function names(file: OpenFile): string[] {
  const data = ok(file.getdents(4096));
  const view = new DataView(data.buffer);
  const out: string[] = [];
  for (let at = 0; at < data.length; at += view.getUint16(at + 16, true)) {
    const name = data.subarray(at + 19);
    out.push(text(name.subarray(0, name.indexOf(0))));
  }
  return out;
}

describe('/proc', () => {
  it('generates cpuinfo, meminfo and uptime from the provider when opened', () => {
    const { fs, root } = setup();
    expect(readAll(ok(fs.open(root, '/proc/cpuinfo', O_RDONLY, 0)))).toBe('processor\t: 0\n');
    expect(readAll(ok(fs.open(root, '/proc/meminfo', O_RDONLY, 0)))).toMatch(/^MemTotal/);
    expect(readAll(ok(fs.open(root, '/proc/uptime', O_RDONLY, 0)))).toBe('12.34 5.67\n');
  });

  it('keeps the text of an open file fixed while it is read', () => {
    const { fs, root, proc } = setup();
    const file = ok(fs.open(root, '/proc/self/status', O_RDONLY, 0));
    const head = new Uint8Array(5);
    file.read(head);
    proc.status = () => 'changed';
    expect(text(head) + readAll(file)).toBe('Name:\tprog\nPid:\t42\n');
    expect(readAll(ok(fs.open(root, '/proc/self/status', O_RDONLY, 0)))).toBe('changed');
  });

  it('serves /proc/self/maps with pread', () => {
    const { fs, root } = setup();
    const file = ok(fs.open(root, '/proc/self/maps', O_RDONLY, 0));
    const buf = new Uint8Array(8);
    expect(file.pread(buf, 0)).toBe(8);
    expect(text(buf)).toBe('00400000');
  });

  it('refuses writes to its files and new names in its directories', () => {
    const { fs, root, user } = setup();
    expect(fs.open(user, '/proc/meminfo', O_WRONLY, 0)).toBe(-Errno.EACCES);
    expect(ok(fs.open(root, '/proc/meminfo', O_WRONLY, 0)).write(bytes('x'))).toBe(-Errno.EINVAL);
    expect(fs.open(root, '/proc/new', O_WRONLY | 0o100, 0o644)).toBe(-Errno.EACCES);
  });

  it('makes /proc/self/exe lead to the program path', () => {
    const { fs, root, proc } = setup();
    const prog = fs.addFile('/bin/prog', bytes('\x7fELF'), 0o755);
    expect(fs.readlink(root, '/proc/self/exe')).toBe('/bin/prog');
    expect(fs.resolve(root, '/proc/self/exe')).toBe(prog);
    proc.exe = '/elsewhere';
    expect(fs.resolve(root, '/proc/self/exe')).toBe(-Errno.ENOENT);
  });

  it('lists and names open descriptors under /proc/self/fd', () => {
    const { fs, root, proc } = setup();
    const table = proc.table!;
    table.install(ok(fs.open(root, '/dev/null', O_RDONLY, 0)), false);
    const [r, w] = fs.pipe(0);
    table.install(r, false);
    table.install(w, false);
    fs.addFile('/tmp/x', bytes('x'));
    table.install(ok(fs.open(root, '/tmp/x', O_RDWR, 0)), false);
    const dir = ok(fs.open(root, '/proc/self/fd', O_RDONLY, 0));
    expect(names(dir)).toEqual(['.', '..', '0', '1', '2', '3']);
    expect(fs.readlink(root, '/proc/self/fd/0')).toBe('/dev/null');
    expect(fs.readlink(root, '/proc/self/fd/1')).toBe(`pipe:[${r.inode.ino}]`);
    expect(fs.readlink(root, '/proc/self/fd/3')).toBe('/tmp/x');
    fs.unlink(root, '/tmp/x');
    expect(fs.readlink(root, '/proc/self/fd/3')).toBe('/tmp/x (deleted)');
    expect(fs.readlink(root, '/proc/self/fd/9')).toBe(-Errno.ENOENT);
    expect(ok(fs.stat(root, '/proc/self/fd/0', false)).mode).toBe(S_IFLNK | 0o500);
  });

  it('reopens pipes and removed files through their /proc/self/fd links', () => {
    const { fs, root, proc } = setup();
    const table = proc.table!;
    const [r, w] = fs.pipe(0);
    table.install(r, false);
    table.install(w, false);
    const again = ok(fs.open(root, '/dev/fd/1', O_WRONLY, 0));
    expect(again.inode).toBe(w.inode);
    expect(again).not.toBe(w);
    again.write(bytes('via /dev/fd'));
    expect(readAll(r)).toBe('via /dev/fd');
    fs.addFile('/tmp/gone', bytes('kept'));
    table.install(ok(fs.open(root, '/tmp/gone', O_RDONLY, 0)), false);
    fs.unlink(root, '/tmp/gone');
    expect(readAll(ok(fs.open(root, '/proc/self/fd/2', O_RDONLY, 0)))).toBe('kept');
  });

  it('connects /dev/stdin, stdout and stderr to descriptors 0 to 2', () => {
    const { fs, root, proc } = setup();
    const input = fs.createHostInput();
    input.feed(fs, bytes('typed'));
    input.close(fs);
    proc.table!.install(fs.openInode(input, O_RDONLY, 'pipe:[1]'), false);
    expect(readAll(ok(fs.open(root, '/dev/stdin', O_RDONLY, 0)))).toBe('typed');
    expect(fs.readlink(root, '/dev/stdout')).toBe('/proc/self/fd/1');
    expect(fs.open(root, '/dev/stdout', O_WRONLY, 0)).toBe(-Errno.ENOENT);
  });

  it('opens a magic link itself with O_PATH | O_NOFOLLOW', () => {
    const { fs, root, proc } = setup();
    proc.table!.install(ok(fs.open(root, '/dev/null', O_RDONLY, 0)), false);
    const link = ok(fs.open(root, '/proc/self/fd/0', O_PATH | O_NOFOLLOW, 0));
    expect(link.inode.type).toBe(S_IFLNK);
  });

  it('has /proc and /proc/self as directories on their own device', () => {
    const { fs, root } = setup();
    const procDir = ok(fs.resolve(root, '/proc'));
    expect(procDir).toBeInstanceOf(DirInode);
    expect(procDir.dev).not.toBe(fs.root.dev);
    expect(ok(fs.resolve(root, '/proc/self/maps')).type).toBe(S_IFREG);
  });
});
