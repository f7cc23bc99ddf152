// The PT_TLS segment: the template from which the C library builds each
// thread's thread-local storage. The kernel only passes it along; the checks
// make sure the template the library will copy is really in memory.

import { USER_ADDRESS_LIMIT } from './elf-constants.ts';
import { ElfError } from './elf-error.ts';
import type { RawProgramHeader } from './elf-header.ts';
import { describeHeader } from './elf-header.ts';
import type { FieldReader } from './elf-read.ts';
import { isPowerOfTwoOrZero } from './elf-read.ts';
import type { CheckedSegment } from './elf-segments.ts';
import { MAX_IMAGE_BYTES, MAX_SEGMENT_ALIGN } from './elf-segments.ts';
import type { TlsInfo } from './elf.ts';

/**
 * Checks the PT_TLS headers (zero or one) and returns the template at its
 * final address. Preconditions: segments are placed (bias applied).
 */
export function readTls(
  reader: FieldReader,
  tlsHeaders: readonly RawProgramHeader[],
  bias: number,
  segments: readonly CheckedSegment[],
): TlsInfo | null {
  if (tlsHeaders.length === 0) return null;
  const ph = tlsHeaders[0];
  const where = describeHeader(ph, 'PT_TLS');
  if (tlsHeaders.length > 1) {
    throw new ElfError('ELF_BAD_TLS', `${where}: the file has ${tlsHeaders.length} PT_TLS headers`);
  }
  if (ph.filesz > ph.memsz || ph.memsz > MAX_IMAGE_BYTES) {
    throw new ElfError(
      'ELF_BAD_TLS',
      `${where}: p_filesz ${reader.hex64(ph.at + 32)} and p_memsz ${reader.hex64(ph.at + 40)} ` +
        'are not a plausible TLS block',
    );
  }
  if (!isPowerOfTwoOrZero(ph.align) || ph.align > MAX_SEGMENT_ALIGN) {
    throw new ElfError(
      'ELF_BAD_TLS',
      `${where}: p_align ${reader.hex64(ph.at + 48)} is not a power of two up to 1 GiB`,
    );
  }

  // The initialisation image must lie inside a loaded segment, where the C
  // library will copy it from.
  const vaddr = ph.vaddr + bias;
  const end = vaddr + ph.filesz;
  const home = segments.some((s) => vaddr >= s.vaddr && end <= s.vaddr + s.memsz);
  if (ph.vaddr > USER_ADDRESS_LIMIT || (ph.filesz > 0 && !home)) {
    throw new ElfError(
      'ELF_BAD_TLS',
      `${where}: the TLS image at p_vaddr ${reader.hex64(ph.at + 16)} is not inside a PT_LOAD ` +
        `segment`,
    );
  }
  return { vaddr, filesz: ph.filesz, memsz: ph.memsz, align: ph.align };
}
