import { PROT_READ, PROT_WRITE, PROT_EXEC } from './address-space.ts';
import type { FileData } from './file-data.ts';
import { PAGE_SIZE } from './memory-file.ts';
import { MAX_MAP_COUNT } from './mm-constants.ts';

/**
 * One mapping (Linux's vm_area_struct): a page-aligned range with one
 * protection and one backing. Plain data: saved as is, with `file` as a
 * shared reference to the inode's FileData.
 */
export interface Vma {
  /** First byte, page aligned. */
  start: number;
  /** End (exclusive), page aligned, above start. */
  end: number;
  /** PROT_READ | PROT_WRITE | PROT_EXEC as the guest asked. */
  prot: number;
  /** MAP_SHARED: stores reach the backing; else private (copy on write). */
  shared: boolean;
  /** False when mprotect may not add PROT_WRITE (shared, read-only file). */
  mayWrite: boolean;
  /** Backing file; null for private anonymous memory. */
  file: FileData | null;
  /** Byte offset in `file` that `start` maps; 0 without a file. */
  offset: number;
  /** Name shown in /proc/self/maps: a path, [stack], or '' for none. */
  name: string;
  /** Device and inode shown in /proc/self/maps. */
  major: number;
  minor: number;
  inode: number;
  /** Created with MAP_GROWSDOWN (shown, not acted on). */
  growsDown: boolean;
}

/** The part of a Vma from `from` on, with its file offset moved along. */
export function vmaTail(vma: Vma, from: number): Vma {
  const offset = vma.file === null ? 0 : vma.offset + (from - vma.start);
  return { ...vma, start: from, offset };
}

function mergeable(a: Vma, b: Vma): boolean {
  return (
    a.end === b.start &&
    a.prot === b.prot &&
    a.shared === b.shared &&
    a.mayWrite === b.mayWrite &&
    a.file === b.file &&
    (a.file === null || a.offset + (a.end - a.start) === b.offset) &&
    a.name === b.name &&
    a.major === b.major &&
    a.minor === b.minor &&
    a.inode === b.inode &&
    a.growsDown === b.growsDown
  );
}

/**
 * The mappings of one process, sorted by address and disjoint. Adjacent
 * mappings that agree on everything are merged, as Linux does, so that
 * /proc/self/maps and mremap see the same regions as on Linux.
 *
 * Saved: `list`. Mutated only by the MemoryManager's system calls.
 */
export class VmaList {
  /** Sorted, disjoint mappings. */
  readonly list: Vma[] = [];

  get count(): number {
    return this.list.length;
  }

