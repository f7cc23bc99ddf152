/**
 * The memory layer: the memory file (frames with reference counts), tmpfs
 * file contents kept as frames (FileData), address spaces (page entries with
 * copy-on-write) and each process's mappings (MemoryManager: mmap, munmap,
 * mprotect, mremap, brk, madvise, /proc/self/maps).
 *
 * Everything here is synchronous: no method awaits, so there is no lock
 * order to state. Guest state lives in plain fields (numbers, arrays, Maps,
 * typed arrays, references to other saved objects); the only host handles
 * are listener lists (TLB flushes, decoded-code drops, buffer growth), which
 * are not saved and are registered again by the CPU after a load.
 */
export { AddressSpace, BEYOND_EOF, PageFlags, USER_END } from './address-space.ts';
export type { PageFiller } from './address-space.ts';
export { PROT_EXEC, PROT_READ, PROT_WRITE } from './address-space.ts';
export { FileData } from './file-data.ts';
export { MemoryFile, OutOfMemoryError, PAGE_SHIFT, PAGE_SIZE } from './memory-file.ts';
export { MemoryManager } from './memory-manager.ts';
export type { FaultSignal, MapOptions } from './memory-manager.ts';
export type { MemoryStats } from './memory-manager-proc.ts';
export * from './mm-constants.ts';
export { effectiveProt, pageAlignUp, VmaList } from './vma.ts';
export type { Vma } from './vma.ts';
