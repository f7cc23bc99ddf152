import { describe, expect, it } from 'vitest';
import {
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  PIPE_CAPACITY,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  S_IFCHR,
  makeDev,
} from '../../src/fs/abi.ts';
import { WOULD_BLOCK } from '../../src/fs/host.ts';
import { Errno } from '../../src/linux/errno.ts';
import { bytes, ok, setup, text } from './helpers.ts';

describe('character devices', () => {
  it('reads nothing from /dev/null and swallows writes', () => {
    const { fs, root } = setup();
    const f = ok(fs.open(root, '/dev/null', O_RDWR, 0));
    expect(f.read(new Uint8Array(10))).toBe(0);
    expect(f.write(bytes('gone'))).toBe(4);
    expect(f.inode.mode).toBe(S_IFCHR | 0o666);
    expect(f.inode.rdev).toBe(makeDev(1, 3));
  });

  it('reads zeros from /dev/zero and /dev/full, and /dev/full refuses writes with ENOSPC', () => {
    const { fs, root } = setup();
    const buf = new Uint8Array(8).fill(9);
    expect(ok(fs.open(root, '/dev/zero', O_RDONLY, 0)).read(buf)).toBe(8);
    expect(buf.every((b) => b === 0)).toBe(true);
    const full = ok(fs.open(root, '/dev/full', O_RDWR, 0));
    expect(full.read(buf)).toBe(8);
    expect(full.write(bytes('x'))).toBe(-Errno.ENOSPC);
  });

  it('reads /dev/random and /dev/urandom from the injected source', () => {
    const { fs, root } = setup();
    const buf = new Uint8Array(4);
    expect(ok(fs.open(root, '/dev/urandom', O_RDONLY, 0)).read(buf)).toBe(4);
    expect([...buf]).toEqual([0, 1, 2, 3]);
    ok(fs.open(root, '/dev/random', O_RDONLY, 0)).read(buf);
    expect([...buf]).toEqual([4, 5, 6, 7]);
  });
});

describe('pipes', () => {
  it('passes bytes from the write end to the read end', () => {
    const { fs } = setup();
    const [r, w] = fs.pipe(0);
    expect(w.write(bytes('hello'))).toBe(5);
    const buf = new Uint8Array(16);
    expect(r.read(buf)).toBe(5);
    expect(text(buf.subarray(0, 5))).toBe('hello');
  });

  it('says WOULD_BLOCK on an empty pipe with writers, EAGAIN with O_NONBLOCK', () => {
    const { fs } = setup();
    const [r] = fs.pipe(0);
    expect(r.read(new Uint8Array(1))).toBe(WOULD_BLOCK);
    const [nr] = fs.pipe(O_NONBLOCK);
    expect(nr.read(new Uint8Array(1))).toBe(-Errno.EAGAIN);
  });

  it('gives EOF once every writer is gone', () => {
    const { fs } = setup();
    const [r, w] = fs.pipe(0);
    w.write(bytes('x'));
    w.unref();
    expect(r.read(new Uint8Array(4))).toBe(1);
    expect(r.read(new Uint8Array(4))).toBe(0);
    expect(r.poll() & POLLHUP).toBe(POLLHUP);
  });

  it('fails writes with EPIPE, asking for SIGPIPE, once the readers are gone', () => {
    const { fs } = setup();
    const [r, w] = fs.pipe(0);
    r.unref();
    const result = w.write(bytes('x'));
    expect(result).toBe(-Errno.EPIPE);
    expect(w.raisesSigpipe(result)).toBe(true);
    expect(w.poll() & POLLERR).toBe(POLLERR);
  });

  it('holds 64 KiB, keeps small writes whole and wraps around its buffer', () => {
    const { fs } = setup();
    const [r, w] = fs.pipe(O_NONBLOCK);
    expect(w.write(new Uint8Array(PIPE_CAPACITY - 100).fill(1))).toBe(PIPE_CAPACITY - 100);
    expect(w.write(new Uint8Array(200))).toBe(-Errno.EAGAIN);
    expect(w.poll() & POLLOUT).toBe(0);
    expect(r.read(new Uint8Array(1000))).toBe(1000);
    const tail = new Uint8Array(900).map((_, i) => i & 0xff);
    expect(w.write(tail)).toBe(900);
    const drained = new Uint8Array(PIPE_CAPACITY);
    expect(r.read(drained)).toBe(PIPE_CAPACITY - 1100 + 900);
    expect([...drained.subarray(PIPE_CAPACITY - 1100, PIPE_CAPACITY - 1097)]).toEqual([0, 1, 2]);
  });

  it('writes a large buffer partly when only some room is left', () => {
    const { fs } = setup();
    const [, w] = fs.pipe(0);
    w.write(new Uint8Array(PIPE_CAPACITY - 5000));
    expect(w.write(new Uint8Array(10000))).toBe(5000);
    expect(w.write(new Uint8Array(10))).toBe(WOULD_BLOCK);
  });

  it('reports readiness and records wake-ups when it changes', () => {
    const { fs } = setup();
    const [r, w] = fs.pipe(0);
    expect(r.poll()).toBe(0);
    expect(w.poll()).toBe(POLLOUT);
    fs.takeWakeups();
    w.write(bytes('x'));
    expect(r.poll()).toBe(POLLIN);
    expect(fs.takeWakeups()).toEqual([r.inode]);
    expect(fs.takeWakeups()).toEqual([]);
  });

  it('counts readers and writers per description, not per reference', () => {
    const { fs } = setup();
    const [r, w] = fs.pipe(0);
    const pipe = r.inode as unknown as { readers: number; writers: number };
    w.ref();
    expect([pipe.readers, pipe.writers]).toEqual([1, 1]);
    w.unref();
    expect(pipe.writers).toBe(1);
  });
});

