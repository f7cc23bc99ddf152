import { NOT_MAPPED, NOT_PERMITTED } from '../cpu/mmu.ts';
import { Errno } from '../linux/errno.ts';
import { SIGBUS, SIGSEGV } from '../linux/signal.ts';
import {
  type AddressSpace,
  BEYOND_EOF,
  PageFlags,
  type PageFiller,
  PROT_READ,
  PROT_WRITE,
} from './address-space.ts';
import { FileData } from './file-data.ts';
import { PAGE_SIZE } from './memory-file.ts';
import { formatMaps, type MemoryStats, memoryStats } from './memory-manager-proc.ts';
import { remap } from './memory-manager-remap.ts';
import { advise } from './memory-manager-advise.ts';
import {
  BUS_ADRERR,
  MAP_32BIT,
  MAP_32BIT_END,
  MAP_32BIT_START,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_GROWSDOWN,
  MAP_HUGETLB,
  MAP_PRIVATE,
  MAP_SHARED,
  MAP_SHARED_VALIDATE,
  MAP_TYPE,
  MAP_VALIDATE_MASK,
  MMAP_MIN_ADDR,
  PROT_GROWSDOWN,
  PROT_GROWSUP,
  PROT_SEM,
  SEGV_ACCERR,
  SEGV_MAPERR,
  TASK_SIZE,
  TASK_UNMAPPED_BASE,
} from './mm-constants.ts';
import { dropFileRef, effectiveProt, pageAlignUp, type Vma, VmaList } from './vma.ts';

/** Where a mapping's bytes come from, for mmap of a file. */
export interface MapOptions {
  /**
   * The open file allows writing. A shared mapping of a file opened
   * read-only may not have PROT_WRITE, now or through mprotect (EACCES).
   * Defaults to true.
   */
  writable?: boolean;
  /** Name shown in /proc/self/maps: the file's path, or [stack], [vdso]. */
  name?: string;
  /** Device numbers and inode shown in /proc/self/maps. */
  major?: number;
  minor?: number;
  inode?: number;
}

/** The signal a refused memory access raises, with its si_code. */
export interface FaultSignal {
  signo: number;
  code: number;
}

/**
 * The mappings of one process over its address space, with Linux's mmap,
 * munmap, mprotect, mremap, brk and madvise. Pages are filled on first touch
 * (fillPage), so a large PROT_NONE reservation costs one record.
 *
 * Errors are returned as negated Errno values, never thrown. Methods throw
 * only OutOfMemoryError, when the memory file itself is full.
 *
 * Saved in a snapshot: every field but the address space's host listeners.
 */
export class MemoryManager implements PageFiller {
  /** The pages. Saved. */
  readonly space: AddressSpace;
  /** The mappings. Mutated by the system calls here. Saved. */
  readonly vmas = new VmaList();
  /** Top of the region the top-down search places mappings in. Saved. */
  readonly mmapBase: number;
  /** Start of the heap, set once by the loader. Saved. */
  brkStart = 0;
  /** Current program break (not page aligned). Mutated by brk(). Saved. */
  brkEnd = 0;
  /** Highest mapped size seen (VmPeak). Mutated as mappings grow. Saved. */
  peakMappedBytes = 0;
  /** Highest resident page count seen (VmHWM). Saved. */
  peakResidentPages = 0;
  /** Next inode number for shared anonymous mappings. Saved. */
  private nextShmemInode = 1;

  /**
   * Preconditions: `space` is fresh (no pages) and not shared with another
   * manager; `mmapBase` is page aligned and below TASK_SIZE.
   */
  constructor(space: AddressSpace, mmapBase: number) {
    this.space = space;
    this.mmapBase = mmapBase;
    space.filler = this;
  }

  /** Sets the start of the heap and the break to `addr` (the loader's end of bss). */
  setBrkStart(addr: number): void {
    this.brkStart = addr;
    this.brkEnd = addr;
  }

