import { Errno } from '../linux/errno.ts';
import { PAGE_SIZE } from './memory-file.ts';
import type { MemoryManager } from './memory-manager.ts';
import {
  MADV_COLD,
  MADV_COLLAPSE,
  MADV_DODUMP,
  MADV_DOFORK,
  MADV_DONTDUMP,
  MADV_DONTFORK,
  MADV_DONTNEED,
  MADV_DONTNEED_LOCKED,
  MADV_FREE,
  MADV_HUGEPAGE,
  MADV_KEEPONFORK,
  MADV_MERGEABLE,
  MADV_NOHUGEPAGE,
  MADV_NORMAL,
  MADV_PAGEOUT,
  MADV_POPULATE_READ,
  MADV_POPULATE_WRITE,
  MADV_RANDOM,
  MADV_REMOVE,
  MADV_SEQUENTIAL,
  MADV_UNMERGEABLE,
  MADV_WILLNEED,
  MADV_WIPEONFORK,
} from './mm-constants.ts';
import { pageAlignUp } from './vma.ts';

/** Advice that only tunes performance here: accepted and ignored. */
const HINTS = new Set([
  MADV_NORMAL,
  MADV_RANDOM,
  MADV_SEQUENTIAL,
  MADV_WILLNEED,
  MADV_DONTFORK,
  MADV_DOFORK,
  MADV_MERGEABLE,
  MADV_UNMERGEABLE,
  MADV_HUGEPAGE,
  MADV_NOHUGEPAGE,
  MADV_DONTDUMP,
  MADV_DODUMP,
  MADV_KEEPONFORK,
  MADV_COLD,
  MADV_PAGEOUT,
  MADV_POPULATE_READ,
  MADV_POPULATE_WRITE,
  MADV_COLLAPSE,
]);

/** Advice that throws pages away. */
const DISCARDS = new Set([MADV_DONTNEED, MADV_DONTNEED_LOCKED, MADV_FREE, MADV_REMOVE]);

/**
 * madvise(2) for a MemoryManager. MADV_DONTNEED (and MADV_FREE, which may
 * act the same) drops the pages of the range: private anonymous pages read
 * zero afterwards, private file pages the file again, shared pages the
 * shared contents. Returns 0 or a negated Errno; a hole in the range gives
 * ENOMEM after the mapped parts were handled, as on Linux.
 */
export function advise(mm: MemoryManager, addr: number, length: number, advice: number): number {
  // Check the arguments.
  const discard = DISCARDS.has(advice);
  if (!discard && !HINTS.has(advice) && advice !== MADV_WIPEONFORK) return -Errno.EINVAL;
  if (addr % PAGE_SIZE !== 0 || length < 0) return -Errno.EINVAL;
  const len = pageAlignUp(length);
  const end = addr + len;
  if (end > 2 ** 64) return -Errno.EINVAL;
  if (len === 0) return 0;

  // Walk the mappings of the range.
  let cursor = addr;
  let error = 0;
  for (const vma of mm.vmas.overlapping(addr, end)) {
    if (vma.start > cursor) error = Errno.ENOMEM;
    const from = Math.max(addr, vma.start);
    const to = Math.min(end, vma.end);
    cursor = vma.end;
    const anonymousPrivate = vma.file === null && !vma.shared;
    if ((advice === MADV_FREE || advice === MADV_WIPEONFORK) && !anonymousPrivate) {
      return -Errno.EINVAL;
    }
    if (advice === MADV_REMOVE && !vma.shared) return -Errno.EINVAL;
    // TODO: MADV_REMOVE should also punch a hole in the shared file; here
    // the file keeps its bytes, so a guest that removes pages and reads them
    // back through the file sees the old contents instead of zeros.
    // TODO: MADV_WIPEONFORK is accepted but not recorded, so a child made
    // by fork would see the parent's bytes there instead of zeros.
    if (discard) mm.space.dropPages(from / PAGE_SIZE, (to - from) / PAGE_SIZE);
  }
  if (cursor < end) error = Errno.ENOMEM;
  return error === 0 ? 0 : -error;
}
