import { Access } from '../cpu/fault.ts';
import { NOT_MAPPED, NOT_PERMITTED, type PageTranslator } from '../cpu/mmu.ts';
import { type MemoryFile, PAGE_SIZE } from './memory-file.ts';

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
 * Returned by translate() for a page of a file mapping that lies wholly past
 * the end of the file: Linux raises SIGBUS there, not SIGSEGV. The CPU
 * reports it as a page fault on an unmapped page; the kernel tells the two
 * apart with MemoryManager.faultSignal().
 */
export const BEYOND_EOF = -3;

/**
 * Page table entry packing: bits 0-2 protection, bit 3 "present" (has a
 * frame), bit 4 copy-on-write, bit 5 "the frame belongs to a file", frame
 * number from bit 16 up. An entry without a frame is zero-filled on first
 * access. Bitwise operators are safe on entries because they keep the low 32
 * bits, where every flag lives.
 */
const PTE_PRESENT = 8;
const PTE_COW = 16;
const PTE_FILE = 32;
const FRAME_UNIT = 2 ** 16;

/** How a populated page maps its frame. */
export const PageFlags = {
  /** Writes copy the frame first (or take it over when no one else has it). */
  COW: PTE_COW,
  /** The frame is a file's page-cache frame (counted as file memory). */
  FILE: PTE_FILE,
} as const;

/**
 * Populates pages that have no entry yet: the MemoryManager, which knows the
 * mappings. Preconditions for fillPage: `vpage` has no entry.
 */
export interface PageFiller {
  /**
   * Installs an entry for `vpage` fit for `access` and returns the byte
   * offset of its frame, or NOT_MAPPED, NOT_PERMITTED or BEYOND_EOF. With
   * `force` the mapping's protection is ignored (the kernel's own access).
   */
  fillPage(vpage: number, access: number, force: boolean): number;
  /** True when `vpage` lies in a mapping. */
  hasPage(vpage: number): boolean;
  /** True when `addr` lies in a file mapping but past the end of its file. */
  isBeyondFile(addr: number): boolean;
}

/**
 * The pages of one guest address space and their frames in the memory file.
 * This layer knows pages, not mappings: the MemoryManager builds mmap's
 * regions on top and fills pages on first touch through `filler`. Used
 * alone (CPU tests), map() creates entries that fill with zeros.
 *
 * Copy-on-write: an entry flagged COW shares its frame with others (a fork,
 * a private file mapping); the first write through it copies the frame, or
 * takes it over when it is the last reference.
 */
export class AddressSpace implements PageTranslator {
  /** The memory file holding the frames. Saved (shared reference). */
  readonly file: MemoryFile;
  /**
   * Virtual page number to packed entry (see PTE_*). Each present entry owns
   * one reference to its frame. Mutated by the methods here, which the
   * MemoryManager and first-touch faults call. Saved.
   */
  private readonly pages = new Map<number, number>();
  /** Number of present entries. Mutated with `pages`. Saved. */
  private present = 0;
  /**
   * Fills pages that have no entry. Set by the MemoryManager that owns this
   * space. Saved (a reference to that manager).
   */
  filler: PageFiller | null = null;
  /** TLBs to flush when a translation changes. Host handles: not saved. */
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

  /**
   * Registers a callback told about frames whose bytes the kernel changed
   * outside the CPU's stores; returns its remover. See MemoryFile.
   */
  onFrameWrite(listener: (frame: number) => void): () => void {
    return this.file.onFrameWrite(listener);
  }

  /** Number of page entries, with or without a frame. */
  get pageCount(): number {
    return this.pages.size;
  }

  /** Number of pages holding a frame (resident set). */
  get residentPages(): number {
    return this.present;
  }

  translate(vpage: number, access: number): number {
    const pte = this.pages.get(vpage);
    if (pte === undefined) {
      return this.filler === null ? NOT_MAPPED : this.filler.fillPage(vpage, access, false);
    }
    if ((pte & access) !== access) return NOT_PERMITTED;
    return this.resolve(vpage, pte, (access & PROT_WRITE) !== 0);
  }

  /**
   * Installs a present entry for `vpage`, taking over one reference to
   * `frame` from the caller, with protection `prot` and PageFlags `flags`.
   * Replaces (and releases) what was there.
   */
  install(vpage: number, frame: number, prot: number, flags: number): void {
    const old = this.pages.get(vpage);
    if (old !== undefined) this.dropPage(vpage);
    this.pages.set(vpage, frame * FRAME_UNIT + PTE_PRESENT + (prot & 7) + (flags & 0x30));
    this.present++;
    if (old !== undefined) this.invalidate();
  }

