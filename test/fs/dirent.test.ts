import { describe, expect, it } from 'vitest';
import {
  DT_CHR,
  DT_DIR,
  DT_LNK,
  DT_REG,
  O_DIRECTORY,
  O_RDONLY,
  SEEK_SET,
} from '../../src/fs/abi.ts';
import type { OpenFile } from '../../src/fs/open-file.ts';
import { Errno } from '../../src/linux/errno.ts';
import { bytes, ok, setup } from './helpers.ts';

interface Dirent {
  ino: number;
  off: number;
  type: number;
  name: string;
}

function parse(data: Uint8Array): Dirent[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: Dirent[] = [];
  for (let at = 0; at < data.length;) {
    const reclen = view.getUint16(at + 16, true);
    expect(reclen % 8).toBe(0);
    const nameBytes = data.subarray(at + 19, at + reclen);
    const name = String.fromCharCode(...nameBytes.subarray(0, nameBytes.indexOf(0)));
    out.push({
      ino: view.getUint32(at, true),
      off: view.getUint32(at + 8, true),
      type: data[at + 18],
      name,
    });
    at += reclen;
  }
  return out;
}

function list(file: OpenFile, size = 4096): string[] {
  const names: string[] = [];
  for (;;) {
    const chunk = ok(file.getdents(size));
    if (chunk.length === 0) return names;
    names.push(...parse(chunk).map((d) => d.name));
  }
}

describe('getdents64', () => {
  it('lists ., .. and the entries with their inode numbers and types', () => {
    const { fs, root } = setup();
    const dev = ok(fs.open(root, '/dev', O_RDONLY | O_DIRECTORY, 0));
    const entries = parse(ok(dev.getdents(4096)));
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(entries[0].name).toBe('.');
    expect(entries[1].name).toBe('..');
    expect(byName.get('.')!.ino).toBe(dev.inode.ino);
    expect(byName.get('..')!.ino).toBe(fs.root.ino);
    expect(byName.get('null')!.type).toBe(DT_CHR);
    expect(byName.get('stdin')!.type).toBe(DT_LNK);
    expect(byName.get('shm')!.type).toBe(DT_DIR);
    expect(dev.getdents(4096)).toEqual(new Uint8Array(0));
  });

  it('continues across calls with a small buffer', () => {
    const { fs, root } = setup();
    for (let i = 0; i < 30; i++) fs.addFile(`/d/file-${i}`, bytes('x'));
    const dir = ok(fs.open(root, '/d', O_RDONLY, 0));
    const names = list(dir, 64);
    expect(names.length).toBe(32);
    expect(new Set(names).size).toBe(32);
  });

  it('gives EINVAL when not even one entry fits', () => {
    const { fs, root } = setup();
    const dir = ok(fs.open(root, '/tmp', O_RDONLY, 0));
    expect(dir.getdents(10)).toBe(-Errno.EINVAL);
  });

  it('neither repeats nor skips surviving entries when names are removed between calls', () => {
    const { fs, root } = setup();
    for (let i = 0; i < 10; i++) fs.addFile(`/d/f${i}`, bytes('x'));
    const dir = ok(fs.open(root, '/d', O_RDONLY, 0));
    const first = parse(ok(dir.getdents(5 * 24))).map((d) => d.name);
    expect(first).toEqual(['.', '..', 'f0', 'f1', 'f2']);
    for (const name of ['f0', 'f1', 'f3', 'f5']) fs.unlink(root, `/d/${name}`);
    fs.addFile('/d/late', bytes('x'));
    expect(list(dir)).toEqual(['f4', 'f6', 'f7', 'f8', 'f9', 'late']);
  });

  it('restarts from an lseek to 0 or a d_off value', () => {
    const { fs, root } = setup();
    fs.addFile('/d/a', bytes('x'));
    fs.addFile('/d/b', bytes('x'));
    const dir = ok(fs.open(root, '/d', O_RDONLY, 0));
    const all = parse(ok(dir.getdents(4096)));
    expect(all.map((d) => d.type)).toEqual([DT_DIR, DT_DIR, DT_REG, DT_REG]);
    dir.lseek(0, SEEK_SET);
    expect(list(dir)).toEqual(['.', '..', 'a', 'b']);
    dir.lseek(all[2].off, SEEK_SET);
    expect(list(dir)).toEqual(['b']);
  });

  it('refuses files with ENOTDIR and lists a removed directory as empty', () => {
    const { fs, root } = setup();
    fs.addFile('/f', bytes('x'));
    expect(ok(fs.open(root, '/f', O_RDONLY, 0)).getdents(4096)).toBe(-Errno.ENOTDIR);
    fs.mkdir(root, '/gone', 0o755);
    const gone = ok(fs.open(root, '/gone', O_RDONLY, 0));
    fs.rmdir(root, '/gone');
    expect(gone.getdents(4096)).toEqual(new Uint8Array(0));
  });
});
