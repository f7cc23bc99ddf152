/**
 * The memory file: every page of guest memory lives in one frame of a single
 * growable `WebAssembly.Memory`, so that a later tier can compile guest code
 * to WebAssembly that addresses it directly. Frames carry reference counts so
 * that address spaces and files can share them (shared mappings, the tmpfs
 * page cache, copy-on-write).
 *
 * Saved in a snapshot: the frames in use, their contents and counts. The
 * buffer views are host handles, rebuilt after every grow.
 */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

const WASM_PAGE = 65536;
const FRAMES_PER_WASM_PAGE = WASM_PAGE / PAGE_SIZE;
/** 32-bit WebAssembly memories stop at 4 GiB. */
const MAX_WASM_PAGES = 65536;

/** Thrown when the memory file cannot grow any further. */
export class OutOfMemoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutOfMemoryError';
  }
}

/** Frames of guest memory with reference counts. */
export class MemoryFile {
  /**
   * The backing memory. Mutated only by grow(). Not saved as an object: the
   * snapshot's memory part holds the contents of the frames in use.
   */
  readonly memory: WebAssembly.Memory;
  /** Byte view of the current buffer; replaced after every grow. Not saved. */
  bytes: Uint8Array;
  /** Reference count per frame; 0 means free. Mutated here only. Saved. */
  private refs: Uint32Array;
  /** Frames released and ready for reuse, most recent last. Saved. */
  private free: number[] = [];
  /** Frames below this index have been handed out at least once. Saved. */
  private used = 0;
  /** Limit on frames, from the caller's memory budget. Saved. */
  private maxFrames: number;
  /** Called after the buffer changed. Host handles: not saved, re-attached. */
  private readonly growListeners: (() => void)[] = [];
  /**
   * Called with a frame number whenever the kernel changes a frame's bytes
   * outside the CPU's store path (zeroing for reuse, copy-on-write copies,
   * file writes, system calls writing guest memory), so that decoded code
   * kept for that frame can be dropped. Host handles: not saved.
   */
  private readonly writeListeners: ((frame: number) => void)[] = [];

  constructor(maxBytes = 4 * 1024 * 1024 * 1024) {
    this.maxFrames = Math.min(
      Math.floor(maxBytes / PAGE_SIZE),
      MAX_WASM_PAGES * FRAMES_PER_WASM_PAGE,
    );
    const maximum = Math.ceil(this.maxFrames / FRAMES_PER_WASM_PAGE);
    this.memory = new WebAssembly.Memory({ initial: 16, maximum });
    this.bytes = new Uint8Array(this.memory.buffer);
    this.refs = new Uint32Array(16 * FRAMES_PER_WASM_PAGE);
  }

  /** Number of frames currently in use. */
  get framesInUse(): number {
    return this.used - this.free.length;
  }

  /** Most bytes the file may ever hold (the memory budget). */
  get capacityLimitBytes(): number {
    return this.maxFrames * PAGE_SIZE;
  }

  /** Number of frames the file has room for without growing. */
  get capacity(): number {
    return this.memory.buffer.byteLength / PAGE_SIZE;
  }

  /** Registers a callback that runs after the buffer is replaced by a grow. */
  onGrow(listener: () => void): void {
    this.growListeners.push(listener);
  }

  /**
   * Registers a callback told about frames whose bytes the kernel changed
   * (see writeListeners). Returns a function that removes it.
   */
  onFrameWrite(listener: (frame: number) => void): () => void {
    this.writeListeners.push(listener);
    return () => {
      const at = this.writeListeners.indexOf(listener);
      if (at >= 0) this.writeListeners.splice(at, 1);
    };
  }

  /** Tells the write listeners that the kernel changed a frame's bytes. */
  noteWrite(frame: number): void {
    for (const listener of this.writeListeners) listener(frame);
  }