  /**
   * Maps `length` bytes at page-aligned `addr` as zero-filled anonymous
   * memory with `prot`, replacing whatever was there. For spaces without a
   * MemoryManager (tests, tools).
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
    this.dropPages(first, Math.ceil((addr + length) / PAGE_SIZE) - first);
  }

  /** Changes the protection of mapped pages in [addr, addr + length). */
  protect(addr: number, length: number, prot: number): void {
    const first = Math.floor(addr / PAGE_SIZE);
    this.protectPages(first, Math.ceil((addr + length) / PAGE_SIZE) - first, prot);
  }

  /** Drops the entries of `count` pages from `first`, releasing their frames. */
  dropPages(first: number, count: number): void {
    for (const p of this.entriesIn(first, count)) this.dropPage(p);
    this.invalidate();
  }

  /** Sets the protection of the entries of `count` pages from `first`. */
  protectPages(first: number, count: number, prot: number): void {
    for (const p of this.entriesIn(first, count)) {
      const pte = this.pages.get(p)!;
      this.pages.set(p, pte - (pte & 7) + (prot & 7));
    }
    this.invalidate();
  }

  /**
   * Moves the entries of `count` pages from `from` to `to`, frames and all
   * (mremap). Preconditions: the two ranges do not overlap and the
   * destination has no entries.
   */
  movePages(from: number, to: number, count: number): void {
    const moved = this.entriesIn(from, count).map((p) => [p, this.pages.get(p)!] as const);
    for (const [p] of moved) this.pages.delete(p);
    for (const [p, pte] of moved) this.pages.set(p - from + to, pte);
    this.invalidate();
  }

  /**
   * Gives `child` the entries of `count` pages from `first`, sharing their
   * frames (fork). With `cow`, both sides then copy on write; without it
   * they share the frames for good (shared mappings).
   * Preconditions: `child` uses the same memory file and has no entries there.
   */
  sharePages(child: AddressSpace, first: number, count: number, cow: boolean): void {
    for (const p of this.entriesIn(first, count)) {
      let pte = this.pages.get(p)!;
      if (!(pte & PTE_PRESENT)) {
        child.pages.set(p, pte);
        continue;
      }
      if (cow && !(pte & PTE_COW)) pte += PTE_COW;
      this.pages.set(p, pte);
      child.pages.set(p, pte);
      child.present++;
      this.file.retain(Math.floor(pte / FRAME_UNIT));
    }
    this.invalidate();
    child.invalidate();
  }

  /** The PageFlags and frame of a present page, or undefined. */
  frameAt(vpage: number): { frame: number; flags: number; prot: number } | undefined {
    const pte = this.pages.get(vpage);
    if (pte === undefined || !(pte & PTE_PRESENT)) return undefined;
    return { frame: Math.floor(pte / FRAME_UNIT), flags: pte & 0x30, prot: pte & 7 };
  }

  /** Calls `visit` with each present page and its PageFlags, in no order. */
  forEachResident(visit: (vpage: number, flags: number) => void): void {
    for (const [p, pte] of this.pages) if (pte & PTE_PRESENT) visit(p, pte & 0x30);
  }

  /**
   * True when a fault at `addr` hit a file mapping past the end of its file:
   * the kernel then sends SIGBUS instead of SIGSEGV.
   */
  isBeyondFile(addr: number): boolean {
    return this.filler !== null && this.filler.isBeyondFile(addr);
  }