  /**
   * mmap(2). Returns the address, or a negated Errno.
   * `file` is null for MAP_ANONYMOUS (a null file without it is EBADF).
   */
  mmap(
    addr: number,
    length: number,
    prot: number,
    flags: number,
    file: FileData | null,
    offset: number,
    options: MapOptions = {},
  ): number {
    // Check the arguments, in Linux's order where it shows.
    const anonymous = (flags & MAP_ANONYMOUS) !== 0;
    if (!anonymous && file === null) return -Errno.EBADF;
    if (offset % PAGE_SIZE !== 0) return -Errno.EINVAL;
    if (offset < 0) return -Errno.EOVERFLOW;
    if (length <= 0 || !Number.isFinite(length)) return -Errno.EINVAL;
    const type = flags & MAP_TYPE;
    const typeOk = anonymous
      ? type === MAP_SHARED || type === MAP_PRIVATE
      : type === MAP_SHARED || type === MAP_PRIVATE || type === MAP_SHARED_VALIDATE;
    if (!typeOk) return -Errno.EINVAL;
    if (type === MAP_SHARED_VALIDATE && flags & ~MAP_VALIDATE_MASK) return -Errno.EOPNOTSUPP;
    if (flags & MAP_HUGETLB) return anonymous ? -Errno.ENOMEM : -Errno.EINVAL;
    const shared = type !== MAP_PRIVATE;
    if (anonymous && shared && flags & MAP_GROWSDOWN) return -Errno.EINVAL;
    const fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
    const len = pageAlignUp(length);
    if (len > TASK_SIZE) return -Errno.ENOMEM;
    if (!this.vmas.hasRoom(1)) return -Errno.ENOMEM;

    // Choose the address.
    let start: number;
    if (fixed) {
      if (addr % PAGE_SIZE !== 0) return -Errno.EINVAL;
      if (addr > TASK_SIZE - len) return -Errno.ENOMEM;
      if (addr < MMAP_MIN_ADDR) return -Errno.EPERM;
      if (flags & MAP_FIXED_NOREPLACE && !this.vmas.isFree(addr, addr + len)) {
        return -Errno.EEXIST;
      }
      if (!this.vmas.hasRoom(1 + this.vmas.splitsNeeded(addr, addr + len))) {
        return -Errno.ENOMEM;
      }
      start = addr;
    } else {
      start = this.placement(addr, len, flags);
      if (start < 0) return -Errno.ENOMEM;
    }

    // The open file must allow what the mapping may do.
    const writable = options.writable ?? true;
    if (file !== null && !anonymous && shared && prot & PROT_WRITE && !writable) {
      return -Errno.EACCES;
    }

    // Replace what was there and record the mapping.
    this.unmapRange(start, start + len);
    const vma = this.newVma(start, len, prot, flags, anonymous ? null : file, offset, options);
    this.vmas.insert(vma);
    this.notePeaks();
    return start;
  }

  /** munmap(2): 0 or a negated Errno. Unmapping nothing succeeds. */
  munmap(addr: number, length: number): number {
    if (addr % PAGE_SIZE !== 0 || addr > TASK_SIZE || length > TASK_SIZE - addr) {
      return -Errno.EINVAL;
    }
    const len = pageAlignUp(length);
    if (len === 0) return -Errno.EINVAL;
    if (!this.vmas.hasRoom(this.vmas.splitsNeeded(addr, addr + len) - 1)) return -Errno.ENOMEM;
    this.unmapRange(addr, addr + len);
    return 0;
  }

