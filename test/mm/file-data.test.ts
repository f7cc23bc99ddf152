import { describe, expect, it } from 'vitest';
import { FileData } from '../../src/mm/file-data.ts';
import { MemoryFile, PAGE_SIZE } from '../../src/mm/memory-file.ts';

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

describe('FileData', () => {
  it('reads a hole as zeros without allocating frames', () => {
    const memory = new MemoryFile(16 * 1024 * 1024);
    const data = new FileData(memory);
    data.truncate(3 * PAGE_SIZE);
    const out = new Uint8Array(PAGE_SIZE + 10).fill(7);
    expect(data.read(PAGE_SIZE - 5, out)).toBe(PAGE_SIZE + 10);
    expect(out.every((b) => b === 0)).toBe(true);
    expect(memory.framesInUse).toBe(0);
    expect(data.residentPages).toBe(0);
  });

  it('extends its size on a write and reads the bytes back across pages', () => {
    const data = new FileData(new MemoryFile(16 * 1024 * 1024));
    const src = new Uint8Array(PAGE_SIZE + 100).map((_, i) => i & 0xff);
    data.write(PAGE_SIZE - 50, src);
    expect(data.size).toBe(2 * PAGE_SIZE + 50);
    const out = new Uint8Array(src.length);
    expect(data.read(PAGE_SIZE - 50, out)).toBe(src.length);
    expect(out).toEqual(src);
    const head = new Uint8Array(10).fill(9);
    data.read(0, head);
    expect(head.every((b) => b === 0)).toBe(true);
  });

  it('returns short reads at the end of file and 0 at or past it', () => {
    const data = new FileData(new MemoryFile(16 * 1024 * 1024));
    data.write(0, bytes(1, 2, 3));
    const out = new Uint8Array(8);
    expect(data.read(1, out)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([2, 3]);
    expect(data.read(3, out)).toBe(0);
    expect(data.read(100, out)).toBe(0);
  });

  it('drops pages past a shrinking truncate and zeroes the tail of the last page', () => {
    const memory = new MemoryFile(16 * 1024 * 1024);
    const data = new FileData(memory);
    data.write(0, new Uint8Array(3 * PAGE_SIZE).fill(0xaa));
    expect(memory.framesInUse).toBe(3);
    data.truncate(PAGE_SIZE + 10);
    expect(memory.framesInUse).toBe(2);
    expect(data.size).toBe(PAGE_SIZE + 10);
    data.truncate(3 * PAGE_SIZE);
    const out = new Uint8Array(3 * PAGE_SIZE);
    data.read(0, out);
    expect(out[PAGE_SIZE + 9]).toBe(0xaa);
    expect(out.subarray(PAGE_SIZE + 10).every((b) => b === 0)).toBe(true);
  });

  it('shows zeros between the old end and a write past it', () => {
    const memory = new MemoryFile(16 * 1024 * 1024);
    const data = new FileData(memory);
    data.write(0, bytes(1, 2, 3, 4));
    // Bytes past the end of file in the last page, as a mapping could leave.
    memory.bytes[data.frameFor(0) * PAGE_SIZE + 6] = 0x55;
    data.write(10, bytes(9));
    const out = new Uint8Array(11);
    data.read(0, out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 9]);
  });

  it('hands out one stable zero frame per page from frameFor', () => {
    const memory = new MemoryFile(16 * 1024 * 1024);
    const data = new FileData(memory);
    const frame = data.frameFor(5);
    expect(data.frameFor(5)).toBe(frame);
    expect(memory.refCount(frame)).toBe(1);
    expect(memory.bytes.subarray(frame * PAGE_SIZE, (frame + 1) * PAGE_SIZE).every((b) => !b)).toBe(
      true,
    );
    data.write(5 * PAGE_SIZE, bytes(42));
    expect(memory.bytes[frame * PAGE_SIZE]).toBe(42);
  });

  it('returns every frame to the memory file on release', () => {
    const memory = new MemoryFile(16 * 1024 * 1024);
    const data = new FileData(memory);
    data.write(0, new Uint8Array(5 * PAGE_SIZE).fill(1));
    data.frameFor(20);
    expect(memory.framesInUse).toBe(6);
    data.release();
    expect(memory.framesInUse).toBe(0);
    expect(data.size).toBe(0);
  });

  it('tells frame-write listeners about the frames it writes', () => {
    const memory = new MemoryFile(16 * 1024 * 1024);
    const data = new FileData(memory);
    const seen: number[] = [];
    const remove = memory.onFrameWrite((f) => seen.push(f));
    data.write(0, bytes(1));
    expect(seen).toEqual([data.frameFor(0)]);
    remove();
    data.write(0, bytes(2));
    expect(seen.length).toBe(1);
  });
});