  /** Allocates a zero-filled frame with one reference and returns its number. */
  allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) {
      this.refs[reused] = 1;
      this.bytes.fill(0, reused * PAGE_SIZE, (reused + 1) * PAGE_SIZE);
      this.noteWrite(reused);
      return reused;
    }
    if (this.used >= this.capacity) this.grow();
    const frame = this.used++;
    this.refs[frame] = 1;
    return frame;
  }

  /** Allocates a frame with one reference holding a copy of `source`. */
  copyOf(source: number): number {
    const frame = this.allocate();
    const from = source * PAGE_SIZE;
    this.bytes.copyWithin(frame * PAGE_SIZE, from, from + PAGE_SIZE);
    return frame;
  }

  /** Adds a reference to a frame. */
  retain(frame: number): void {
    this.refs[frame]++;
  }

  /** Drops a reference; the frame is freed when none remain. */
  release(frame: number): void {
    if (this.refs[frame] === 0) throw new Error(`memory file: frame ${frame} released twice`);
    if (--this.refs[frame] === 0) this.free.push(frame);
  }

  /** Reference count of a frame. */
  refCount(frame: number): number {
    return this.refs[frame];
  }

  /** Byte offset of a frame in the buffer. */
  offset(frame: number): number {
    return frame * PAGE_SIZE;
  }

  private grow(): void {
    const have = this.memory.buffer.byteLength / WASM_PAGE;
    const wantFrames = Math.min(this.maxFrames, Math.max(this.used * 2, this.used + 256));
    const want = Math.ceil(wantFrames / FRAMES_PER_WASM_PAGE);
    if (want <= have) {
      throw new OutOfMemoryError(`memory file is full (${this.maxFrames} frames)`);
    }
    this.memory.grow(want - have);
    this.bytes = new Uint8Array(this.memory.buffer);
    const refs = new Uint32Array(want * FRAMES_PER_WASM_PAGE);
    refs.set(this.refs);
    this.refs = refs;
    for (const listener of this.growListeners) listener();
  }

  /**
   * The contents of the frames in use, for a snapshot: chunk k covers frames
   * [k * CHUNK_PAGES, (k + 1) * CHUNK_PAGES) and holds a bitmap of the frames
   * it carries followed by their bytes. Free and all-zero frames are left
   * out; chunks with nothing in them are skipped. Fixed chunk boundaries let
   * a child snapshot share every chunk its parent already stored.
   */
  *chunks(): Generator<MemoryChunk> {
    const words = new Int32Array(this.memory.buffer);
    for (let index = 0; index * CHUNK_PAGES < this.used; index++) {
      const bitmap = new Uint8Array(CHUNK_BITMAP_BYTES);
      const pages: number[] = [];
      const first = index * CHUNK_PAGES;
      const last = Math.min(this.used, first + CHUNK_PAGES);
      for (let frame = first; frame < last; frame++) {
        if (this.refs[frame] === 0 || isZeroPage(words, frame)) continue;
        bitmap[(frame - first) >> 3] |= 1 << ((frame - first) & 7);
        pages.push(frame);
      }
      if (pages.length === 0) continue;
      const bytes = new Uint8Array(CHUNK_BITMAP_BYTES + pages.length * PAGE_SIZE);
      bytes.set(bitmap);
      pages.forEach((frame, k) => {
        const from = frame * PAGE_SIZE;
        bytes.set(this.bytes.subarray(from, from + PAGE_SIZE), CHUNK_BITMAP_BYTES + k * PAGE_SIZE);
      });
      yield { index, bytes };
    }
  }

  /**
   * Rebuilds the host side of a memory file decoded from a snapshot (the
   * codec restored refs, free, used and maxFrames): a memory large enough
   * for the frames in use, zero-filled until loadChunk() fills it.
   */
  restoreAfterLoad(): void {
    const frames = Math.max(this.used, 16 * FRAMES_PER_WASM_PAGE);
    const initial = Math.ceil(frames / FRAMES_PER_WASM_PAGE);
    // The budget is enforced by maxFrames; the memory may grow to the
    // largest 32-bit memory so that setLimit() can raise it after a load.
    const maximum = MAX_WASM_PAGES;
    const self = this as unknown as {
      memory: WebAssembly.Memory;
      growListeners: unknown[];
      writeListeners: unknown[];
    };
    self.memory = new WebAssembly.Memory({ initial, maximum: Math.max(initial, maximum) });
    self.growListeners = [];
    self.writeListeners = [];
    this.bytes = new Uint8Array(this.memory.buffer);
    if (this.refs.length < initial * FRAMES_PER_WASM_PAGE) {
      const refs = new Uint32Array(initial * FRAMES_PER_WASM_PAGE);
      refs.set(this.refs);
      this.refs = refs;
    }
  }

  /**
   * Sets the memory budget of a loaded memory file (a resumed job's own
   * limit), never below the frames already handed out. Returns the budget in
   * force, in bytes.
   *
   * Preconditions: restoreAfterLoad() ran, or the limit is not above the
   * one the file was constructed with (its memory cannot grow further).
   */
  setLimit(maxBytes: number): number {
    const frames = Math.min(
      Math.floor(maxBytes / PAGE_SIZE),
      MAX_WASM_PAGES * FRAMES_PER_WASM_PAGE,
    );
    this.maxFrames = Math.max(frames, this.used);
    return this.maxFrames * PAGE_SIZE;
  }

  /**
   * Copies one snapshot chunk back into its frames. Throws a RangeError
   * naming the problem when the chunk does not fit the frames in use.
   */
  loadChunk(index: number, bytes: Uint8Array): void {
    const first = index * CHUNK_PAGES;
    if (!Number.isInteger(index) || index < 0 || first >= this.used) {
      throw new RangeError(`memory chunk ${index} is outside the memory file`);
    }
    if (bytes.length < CHUNK_BITMAP_BYTES)
      throw new RangeError(`memory chunk ${index} is truncated`);
    let k = 0;
    for (let bit = 0; bit < CHUNK_PAGES; bit++) {
      if (!((bytes[bit >> 3] >> (bit & 7)) & 1)) continue;
      const frame = first + bit;
      if (frame >= this.used || this.refs[frame] === 0) {
        throw new RangeError(`memory chunk ${index} carries frame ${frame}, which is not in use`);
      }
      const from = CHUNK_BITMAP_BYTES + k * PAGE_SIZE;
      if (from + PAGE_SIZE > bytes.length)
        throw new RangeError(`memory chunk ${index} is truncated`);
      this.bytes.set(bytes.subarray(from, from + PAGE_SIZE), frame * PAGE_SIZE);
      k++;
    }
    if (CHUNK_BITMAP_BYTES + k * PAGE_SIZE !== bytes.length) {
      throw new RangeError(
        `memory chunk ${index} has ${bytes.length} bytes, expected ` +
          `${CHUNK_BITMAP_BYTES + k * PAGE_SIZE}`,
      );
    }
  }
}

/** Frames per snapshot memory chunk (1 MiB of guest memory). */
export const CHUNK_PAGES = 256;
const CHUNK_BITMAP_BYTES = CHUNK_PAGES / 8;

/** One chunk of the memory file in a snapshot (see MemoryFile.chunks). */
export interface MemoryChunk {
  index: number;
  bytes: Uint8Array;
}

function isZeroPage(words: Int32Array, frame: number): boolean {
  const start = frame * (PAGE_SIZE / 4);
  for (let k = start; k < start + PAGE_SIZE / 4; k++) if (words[k] !== 0) return false;
  return true;
}