  /**
   * mprotect(2): 0 or a negated Errno. As on Linux, mappings before a hole
   * or a refused mapping keep their new protection.
   */
  mprotect(addr: number, length: number, prot: number): number {
    if (addr % PAGE_SIZE !== 0) return -Errno.EINVAL;
    if (length === 0) return 0;
    const end = addr + pageAlignUp(length);
    if (end <= addr || end > 2 ** 64) return -Errno.ENOMEM;
    const grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
    if (grows === (PROT_GROWSDOWN | PROT_GROWSUP)) return -Errno.EINVAL;
    const bits = prot & ~grows;
    if (bits & ~(7 | PROT_SEM)) return -Errno.EINVAL;
    const first = this.vmas.find(addr);
    if (first === undefined) return -Errno.ENOMEM;
    if (!this.vmas.hasRoom(this.vmas.splitsNeeded(addr, end))) return -Errno.ENOMEM;

    // Split at both ends, change mapping by mapping, then merge again.
    this.vmas.splitAt(addr);
    this.vmas.splitAt(end);
    let cursor = addr;
    let error = 0;
    for (const vma of this.vmas.overlapping(addr, end)) {
      if (vma.start > cursor) break;
      if (bits & PROT_WRITE && !vma.mayWrite) {
        error = Errno.EACCES;
        break;
      }
      vma.prot = bits & 7;
      const pages = (vma.end - vma.start) / PAGE_SIZE;
      this.space.protectPages(vma.start / PAGE_SIZE, pages, effectiveProt(bits));
      cursor = vma.end;
    }
    if (error === 0 && cursor < end) error = Errno.ENOMEM;
    this.vmas.mergeRange(addr, end);
    return error === 0 ? 0 : -error;
  }

  /**
   * mremap(2): the new address, or a negated Errno. Moving keeps the frames.
   * See memory-manager-remap.ts.
   */
  mremap(
    oldAddr: number,
    oldLength: number,
    newLength: number,
    flags: number,
    newAddr = 0,
  ): number {
    return remap(this, oldAddr, oldLength, newLength, flags, newAddr);
  }

  /**
   * brk(2): moves the break to `addr` and returns the new break; returns the
   * old one when it cannot (below the heap start, into another mapping).
   */
  brk(addr: number): number {
    if (this.brkStart === 0 || addr < this.brkStart || addr > TASK_SIZE) return this.brkEnd;
    const newTop = pageAlignUp(addr);
    const oldTop = pageAlignUp(this.brkEnd);
    if (newTop < oldTop) this.unmapRange(newTop, oldTop);
    if (newTop > oldTop) {
      // Linux keeps a guard page between the heap and the next mapping.
      if (!this.vmas.isFree(oldTop, newTop + PAGE_SIZE)) return this.brkEnd;
      if (!this.vmas.hasRoom(1)) return this.brkEnd;
      const prot = PROT_READ | PROT_WRITE;
      this.vmas.insert(this.newVma(oldTop, newTop - oldTop, prot, MAP_PRIVATE, null, 0, {}));
      this.notePeaks();
    }
    this.brkEnd = addr;
    return addr;
  }

  /** madvise(2): 0 or a negated Errno. See memory-manager-advise.ts. */
  madvise(addr: number, length: number, advice: number): number {
    return advise(this, addr, length, advice);
  }

  /** The text of /proc/self/maps. */
  maps(): string {
    return formatMaps(this);
  }

  /** Sizes for /proc/self/status, /proc/self/statm and sysinfo. */
  stats(): MemoryStats {
    return memoryStats(this);
  }

  /**
   * The signal for a page fault at `addr` that the CPU reported: SIGBUS for a
   * file page past the end of its file, else SIGSEGV (SEGV_ACCERR inside a
   * mapping, SEGV_MAPERR outside).
   */
  faultSignal(addr: number): FaultSignal {
    const vma = addr >= 0 ? this.vmas.find(addr) : undefined;
    if (vma === undefined) return { signo: SIGSEGV, code: SEGV_MAPERR };
    if (vma.file !== null && this.fileIndex(vma, addr) >= pagesOf(vma.file.size)) {
      return { signo: SIGBUS, code: BUS_ADRERR };
    }
    return { signo: SIGSEGV, code: SEGV_ACCERR };
  }

  fillPage(vpage: number, access: number, force: boolean): number {
    const addr = vpage * PAGE_SIZE;
    const vma = this.vmas.find(addr);
    if (vma === undefined) return NOT_MAPPED;
    const prot = effectiveProt(vma.prot);
    if (!force && (prot & access) !== access) return NOT_PERMITTED;
    const memory = this.space.file;
    let frame: number;
    let flags = 0;
    if (vma.file === null) {
      frame = memory.allocate();
    } else {
      const index = this.fileIndex(vma, addr);
      if (index >= pagesOf(vma.file.size)) return BEYOND_EOF;
      frame = vma.file.frameFor(index);
      if (!vma.shared && access & PROT_WRITE) {
        frame = memory.copyOf(frame);
      } else {
        memory.retain(frame);
        flags = vma.shared ? PageFlags.FILE : PageFlags.FILE | PageFlags.COW;
      }
    }
    this.space.install(vpage, frame, prot, flags);
    return frame * PAGE_SIZE;
  }

