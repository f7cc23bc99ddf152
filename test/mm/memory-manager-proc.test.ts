import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../src/mm/memory-file.ts';
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_GROWSDOWN,
  MAP_PRIVATE,
  MAP_SHARED,
} from '../../src/mm/mm-constants.ts';
import { fixture } from './mm-fixture.ts';

const FIXED_ANON = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;

describe('MemoryManager.maps', () => {
  it('lays out /proc/self/maps lines as Linux does', () => {
    const f = fixture();
    f.mm.mmap(0x400000, PAGE_SIZE, 5, FIXED_ANON, null, 0, { name: '/bin/prog' });
    f.mm.setBrkStart(0x600000);
    f.mm.brk(0x621000);
    const data = f.fileWith(new Uint8Array(3 * PAGE_SIZE));
    const where = { name: '/tmp/data', major: 0, minor: 0x1a, inode: 42, writable: true };
    f.mm.mmap(0x7f0000000000, PAGE_SIZE, 3, MAP_SHARED | MAP_FIXED, data, 2 * PAGE_SIZE, where);
    f.mm.mmap(0x7f0000010000, PAGE_SIZE, 0, FIXED_ANON, null, 0);
    const stack = FIXED_ANON | MAP_GROWSDOWN;
    f.mm.mmap(0x7ffffffde000, 0x21000, 3, stack, null, 0, { name: '[stack]' });
    const lines = f.mm.maps().split('\n');
    expect(lines).toEqual([
      '00400000-00401000 r-xp 00000000 00:00 0' + ' '.repeat(34) + '/bin/prog',
      '00600000-00621000 rw-p 00000000 00:00 0' + ' '.repeat(34) + '[heap]',
      '7f0000000000-7f0000001000 rw-s 00002000 00:1a 42' + ' '.repeat(25) + '/tmp/data',
      '7f0000010000-7f0000011000 ---p 00000000 00:00 0 ',
      '7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0' + ' '.repeat(26) + '[stack]',
      '',
    ]);
    expect(lines[0].indexOf('/')).toBe(73);
  });

  it('shows shared anonymous memory as a deleted /dev/zero', () => {
    const f = fixture();
    f.mm.mmap(0x10000000, PAGE_SIZE, 3, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, null, 0);
    expect(f.mm.maps()).toMatch(
      /^10000000-10001000 rw-s 00000000 00:01 1 +\/dev\/zero \(deleted\)\n$/,
    );
  });
});

describe('MemoryManager.stats', () => {
  it('counts mapped bytes, resident pages and their peaks', () => {
    const f = fixture();
    const a = f.mm.mmap(0x10000000, 8 * PAGE_SIZE, 3, FIXED_ANON, null, 0);
    for (let i = 0; i < 4; i++) f.store(a + i * PAGE_SIZE, 1);
    const data = f.fileWith('abc');
    const s = f.mm.mmap(0, PAGE_SIZE, 3, MAP_SHARED, data, 0);
    f.load(s);
    let st = f.mm.stats();
    expect(st.mappedBytes).toBe(9 * PAGE_SIZE);
    expect(st.residentPages).toBe(5);
    expect(st.anonResidentPages).toBe(4);
    expect(st.shmemResidentPages).toBe(1);
    expect(st.dataBytes).toBe(8 * PAGE_SIZE);
    expect(st.mappingCount).toBe(2);
    f.mm.munmap(a, 8 * PAGE_SIZE);
    st = f.mm.stats();
    expect(st.mappedBytes).toBe(PAGE_SIZE);
    expect(st.residentPages).toBe(1);
    expect(st.peakMappedBytes).toBe(9 * PAGE_SIZE);
    expect(st.peakResidentPages).toBe(5);
  });
});
