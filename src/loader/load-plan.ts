// From an ElfImage to the page-granular work an address space must do:
// which pages to map with which protection, which file bytes to copy where,
// which bytes are zero (.bss), and where the heap (brk) starts. The plan is
// data, so the kernel's memory code can apply it, log it, or test it.
//
// The bytes a program sees match Linux's: the whole file pages that hold a
// segment appear in memory (including file bytes just before p_vaddr in its
// first page), and everything after p_filesz up to the end of the last page
// is zero. Where two segments share a page, the page gets both segments'
// permissions (Linux would give it the later segment's only) and each
// segment's bytes land where they belong.

import { PAGE_SIZE } from './elf-constants.ts';
import { ElfError } from './elf-error.ts';
import { alignDown, alignUp } from './elf-read.ts';
import type { ElfImage, LoadSegment } from './elf.ts';

/** A run of pages to map, page aligned, with mmap protection bits. */
export interface PlannedMapping {
  address: number;
  length: number;
  prot: number;
}

/** File bytes to place in memory; bytes is a view into the file, not a copy. */
export interface PlannedCopy {
  address: number;
  fileOffset: number;
  bytes: Uint8Array;
}

/** A range that must read as zero: .bss and the rest of its last page. */
export interface PlannedZeroFill {
  address: number;
  length: number;
}

/** Everything needed to put a program into a fresh address space. */
export interface LoadPlan {
  /** Sorted, disjoint, page aligned; adjacent runs differ in protection. */
  mappings: PlannedMapping[];
  /** Disjoint, each inside the mappings. */
  copies: PlannedCopy[];
  /**
   * Disjoint from the copies. Fresh mappings already read as zero, so these
   * need no writes; they are listed so the plan states the whole layout.
   */
  zeroFills: PlannedZeroFill[];
  /** Initial program break: the end of the highest segment, page aligned. */
  initialBreak: number;
}

/**
 * What the loader needs from an address space. The kernel's memory manager
 * implements it over a fresh address space.
 */
export interface LoadTarget {
  /**
   * Creates a private anonymous mapping that reads as zero.
   * Preconditions: addr and length are page aligned; the range is unmapped.
   */
  map(addr: number, length: number, prot: number): void;
  /**
   * Copies bytes into memory the loader mapped, regardless of its protection
   * (the kernel writes, not the guest).
   */
  write(addr: number, bytes: Uint8Array): void;
}

/**
 * Computes the mappings, copies and zero ranges for an image.
 * Preconditions: image came from parseElf on the same bytes.
 */
export function planLoad(image: ElfImage, bytes: Uint8Array): LoadPlan {
  const segments = image.segments;
  const copies: PlannedCopy[] = [];
  const zeroFills: PlannedZeroFill[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const prev = i > 0 ? segments[i - 1] : undefined;
    const next = i + 1 < segments.length ? segments[i + 1] : undefined;
    const copy = planCopy(seg, prev, bytes);
    if (copy) copies.push(copy);

    // Zero from the end of the file bytes to the end of the last page, but
    // leave alone a following segment that starts in that page.
    const start = seg.vaddr + seg.filesz;
    let limit = alignUp(seg.vaddr + seg.memsz, PAGE_SIZE);
    if (next) limit = Math.min(limit, Math.max(leadStart(next, seg), seg.vaddr + seg.memsz));
    if (limit > start) zeroFills.push({ address: start, length: limit - start });
  }
  const last = segments[segments.length - 1];
  return {
    mappings: planMappings(segments),
    copies,
    zeroFills,
    initialBreak: alignUp(last.vaddr + last.memsz, PAGE_SIZE),
  };
}

/**
 * Maps and fills an image into target, and returns the plan it applied.
 * Preconditions: image came from parseElf on the same bytes; the target's
 * ranges are free.
 */
export function loadInto(target: LoadTarget, image: ElfImage, bytes: Uint8Array): LoadPlan {
  const plan = planLoad(image, bytes);
  for (const m of plan.mappings) target.map(m.address, m.length, m.prot);
  for (const c of plan.copies) target.write(c.address, c.bytes);
  return plan;
}

// Where a segment's copy starts: at its page start, so that the file bytes
// before p_vaddr in that page appear as on Linux, but never inside the
// previous segment, whose own bytes belong there.
function leadStart(seg: LoadSegment, prev: LoadSegment | undefined): number {
  const pageStart = alignDown(seg.vaddr, PAGE_SIZE);
  if (seg.filesz === 0) return seg.vaddr;
  return prev ? Math.max(pageStart, prev.vaddr + prev.memsz) : pageStart;
}

function planCopy(
  seg: LoadSegment,
  prev: LoadSegment | undefined,
  bytes: Uint8Array,
): PlannedCopy | null {
  if (seg.filesz === 0) return null;
  const address = leadStart(seg, prev);
  const fileOffset = seg.fileOffset - (seg.vaddr - address);
  const end = seg.fileOffset + seg.filesz;
  if (fileOffset < 0 || end > bytes.length) {
    throw new ElfError(
      'ELF_SEGMENT_OUTSIDE_FILE',
      'the file bytes given to the loader are not the ones the image was parsed from',
    );
  }
  return { address, fileOffset, bytes: bytes.subarray(fileOffset, end) };
}

// Cuts the address range into pieces at every segment's page boundaries and
// gives each piece the union of the permissions of the segments touching it;
// then merges neighbours with equal permissions. At most 256 segments, so
// the quadratic sweep is cheap.
function planMappings(segments: readonly LoadSegment[]): PlannedMapping[] {
  const ranges = segments.map((s) => ({
    start: alignDown(s.vaddr, PAGE_SIZE),
    end: alignUp(s.vaddr + s.memsz, PAGE_SIZE),
    prot: s.prot,
  }));
  const cuts = [...new Set(ranges.flatMap((r) => [r.start, r.end]))].sort((a, b) => a - b);
  const mappings: PlannedMapping[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i];
    const end = cuts[i + 1];
    const touching = ranges.filter((r) => r.start < end && r.end > start);
    if (touching.length === 0) continue;
    const prot = touching.reduce((bits, r) => bits | r.prot, 0);
    const tail = mappings[mappings.length - 1];
    if (tail && tail.address + tail.length === start && tail.prot === prot) {
      tail.length += end - start;
    } else {
      mappings.push({ address: start, length: end - start, prot });
    }
  }
  return mappings;
}