  /** Index of the first mapping that ends above `addr` (list length if none). */
  indexAfter(addr: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.list[mid].end <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The mapping containing `addr`, if any. */
  find(addr: number): Vma | undefined {
    const vma = this.list[this.indexAfter(addr)];
    return vma !== undefined && vma.start <= addr ? vma : undefined;
  }

  /** True when no mapping overlaps [start, end). */
  isFree(start: number, end: number): boolean {
    const vma = this.list[this.indexAfter(start)];
    return vma === undefined || vma.start >= end;
  }

  /** The mappings overlapping [start, end), in order. */
  overlapping(start: number, end: number): Vma[] {
    const out: Vma[] = [];
    for (let i = this.indexAfter(start); i < this.list.length; i++) {
      if (this.list[i].start >= end) break;
      out.push(this.list[i]);
    }
    return out;
  }

  /** Number of mappings [start, end) would be cut into by splits at both ends. */
  splitsNeeded(start: number, end: number): number {
    let n = 0;
    for (const at of [start, end]) {
      const vma = this.find(at);
      if (vma !== undefined && vma.start < at) n++;
    }
    return n;
  }

  /** True when `extra` more mappings stay within the per-process limit. */
  hasRoom(extra: number): boolean {
    return this.list.length + extra <= MAX_MAP_COUNT;
  }

  /** Makes `addr` a boundary: splits the mapping that strictly contains it. */
  splitAt(addr: number): void {
    const i = this.indexAfter(addr);
    const vma = this.list[i];
    if (vma === undefined || vma.start >= addr) return;
    const tail = vmaTail(vma, addr);
    if (tail.file !== null) tail.file.mapCount++;
    vma.end = addr;
    this.list.splice(i + 1, 0, tail);
  }

  /**
   * Removes [start, end) from the mappings, returning the removed pieces;
   * the caller drops their file references (see MemoryManager).
   */
  remove(start: number, end: number): Vma[] {
    this.splitAt(start);
    this.splitAt(end);
    const first = this.indexAfter(start);
    let last = first;
    while (last < this.list.length && this.list[last].start < end) last++;
    return this.list.splice(first, last - first);
  }

  /**
   * Inserts a mapping over a free range, merging it with its neighbours.
   * Preconditions: the caller counted `vma` in its file's mapCount.
   */
  insert(vma: Vma): void {
    const i = this.indexAfter(vma.start);
    this.list.splice(i, 0, vma);
    this.mergeAround(i);
  }

  /** Merges the mapping at index `i` with equal neighbours on both sides. */
  mergeAround(i: number): void {
    if (i + 1 < this.list.length && mergeable(this.list[i], this.list[i + 1])) this.join(i);
    if (i > 0 && i < this.list.length && mergeable(this.list[i - 1], this.list[i])) {
      this.join(i - 1);
    }
  }

  /** Absorbs the mapping after index `i` into it. */
  private join(i: number): void {
    const gone = this.list[i + 1];
    this.list[i].end = gone.end;
    this.list.splice(i + 1, 1);
    if (gone.file !== null) gone.file.mapCount--;
  }

  /** Merges every run of equal neighbours within [start, end] and at its edges. */
  mergeRange(start: number, end: number): void {
    let i = Math.max(0, this.indexAfter(start) - 1);
    while (i < this.list.length && this.list[i].start <= end) {
      if (i + 1 < this.list.length && mergeable(this.list[i], this.list[i + 1])) {
        this.join(i);
      } else {
        i++;
      }
    }
  }

  /**
   * The highest page-aligned start of a free range of `length` bytes within
   * [low, high), or -1.
   */
  gapTopDown(length: number, low: number, high: number): number {
    let i = this.indexAfter(high);
    const straddler = this.list[i];
    let ceiling = straddler !== undefined && straddler.start < high ? straddler.start : high;
    for (i--; ; i--) {
      const floor = i >= 0 ? Math.max(low, this.list[i].end) : low;
      if (ceiling - floor >= length) return alignDown(ceiling - length);
      if (i < 0 || this.list[i].start <= low) return -1;
      ceiling = this.list[i].start;
    }
  }

  /** The lowest start of a free range of `length` bytes within [low, high), or -1. */
  gapBottomUp(length: number, low: number, high: number): number {
    let i = this.indexAfter(low);
    let floor = low;
    if (i < this.list.length && this.list[i].start < low) floor = this.list[i++].end;
    for (; ; i++) {
      const ceiling = i < this.list.length ? Math.min(high, this.list[i].start) : high;
      if (ceiling - floor >= length) return floor;
      if (i >= this.list.length || this.list[i].start >= high) return -1;
      floor = this.list[i].end;
    }
  }
}

function alignDown(addr: number): number {
  return addr - (addr % PAGE_SIZE);
}

/** Rounds up to a page boundary. */
export function pageAlignUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * The protection pages really get: on x86 a writable or executable page is
 * also readable.
 */
export function effectiveProt(prot: number): number {
  const p = prot & 7;
  return p & (PROT_WRITE | PROT_EXEC) ? p | PROT_READ : p;
}

/** Drops a removed mapping's count on its file, freeing hidden files. */
export function dropFileRef(vma: Vma): void {
  const file = vma.file;
  if (file === null) return;
  file.mapCount--;
  if (file.mapCount === 0 && file.releaseWhenUnmapped) file.release();
}