  isBeyondFile(addr: number): boolean {
    return this.faultSignal(addr).signo === SIGBUS;
  }

  hasPage(vpage: number): boolean {
    return this.vmas.find(vpage * PAGE_SIZE) !== undefined;
  }

  /**
   * Removes mappings and pages in [start, end), releasing frames and the
   * hidden files of shared anonymous mappings left without a mapping.
   * For the mm layer's own files.
   */
  unmapRange(start: number, end: number): void {
    if (this.vmas.isFree(start, end)) return;
    this.notePeaks();
    for (const vma of this.vmas.remove(start, end)) dropFileRef(vma);
    this.space.dropPages(start / PAGE_SIZE, (end - start) / PAGE_SIZE);
  }

  /**
   * Where a new mapping of `len` bytes goes: the hint when that range is
   * free, else the highest free range below mmapBase, else the lowest above
   * TASK_UNMAPPED_BASE; -1 when none. For the mm layer's own files.
   */
  placement(hint: number, len: number, flags: number): number {
    let addr = hint - (hint % PAGE_SIZE);
    if (addr > 0 && addr < MMAP_MIN_ADDR) addr = MMAP_MIN_ADDR;
    if (addr > 0 && addr <= TASK_SIZE - len && this.vmas.isFree(addr, addr + len)) return addr;
    if (flags & MAP_32BIT) return this.vmas.gapBottomUp(len, MAP_32BIT_START, MAP_32BIT_END);
    const top = this.vmas.gapTopDown(len, MMAP_MIN_ADDR, this.mmapBase);
    if (top >= 0) return top;
    return this.vmas.gapBottomUp(len, TASK_UNMAPPED_BASE, TASK_SIZE);
  }

  /** Updates the peak figures (VmPeak, VmHWM) before they may drop. */
  notePeaks(): void {
    let mapped = 0;
    for (const vma of this.vmas.list) mapped += vma.end - vma.start;
    this.peakMappedBytes = Math.max(this.peakMappedBytes, mapped);
    this.peakResidentPages = Math.max(this.peakResidentPages, this.space.residentPages);
  }

  /** The page of `vma.file` that `addr` maps. */
  private fileIndex(vma: Vma, addr: number): number {
    return (vma.offset + (addr - vma.start)) / PAGE_SIZE;
  }

  private newVma(
    start: number,
    len: number,
    prot: number,
    flags: number,
    file: FileData | null,
    offset: number,
    options: MapOptions,
  ): Vma {
    const shared = (flags & MAP_TYPE) !== MAP_PRIVATE;
    const vma: Vma = {
      start,
      end: start + len,
      prot: prot & 7,
      shared,
      mayWrite: !shared || file === null || (options.writable ?? true),
      file,
      offset: file === null ? 0 : offset,
      name: options.name ?? '',
      major: options.major ?? 0,
      minor: options.minor ?? 0,
      inode: options.inode ?? 0,
      growsDown: (flags & MAP_GROWSDOWN) !== 0,
    };
    if (file === null && shared) {
      // A shared anonymous mapping is a hidden tmpfs file of its own size.
      vma.file = new FileData(this.space.file);
      vma.file.truncate(len);
      vma.file.releaseWhenUnmapped = true;
      vma.name = options.name ?? '/dev/zero (deleted)';
      vma.minor = options.minor ?? 1;
      vma.inode = options.inode ?? this.nextShmemInode++;
    }
    if (vma.file !== null) vma.file.mapCount++;
    return vma;
  }
}

/** Number of pages a file of `size` bytes touches. */
function pagesOf(size: number): number {
  return Math.ceil(size / PAGE_SIZE);
}
