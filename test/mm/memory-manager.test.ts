import { describe, expect, it } from 'vitest';
import { NOT_MAPPED, NOT_PERMITTED } from '../../src/cpu/mmu.ts';
import { Errno } from '../../src/linux/errno.ts';
import { SIGBUS, SIGSEGV } from '../../src/linux/signal.ts';
import { BEYOND_EOF } from '../../src/mm/address-space.ts';
import { PAGE_SIZE } from '../../src/mm/memory-file.ts';
import {
  MAP_32BIT,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_PRIVATE,
  MAP_SHARED,
  MAP_SHARED_VALIDATE,
  PROT_NONE,
  SEGV_ACCERR,
  SEGV_MAPERR,
  TASK_SIZE,
} from '../../src/mm/mm-constants.ts';
import { fixture, MMAP_BASE } from './mm-fixture.ts';

const RW = 3;
const R = 1;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

describe('MemoryManager.mmap', () => {
  it('places mappings top-down below the mmap base', () => {
    const { mm } = fixture();
    const a = mm.mmap(0, 3 * PAGE_SIZE, RW, ANON, null, 0);
    const b = mm.mmap(0, PAGE_SIZE, RW, ANON, null, 0);
    expect(a).toBe(MMAP_BASE - 3 * PAGE_SIZE);
    expect(b).toBe(a - PAGE_SIZE);
  });

  it('uses a free hint, page aligned down, and searches elsewhere when it is taken', () => {
    const { mm } = fixture();
    expect(mm.mmap(0x10000123, PAGE_SIZE, RW, ANON, null, 0)).toBe(0x10000000);
    const again = mm.mmap(0x10000000, PAGE_SIZE, RW, ANON, null, 0);
    expect(again).not.toBe(0x10000000);
    expect(again).toBe(MMAP_BASE - PAGE_SIZE);
  });

  it('reuses the hole left by an unmapped mapping', () => {
    const { mm } = fixture();
    const a = mm.mmap(0, PAGE_SIZE, RW, ANON, null, 0);
    mm.mmap(0, PAGE_SIZE, RW, ANON, null, 0);
    expect(mm.munmap(a, PAGE_SIZE)).toBe(0);
    expect(mm.mmap(0, PAGE_SIZE, RW, ANON, null, 0)).toBe(a);
  });

  it('puts MAP_32BIT mappings in the low 2 GiB window', () => {
    const { mm } = fixture();
    const a = mm.mmap(0, PAGE_SIZE, RW, ANON | MAP_32BIT, null, 0);
    expect(a).toBe(0x40000000);
  });

  it('gives zeroed anonymous memory that is allocated only when touched', () => {
    const f = fixture();
    const a = f.mm.mmap(0, 1 << 30, RW, ANON, null, 0);
    expect(f.file.framesInUse).toBe(0);
    expect(f.load(a + 12345)).toBe(0);
    expect(f.store(a + 12345, 7)).toBeGreaterThanOrEqual(0);
    expect(f.load(a + 12345)).toBe(7);
    expect(f.file.framesInUse).toBe(1);
  });

  it('replaces an existing mapping with MAP_FIXED and refuses with MAP_FIXED_NOREPLACE', () => {
    const f = fixture();
    const a = f.mm.mmap(0x20000000, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED, null, 0);
    f.store(a + PAGE_SIZE, 9);
    const noreplace = ANON | MAP_FIXED_NOREPLACE;
    expect(f.mm.mmap(a + PAGE_SIZE, PAGE_SIZE, RW, noreplace, null, 0)).toBe(-Errno.EEXIST);
    expect(f.load(a + PAGE_SIZE)).toBe(9);
    expect(f.mm.mmap(a + PAGE_SIZE, PAGE_SIZE, R, ANON | MAP_FIXED, null, 0)).toBe(a + PAGE_SIZE);
    expect(f.load(a + PAGE_SIZE)).toBe(0);
    expect(f.store(a + PAGE_SIZE, 1)).toBe(NOT_PERMITTED);
    expect(f.mm.vmas.count).toBe(3);
    expect(f.mm.mmap(a + 4 * PAGE_SIZE, PAGE_SIZE, RW, noreplace, null, 0)).toBe(a + 4 * PAGE_SIZE);
  });

  it('returns Linux errors for bad arguments', () => {
    const { mm } = fixture();
    expect(mm.mmap(0, 0, RW, ANON, null, 0)).toBe(-Errno.EINVAL);
    expect(mm.mmap(0, PAGE_SIZE, RW, MAP_ANONYMOUS, null, 0)).toBe(-Errno.EINVAL);
    expect(mm.mmap(0, PAGE_SIZE, RW, MAP_ANONYMOUS | MAP_SHARED_VALIDATE, null, 0)).toBe(
      -Errno.EINVAL,
    );
    expect(mm.mmap(0x20000001, PAGE_SIZE, RW, ANON | MAP_FIXED, null, 0)).toBe(-Errno.EINVAL);
    expect(mm.mmap(0, PAGE_SIZE, RW, ANON, null, 100)).toBe(-Errno.EINVAL);
    expect(mm.mmap(0, 2 ** 64, RW, ANON, null, 0)).toBe(-Errno.ENOMEM);
    expect(mm.mmap(TASK_SIZE - PAGE_SIZE, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, null, 0)).toBe(
      -Errno.ENOMEM,
    );
    expect(mm.mmap(0x1000, PAGE_SIZE, RW, ANON | MAP_FIXED, null, 0)).toBe(-Errno.EPERM);
    expect(mm.mmap(0, PAGE_SIZE, RW, MAP_PRIVATE, null, 0)).toBe(-Errno.EBADF);
  });

  it('refuses a shared writable mapping of a file not open for writing', () => {
    const f = fixture();
    const data = f.fileWith('abc');
    const ro = { writable: false };
    expect(f.mm.mmap(0, PAGE_SIZE, RW, MAP_SHARED, data, 0, ro)).toBe(-Errno.EACCES);
    const a = f.mm.mmap(0, PAGE_SIZE, R, MAP_SHARED, data, 0, ro);
    expect(a).toBeGreaterThan(0);
    expect(f.mm.mprotect(a, PAGE_SIZE, RW)).toBe(-Errno.EACCES);
    expect(f.mm.mmap(0, PAGE_SIZE, RW, MAP_PRIVATE, data, 0, ro)).toBeGreaterThan(0);
    expect(f.mm.mmap(0, PAGE_SIZE, RW, MAP_SHARED_VALIDATE | 0x200, data, 0)).toBe(
      -Errno.EOPNOTSUPP,
    );
  });
});

