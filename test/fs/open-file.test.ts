import { describe, expect, it } from 'vitest';
import {
  FIONREAD,
  O_APPEND,
  O_CREAT,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  SEEK_CUR,
  SEEK_DATA,
  SEEK_END,
  SEEK_HOLE,
  SEEK_SET,
  TCGETS,
  TIOCGWINSZ,
} from '../../src/fs/abi.ts';
import { TerminalSize } from '../../src/fs/inode.ts';
import { MAX_FILE_SIZE } from '../../src/fs/open-file.ts';
import { Errno } from '../../src/linux/errno.ts';
import { bytes, ok, readAll, setup, text } from './helpers.ts';

function rw() {
  const env = setup();
  const file = ok(env.fs.open(env.root, '/tmp/f', O_RDWR | O_CREAT, 0o644));
  return { ...env, file };
}

describe('open file descriptions', () => {
  it('reads back what was written after seeking to the start', () => {
    const { file } = rw();
    expect(file.write(bytes('hello world'))).toBe(11);
    expect(file.offset).toBe(11);
    expect(file.lseek(0, SEEK_SET)).toBe(0);
    expect(readAll(file)).toBe('hello world');
    expect(file.read(new Uint8Array(4))).toBe(0);
  });

  it('reads zeros from a gap written past the end', () => {
    const { file } = rw();
    file.lseek(8192, SEEK_SET);
    file.write(bytes('z'));
    expect(file.inode.size()).toBe(8193);
    const buf = new Uint8Array(10);
    expect(file.pread(buf, 100)).toBe(10);
    expect(buf.every((b) => b === 0)).toBe(true);
  });

  it('positions pread and pwrite without moving the offset', () => {
    const { file } = rw();
    file.write(bytes('abcdef'));
    expect(file.pwrite(bytes('XY'), 2)).toBe(2);
    const buf = new Uint8Array(6);
    expect(file.pread(buf, 0)).toBe(6);
    expect(text(buf)).toBe('abXYef');
    expect(file.offset).toBe(6);
    expect(file.pread(buf, -1)).toBe(-Errno.EINVAL);
  });

  it('appends every write with O_APPEND, pwrite included', () => {
    const { fs, root, file } = rw();
    file.write(bytes('one'));
    const app = ok(fs.open(root, '/tmp/f', O_WRONLY | O_APPEND, 0));
    expect(app.write(bytes('two'))).toBe(3);
    expect(app.pwrite(bytes('3'), 0)).toBe(1);
    expect(file.pread(new Uint8Array(7), 0)).toBe(7);
    const buf = new Uint8Array(7);
    file.pread(buf, 0);
    expect(text(buf)).toBe('onetwo3');
  });

  it('refuses reads on write-only and writes on read-only descriptions with EBADF', () => {
    const { fs, root } = rw();
    const wr = ok(fs.open(root, '/tmp/f', O_WRONLY, 0));
    const rd = ok(fs.open(root, '/tmp/f', O_RDONLY, 0));
    expect(wr.read(new Uint8Array(1))).toBe(-Errno.EBADF);
    expect(rd.write(bytes('x'))).toBe(-Errno.EBADF);
    expect(rd.truncate(0)).toBe(-Errno.EINVAL);
  });

  it('seeks with SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA and SEEK_HOLE', () => {
    const { file } = rw();
    file.write(bytes('0123456789'));
    expect(file.lseek(2, SEEK_SET)).toBe(2);
    expect(file.lseek(3, SEEK_CUR)).toBe(5);
    expect(file.lseek(-1, SEEK_END)).toBe(9);
    expect(file.lseek(-20, SEEK_CUR)).toBe(-Errno.EINVAL);
    expect(file.offset).toBe(9);
    expect(file.lseek(4, SEEK_DATA)).toBe(4);
    expect(file.lseek(4, SEEK_HOLE)).toBe(10);
    expect(file.lseek(10, SEEK_DATA)).toBe(-Errno.ENXIO);
    expect(file.lseek(0, 7)).toBe(-Errno.EINVAL);
  });

  it('refuses to seek a pipe with ESPIPE', () => {
    const { fs } = setup();
    const [r, w] = fs.pipe(0);
    expect(r.lseek(0, SEEK_SET)).toBe(-Errno.ESPIPE);
    expect(w.pwrite(bytes('x'), 0)).toBe(-Errno.ESPIPE);
  });

  it('fails writes past the largest file size with EFBIG', () => {
    const { file } = rw();
    expect(file.pwrite(bytes('x'), MAX_FILE_SIZE)).toBe(-Errno.EFBIG);
  });

  it('truncates through ftruncate and updates mtime', () => {
    const { file, clock } = rw();
    file.write(bytes('0123456789'));
    clock.advance(5);
    expect(file.truncate(4)).toBe(0);
    expect(file.inode.size()).toBe(4);
    expect(file.inode.mtimeSec).toBe(1_700_000_005);
    expect(file.truncate(-1)).toBe(-Errno.EINVAL);
  });

  it('answers ENOTTY to terminal ioctls on files and FIONREAD with the bytes left', () => {
    const { file } = rw();
    file.write(bytes('abcdef'));
    file.lseek(2, SEEK_SET);
    expect(file.ioctl(TCGETS).ret).toBe(-Errno.ENOTTY);
    expect(file.ioctl(TIOCGWINSZ).ret).toBe(-Errno.ENOTTY);
    const r = file.ioctl(FIONREAD);
    expect(new DataView(r.out!.buffer).getInt32(0, true)).toBe(4);
  });

  it('answers terminal ioctls on a stream the host marked as a terminal', () => {
    const { fs } = setup();
    const out = fs.createHostOutput();
    out.terminal = new TerminalSize(24, 80);
    const file = fs.openInode(out, O_WRONLY, '/dev/pts/0');
    const termios = file.ioctl(TCGETS);
    expect(termios.ret).toBe(0);
    expect(termios.out!.length).toBe(36);
    const ws = file.ioctl(TIOCGWINSZ);
    const view = new DataView(ws.out!.buffer);
    expect([view.getUint16(0, true), view.getUint16(2, true)]).toEqual([24, 80]);
  });

  it('drops the inode data when the last reference of an unlinked file goes', () => {
    const { fs, root, file } = rw();
    file.write(bytes('data'));
    const dup = file.ref();
    fs.unlink(root, '/tmp/f');
    file.unref();
    expect(file.inode.size()).toBe(4);
    dup.unref();
    expect(file.inode.size()).toBe(0);
    expect(file.inode.openCount).toBe(0);
  });
});
