// Checks on PT_LOAD segments, in two stages: first the fields of each
// segment alone (sizes, alignment, file range), which do not depend on where
// the program is placed; then, once the load bias is known, the addresses
// (user range, overlaps).

import {
  PAGE_SIZE,
  PF_R,
  PF_W,
  PF_X,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  MIN_LOAD_ADDRESS,
  USER_ADDRESS_LIMIT,
} from './elf-constants.ts';
import { ElfError } from './elf-error.ts';
import type { RawProgramHeader } from './elf-header.ts';
import { describeHeader } from './elf-header.ts';
import type { FieldReader } from './elf-read.ts';
import { alignDown, hex, isPowerOfTwoOrZero } from './elf-read.ts';

/**
 * Upper bound on the memory all loadable segments may claim together, and on
 * any one of them. Real programs need a few megabytes; a larger claim is a
 * corrupt header that would otherwise make the kernel reserve absurd ranges.
 */
export const MAX_IMAGE_BYTES = 4 * 2 ** 30;

/**
 * Largest p_align we honour. Linkers use 4 KiB or 2 MiB; anything past
 * 1 GiB could only push the program out of the address space.
 */
export const MAX_SEGMENT_ALIGN = 2 ** 30;

/** A loadable segment, its fields checked, addresses not yet biased. */
export interface CheckedSegment {
  index: number;
  vaddr: number;
  memsz: number;
  offset: number;
  filesz: number;
  align: number;
  prot: number;
}

/**
 * Checks each PT_LOAD on its own and returns those that occupy memory
 * (p_memsz > 0), in file order. Throws ElfError naming the first problem.
 */
export function checkLoadSegments(
  reader: FieldReader,
  loads: readonly RawProgramHeader[],
): CheckedSegment[] {
  const segments: CheckedSegment[] = [];
  let total = 0;
  for (const ph of loads) {
    checkSegmentFields(reader, ph);
    if (ph.memsz === 0) continue;
    total += ph.memsz;
    if (total > MAX_IMAGE_BYTES) {
      throw new ElfError(
        'ELF_TOO_LARGE',
        `the loadable segments need more than ${MAX_IMAGE_BYTES / 2 ** 30} GiB of memory`,
      );
    }
    segments.push({
      index: ph.index,
      vaddr: ph.vaddr,
      memsz: ph.memsz,
      offset: ph.offset,
      filesz: ph.filesz,
      align: ph.align,
      prot: protFromFlags(ph.flags),
    });
  }
  if (segments.length === 0) {
    throw new ElfError('ELF_NO_LOADABLE_SEGMENT', 'the file has no PT_LOAD segment to load');
  }
  return segments;
}

function checkSegmentFields(reader: FieldReader, ph: RawProgramHeader): void {
  const where = describeHeader(ph, 'PT_LOAD');
  if (ph.filesz > ph.memsz) {
    throw new ElfError(
      'ELF_BAD_SEGMENT',
      `${where}: p_filesz ${reader.hex64(ph.at + 32)} is larger than p_memsz ` +
        `${reader.hex64(ph.at + 40)}`,
    );
  }
  if (ph.memsz > MAX_IMAGE_BYTES) {
    throw new ElfError(
      'ELF_TOO_LARGE',
      `${where}: p_memsz ${reader.hex64(ph.at + 40)} is larger than ` +
        `${MAX_IMAGE_BYTES / 2 ** 30} GiB`,
    );
  }
  if (!isPowerOfTwoOrZero(ph.align) || ph.align > MAX_SEGMENT_ALIGN) {
    throw new ElfError(
      'ELF_BAD_ALIGNMENT',
      `${where}: p_align ${reader.hex64(ph.at + 48)} is not a power of two up to 1 GiB`,
    );
  }
  if (ph.vaddr > USER_ADDRESS_LIMIT) {
    throw new ElfError(
      'ELF_ADDRESS_OUT_OF_RANGE',
      `${where}: p_vaddr ${reader.hex64(ph.at + 16)} is beyond the user address space`,
    );
  }
  if (ph.filesz === 0) return;
  if (ph.offset + ph.filesz > reader.length) {
    throw new ElfError(
      'ELF_SEGMENT_OUTSIDE_FILE',
      `${where}: its ${hex(ph.filesz)} file bytes at offset ${reader.hex64(ph.at + 8)} ` +
        `run past the end of the ${reader.length}-byte file`,
    );
  }
  // The file is mapped page by page, so a byte's offset within its page must
  // be the same in the file and in memory; Linux's mmap refuses otherwise.
  if (ph.offset % PAGE_SIZE !== ph.vaddr % PAGE_SIZE) {
    throw new ElfError(
      'ELF_BAD_ALIGNMENT',
      `${where}: p_offset ${hex(ph.offset)} and p_vaddr ${hex(ph.vaddr)} differ modulo the page ` +
        `size`,
    );
  }
}

/** Translates ELF segment flags into mmap protection bits. */
export function protFromFlags(flags: number): number {
  return (
    (flags & PF_R ? PROT_READ : 0) |
    (flags & PF_W ? PROT_WRITE : 0) |
    (flags & PF_X ? PROT_EXEC : 0)
  );
}

/**
 * The largest p_align among the segments, at least one page: a PIE's load
 * bias is rounded up to it so that 2 MiB-aligned segments stay aligned.
 */
export function maxSegmentAlign(segments: readonly CheckedSegment[]): number {
  return segments.reduce((max, s) => Math.max(max, s.align), PAGE_SIZE);
}

/**
 * Checks that the segments, moved by bias, sit inside the user address range
 * and do not share any byte, and returns them sorted by address. Segments may
 * share a page (the plan gives the page both permissions); they may not
 * share a byte, since one would overwrite the other.
 */
export function placeSegments(segments: readonly CheckedSegment[], bias: number): CheckedSegment[] {
  const placed = segments
    .map((s) => ({ ...s, vaddr: s.vaddr + bias }))
    .sort((a, b) => a.vaddr - b.vaddr);
  for (const s of placed) {
    const end = s.vaddr + s.memsz;
    if (alignDown(s.vaddr, PAGE_SIZE) < MIN_LOAD_ADDRESS || end > USER_ADDRESS_LIMIT) {
      throw new ElfError(
        'ELF_ADDRESS_OUT_OF_RANGE',
        `program header ${s.index} (PT_LOAD): it would occupy ${hex(s.vaddr)}-${hex(end)}, ` +
          `outside the user range ${hex(MIN_LOAD_ADDRESS)}-${hex(USER_ADDRESS_LIMIT)}`,
      );
    }
  }
  for (let i = 1; i < placed.length; i++) {
    const prev = placed[i - 1];
    const cur = placed[i];
    if (prev.vaddr + prev.memsz > cur.vaddr) {
      throw new ElfError(
        'ELF_SEGMENTS_OVERLAP',
        `program headers ${prev.index} and ${cur.index} (PT_LOAD) overlap: ` +
          `${hex(prev.vaddr)}-${hex(prev.vaddr + prev.memsz)} and ` +
          `${hex(cur.vaddr)}-${hex(cur.vaddr + cur.memsz)}`,
      );
    }
  }
  return placed;
}
