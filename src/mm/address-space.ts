import { Access } from '../cpu/fault.ts';
import { NOT_MAPPED, NOT_PERMITTED, type PageTranslator } from '../cpu/mmu.ts';
import { MemoryFile, PAGE_SIZE } from './memory-file.ts';

/** Page protection bits, the same values as Access (and Linux's PROT_*). */
export const PROT_READ = Access.READ;
export const PROT_WRITE = Access.WRITE;
export const PROT_EXEC = Access.EXEC;

/**
 * Upper end (exclusive) of user addresses: the canonical lower half of the
 * 48-bit address space, as on x86-64 Linux.
 */
export const USER_END = 2 ** 47;

/**
 * Page table entry packing: bits 0-2 protection, bit 3 "populated", frame
 * number from bit 4 up. A page that is mapped but not yet touched has no
 * frame; it is zero-filled on first access.
 */
const PTE_PRESENT = 8;
const PTE_FRAME_SHIFT = 16;

/**
 * The pages of one guest address space and their frames in the memory file.
 * This layer knows pages, not mappings: mmap's regions and their semantics
 * are built on top of it.
 *
 * Mutated by the kernel's memory system calls and by first-touch faults from
 * the CPU. Saved: every page entry and the frames they name.
 */
export class AddressSpace implements PageTranslator {
  readonly file: MemoryFile;
  /** Virtual page number to packed entry (see PTE_*). */
  private readonly pages = new Map<number, number>();
  /** TLBs to flush when a translation changes; host handles, not saved. */
  private readonly listeners: (() => void)[] = [];

  constructor(file: MemoryFile) {
    this.file = file;
  }

  get memory(): WebAssembly.Memory {
    return this.file.memory;
  }

  onInvalidate(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Number of pages mapped. */
  get pageCount(): number {
    return this.pages.size;
  }

  translate(vpage: number, access: number): number {
    const pte = this.pages.get(vpage);
    if (pte === undefined) return NOT_MAPPED;
    if ((pte & access) !== access) return NOT_PERMITTED;
    if (pte & PTE_PRESENT) return Math.floor(pte / 2 ** PTE_FRAME_SHIFT) * PAGE_SIZE;
    const frame = this.file.allocate();
    this.pages.set(vpage, frame * 2 ** PTE_FRAME_SHIFT + (pte & 7) + PTE_PRESENT);
    return frame * PAGE_SIZE;
  }

  /**
   * Maps `length` bytes at page-aligned `addr` as zero-filled anonymous
   * memory with `prot`, replacing whatever was there.
   */
  map(addr: number, length: number, prot: number): void {
    const first = addr / PAGE_SIZE;
    const count = Math.ceil(length / PAGE_SIZE);
    for (let p = first; p < first + count; p++) {
      this.dropPage(p);
      this.pages.set(p, prot & 7);
    }
    this.invalidate();
  }

  /** Unmaps the pages covering [addr, addr + length). */
  unmap(addr: number, length: number): void {
    const first = Math.floor(addr / PAGE_SIZE);
    const count = Math.ceil(length / PAGE_SIZE);
    for (let p = first; p < first + count; p++) this.dropPage(p);
    this.invalidate();
  }

  /** Changes the protection of mapped pages in [addr, addr + length). */
  protect(addr: number, length: number, prot: number): void {
    const first = Math.floor(addr / PAGE_SIZE);
    const count = Math.ceil(length / PAGE_SIZE);
    for (let p = first; p < first + count; p++) {
      const pte = this.pages.get(p);
      if (pte !== undefined) this.pages.set(p, pte - (pte & 7) + (prot & 7));
    }
    this.invalidate();
  }

  /** True when every page of [addr, addr + length) is mapped. */
  isMapped(addr: number, length: number): boolean {
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + Math.max(length, 1) - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) if (!this.pages.has(p)) return false;
    return true;
  }

  /**
   * Copies bytes into guest memory regardless of protection (the kernel's
   * view, used by the loader and by system calls after their own checks).
   * Throws a RangeError naming the address when a page is not mapped.
   */
  writeBytes(addr: number, data: Uint8Array): void {
    this.copy(addr, data.length, (off, pos, n) => {
      this.file.bytes.set(data.subarray(pos, pos + n), off);
    });
  }

  /** Copies bytes out of guest memory regardless of protection. */
  readBytes(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.copy(addr, length, (off, pos, n) => {
      out.set(this.file.bytes.subarray(off, off + n), pos);
    });
    return out;
  }

  private copy(addr: number, length: number, step: (off: number, pos: number, n: number) => void) {
    let pos = 0;
    while (pos < length) {
      const a = addr + pos;
      const inPage = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - pos);
      const base = this.translate(Math.floor(a / PAGE_SIZE), 0);
      if (base < 0) throw new RangeError(`address 0x${a.toString(16)} is not mapped`);
      step(base + inPage, pos, n);
      pos += n;
    }
  }

  private dropPage(vpage: number): void {
    const pte = this.pages.get(vpage);
    if (pte === undefined) return;
    if (pte & PTE_PRESENT) this.file.release(Math.floor(pte / 2 ** PTE_FRAME_SHIFT));
    this.pages.delete(vpage);
  }

  private invalidate(): void {
    for (const listener of this.listeners) listener();
  }
}
