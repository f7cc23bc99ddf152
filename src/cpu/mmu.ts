/**
 * What the CPU needs from an address space: page translation with
 * permissions. The mm layer implements it; the CPU keeps a software TLB in
 * front of it.
 */

/** Returned by translate() for a page that is not mapped. */
export const NOT_MAPPED = -1;
/** Returned by translate() for a mapped page that forbids the access. */
export const NOT_PERMITTED = -2;

/** Page translation for one address space. */
export interface PageTranslator {
  /** The memory that frames live in. */
  readonly memory: WebAssembly.Memory;
  /**
   * Translates a virtual page number for an access (Access bits) and returns
   * the byte offset of its frame in `memory.buffer`, or NOT_MAPPED or
   * NOT_PERMITTED. It may allocate a frame (first touch, copy-on-write) and
   * grow the memory.
   */
  translate(vpage: number, access: number): number;
  /**
   * Registers a callback that runs when translations may have changed
   * (unmap, protect, copy-on-write break), so cached entries are dropped.
   */
  onInvalidate(listener: () => void): void;
  /**
   * Registers a callback for frames whose bytes the kernel changed outside
   * the CPU's own stores (file writes, copy-on-write copies, reused frames),
   * so that code decoded from them is dropped. Returns a remover.
   */
  onFrameWrite?(listener: (frame: number) => void): () => void;
}