describe('MemoryManager.munmap', () => {
  it('splits a mapping and frees the frames of the unmapped pages', () => {
    const f = fixture();
    const a = f.mm.mmap(0, 3 * PAGE_SIZE, RW, ANON, null, 0);
    for (let i = 0; i < 3; i++) f.store(a + i * PAGE_SIZE, i + 1);
    expect(f.mm.munmap(a + PAGE_SIZE, PAGE_SIZE)).toBe(0);
    expect(f.file.framesInUse).toBe(2);
    expect(f.mm.vmas.count).toBe(2);
    expect(f.load(a + PAGE_SIZE)).toBe(NOT_MAPPED);
    expect(f.load(a + 2 * PAGE_SIZE)).toBe(3);
  });

  it('accepts unmapping nothing and rejects bad ranges', () => {
    const { mm } = fixture();
    expect(mm.munmap(0x30000000, PAGE_SIZE)).toBe(0);
    expect(mm.munmap(0x30000001, PAGE_SIZE)).toBe(-Errno.EINVAL);
    expect(mm.munmap(0x30000000, 0)).toBe(-Errno.EINVAL);
    expect(mm.munmap(TASK_SIZE, PAGE_SIZE)).toBe(-Errno.EINVAL);
  });
});

describe('MemoryManager.mprotect', () => {
  it('splits mappings, changes page access, and merges back', () => {
    const f = fixture();
    const a = f.mm.mmap(0, 4 * PAGE_SIZE, RW, ANON, null, 0);
    f.store(a + PAGE_SIZE, 5);
    expect(f.mm.mprotect(a + PAGE_SIZE, 2 * PAGE_SIZE, R)).toBe(0);
    expect(f.mm.vmas.count).toBe(3);
    expect(f.store(a + PAGE_SIZE, 6)).toBe(NOT_PERMITTED);
    expect(f.load(a + PAGE_SIZE)).toBe(5);
    expect(f.mm.mprotect(a + PAGE_SIZE, 2 * PAGE_SIZE, RW)).toBe(0);
    expect(f.mm.vmas.count).toBe(1);
    expect(f.store(a + PAGE_SIZE, 6)).toBeGreaterThanOrEqual(0);
  });

  it('makes PROT_NONE pages refuse every access', () => {
    const f = fixture();
    const a = f.mm.mmap(0, PAGE_SIZE, PROT_NONE, ANON, null, 0);
    expect(f.load(a)).toBe(NOT_PERMITTED);
    expect(f.mm.faultSignal(a)).toEqual({ signo: SIGSEGV, code: SEGV_ACCERR });
    expect(f.mm.faultSignal(a + PAGE_SIZE)).toEqual({ signo: SIGSEGV, code: SEGV_MAPERR });
  });

  it('lets write-only pages be read, as x86 does', () => {
    const f = fixture();
    const a = f.mm.mmap(0, PAGE_SIZE, 2, ANON, null, 0);
    expect(f.load(a)).toBe(0);
  });

  it('returns ENOMEM over a hole after changing the mappings before it', () => {
    const f = fixture();
    const a = f.mm.mmap(0x20000000, 3 * PAGE_SIZE, RW, ANON | MAP_FIXED, null, 0);
    f.mm.munmap(a + PAGE_SIZE, PAGE_SIZE);
    expect(f.mm.mprotect(a, 3 * PAGE_SIZE, R)).toBe(-Errno.ENOMEM);
    expect(f.store(a, 1)).toBe(NOT_PERMITTED);
    expect(f.store(a + 2 * PAGE_SIZE, 1)).toBeGreaterThanOrEqual(0);
  });

  it('rejects unaligned addresses and unknown bits, and accepts length 0', () => {
    const { mm } = fixture();
    expect(mm.mprotect(0x20000001, PAGE_SIZE, R)).toBe(-Errno.EINVAL);
    expect(mm.mprotect(0x20000000, 0, R)).toBe(0);
    expect(mm.mprotect(0x20000000, PAGE_SIZE, R)).toBe(-Errno.ENOMEM);
    const a = mm.mmap(0, PAGE_SIZE, RW, ANON, null, 0);
    expect(mm.mprotect(a, PAGE_SIZE, 0x40)).toBe(-Errno.EINVAL);
  });
});

