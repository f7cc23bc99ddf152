/**
 * Stable codes for every way an ELF file can be refused. Callers (execve,
 * `amber run`, the job service) may match on them; a code is never reused
 * for a different problem.
 */
export type ElfErrorCode =
  /** The file does not start with the ELF magic. */
  | 'ELF_NOT_ELF'
  /** A header or table ends past the end of the file. */
  | 'ELF_TRUNCATED'
  /** EI_CLASS is not ELFCLASS64. */
  | 'ELF_BAD_CLASS'
  /** EI_DATA is not little-endian. */
  | 'ELF_BAD_ENDIAN'
  /** EI_VERSION is not EV_CURRENT. */
  | 'ELF_BAD_VERSION'
  /** e_machine is not EM_X86_64. */
  | 'ELF_BAD_MACHINE'
  /** e_type is neither ET_EXEC nor ET_DYN. */
  | 'ELF_BAD_TYPE'
  /** The program header table itself is malformed (entry size, count 0). */
  | 'ELF_BAD_PHDR'
  /** More program headers than any real program has. */
  | 'ELF_TOO_MANY_PHDRS'
  /** A segment's file bytes lie past the end of the file. */
  | 'ELF_SEGMENT_OUTSIDE_FILE'
  /** Two loadable segments claim the same addresses. */
  | 'ELF_SEGMENTS_OVERLAP'
  /** A segment's own fields contradict each other (p_filesz > p_memsz). */
  | 'ELF_BAD_SEGMENT'
  /** An alignment is not a power of two, or is absurd, or p_offset and
   *  p_vaddr disagree modulo the page size. */
  | 'ELF_BAD_ALIGNMENT'
  /** The loadable segments add up to more memory than we accept. */
  | 'ELF_TOO_LARGE'
  /** A segment, once placed, is outside the user address range. */
  | 'ELF_ADDRESS_OUT_OF_RANGE'
  /** No PT_LOAD segment with a non-zero size. */
  | 'ELF_NO_LOADABLE_SEGMENT'
  /** The entry point is not inside an executable segment. */
  | 'ELF_BAD_ENTRY'
  /** A PT_TLS segment is duplicated or inconsistent. */
  | 'ELF_BAD_TLS'
  /** The program asks for a dynamic loader (PT_INTERP). */
  | 'ELF_DYNAMIC_UNSUPPORTED'
  /** The caller passed a load bias that cannot be used. */
  | 'ELF_BAD_LOAD_BIAS';

/**
 * An ELF file that cannot be loaded. The message names the field and the
 * value at fault, in words a user who ran `amber run prog` can act on.
 */
export class ElfError extends Error {
  /** Stable, machine-readable reason; see {@link ElfErrorCode}. */
  readonly code: ElfErrorCode;

  constructor(code: ElfErrorCode, message: string) {
    super(message);
    this.name = 'ElfError';
    this.code = code;
  }
}
