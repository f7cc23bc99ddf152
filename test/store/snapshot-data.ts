import { createHash } from 'node:crypto';
import type { MemoryChunk, SnapshotInput } from '../../src/store/index.ts';

/** Deterministic bytes: `size` of them from `seed` (SHA-256 in counter mode). */
export function noise(seed: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let at = 0, n = 0; at < size; at += 32, n++) {
    const block = createHash('sha256').update(`${seed}/${n}`).digest();
    out.set(block.subarray(0, Math.min(32, size - at)), at);
  }
  return out;
}

/** Bytes that compress well: a repeated phrase. */
export function prose(seed: string, size: number): Uint8Array {
  return new Uint8Array(Buffer.alloc(size, `${seed}: the quick brown fox. `));
}

/** A small snapshot: header, two-piece kernel state, memory chunks 0, 2, 5. */
export function sampleSnapshot(seed = 'base'): Omit<SnapshotInput, 'memory'> & {
  memory: MemoryChunk[];
} {
  return {
    header: prose(`header ${seed}`, 100),
    kernelState: noise(`state ${seed}`, 6000),
    memory: [
      { index: 0, bytes: noise(`page0 ${seed}`, 4096 + 32) },
      { index: 2, bytes: prose(`page2 ${seed}`, 8192 + 32) },
      { index: 5, bytes: noise(`page5 ${seed}`, 4096 + 32) },
    ],
    meta: { note: `sample ${seed}` },
  };
}