  /** True when every page of [addr, addr + length) is mapped. */
  isMapped(addr: number, length: number): boolean {
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + Math.max(length, 1) - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      if (this.pages.has(p)) continue;
      if (this.filler === null || !this.filler.hasPage(p)) return false;
    }
    return true;
  }

  /**
   * Copies bytes into guest memory regardless of protection (the kernel's
   * view, used by the loader and by system calls after their own checks).
   * Breaks copy-on-write sharing like a guest store would. Throws a
   * RangeError naming the address when a page is not mapped.
   */
  writeBytes(addr: number, data: Uint8Array): void {
    this.copy(addr, data.length, -1, (off, pos, n) => {
      this.file.bytes.set(data.subarray(pos, pos + n), off);
    });
  }

  /** Copies bytes out of guest memory regardless of protection. */
  readBytes(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.copy(addr, length, 0, (off, pos, n) => {
      out.set(this.file.bytes.subarray(off, off + n), pos);
    });
    return out;
  }

  /**
   * Copies guest memory at `addr` into `dst` as the guest could read it
   * (copy_from_user); false when a page is unmapped or unreadable (EFAULT).
   */
  copyIn(addr: number, dst: Uint8Array): boolean {
    return this.tryCopy(addr, dst.length, PROT_READ, (off, pos, n) => {
      dst.set(this.file.bytes.subarray(off, off + n), pos);
    });
  }

  /**
   * Copies `src` into guest memory at `addr` as the guest could write it
   * (copy_to_user); false when a page is unmapped or not writable (EFAULT),
   * possibly after the pages before it were written, as on Linux.
   */
  copyOut(addr: number, src: Uint8Array): boolean {
    return this.tryCopy(addr, src.length, PROT_WRITE, (off, pos, n) => {
      this.file.bytes.set(src.subarray(pos, pos + n), off);
    });
  }

  /** Frame offset for `vpage` with an existing entry, filling or copying as needed. */
  private resolve(vpage: number, pte: number, write: boolean): number {
    if (!(pte & PTE_PRESENT)) {
      const frame = this.file.allocate();
      this.pages.set(vpage, frame * FRAME_UNIT + (pte & 7) + PTE_PRESENT);
      this.present++;
      return frame * PAGE_SIZE;
    }
    if (write && pte & PTE_COW) return this.breakCow(vpage, pte);
    return Math.floor(pte / FRAME_UNIT) * PAGE_SIZE;
  }

  /** Gives `vpage` a frame of its own and clears its copy-on-write flag. */
  private breakCow(vpage: number, pte: number): number {
    const frame = Math.floor(pte / FRAME_UNIT);
    const prot = pte & 7;
    if (this.file.refCount(frame) === 1) {
      this.pages.set(vpage, frame * FRAME_UNIT + prot + PTE_PRESENT);
      return frame * PAGE_SIZE;
    }
    const copy = this.file.copyOf(frame);
    this.file.release(frame);
    this.pages.set(vpage, copy * FRAME_UNIT + prot + PTE_PRESENT);
    // Other TLB entries (read, execute) still name the shared frame.
    this.invalidate();
    return copy * PAGE_SIZE;
  }

  /** Frame offset for the kernel's own access, ignoring protection. */
  private forced(vpage: number, write: boolean): number {
    const pte = this.pages.get(vpage);
    if (pte !== undefined) return this.resolve(vpage, pte, write);
    if (this.filler === null) return NOT_MAPPED;
    return this.filler.fillPage(vpage, write ? PROT_WRITE : PROT_READ, true);
  }

  /** access -1 forces a write, 0 a read; otherwise translate() with it. */
  private copy(
    addr: number,
    length: number,
    access: number,
    step: (off: number, pos: number, n: number) => void,
  ): void {
    if (!this.tryCopy(addr, length, access, step)) {
      throw new RangeError(`address range at 0x${addr.toString(16)} is not mapped`);
    }
  }

  private tryCopy(
    addr: number,
    length: number,
    access: number,
    step: (off: number, pos: number, n: number) => void,
  ): boolean {
    let pos = 0;
    while (pos < length) {
      const a = addr + pos;
      if (!(a >= 0 && a < USER_END)) return false;
      const inPage = a % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - pos);
      const vpage = Math.floor(a / PAGE_SIZE);
      const base = access > 0 ? this.translate(vpage, access) : this.forced(vpage, access < 0);
      if (base < 0) return false;
      step(base + inPage, pos, n);
      if (access !== 0 && access !== PROT_READ) this.file.noteWrite(base / PAGE_SIZE);
      pos += n;
    }
    return true;
  }

  /** Page numbers with an entry among `count` pages from `first`. */
  private entriesIn(first: number, count: number): number[] {
    const found: number[] = [];
    if (count <= this.pages.size) {
      for (let p = first; p < first + count; p++) if (this.pages.has(p)) found.push(p);
    } else {
      for (const p of this.pages.keys()) if (p >= first && p < first + count) found.push(p);
    }
    return found;
  }

  private dropPage(vpage: number): void {
    const pte = this.pages.get(vpage);
    if (pte === undefined) return;
    if (pte & PTE_PRESENT) {
      this.file.release(Math.floor(pte / FRAME_UNIT));
      this.present--;
    }
    this.pages.delete(vpage);
  }

  private invalidate(): void {
    for (const listener of this.listeners) listener();
  }
}
