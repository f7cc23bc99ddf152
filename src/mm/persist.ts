import type { TypeRegistry } from '../state/index.ts';
import { AddressSpace } from './address-space.ts';
import { FileData } from './file-data.ts';
import { MemoryFile } from './memory-file.ts';
import { MemoryManager } from './memory-manager.ts';
import { VmaList } from './vma.ts';

/**
 * Registers the memory layer's saved classes with the state codec. The
 * memory file's bytes are not in the kernel state: they are the snapshot's
 * third part, and MemoryFile.restoreAfterLoad() plus loadChunk() rebuild
 * them. Listener lists are host handles and start empty after a load.
 */
export function registerMmTypes(r: TypeRegistry): void {
  r.register(MemoryFile, {
    name: 'mm.MemoryFile',
    fields: ['refs', 'free', 'used', 'maxFrames'],
    unsaved: ['memory', 'bytes', 'growListeners', 'writeListeners'],
  });
  r.register(FileData, {
    name: 'mm.FileData',
    fields: ['memory', 'pages', 'length', 'mapCount', 'releaseWhenUnmapped'],
  });
  r.register(AddressSpace, {
    name: 'mm.AddressSpace',
    fields: ['file', 'pages', 'present', 'filler'],
    unsaved: ['listeners'],
    afterLoad: (space) => {
      (space as unknown as { listeners: unknown[] }).listeners = [];
    },
  });
  r.register(MemoryManager, {
    name: 'mm.MemoryManager',
    fields: [
      'space',
      'vmas',
      'mmapBase',
      'brkStart',
      'brkEnd',
      'peakMappedBytes',
      'peakResidentPages',
      'nextShmemInode',
    ],
  });
  r.register(VmaList, { name: 'mm.VmaList', fields: ['list'] });
}
