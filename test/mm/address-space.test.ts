import { describe, expect, it } from 'vitest';
import { Access } from '../../src/cpu/fault.ts';
import { NOT_MAPPED, NOT_PERMITTED } from '../../src/cpu/mmu.ts';
import { AddressSpace, PageFlags, PROT_READ, PROT_WRITE } from '../../src/mm/address-space.ts';
import { MemoryFile, PAGE_SIZE } from '../../src/mm/memory-file.ts';

const PAGE = 0x1000;

function pair() {
  const file = new MemoryFile(16 * 1024 * 1024);
  return { file, a: new AddressSpace(file), b: new AddressSpace(file) };
}

describe('AddressSpace', () => {
  it('zero-fills a page mapped with map() on first touch', () => {
    const { file, a } = pair();
    a.map(PAGE * 4, PAGE_SIZE, PROT_READ);
    expect(file.framesInUse).toBe(0);
    const base = a.translate(4, Access.READ);
    expect(base).toBeGreaterThanOrEqual(0);
    expect(file.framesInUse).toBe(1);
    expect(a.translate(4, Access.WRITE)).toBe(NOT_PERMITTED);
    expect(a.translate(5, Access.READ)).toBe(NOT_MAPPED);
  });

  it('copies a shared copy-on-write frame on the first write and leaves the other side alone', () => {
    const { file, a, b } = pair();
    a.map(PAGE, PAGE_SIZE, PROT_READ | PROT_WRITE);
    a.writeBytes(PAGE, Uint8Array.of(1, 2, 3));
    a.sharePages(b, 1, 1, true);
    const shared = a.frameAt(1)!.frame;
    expect(b.frameAt(1)!.frame).toBe(shared);
    expect(file.refCount(shared)).toBe(2);
    expect(a.frameAt(1)!.flags & PageFlags.COW).toBeTruthy();

    const readBase = b.translate(1, Access.READ);
    expect(readBase).toBe(shared * PAGE_SIZE);
    const writeBase = b.translate(1, Access.WRITE);
    expect(writeBase).not.toBe(shared * PAGE_SIZE);
    file.bytes[writeBase] = 99;
    expect(a.readBytes(PAGE, 3)).toEqual(Uint8Array.of(1, 2, 3));
    expect(b.readBytes(PAGE, 3)).toEqual(Uint8Array.of(99, 2, 3));
    expect(file.refCount(shared)).toBe(1);
  });

  it('takes over a copy-on-write frame without copying when it holds the last reference', () => {
    const { file, a, b } = pair();
    a.map(PAGE, PAGE_SIZE, PROT_READ | PROT_WRITE);
    a.writeBytes(PAGE, Uint8Array.of(5));
    a.sharePages(b, 1, 1, true);
    const shared = a.frameAt(1)!.frame;
    b.unmap(PAGE, PAGE_SIZE);
    expect(file.refCount(shared)).toBe(1);
    expect(a.translate(1, Access.WRITE)).toBe(shared * PAGE_SIZE);
    expect(a.frameAt(1)!.flags & PageFlags.COW).toBe(0);
    expect(file.framesInUse).toBe(1);
  });

  it('tells invalidate listeners when a write copies a frame', () => {
    const { a, b } = pair();
    a.map(PAGE, PAGE_SIZE, PROT_READ | PROT_WRITE);
    a.translate(1, Access.READ);
    a.sharePages(b, 1, 1, true);
    let flushes = 0;
    a.onInvalidate(() => flushes++);
    a.translate(1, Access.READ);
    expect(flushes).toBe(0);
    a.translate(1, Access.WRITE);
    expect(flushes).toBe(1);
  });

  it('breaks copy-on-write sharing when the kernel writes with writeBytes', () => {
    const { a, b } = pair();
    a.map(PAGE, PAGE_SIZE, PROT_READ);
    a.writeBytes(PAGE, Uint8Array.of(7));
    a.sharePages(b, 1, 1, true);
    b.writeBytes(PAGE, Uint8Array.of(8));
    expect(a.readBytes(PAGE, 1)[0]).toBe(7);
    expect(b.readBytes(PAGE, 1)[0]).toBe(8);
  });

  it('keeps frames shared for good when shared without copy-on-write', () => {
    const { a, b } = pair();
    a.map(PAGE, PAGE_SIZE, PROT_READ | PROT_WRITE);
    a.translate(1, Access.WRITE);
    a.sharePages(b, 1, 1, false);
    b.writeBytes(PAGE, Uint8Array.of(4));
    expect(a.readBytes(PAGE, 1)[0]).toBe(4);
  });

  it('refuses copyIn and copyOut on unmapped or protected pages', () => {
    const { a } = pair();
    a.map(PAGE, PAGE_SIZE, PROT_READ);
    a.map(2 * PAGE, PAGE_SIZE, PROT_READ | PROT_WRITE);
    expect(a.copyOut(PAGE, Uint8Array.of(1))).toBe(false);
    expect(a.copyOut(2 * PAGE, Uint8Array.of(1))).toBe(true);
    const dst = new Uint8Array(2);
    expect(a.copyIn(2 * PAGE, dst)).toBe(true);
    expect(dst[0]).toBe(1);
    expect(a.copyIn(3 * PAGE - 1, dst)).toBe(false);
    expect(a.copyIn(2 ** 47 - 1, dst)).toBe(false);
    expect(() => a.readBytes(8 * PAGE, 1)).toThrow(RangeError);
  });

  it('moves entries and their frames with movePages', () => {
    const { file, a } = pair();
    a.map(PAGE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
    a.writeBytes(PAGE, Uint8Array.of(1));
    a.writeBytes(2 * PAGE, Uint8Array.of(2));
    const frame = a.frameAt(1)!.frame;
    a.movePages(1, 100, 2);
    expect(a.frameAt(100)!.frame).toBe(frame);
    expect(a.readBytes(101 * PAGE, 1)[0]).toBe(2);
    expect(a.isMapped(PAGE, 1)).toBe(false);
    expect(file.framesInUse).toBe(2);
  });

  it('releases every frame when everything is unmapped', () => {
    const { file, a, b } = pair();
    a.map(PAGE, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE);
    for (let p = 1; p <= 8; p++) a.translate(p, Access.WRITE);
    a.sharePages(b, 1, 8, true);
    for (let p = 1; p <= 4; p++) b.translate(p, Access.WRITE);
    expect(file.framesInUse).toBe(12);
    a.unmap(PAGE, 8 * PAGE_SIZE);
    b.unmap(PAGE, 8 * PAGE_SIZE);
    expect(file.framesInUse).toBe(0);
    expect(a.residentPages + b.residentPages).toBe(0);
  });
});
