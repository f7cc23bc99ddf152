import { PageFlags } from './address-space.ts';
import type { MemoryManager } from './memory-manager.ts';
import type { Vma } from './vma.ts';

/** Sizes of one process's memory, for /proc/self/status and sysinfo. */
export interface MemoryStats {
  /** Bytes mapped (VmSize). */
  mappedBytes: number;
  /** Most bytes ever mapped at once (VmPeak). */
  peakMappedBytes: number;
  /** Pages holding a frame (VmRSS, in pages). */
  residentPages: number;
  /** Most pages ever resident at once (VmHWM, in pages). */
  peakResidentPages: number;
  /** Resident pages of private memory (RssAnon). */
  anonResidentPages: number;
  /**
   * Resident pages that are a file's own frames (RssShmem: every file here
   * lives in tmpfs, so there is no RssFile).
   */
  shmemResidentPages: number;
  /** Private writable bytes outside the stack (VmData). */
  dataBytes: number;
  /** Stack bytes (VmStk). */
  stackBytes: number;
  /** Executable, non-writable bytes outside the stack (VmExe). */
  execBytes: number;
  /** Number of mappings (lines of /proc/self/maps). */
  mappingCount: number;
}

function isStack(vma: Vma): boolean {
  return vma.growsDown || vma.name === '[stack]';
}

/** Computes MemoryStats by walking the mappings and the resident pages. */
export function memoryStats(mm: MemoryManager): MemoryStats {
  mm.notePeaks();
  let mappedBytes = 0;
  let dataBytes = 0;
  let stackBytes = 0;
  let execBytes = 0;
  for (const vma of mm.vmas.list) {
    const size = vma.end - vma.start;
    mappedBytes += size;
    if (isStack(vma)) stackBytes += size;
    else if (vma.prot & 2 && !vma.shared) dataBytes += size;
    else if (vma.prot & 4 && !(vma.prot & 2)) execBytes += size;
  }
  let shmem = 0;
  mm.space.forEachResident((_vpage, flags) => {
    if (flags & PageFlags.FILE) shmem++;
  });
  const residentPages = mm.space.residentPages;
  return {
    mappedBytes,
    peakMappedBytes: mm.peakMappedBytes,
    residentPages,
    peakResidentPages: mm.peakResidentPages,
    anonResidentPages: residentPages - shmem,
    shmemResidentPages: shmem,
    dataBytes,
    stackBytes,
    execBytes,
    mappingCount: mm.vmas.count,
  };
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** The name /proc/self/maps shows for a mapping. */
function nameOf(mm: MemoryManager, vma: Vma): string {
  if (vma.name !== '') return vma.name;
  const heap = mm.brkStart > 0 && vma.start <= mm.brkEnd && vma.end >= mm.brkStart;
  return vma.file === null && heap ? '[heap]' : '';
}

/**
 * The text of /proc/self/maps, laid out as Linux's fs/proc/task_mmu.c does:
 * a named line pads its name to column 73; an unnamed one ends in a space.
 */
export function formatMaps(mm: MemoryManager): string {
  let out = '';
  for (const vma of mm.vmas.list) {
    const perms =
      (vma.prot & 1 ? 'r' : '-') +
      (vma.prot & 2 ? 'w' : '-') +
      (vma.prot & 4 ? 'x' : '-') +
      (vma.shared ? 's' : 'p');
    const offset = vma.file === null ? 0 : vma.offset;
    const head =
      `${hex(vma.start, 8)}-${hex(vma.end, 8)} ${perms} ${hex(offset, 8)} ` +
      `${hex(vma.major, 2)}:${hex(vma.minor, 2)} ${vma.inode} `;
    const name = nameOf(mm, vma);
    out += (name === '' ? head : head.padEnd(72, ' ') + ' ' + name) + '\n';
  }
  return out;
}
