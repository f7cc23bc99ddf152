/**
 * The program loader: reads an x86-64 ELF executable, checks it, plans how
 * it goes into an address space, and lays out the initial stack.
 *
 * Usage by execve, in order:
 * 1. `parseElf(bytes, { loadBias })` gives an ElfImage or throws ElfError;
 * 2. `loadInto(addressSpace, image, bytes)` maps and fills the segments and
 *    returns the plan, whose `initialBreak` starts the heap;
 * 3. the kernel maps a stack and `buildInitialStack({...})` gives the bytes
 *    to write at the returned `sp`, which becomes rsp; rip is image.entry
 *    and rdx is 0.
 *
 * The loader holds no state and performs no I/O: every function is pure but
 * for writes through the LoadTarget the caller passes in. Nothing here is
 * async, so there is no lock order to state.
 */
export type { ElfErrorCode } from './elf-error.ts';
export { ElfError } from './elf-error.ts';
export type { ElfImage, LoadSegment, ParseElfOptions, PhdrInfo, TlsInfo } from './elf.ts';
export { parseElf } from './elf.ts';
export type {
  LoadPlan,
  LoadTarget,
  PlannedCopy,
  PlannedMapping,
  PlannedZeroFill,
} from './load-plan.ts';
export { loadInto, planLoad } from './load-plan.ts';
export type { InitialStack, InitialStackInput } from './initial-stack.ts';
export {
  DEFAULT_MAX_ARG_BYTES,
  InitialStackError,
  MAX_ARG_STRLEN,
  buildInitialStack,
} from './initial-stack.ts';
export {
  DEFAULT_PIE_LOAD_BIAS,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  USER_ADDRESS_LIMIT,
} from './elf-constants.ts';
export { MAX_IMAGE_BYTES } from './elf-segments.ts';
export { MAX_PROGRAM_HEADERS } from './elf-header.ts';
export * from './auxv.ts';
