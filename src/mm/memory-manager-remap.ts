import { Errno } from '../linux/errno.ts';
import { PAGE_SIZE } from './memory-file.ts';
import type { MemoryManager } from './memory-manager.ts';
import {
  MAP_SHARED,
  MMAP_MIN_ADDR,
  MREMAP_DONTUNMAP,
  MREMAP_FIXED,
  MREMAP_MAYMOVE,
  TASK_SIZE,
} from './mm-constants.ts';
import { pageAlignUp, type Vma, vmaTail } from './vma.ts';

/**
 * mremap(2) for a MemoryManager: shrink in place, grow in place when the
 * pages after the mapping are free, else move (MREMAP_MAYMOVE, or to
 * MREMAP_FIXED's address) carrying the frames along, not copies. Returns the
 * new address or a negated Errno, as Linux's mm/mremap.c decides them.
 */
export function remap(
  mm: MemoryManager,
  oldAddr: number,
  oldLength: number,
  newLength: number,
  flags: number,
  newAddr: number,
): number {
  // Check the flags and sizes.
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return -Errno.EINVAL;
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) return -Errno.EINVAL;
  if (flags & MREMAP_DONTUNMAP && (!(flags & MREMAP_MAYMOVE) || oldLength !== newLength)) {
    return -Errno.EINVAL;
  }
  if (oldAddr % PAGE_SIZE !== 0) return -Errno.EINVAL;
  const oldLen = pageAlignUp(oldLength);
  const newLen = pageAlignUp(newLength);
  if (newLen === 0 || newLen > TASK_SIZE || oldLen > TASK_SIZE) return -Errno.EINVAL;
  if (mm.vmas.find(oldAddr) === undefined) return -Errno.EFAULT;
  if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
    return remapTo(mm, oldAddr, oldLen, newLen, flags, newAddr);
  }

  // Shrinking always works: it unmaps the tail.
  if (oldLen >= newLen) {
    mm.unmapRange(oldAddr + newLen, oldAddr + oldLen);
    return oldAddr;
  }

  // Grow in place when the mapping ends with the old range and room follows.
  const vma = mm.vmas.find(oldAddr)!;
  const refused = checkResizable(vma, oldAddr, oldLen);
  if (refused !== 0) return -refused;
  const end = oldAddr + newLen;
  if (oldAddr + oldLen === vma.end && end <= TASK_SIZE && mm.vmas.isFree(vma.end, end)) {
    vma.end = end;
    mm.vmas.mergeRange(vma.start, end);
    mm.notePeaks();
    return oldAddr;
  }

  // Else move, when allowed.
  if (!(flags & MREMAP_MAYMOVE)) return -Errno.ENOMEM;
  const dest = mm.placement(0, newLen, vma.shared ? MAP_SHARED : 0);
  if (dest < 0 || !mm.vmas.hasRoom(1)) return -Errno.ENOMEM;
  return moveVma(mm, vma, oldAddr, oldLen, dest, newLen, false);
}

/** MREMAP_FIXED and MREMAP_DONTUNMAP: move to a chosen or a new address. */
function remapTo(
  mm: MemoryManager,
  oldAddr: number,
  oldLen: number,
  newLen: number,
  flags: number,
  newAddr: number,
): number {
  let dest: number;
  if (flags & MREMAP_FIXED) {
    if (newAddr % PAGE_SIZE !== 0) return -Errno.EINVAL;
    if (newAddr > TASK_SIZE - newLen) return -Errno.EINVAL;
    if (oldAddr + oldLen > newAddr && newAddr + newLen > oldAddr) return -Errno.EINVAL;
    if (newAddr < MMAP_MIN_ADDR) return -Errno.EPERM;
    mm.unmapRange(newAddr, newAddr + newLen);
    if (oldLen > newLen) {
      mm.unmapRange(oldAddr + newLen, oldAddr + oldLen);
      oldLen = newLen;
    }
    dest = newAddr;
  } else {
    dest = -1;
  }
  const vma = mm.vmas.find(oldAddr);
  if (vma === undefined) return -Errno.EFAULT;
  const refused = checkResizable(vma, oldAddr, oldLen);
  if (refused !== 0) return -refused;
  if (dest < 0) dest = mm.placement(0, newLen, vma.shared ? MAP_SHARED : 0);
  if (dest < 0 || !mm.vmas.hasRoom(1)) return -Errno.ENOMEM;
  return moveVma(mm, vma, oldAddr, oldLen, dest, newLen, (flags & MREMAP_DONTUNMAP) !== 0);
}

/**
 * Linux's vma_to_resize: the old range must lie in one mapping, and an empty
 * old range only duplicates shared mappings. Returns an Errno or 0.
 */
function checkResizable(vma: Vma, oldAddr: number, oldLen: number): number {
  if (oldLen === 0 && !vma.shared) return Errno.EINVAL;
  if (oldLen > vma.end - oldAddr) return Errno.EFAULT;
  return 0;
}

/**
 * Moves [oldAddr, oldAddr + oldLen) of `vma` to `dest`, sized `newLen`,
 * with its page entries (and so its frames). The source range is unmapped
 * unless `keepSource`, which leaves it mapped but empty (MREMAP_DONTUNMAP).
 * Preconditions: [dest, dest + newLen) is free and apart from the source.
 */
function moveVma(
  mm: MemoryManager,
  vma: Vma,
  oldAddr: number,
  oldLen: number,
  dest: number,
  newLen: number,
  keepSource: boolean,
): number {
  const moved: Vma = { ...vmaTail(vma, oldAddr), start: dest, end: dest + newLen };
  if (moved.file !== null) moved.file.mapCount++;
  const pages = Math.min(oldLen, newLen) / PAGE_SIZE;
  mm.space.movePages(oldAddr / PAGE_SIZE, dest / PAGE_SIZE, pages);
  if (!keepSource) mm.unmapRange(oldAddr, oldAddr + oldLen);
  mm.vmas.insert(moved);
  mm.notePeaks();
  return dest;
}