describe('MemoryManager.brk', () => {
  it('grows and shrinks the heap from the start the loader set', () => {
    const f = fixture();
    f.mm.setBrkStart(0x600000);
    expect(f.mm.brk(0)).toBe(0x600000);
    expect(f.mm.brk(0x600010)).toBe(0x600010);
    expect(f.store(0x600fff, 1)).toBeGreaterThanOrEqual(0);
    expect(f.load(0x601000)).toBe(NOT_MAPPED);
    expect(f.mm.brk(0x603000)).toBe(0x603000);
    f.store(0x602000, 2);
    expect(f.mm.brk(0x601000)).toBe(0x601000);
    expect(f.load(0x602000)).toBe(NOT_MAPPED);
    expect(f.file.framesInUse).toBe(1);
    expect(f.mm.brk(0x500000)).toBe(0x601000);
  });

  it('keeps a guard page before the next mapping and returns the old break when refused', () => {
    const f = fixture();
    f.mm.setBrkStart(0x600000);
    f.mm.mmap(0x700000, PAGE_SIZE, RW, ANON | MAP_FIXED, null, 0);
    expect(f.mm.brk(0x700000)).toBe(0x600000);
    expect(f.mm.brk(0x6ff000)).toBe(0x6ff000);
    expect(f.mm.brk(0x6ff001)).toBe(0x6ff000);
  });

  it('answers the current break before the loader set one', () => {
    const { mm } = fixture();
    expect(mm.brk(0)).toBe(0);
    expect(mm.brk(0x10000)).toBe(0);
  });
});

