// Numeric values from the ELF64 specification and the x86-64 psABI. Names
// keep their Linux spelling so they can be looked up in <elf.h>.

/** Size of the ELF64 file header. */
export const ELF64_EHDR_SIZE = 64;
/** Size of one ELF64 program header (the only e_phentsize we accept). */
export const ELF64_PHDR_SIZE = 56;

/** e_ident[EI_CLASS] for 64-bit objects. */
export const ELFCLASS64 = 2;
/** e_ident[EI_DATA] for little-endian objects. */
export const ELFDATA2LSB = 1;
/** The only ELF version there is. */
export const EV_CURRENT = 1;

/** e_type of a fixed-address executable. */
export const ET_EXEC = 2;
/** e_type of a position-independent object (here: a static PIE). */
export const ET_DYN = 3;
/** e_machine for x86-64. */
export const EM_X86_64 = 62;
/** e_phnum value meaning "the real count is in section 0"; Linux refuses it. */
export const PN_XNUM = 0xffff;

/** Program header types we act on. */
export const PT_LOAD = 1;
/** Dynamic linking table; static PIEs have one, to relocate themselves. */
export const PT_DYNAMIC = 2;
/** Path of the program interpreter (dynamic loader). */
export const PT_INTERP = 3;
/** Location of the program header table itself. */
export const PT_PHDR = 6;
/** Thread-local storage template. */
export const PT_TLS = 7;
/** Carries the stack's permissions in its flags. */
export const PT_GNU_STACK = 0x6474e551;

/** Segment flag: executable. */
export const PF_X = 1;
/** Segment flag: writable. */
export const PF_W = 2;
/** Segment flag: readable. */
export const PF_R = 4;

/** mmap protection bit: readable (as the kernel's mmap takes it). */
export const PROT_READ = 1;
/** mmap protection bit: writable. */
export const PROT_WRITE = 2;
/** mmap protection bit: executable. */
export const PROT_EXEC = 4;

/** The guest page size. */
export const PAGE_SIZE = 4096;

/**
 * One past the highest user address on x86-64 with 4-level paging, as
 * Linux's TASK_SIZE_MAX: 2^47 minus one guard page.
 */
export const USER_ADDRESS_LIMIT = 2 ** 47 - PAGE_SIZE;

/**
 * Lowest address a segment may occupy: Linux's default vm.mmap_min_addr,
 * which keeps page zero and its neighbours unmapped so null-pointer
 * dereferences fault.
 */
export const MIN_LOAD_ADDRESS = 0x10000;

/**
 * Where Linux puts a static PIE on x86-64 when address randomisation is off
 * (ELF_ET_DYN_BASE, two thirds of the 47-bit range, page aligned).
 */
export const DEFAULT_PIE_LOAD_BIAS = 0x555555554000;
