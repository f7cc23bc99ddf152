import { describe, expect, it } from 'vitest';
import {
  AT_STATX_SYNC_TYPE,
  STATX_BASIC_STATS,
  STATX_MNT_ID,
  STATX__RESERVED,
  S_IFCHR,
  S_IFREG,
  makeDev,
} from '../../src/fs/abi.ts';
import { checkStatxArgs, encodeStat, encodeStatx, statOf } from '../../src/fs/stat-encode.ts';
import { Errno } from '../../src/linux/errno.ts';
import { bytes, ok, setup } from './helpers.ts';

function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

describe('stat records', () => {
  it('describe a regular file with size, blocks and block size', () => {
    const { fs } = setup();
    const file = fs.addFile('/tmp/f', new Uint8Array(5000), 0o640);
    const st = statOf(file);
    expect(st.mode).toBe(S_IFREG | 0o640);
    expect(st.size).toBe(5000);
    expect(st.blocks).toBe(16);
    expect(st.blksize).toBe(4096);
    expect(st.nlink).toBe(1);
    expect(st.ino).toBe(file.ino);
  });

  it('describe a device with its rdev', () => {
    const { fs, root } = setup();
    const st = ok(fs.stat(root, '/dev/urandom'));
    expect(st.mode).toBe(S_IFCHR | 0o666);
    expect(st.rdev).toBe(makeDev(1, 9));
  });
});

describe('struct stat encoding', () => {
  it('places every field at its x86-64 offset in 144 bytes', () => {
    const { fs } = setup();
    const file = fs.addFile('/tmp/f', bytes('abc'), 0o600);
    file.uid = 1000;
    file.gid = 100;
    file.mtimeSec = 2 ** 33 + 5;
    file.mtimeNsec = 123;
    const out = encodeStat(statOf(file));
    const view = new DataView(out.buffer);
    expect(out.length).toBe(144);
    expect(u64(view, 0)).toBe(file.dev);
    expect(u64(view, 8)).toBe(file.ino);
    expect(u64(view, 16)).toBe(1);
    expect(view.getUint32(24, true)).toBe(S_IFREG | 0o600);
    expect(view.getUint32(28, true)).toBe(1000);
    expect(view.getUint32(32, true)).toBe(100);
    expect(u64(view, 48)).toBe(3);
    expect(u64(view, 56)).toBe(4096);
    expect(u64(view, 64)).toBe(8);
    expect(u64(view, 72)).toBe(file.atimeSec);
    expect(u64(view, 88)).toBe(2 ** 33 + 5);
    expect(u64(view, 96)).toBe(123);
    expect(u64(view, 104)).toBe(file.ctimeSec);
  });
});

describe('struct statx encoding', () => {
  it('fills the basic fields and reports them with the mount ID in stx_mask', () => {
    const { fs, root } = setup();
    const st = ok(fs.stat(root, '/dev/null'));
    const out = encodeStatx(st);
    const view = new DataView(out.buffer);
    expect(out.length).toBe(256);
    expect(view.getUint32(0, true)).toBe(STATX_BASIC_STATS | STATX_MNT_ID);
    expect(view.getUint32(4, true)).toBe(4096);
    expect(view.getUint32(16, true)).toBe(1);
    expect(view.getUint16(28, true)).toBe(S_IFCHR | 0o666);
    expect(u64(view, 32)).toBe(st.ino);
    expect(u64(view, 64)).toBe(st.atimeSec);
    expect(u64(view, 112)).toBe(st.mtimeSec);
    expect(view.getUint32(128, true)).toBe(1);
    expect(view.getUint32(132, true)).toBe(3);
    expect(u64(view, 80)).toBe(0);
  });

  it('refuses reserved mask bits, unknown flags and both sync types', () => {
    expect(checkStatxArgs(0, STATX_BASIC_STATS)).toBe(0);
    expect(checkStatxArgs(0, STATX__RESERVED)).toBe(-Errno.EINVAL);
    expect(checkStatxArgs(AT_STATX_SYNC_TYPE, 0)).toBe(-Errno.EINVAL);
    expect(checkStatxArgs(0x1, 0)).toBe(-Errno.EINVAL);
  });
});
