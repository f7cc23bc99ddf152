import { describe, expect, it } from 'vitest';
import {
  AT_FDCWD,
  FD_CLOEXEC,
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
} from '../../src/fs/abi.ts';
import { FdTable } from '../../src/fs/fd-table.ts';
import { Errno } from '../../src/linux/errno.ts';
import { ok, setup } from './helpers.ts';

function table(limit = 16) {
  const env = setup();
  const fds = new FdTable(limit);
  const open = () => ok(env.fs.open(env.root, '/dev/null', O_RDWR, 0));
  return { ...env, fds, open };
}

describe('file descriptor table', () => {
  it('hands out the lowest free number', () => {
    const { fds, open } = table();
    expect(fds.install(open(), false)).toBe(0);
    expect(fds.install(open(), false)).toBe(1);
    expect(fds.install(open(), false)).toBe(2);
    expect(fds.close(1)).toBe(0);
    expect(fds.install(open(), false)).toBe(1);
    expect(fds.fds()).toEqual([0, 1, 2]);
  });

  it('fails with EMFILE at the limit and drops the description', () => {
    const { fds, open } = table(2);
    fds.install(open(), false);
    fds.install(open(), false);
    const extra = open();
    expect(fds.install(extra, false)).toBe(-Errno.EMFILE);
    expect(extra.refs).toBe(0);
  });

  it('closes with EBADF for numbers not open', () => {
    const { fds } = table();
    expect(fds.close(0)).toBe(-Errno.EBADF);
    expect(fds.close(-1)).toBe(-Errno.EBADF);
  });

  it('shares the description and its offset between duplicates', () => {
    const { fds, open } = table();
    const file = open();
    fds.install(file, true);
    expect(fds.dup(0)).toBe(1);
    expect(fds.get(1)).toBe(file);
    expect(file.refs).toBe(2);
    expect(fds.getFdFlags(1)).toBe(0);
    expect(fds.dup(5)).toBe(-Errno.EBADF);
  });

  it('dup2 replaces the target, returns an equal number untouched, checks the limit', () => {
    const { fds, open } = table(8);
    const a = open();
    const b = open();
    fds.install(a, false);
    fds.install(b, true);
    expect(fds.dup2(0, 1)).toBe(1);
    expect(fds.get(1)).toBe(a);
    expect(b.refs).toBe(0);
    expect(fds.getFdFlags(1)).toBe(0);
    expect(fds.dup2(0, 0)).toBe(0);
    expect(fds.dup2(3, 3)).toBe(-Errno.EBADF);
    expect(fds.dup2(0, 8)).toBe(-Errno.EBADF);
    expect(fds.dup2(0, 6)).toBe(6);
  });

  it('dup3 refuses equal numbers and unknown flags, and sets close-on-exec', () => {
    const { fds, open } = table();
    fds.install(open(), false);
    expect(fds.dup3(0, 0, 0)).toBe(-Errno.EINVAL);
    expect(fds.dup3(0, 4, O_NONBLOCK)).toBe(-Errno.EINVAL);
    expect(fds.dup3(0, 4, O_CLOEXEC)).toBe(4);
    expect(fds.getFdFlags(4)).toBe(FD_CLOEXEC);
  });

  it('F_DUPFD finds the lowest free number at or above its argument', () => {
    const { fds, open } = table(10);
    fds.install(open(), false);
    fds.install(open(), false, 5);
    expect(fds.dupFrom(0, 5, false)).toBe(6);
    expect(fds.dupFrom(0, 2, true)).toBe(2);
    expect(fds.getFdFlags(2)).toBe(FD_CLOEXEC);
    expect(fds.dupFrom(0, 10, false)).toBe(-Errno.EINVAL);
    expect(fds.dupFrom(0, -1, false)).toBe(-Errno.EINVAL);
    expect(fds.dupFrom(9, 0, false)).toBe(-Errno.EBADF);
  });

  it('F_SETFD and F_GETFD keep the close-on-exec flag per number', () => {
    const { fds, open } = table();
    fds.install(open(), false);
    expect(fds.setFdFlags(0, FD_CLOEXEC)).toBe(0);
    expect(fds.getFdFlags(0)).toBe(FD_CLOEXEC);
    expect(fds.setFdFlags(3, FD_CLOEXEC)).toBe(-Errno.EBADF);
    expect(fds.getFdFlags(3)).toBe(-Errno.EBADF);
  });

  it('F_SETFL changes only O_APPEND, O_NONBLOCK and their kin', () => {
    const { fds, open } = table();
    fds.install(open(), false);
    const before = fds.getStatusFlags(0);
    expect(fds.setStatusFlags(0, O_APPEND | O_NONBLOCK | O_RDONLY | O_CREAT)).toBe(0);
    expect(fds.getStatusFlags(0)).toBe(before | O_APPEND | O_NONBLOCK);
    expect(fds.setStatusFlags(0, 0)).toBe(0);
    expect(fds.getStatusFlags(0)).toBe(before);
  });

  it('closes only close-on-exec descriptors at exec', () => {
    const { fds, open } = table();
    fds.install(open(), false);
    fds.install(open(), true);
    fds.install(open(), false);
    fds.closeOnExec();
    expect(fds.fds()).toEqual([0, 2]);
  });

  it('copies for fork with shared descriptions and separate numbers', () => {
    const { fds, open } = table();
    const file = open();
    fds.install(file, true);
    const child = fds.fork();
    expect(child.get(0)).toBe(file);
    expect(child.getFdFlags(0)).toBe(FD_CLOEXEC);
    expect(file.refs).toBe(2);
    child.close(0);
    expect(fds.get(0)).toBe(file);
    expect(file.refs).toBe(1);
    fds.closeAll();
    expect(file.refs).toBe(0);
  });

  it('picks the start directory of *at calls', () => {
    const { fs, root, fds, open } = table();
    fds.install(open(), false);
    fds.install(ok(fs.open(root, '/tmp', O_RDONLY, 0)), false);
    expect(fds.startDir(AT_FDCWD, 'x', fs.root)).toBe(fs.root);
    expect(fds.startDir(1, 'x', fs.root)).toBe(fs.resolve(root, '/tmp'));
    expect(fds.startDir(0, 'x', fs.root)).toBe(-Errno.ENOTDIR);
    expect(fds.startDir(9, 'x', fs.root)).toBe(-Errno.EBADF);
    expect(fds.startDir(9, '/abs', fs.root)).toBe(fs.root);
  });
});
