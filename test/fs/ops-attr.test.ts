import { describe, expect, it } from 'vitest';
import {
  AT_EACCESS,
  F_OK,
  O_RDONLY,
  R_OK,
  S_IFREG,
  UTIME_NOW,
  UTIME_OMIT,
  W_OK,
  X_OK,
} from '../../src/fs/abi.ts';
import { chdirInode, chownInode } from '../../src/fs/ops-attr.ts';
import { Errno } from '../../src/linux/errno.ts';
import { OTHER, USER, bytes, ok, setup } from './helpers.ts';

describe('access', () => {
  it('checks owner, group and other bits for the given credential', () => {
    const { fs, root, user } = setup();
    const f = fs.addFile('/tmp/f', bytes('x'), 0o640);
    f.uid = 1000;
    f.gid = 50;
    expect(fs.access(user, '/tmp/f', R_OK | W_OK)).toBe(0);
    expect(fs.access(user, '/tmp/f', X_OK)).toBe(-Errno.EACCES);
    const member = { ...user, cred: { uid: 3000, gid: 3000, groups: [50] } };
    expect(fs.access(member, '/tmp/f', R_OK)).toBe(0);
    expect(fs.access(member, '/tmp/f', W_OK)).toBe(-Errno.EACCES);
    expect(fs.access({ ...user, cred: OTHER }, '/tmp/f', R_OK)).toBe(-Errno.EACCES);
    expect(fs.access({ ...user, cred: OTHER }, '/tmp/f', F_OK)).toBe(0);
    expect(fs.access(root, '/tmp/f', R_OK | W_OK)).toBe(0);
    expect(fs.access(root, '/tmp/f', X_OK)).toBe(-Errno.EACCES);
  });

  it('validates mode and flags and reports missing files', () => {
    const { fs, root } = setup();
    expect(fs.access(root, '/tmp', 8)).toBe(-Errno.EINVAL);
    expect(fs.access(root, '/tmp', F_OK, 0x4)).toBe(-Errno.EINVAL);
    expect(fs.access(root, '/tmp', F_OK, AT_EACCESS)).toBe(0);
    expect(fs.access(root, '/none', F_OK)).toBe(-Errno.ENOENT);
  });
});

describe('chmod and chown', () => {
  it('lets the owner change the mode and refuses others with EPERM', () => {
    const { fs, user, clock } = setup();
    const f = fs.addFile('/tmp/f', bytes('x'));
    f.uid = USER.uid;
    clock.advance(3);
    expect(fs.chmod(user, '/tmp/f', 0o4755)).toBe(0);
    expect(f.mode).toBe(S_IFREG | 0o4755);
    expect(f.ctimeSec).toBe(1_700_000_003);
    expect(fs.chmod({ ...user, cred: OTHER }, '/tmp/f', 0o777)).toBe(-Errno.EPERM);
  });

  it('drops set-group-ID for an owner outside the file group', () => {
    const { fs, user } = setup();
    const f = fs.addFile('/tmp/f', bytes('x'));
    f.uid = USER.uid;
    f.gid = 99;
    fs.chmod(user, '/tmp/f', 0o2755);
    expect(f.mode & 0o7777).toBe(0o755);
  });

  it('refuses to chmod a symbolic link itself', () => {
    const { fs, root } = setup();
    fs.symlink(root, '/tmp', '/l');
    expect(fs.chmod(root, '/l', 0o700, false)).toBe(-Errno.EOPNOTSUPP);
  });

  it('lets root give files away and owners change only to their groups', () => {
    const { fs } = setup();
    const f = fs.addFile('/tmp/f', bytes('x'), 0o4755);
    expect(chownInode(fs, { uid: 0, gid: 0, groups: [] }, f, 1000, 1000)).toBe(0);
    expect([f.uid, f.gid]).toEqual([1000, 1000]);
    expect(f.mode & 0o4000).toBe(0);
    const member = { uid: 1000, gid: 1000, groups: [7] };
    expect(chownInode(fs, member, f, -1, 7)).toBe(0);
    expect(chownInode(fs, member, f, -1, 8)).toBe(-Errno.EPERM);
    expect(chownInode(fs, member, f, 0, -1)).toBe(-Errno.EPERM);
  });
});

