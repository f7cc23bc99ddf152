import { type MemoryFile, PAGE_SIZE } from './memory-file.ts';

/**
 * The contents of a tmpfs regular file, kept as frames of the memory file
 * like a page cache: a shared file mapping maps these very frames, so that
 * stores through the mapping and write() see the same bytes, and a private
 * mapping maps them copy-on-write.
 *
 * Pages never written are holes: they read as zeros and own no frame until
 * someone needs one (a write, or a mapping touching the page).
 *
 * Invariant: the bytes of the last page past `size` are zero, so that growing
 * the file (write past the end, truncate up) exposes zeros there.
 *
 * Saved in a snapshot: every field here (the frames' contents go with the
 * memory file).
 */
export class FileData {
  /** The memory file the frames live in. Saved (shared reference). */
  readonly memory: MemoryFile;
  /** Page index to frame, one reference each. Mutated here only. Saved. */
  private readonly pages = new Map<number, number>();
  /** File size in bytes. Mutated by write() and truncate(). Saved. */
  private length = 0;
  /**
   * Number of mappings (Vma records, in every process) backed by this file.
   * Mutated by the mm layer as mappings are made, split, merged and removed.
   * Saved.
   */
  mapCount = 0;
  /**
   * True for the hidden file behind a MAP_SHARED | MAP_ANONYMOUS mapping:
   * it has no inode, so its frames are released when its last mapping goes.
   * Set by the mm layer at creation. Saved.
   */
  releaseWhenUnmapped = false;

  constructor(file: MemoryFile) {
    this.memory = file;
  }

  /** File size in bytes. */
  get size(): number {
    return this.length;
  }

  /** Number of pages that hold a frame (the file's share of memory). */
  get residentPages(): number {
    return this.pages.size;
  }

  /**
   * Copies bytes from `offset` into `dst`, stopping at end of file; returns
   * how many were copied (0 at or past end of file).
   */
  read(offset: number, dst: Uint8Array): number {
    const n = Math.max(0, Math.min(dst.length, this.length - offset));
    let done = 0;
    while (done < n) {
      const at = offset + done;
      const inPage = at % PAGE_SIZE;
      const chunk = Math.min(PAGE_SIZE - inPage, n - done);
      const frame = this.pages.get(Math.floor(at / PAGE_SIZE));
      if (frame === undefined) {
        dst.fill(0, done, done + chunk);
      } else {
        const from = frame * PAGE_SIZE + inPage;
        dst.set(this.memory.bytes.subarray(from, from + chunk), done);
      }
      done += chunk;
    }
    return n;
  }

  /**
   * Copies `src` into the file at `offset`, allocating frames as needed and
   * extending the size when the write ends past it.
   * Throws OutOfMemoryError when the memory file is full (the fs reports
   * ENOSPC).
   */
  write(offset: number, src: Uint8Array): void {
    if (src.length === 0) return;
    if (offset + src.length > this.length) this.zeroTail();
    let done = 0;
    while (done < src.length) {
      const at = offset + done;
      const inPage = at % PAGE_SIZE;
      const chunk = Math.min(PAGE_SIZE - inPage, src.length - done);
      const frame = this.frameFor(Math.floor(at / PAGE_SIZE));
      this.memory.bytes.set(src.subarray(done, done + chunk), frame * PAGE_SIZE + inPage);
      this.memory.noteWrite(frame);
      done += chunk;
    }
    this.length = Math.max(this.length, offset + src.length);
  }

  /**
   * Sets the size. Shrinking drops the frames of pages wholly past the new
   * end and zeroes the rest of the last page; growing adds a hole.
   */
  truncate(size: number): void {
    if (size > this.length) {
      this.zeroTail();
      this.length = size;
      return;
    }
    this.length = size;
    const keep = Math.ceil(size / PAGE_SIZE);
    for (const [index, frame] of this.pages) {
      if (index < keep) continue;
      this.memory.release(frame);
      this.pages.delete(index);
    }
    this.zeroTail();
  }

  /**
   * The frame holding page `pageIndex`, allocated zero-filled when the page
   * is a hole. The file keeps its reference: a mapping that keeps the frame
   * must retain it.
   */
  frameFor(pageIndex: number): number {
    let frame = this.pages.get(pageIndex);
    if (frame === undefined) {
      frame = this.memory.allocate();
      this.pages.set(pageIndex, frame);
    }
    return frame;
  }

  /** The frame of a page if it has one, without allocating. */
  frameIfPresent(pageIndex: number): number | undefined {
    return this.pages.get(pageIndex);
  }

  /** Drops every frame and empties the file (its inode died). */
  release(): void {
    for (const frame of this.pages.values()) this.memory.release(frame);
    this.pages.clear();
    this.length = 0;
  }

  /** Zeroes the last page past the end of file (a mapping may have written there). */
  private zeroTail(): void {
    const inPage = this.length % PAGE_SIZE;
    if (inPage === 0) return;
    const frame = this.pages.get(Math.floor(this.length / PAGE_SIZE));
    if (frame === undefined) return;
    const base = frame * PAGE_SIZE;
    this.memory.bytes.fill(0, base + inPage, base + PAGE_SIZE);
    this.memory.noteWrite(frame);
  }
}
