import { Access } from '../../src/cpu/fault.ts';
import { AddressSpace } from '../../src/mm/address-space.ts';
import { FileData } from '../../src/mm/file-data.ts';
import { MemoryFile, PAGE_SIZE } from '../../src/mm/memory-file.ts';
import { MemoryManager } from '../../src/mm/memory-manager.ts';

/** The mmap base tests use, in the region Linux uses below the stack. */
export const MMAP_BASE = 0x7f0000000000;

/** A memory manager over a fresh address space and memory file. */
export interface Fixture {
  file: MemoryFile;
  space: AddressSpace;
  mm: MemoryManager;
  /** A guest load: the byte at addr, or the translate() error code. */
  load(addr: number): number;
  /** A guest store; returns the translate() result (negative on fault). */
  store(addr: number, value: number): number;
  /** A new tmpfs file holding `bytes`. */
  fileWith(bytes: Uint8Array | string): FileData;
}

export function fixture(): Fixture {
  const file = new MemoryFile(64 * 1024 * 1024);
  const space = new AddressSpace(file);
  const mm = new MemoryManager(space, MMAP_BASE);
  const access = (addr: number, kind: number): number => {
    return space.translate(Math.floor(addr / PAGE_SIZE), kind);
  };
  return {
    file,
    space,
    mm,
    load(addr) {
      const base = access(addr, Access.READ);
      return base < 0 ? base : file.bytes[base + (addr % PAGE_SIZE)];
    },
    store(addr, value) {
      const base = access(addr, Access.WRITE);
      if (base >= 0) file.bytes[base + (addr % PAGE_SIZE)] = value;
      return base;
    },
    fileWith(bytes) {
      const data = new FileData(file);
      data.write(0, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
      return data;
    },
  };
}