describe('host streams', () => {
  it('blocks on empty open input and ends at EOF once closed', () => {
    const { fs } = setup();
    const input = fs.createHostInput();
    const file = fs.openInode(input, O_RDONLY, 'pipe:[0]');
    expect(file.read(new Uint8Array(4))).toBe(WOULD_BLOCK);
    expect(file.poll()).toBe(0);
    input.feed(fs, bytes('ab'));
    input.feed(fs, bytes('cd'));
    expect(fs.takeWakeups()).toEqual([input]);
    const buf = new Uint8Array(3);
    expect(file.read(buf)).toBe(3);
    expect(text(buf)).toBe('abc');
    expect(file.read(buf)).toBe(1);
    input.close(fs);
    expect(file.read(buf)).toBe(0);
    expect(file.poll()).toBe(POLLIN | POLLHUP);
  });

  it('turns an empty input into EAGAIN for O_NONBLOCK readers', () => {
    const { fs } = setup();
    const file = fs.openInode(fs.createHostInput(), O_RDONLY | O_NONBLOCK, 'pipe:[0]');
    expect(file.read(new Uint8Array(1))).toBe(-Errno.EAGAIN);
  });

  it('queues output for the host to drain', () => {
    const { fs } = setup();
    const out = fs.createHostOutput();
    const file = fs.openInode(out, O_WRONLY, 'pipe:[1]');
    file.write(bytes('one '));
    file.write(bytes('two'));
    expect(text(out.drain())).toBe('one two');
    expect(out.drain().length).toBe(0);
    expect(file.poll()).toBe(POLLOUT);
  });

  it(
    'keeps output up to its limit, reports truncation and ' +
      'still tells the guest all was written',
    () => {
      const { fs } = setup();
      const out = fs.createHostOutput(5);
      const file = fs.openInode(out, O_WRONLY, 'pipe:[1]');
      expect(file.write(bytes('abc'))).toBe(3);
      expect(out.truncated).toBe(false);
      expect(file.write(bytes('defgh'))).toBe(5);
      expect(text(out.drain())).toBe('abcde');
      expect(out.truncated).toBe(true);
      expect(out.written).toBe(8);
    },
  );
});
