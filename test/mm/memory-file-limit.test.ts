import { describe, expect, it } from 'vitest';
import { MemoryFile, OutOfMemoryError, PAGE_SIZE } from '../../src/mm/memory-file.ts';

/** Allocates frames until the file refuses; returns how many it gave. */
function fill(file: MemoryFile, most: number): number {
  let n = 0;
  try {
    for (; n < most; n++) file.allocate();
  } catch (e) {
    if (!(e instanceof OutOfMemoryError)) throw e;
  }
  return n;
}

describe('the memory budget of a loaded memory file', () => {
  it('can be lowered, but never below the frames already handed out', () => {
    const file = new MemoryFile(64 * 1024 * 1024);
    for (let k = 0; k < 300; k++) file.allocate();
    file.restoreAfterLoad();
    expect(file.setLimit(PAGE_SIZE)).toBe(300 * PAGE_SIZE);
    // Only the rest of the memory's last 64 KiB page (16 frames) still fills.
    expect(fill(file, 10_000)).toBeLessThan(16);
  });

  it('can be raised above the budget the snapshot was saved with', () => {
    const file = new MemoryFile(2 * 1024 * 1024);
    for (let k = 0; k < 300; k++) file.allocate();
    file.restoreAfterLoad();
    // The saved budget, 2 MiB: 512 frames in all.
    expect(fill(file, 10_000)).toBe(512 - 300);
    expect(file.setLimit(64 * 1024 * 1024)).toBe(64 * 1024 * 1024);
    expect(fill(file, 4096)).toBe(4096);
  });
});