describe('MemoryManager file mappings', () => {
  it('shares frames between a MAP_SHARED mapping and the file, both ways', () => {
    const f = fixture();
    const data = f.fileWith('hello');
    const a = f.mm.mmap(0, PAGE_SIZE, RW, MAP_SHARED, data, 0);
    expect(f.load(a)).toBe('h'.charCodeAt(0));
    f.store(a, 'j'.charCodeAt(0));
    const out = new Uint8Array(5);
    data.read(0, out);
    expect(new TextDecoder().decode(out)).toBe('jello');
    data.write(1, new TextEncoder().encode('E'));
    expect(f.load(a + 1)).toBe('E'.charCodeAt(0));
    expect(data.size).toBe(5);
  });

  it('maps a MAP_PRIVATE file copy-on-write: writes stay private', () => {
    const f = fixture();
    const data = f.fileWith('abc');
    const a = f.mm.mmap(0, PAGE_SIZE, RW, MAP_PRIVATE, data, 0);
    expect(f.load(a)).toBe(97);
    data.write(0, Uint8Array.of(65));
    expect(f.load(a)).toBe(65);
    f.store(a + 1, 66);
    const out = new Uint8Array(3);
    data.read(0, out);
    expect(Array.from(out)).toEqual([65, 98, 99]);
    data.write(2, Uint8Array.of(67));
    expect(f.load(a + 2)).toBe(99);
  });

  it('maps from a file offset', () => {
    const f = fixture();
    const bytes = new Uint8Array(3 * PAGE_SIZE);
    bytes[2 * PAGE_SIZE] = 77;
    const data = f.fileWith(bytes);
    const a = f.mm.mmap(0, PAGE_SIZE, R, MAP_PRIVATE, data, 2 * PAGE_SIZE);
    expect(f.load(a)).toBe(77);
  });

  it('reports pages wholly past the end of file as SIGBUS', () => {
    const f = fixture();
    const data = f.fileWith('x');
    const a = f.mm.mmap(0, 3 * PAGE_SIZE, R, MAP_SHARED, data, 0);
    expect(f.load(a + 100)).toBe(0);
    expect(f.load(a + PAGE_SIZE)).toBe(BEYOND_EOF);
    expect(f.mm.faultSignal(a + PAGE_SIZE).signo).toBe(SIGBUS);
    expect(f.space.isBeyondFile(a + PAGE_SIZE)).toBe(true);
    expect(f.space.isBeyondFile(a)).toBe(false);
    data.truncate(2 * PAGE_SIZE);
    expect(f.load(a + PAGE_SIZE)).toBe(0);
  });

  it('shares a MAP_SHARED anonymous mapping through a hidden file freed on unmap', () => {
    const f = fixture();
    const a = f.mm.mmap(0, 2 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, null, 0);
    f.store(a + PAGE_SIZE, 3);
    const b = f.mm.mremap(a, 0, 2 * PAGE_SIZE, 1);
    expect(b).not.toBe(a);
    expect(f.load(b + PAGE_SIZE)).toBe(3);
    f.store(b, 4);
    expect(f.load(a)).toBe(4);
    f.mm.munmap(a, 2 * PAGE_SIZE);
    expect(f.file.framesInUse).toBeGreaterThan(0);
    f.mm.munmap(b, 2 * PAGE_SIZE);
    expect(f.file.framesInUse).toBe(0);
  });

  it('returns every frame once mappings and files are gone', () => {
    const f = fixture();
    const data = f.fileWith(new Uint8Array(4 * PAGE_SIZE).fill(1));
    const s = f.mm.mmap(0, 4 * PAGE_SIZE, RW, MAP_SHARED, data, 0);
    const p = f.mm.mmap(0, 4 * PAGE_SIZE, RW, MAP_PRIVATE, data, 0);
    const anon = f.mm.mmap(0, 4 * PAGE_SIZE, RW, ANON, null, 0);
    for (let i = 0; i < 4; i++) {
      f.store(s + i * PAGE_SIZE, 2);
      f.load(p + i * PAGE_SIZE);
      if (i % 2) f.store(p + i * PAGE_SIZE, 3);
      f.store(anon + i * PAGE_SIZE, 4);
    }
    f.mm.mprotect(p, PAGE_SIZE, R);
    f.mm.munmap(s, 4 * PAGE_SIZE);
    f.mm.munmap(p, 4 * PAGE_SIZE);
    f.mm.munmap(anon, 4 * PAGE_SIZE);
    expect(f.file.framesInUse).toBe(4);
    data.release();
    expect(f.file.framesInUse).toBe(0);
    expect(data.mapCount).toBe(0);
  });
});
