import { describe, expect, it } from 'vitest';
import { Errno } from '../../src/linux/errno.ts';
import { PAGE_SIZE } from '../../src/mm/memory-file.ts';
import {
  MADV_DONTNEED,
  MADV_FREE,
  MADV_WILLNEED,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
} from '../../src/mm/mm-constants.ts';
import { fixture } from './mm-fixture.ts';

const RW = 3;
const BASE = 0x20000000;

describe('MemoryManager.madvise', () => {
  it('makes private anonymous pages read zero after MADV_DONTNEED and frees them', () => {
    const f = fixture();
    f.mm.mmap(BASE, 2 * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
    f.store(BASE, 1);
    f.store(BASE + PAGE_SIZE, 2);
    expect(f.mm.madvise(BASE, PAGE_SIZE, MADV_DONTNEED)).toBe(0);
    expect(f.load(BASE)).toBe(0);
    expect(f.load(BASE + PAGE_SIZE)).toBe(2);
    expect(f.mm.madvise(BASE, 2 * PAGE_SIZE, MADV_DONTNEED)).toBe(0);
    expect(f.file.framesInUse).toBe(0);
  });

  it('reverts private file pages to the file contents after MADV_DONTNEED', () => {
    const f = fixture();
    const data = f.fileWith('abc');
    const a = f.mm.mmap(0, PAGE_SIZE, RW, MAP_PRIVATE, data, 0);
    f.store(a, 120);
    expect(f.load(a)).toBe(120);
    f.mm.madvise(a, PAGE_SIZE, MADV_DONTNEED);
    expect(f.load(a)).toBe(97);
  });

  it('keeps shared file contents after MADV_DONTNEED', () => {
    const f = fixture();
    const data = f.fileWith('abc');
    const a = f.mm.mmap(0, PAGE_SIZE, RW, MAP_SHARED, data, 0);
    f.store(a, 120);
    f.mm.madvise(a, PAGE_SIZE, MADV_DONTNEED);
    expect(f.load(a)).toBe(120);
  });

  it('returns ENOMEM over a hole and EINVAL for bad arguments', () => {
    const f = fixture();
    f.mm.mmap(BASE, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
    f.store(BASE, 3);
    expect(f.mm.madvise(BASE, 2 * PAGE_SIZE, MADV_DONTNEED)).toBe(-Errno.ENOMEM);
    expect(f.load(BASE)).toBe(0);
    expect(f.mm.madvise(BASE + 1, PAGE_SIZE, MADV_DONTNEED)).toBe(-Errno.EINVAL);
    expect(f.mm.madvise(BASE, PAGE_SIZE, 999)).toBe(-Errno.EINVAL);
    expect(f.mm.madvise(BASE, 0, MADV_DONTNEED)).toBe(0);
    expect(f.mm.madvise(BASE, PAGE_SIZE, MADV_WILLNEED)).toBe(0);
    const data = f.fileWith('x');
    const a = f.mm.mmap(0, PAGE_SIZE, RW, MAP_PRIVATE, data, 0);
    expect(f.mm.madvise(a, PAGE_SIZE, MADV_FREE)).toBe(-Errno.EINVAL);
  });
});
