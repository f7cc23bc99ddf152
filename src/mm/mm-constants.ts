/**
 * Linux's x86-64 constants for the memory system calls, and the limits of
 * the user address space, under their Linux names.
 */

/** mmap flags. */
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_32BIT = 0x40;
export const MAP_GROWSDOWN = 0x100;
export const MAP_DENYWRITE = 0x800;
export const MAP_EXECUTABLE = 0x1000;
export const MAP_LOCKED = 0x2000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_NONBLOCK = 0x10000;
export const MAP_STACK = 0x20000;
export const MAP_HUGETLB = 0x40000;
export const MAP_SYNC = 0x80000;
export const MAP_FIXED_NOREPLACE = 0x100000;
export const MAP_UNINITIALIZED = 0x4000000;

/**
 * Flags MAP_SHARED_VALIDATE accepts; any other bit gets EOPNOTSUPP. The
 * hugetlb page-size bits (26 up) are included, as Linux does.
 */
export const MAP_VALIDATE_MASK =
  MAP_TYPE |
  MAP_FIXED |
  MAP_ANONYMOUS |
  MAP_32BIT |
  MAP_GROWSDOWN |
  MAP_DENYWRITE |
  MAP_EXECUTABLE |
  MAP_LOCKED |
  MAP_NORESERVE |
  MAP_POPULATE |
  MAP_NONBLOCK |
  MAP_STACK |
  MAP_HUGETLB |
  MAP_FIXED_NOREPLACE |
  MAP_UNINITIALIZED |
  0xfc000000;

/** Extra protection bits mprotect accepts. */
export const PROT_NONE = 0;
export const PROT_SEM = 0x8;
export const PROT_GROWSDOWN = 0x01000000;
export const PROT_GROWSUP = 0x02000000;

/** mremap flags. */
export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MREMAP_DONTUNMAP = 4;

/** madvise advice values. */
export const MADV_NORMAL = 0;
export const MADV_RANDOM = 1;
export const MADV_SEQUENTIAL = 2;
export const MADV_WILLNEED = 3;
export const MADV_DONTNEED = 4;
export const MADV_FREE = 8;
export const MADV_REMOVE = 9;
export const MADV_DONTFORK = 10;
export const MADV_DOFORK = 11;
export const MADV_MERGEABLE = 12;
export const MADV_UNMERGEABLE = 13;
export const MADV_HUGEPAGE = 14;
export const MADV_NOHUGEPAGE = 15;
export const MADV_DONTDUMP = 16;
export const MADV_DODUMP = 17;
export const MADV_WIPEONFORK = 18;
export const MADV_KEEPONFORK = 19;
export const MADV_COLD = 20;
export const MADV_PAGEOUT = 21;
export const MADV_POPULATE_READ = 22;
export const MADV_POPULATE_WRITE = 23;
export const MADV_DONTNEED_LOCKED = 24;
export const MADV_COLLAPSE = 25;

/**
 * Highest user address plus one that mappings may reach: Linux's TASK_SIZE
 * on x86-64, one page short of 2^47.
 */
export const TASK_SIZE = 2 ** 47 - 4096;

/** Lowest address a mapping may start at (vm.mmap_min_addr's default). */
export const MMAP_MIN_ADDR = 0x10000;

/** Where the bottom-up search starts when the top-down one fails. */
export const TASK_UNMAPPED_BASE = Math.ceil(TASK_SIZE / 3 / 4096) * 4096;

/** The window MAP_32BIT mappings go into, as on x86-64 Linux. */
export const MAP_32BIT_START = 0x40000000;
export const MAP_32BIT_END = 0x80000000;

/** Most mappings one process may have (vm.max_map_count's default). */
export const MAX_MAP_COUNT = 65530;

/** si_code values for memory faults. */
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRERR = 2;