describe('utimens', () => {
  it('sets explicit times for the owner and stamps ctime with now', () => {
    const { fs, root, clock } = setup();
    const f = fs.addFile('/tmp/f', bytes('x'));
    clock.advance(100);
    expect(
      fs.utimens(root, '/tmp/f', [
        { sec: 10, nsec: 5 },
        { sec: 20, nsec: 6 },
      ]),
    ).toBe(0);
    expect([f.atimeSec, f.atimeNsec, f.mtimeSec, f.mtimeNsec]).toEqual([10, 5, 20, 6]);
    expect(f.ctimeSec).toBe(1_700_000_100);
  });

  it('understands UTIME_NOW and UTIME_OMIT', () => {
    const { fs, root, clock } = setup();
    const f = fs.addFile('/tmp/f', bytes('x'));
    clock.advance(50);
    const omit = { sec: 0, nsec: UTIME_OMIT };
    expect(fs.utimens(root, '/tmp/f', [{ sec: 0, nsec: UTIME_NOW }, omit])).toBe(0);
    expect(f.atimeSec).toBe(1_700_000_050);
    expect(f.mtimeSec).toBe(1_700_000_000);
    clock.advance(50);
    expect(fs.utimens(root, '/tmp/f', [omit, omit])).toBe(0);
    expect(f.ctimeSec).toBe(1_700_000_050);
    expect(fs.utimens(root, '/tmp/f', null)).toBe(0);
    expect(f.mtimeSec).toBe(1_700_000_100);
  });

  it('lets writers set the current time but only owners set explicit ones', () => {
    const { fs, user } = setup();
    fs.addFile('/tmp/shared', bytes('x'), 0o666);
    fs.addFile('/tmp/ro', bytes('x'), 0o644);
    expect(fs.utimens(user, '/tmp/shared', null)).toBe(0);
    expect(fs.utimens(user, '/tmp/ro', null)).toBe(-Errno.EACCES);
    const t = { sec: 1, nsec: 0 };
    expect(fs.utimens(user, '/tmp/shared', [t, t])).toBe(-Errno.EPERM);
    expect(fs.utimens(user, '/tmp/shared', [{ sec: 1, nsec: 1e9 }, t])).toBe(-Errno.EINVAL);
  });
});

describe('truncate, chdir and getcwd', () => {
  it('truncates by path with Linux errors', () => {
    const { fs, root, user } = setup();
    fs.addFile('/tmp/f', bytes('0123456789'), 0o644);
    expect(fs.truncate(root, '/tmp/f', 3)).toBe(0);
    expect(ok(fs.stat(root, '/tmp/f')).size).toBe(3);
    expect(fs.truncate(root, '/tmp/f', 8192)).toBe(0);
    expect(ok(fs.stat(root, '/tmp/f')).size).toBe(8192);
    expect(fs.truncate(root, '/tmp/f', -1)).toBe(-Errno.EINVAL);
    expect(fs.truncate(root, '/tmp', 0)).toBe(-Errno.EISDIR);
    expect(fs.truncate(root, '/dev/null', 0)).toBe(-Errno.EINVAL);
    expect(fs.truncate(user, '/tmp/f', 0)).toBe(-Errno.EACCES);
  });

  it('changes directory only into searchable directories and names the path', () => {
    const { fs, root, user } = setup();
    fs.mkdir(root, '/a', 0o755);
    fs.mkdir(root, '/a/b', 0o700);
    const a = ok(fs.chdir(root, '/a'));
    expect(fs.cwdPath(a)).toBe('/a');
    expect(fs.cwdPath(fs.root)).toBe('/');
    expect(fs.chdir(user, '/a/b')).toBe(-Errno.EACCES);
    expect(fs.chdir(root, '/dev/null')).toBe(-Errno.ENOTDIR);
    expect(chdirInode(USER, ok(fs.open(root, '/a', O_RDONLY, 0)).inode)).toBe(a);
  });
});
