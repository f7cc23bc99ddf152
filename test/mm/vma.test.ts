import { describe, expect, it } from 'vitest';
import { type Vma, VmaList } from '../../src/mm/vma.ts';

function anon(start: number, end: number, prot = 3): Vma {
  return {
    start,
    end,
    prot,
    shared: false,
    mayWrite: true,
    file: null,
    offset: 0,
    name: '',
    major: 0,
    minor: 0,
    inode: 0,
    growsDown: false,
  };
}

describe('VmaList', () => {
  it('merges equal neighbours on insert and keeps different ones apart', () => {
    const list = new VmaList();
    list.insert(anon(0x1000, 0x2000));
    list.insert(anon(0x3000, 0x4000));
    list.insert(anon(0x2000, 0x3000));
    expect(list.list.map((v) => [v.start, v.end])).toEqual([[0x1000, 0x4000]]);
    list.insert(anon(0x4000, 0x5000, 1));
    expect(list.count).toBe(2);
  });

  it('removes a middle range by splitting', () => {
    const list = new VmaList();
    list.insert(anon(0x1000, 0x5000));
    const removed = list.remove(0x2000, 0x3000);
    expect(removed.map((v) => [v.start, v.end])).toEqual([[0x2000, 0x3000]]);
    expect(list.list.map((v) => [v.start, v.end])).toEqual([
      [0x1000, 0x2000],
      [0x3000, 0x5000],
    ]);
  });

  it('finds the highest and lowest gaps that fit', () => {
    const list = new VmaList();
    list.insert(anon(0x10000, 0x20000));
    list.insert(anon(0x22000, 0x30000, 1));
    list.insert(anon(0x31000, 0x40000));
    expect(list.gapTopDown(0x1000, 0x10000, 0x40000)).toBe(0x30000);
    expect(list.gapTopDown(0x2000, 0x10000, 0x40000)).toBe(0x20000);
    expect(list.gapTopDown(0x3000, 0x10000, 0x40000)).toBe(-1);
    expect(list.gapTopDown(0x3000, 0x10000, 0x50000)).toBe(0x4d000);
    expect(list.gapBottomUp(0x2000, 0x10000, 0x50000)).toBe(0x20000);
    expect(list.gapBottomUp(0x2000, 0x15000, 0x50000)).toBe(0x20000);
    expect(list.gapBottomUp(0x3000, 0x15000, 0x50000)).toBe(0x40000);
    expect(list.gapBottomUp(0x3000, 0x15000, 0x42000)).toBe(-1);
  });
});
