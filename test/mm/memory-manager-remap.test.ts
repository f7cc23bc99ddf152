import { describe, expect, it } from 'vitest';
import { NOT_MAPPED } from '../../src/cpu/mmu.ts';
import { Errno } from '../../src/linux/errno.ts';
import { PAGE_SIZE } from '../../src/mm/memory-file.ts';
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_PRIVATE,
  MREMAP_DONTUNMAP,
  MREMAP_FIXED,
  MREMAP_MAYMOVE,
} from '../../src/mm/mm-constants.ts';
import { fixture } from './mm-fixture.ts';

const RW = 3;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const FIXED = ANON | MAP_FIXED;
const BASE = 0x20000000;

describe('MemoryManager.mremap', () => {
  it('shrinks in place and frees the tail', () => {
    const f = fixture();
    f.mm.mmap(BASE, 4 * PAGE_SIZE, RW, FIXED, null, 0);
    f.store(BASE + 3 * PAGE_SIZE, 1);
    expect(f.mm.mremap(BASE, 4 * PAGE_SIZE, PAGE_SIZE, 0)).toBe(BASE);
    expect(f.load(BASE + PAGE_SIZE)).toBe(NOT_MAPPED);
    expect(f.file.framesInUse).toBe(0);
  });

  it('grows in place when the following pages are free', () => {
    const f = fixture();
    f.mm.mmap(BASE, PAGE_SIZE, RW, FIXED, null, 0);
    expect(f.mm.mremap(BASE, PAGE_SIZE, 3 * PAGE_SIZE, 0)).toBe(BASE);
    expect(f.store(BASE + 2 * PAGE_SIZE, 1)).toBeGreaterThanOrEqual(0);
    expect(f.mm.vmas.count).toBe(1);
  });

  it('refuses to grow over a neighbour without MREMAP_MAYMOVE', () => {
    const f = fixture();
    f.mm.mmap(BASE, PAGE_SIZE, RW, FIXED, null, 0);
    f.mm.mmap(BASE + PAGE_SIZE, PAGE_SIZE, 1, FIXED, null, 0);
    expect(f.mm.mremap(BASE, PAGE_SIZE, 2 * PAGE_SIZE, 0)).toBe(-Errno.ENOMEM);
  });

  it('moves with MREMAP_MAYMOVE, keeping the frames rather than copying them', () => {
    const f = fixture();
    f.mm.mmap(BASE, 2 * PAGE_SIZE, RW, FIXED, null, 0);
    f.mm.mmap(BASE + 2 * PAGE_SIZE, PAGE_SIZE, 1, FIXED, null, 0);
    f.store(BASE, 11);
    f.store(BASE + PAGE_SIZE, 22);
    const frame = f.space.frameAt(BASE / PAGE_SIZE)!.frame;
    const moved = f.mm.mremap(BASE, 2 * PAGE_SIZE, 8 * PAGE_SIZE, MREMAP_MAYMOVE);
    expect(moved).toBeGreaterThan(0);
    expect(moved).not.toBe(BASE);
    expect(f.space.frameAt(moved / PAGE_SIZE)!.frame).toBe(frame);
    expect(f.load(moved + PAGE_SIZE)).toBe(22);
    expect(f.load(moved + 7 * PAGE_SIZE)).toBe(0);
    expect(f.load(BASE)).toBe(NOT_MAPPED);
    expect(f.file.framesInUse).toBe(3);
  });

  it('moves to a fixed address, replacing what was there', () => {
    const f = fixture();
    f.mm.mmap(BASE, PAGE_SIZE, RW, FIXED, null, 0);
    f.mm.mmap(BASE + 0x100000, 2 * PAGE_SIZE, RW, FIXED, null, 0);
    f.store(BASE + 0x100000, 5);
    f.store(BASE, 6);
    const to = BASE + 0x100000;
    expect(f.mm.mremap(BASE, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, to)).toBe(to);
    expect(f.file.framesInUse).toBe(1);
    expect(f.load(to)).toBe(6);
    expect(f.load(to + PAGE_SIZE)).toBe(0);
    expect(f.load(BASE)).toBe(NOT_MAPPED);
  });

  it('leaves the old range mapped and empty with MREMAP_DONTUNMAP', () => {
    const f = fixture();
    f.mm.mmap(BASE, PAGE_SIZE, RW, FIXED, null, 0);
    f.store(BASE, 9);
    const flags = MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
    const moved = f.mm.mremap(BASE, PAGE_SIZE, PAGE_SIZE, flags);
    expect(f.load(moved)).toBe(9);
    expect(f.load(BASE)).toBe(0);
  });

  it('returns Linux errors for bad arguments', () => {
    const f = fixture();
    f.mm.mmap(BASE, 2 * PAGE_SIZE, RW, FIXED, null, 0);
    expect(f.mm.mremap(BASE + 1, PAGE_SIZE, PAGE_SIZE, 0)).toBe(-Errno.EINVAL);
    expect(f.mm.mremap(BASE, PAGE_SIZE, 0, 0)).toBe(-Errno.EINVAL);
    expect(f.mm.mremap(BASE, PAGE_SIZE, PAGE_SIZE, 8)).toBe(-Errno.EINVAL);
    expect(f.mm.mremap(BASE, PAGE_SIZE, PAGE_SIZE, MREMAP_FIXED, BASE + 0x10000)).toBe(
      -Errno.EINVAL,
    );
    expect(f.mm.mremap(BASE, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_DONTUNMAP | MREMAP_MAYMOVE)).toBe(
      -Errno.EINVAL,
    );
    const overlap = MREMAP_MAYMOVE | MREMAP_FIXED;
    expect(f.mm.mremap(BASE, 2 * PAGE_SIZE, 2 * PAGE_SIZE, overlap, BASE + PAGE_SIZE)).toBe(
      -Errno.EINVAL,
    );
    expect(f.mm.mremap(0x30000000, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE)).toBe(-Errno.EFAULT);
    expect(f.mm.mremap(BASE, 3 * PAGE_SIZE, 4 * PAGE_SIZE, MREMAP_MAYMOVE)).toBe(-Errno.EFAULT);
    expect(f.mm.mremap(BASE, 0, PAGE_SIZE, MREMAP_MAYMOVE)).toBe(-Errno.EINVAL);
  });
});
