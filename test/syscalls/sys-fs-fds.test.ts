import { describe, expect, it } from 'vitest';
import {
  FD_CLOEXEC,
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECT,
  O_LARGEFILE,
  O_NONBLOCK,
  O_PATH,
  O_RDWR,
  O_WRONLY,
} from '../../src/fs/index.ts';
import { Errno } from '../../src/linux/errno.ts';
import { Harness, UNMAPPED } from './harness.ts';

function openFile(h: Harness): number {
  return h.call('open', h.str('/tmp/f'), O_RDWR | O_CREAT, 0o644) as number;
}

describe('dup, dup2 and dup3', () => {
  it('dup takes the lowest free number and shares the file offset', () => {
    const h = new Harness();
    const fd = openFile(h);
    expect(h.call('dup', fd)).toBe(4);
    h.call('write', fd, h.str('abc'), 3);
    expect(h.call('lseek', 4, 0, 1)).toBe(3);
    expect(h.call('dup', 50)).toBe(-Errno.EBADF);
  });

  it('dup2 replaces the target, and returns an equal valid number untouched', () => {
    const h = new Harness();
    const fd = openFile(h);
    expect(h.call('dup2', fd, 1)).toBe(1);
    expect(h.call('write', 1, h.str('x'), 1)).toBe(1);
    expect(h.call('lseek', fd, 0, 1)).toBe(1);
    expect(h.call('dup2', fd, fd)).toBe(fd);
    expect(h.call('dup2', 40, 40)).toBe(-Errno.EBADF);
    expect(h.call('dup2', fd, -1)).toBe(-Errno.EBADF);
    expect(h.call('dup2', fd, 5000)).toBe(-Errno.EBADF);
  });

  it('dup3 refuses equal numbers and unknown flags, and sets close-on-exec', () => {
    const h = new Harness();
    const fd = openFile(h);
    expect(h.call('dup3', fd, fd, 0)).toBe(-Errno.EINVAL);
    expect(h.call('dup3', fd, 9, O_NONBLOCK)).toBe(-Errno.EINVAL);
    expect(h.call('dup3', fd, 9, O_CLOEXEC)).toBe(9);
    expect(h.call('fcntl', 9, F_GETFD)).toBe(FD_CLOEXEC);
  });
});

describe('fcntl', () => {
  it('F_DUPFD and F_DUPFD_CLOEXEC take the lowest free number at or above the argument', () => {
    const h = new Harness();
    const fd = openFile(h);
    expect(h.call('fcntl', fd, F_DUPFD, 10)).toBe(10);
    expect(h.call('fcntl', fd, F_DUPFD, 10)).toBe(11);
    expect(h.call('fcntl', fd, F_DUPFD_CLOEXEC, 0)).toBe(4);
    expect(h.call('fcntl', 4, F_GETFD)).toBe(FD_CLOEXEC);
    expect(h.call('fcntl', fd, F_DUPFD, 1024)).toBe(-Errno.EINVAL);
    expect(h.call('fcntl', fd, F_DUPFD, 2 ** 40)).toBe(-Errno.EINVAL);
  });

  it('F_SETFD and F_GETFD keep only FD_CLOEXEC', () => {
    const h = new Harness();
    const fd = openFile(h);
    expect(h.call('fcntl', fd, F_SETFD, 0xff)).toBe(0);
    expect(h.call('fcntl', fd, F_GETFD)).toBe(FD_CLOEXEC);
    expect(h.call('fcntl', fd, F_SETFD, 0)).toBe(0);
    expect(h.call('fcntl', fd, F_GETFD)).toBe(0);
  });

  it('F_SETFL changes O_APPEND and O_NONBLOCK but not the access mode', () => {
    const h = new Harness();
    const fd = openFile(h);
    expect(h.call('fcntl', fd, F_GETFL)).toBe(O_RDWR | O_LARGEFILE);
    expect(h.call('fcntl', fd, F_SETFL, O_WRONLY | O_APPEND | O_NONBLOCK)).toBe(0);
    expect(h.call('fcntl', fd, F_GETFL)).toBe(O_RDWR | O_LARGEFILE | O_APPEND | O_NONBLOCK);
  });

  it('answers EBADF for a closed descriptor and EINVAL for commands it lacks', () => {
    const h = new Harness();
    expect(h.call('fcntl', 30, F_GETFD)).toBe(-Errno.EBADF);
    expect(h.call('fcntl', 30, 9999)).toBe(-Errno.EBADF);
    expect(h.call('fcntl', openFile(h), 5 /* F_GETLK */, 0)).toBe(-Errno.EINVAL);
  });

  it('allows only the duplication and flag queries on O_PATH descriptors', () => {
    const h = new Harness();
    const fd = h.call('open', h.str('/tmp'), O_PATH) as number;
    expect(h.call('fcntl', fd, F_GETFL)).toBe(O_PATH);
    expect(h.call('fcntl', fd, F_DUPFD, 0)).toBe(4);
    expect(h.call('fcntl', fd, F_SETFL, O_NONBLOCK)).toBe(-Errno.EBADF);
  });
});

describe('pipe and pipe2', () => {
  it('makes a pipe whose write end feeds its read end', () => {
    const h = new Harness();
    const fds = h.alloc(8);
    expect(h.call('pipe', fds)).toBe(0);
    const [r, w] = [h.i32(fds), h.i32(fds + 4)];
    expect([r, w]).toEqual([3, 4]);
    expect(h.call('write', w, h.str('ping'), 4)).toBe(4);
    const buf = h.alloc(8);
    expect(h.call('read', r, buf, 8)).toBe(4);
    expect(h.readStr(buf)).toBe('ping');
    expect(h.call('fcntl', r, F_GETFL)).toBe(0);
  });

  it('pipe2 applies O_NONBLOCK and O_CLOEXEC to both ends', () => {
    const h = new Harness();
    const fds = h.alloc(8);
    expect(h.call('pipe2', fds, O_NONBLOCK | O_CLOEXEC)).toBe(0);
    const [r, w] = [h.i32(fds), h.i32(fds + 4)];
    expect(h.call('read', r, h.alloc(4), 4)).toBe(-Errno.EAGAIN);
    expect(h.call('fcntl', w, F_GETFD)).toBe(FD_CLOEXEC);
    expect(h.call('fcntl', w, F_GETFL)).toBe(O_WRONLY | O_NONBLOCK);
  });

  it('rejects unknown flags and leaves no descriptors behind on EFAULT', () => {
    const h = new Harness();
    expect(h.call('pipe2', h.alloc(8), O_DIRECT)).toBe(-Errno.EINVAL);
    expect(h.call('pipe2', h.alloc(8), 0x1)).toBe(-Errno.EINVAL);
    expect(h.call('pipe', UNMAPPED)).toBe(-Errno.EFAULT);
    expect(h.task.tg.files.fds()).toEqual([0, 1, 2]);
  });

  it('fails with EMFILE when only one number is free', () => {
    const h = new Harness();
    h.task.tg.files.limit = 4;
    expect(h.call('pipe', h.alloc(8))).toBe(-Errno.EMFILE);
    expect(h.task.tg.files.fds()).toEqual([0, 1, 2]);
  });
});
