import { Access, CpuFault } from './fault.ts';
import { NOT_PERMITTED, type PageTranslator } from './mmu.ts';

const TLB_BITS = 11;
const TLB_SIZE = 1 << TLB_BITS;
/** Mask of a TLB slot index (the low page-number bits). */
export const TLB_MASK = TLB_SIZE - 1;
/** Valid user addresses are below 2^47 (the canonical lower half). */
const ADDRESS_END = 2 ** 47;

/**
 * Guest memory access through a software TLB. Each of the read, write and
 * execute TLBs is direct-mapped: slot `(page & TLB_MASK)` holds the page's
 * base address as its tag and the byte offset of its frame in the memory
 * file. A miss asks the address space, which may fault.
 *
 * Frames that hold decoded code are never entered in the write TLB, so every
 * write to them takes the slow path, which drops the stale code first.
 *
 * Nothing here is saved: TLBs are rebuilt on demand after a restore.
 */
export class CpuMemory {
  /** The address space in use. Set by attach(). */
  mmu!: PageTranslator;
  /** View of the memory file's buffer; rebuilt when the buffer grows. */
  dv!: DataView;
  /** Byte view of the same buffer. */
  u8!: Uint8Array;
  /** Scratch for the high half of 64-bit values returned by helpers. */
  hi = 0;
  /**
   * Loop bound of the block being executed. Setting it to 0 ends the block
   * after the current instruction (system calls, self-modifying writes).
   */
  limit = 0;

  /**
   * Read and write TLBs: tag (page address, -1 when empty) and frame offset
   * per slot. Public so that compiled blocks can inline their fast paths;
   * only fill() and the flushes change them.
   */
  readonly rtag = new Float64Array(TLB_SIZE).fill(-1);
  readonly rbase = new Float64Array(TLB_SIZE);
  readonly wtag = new Float64Array(TLB_SIZE).fill(-1);
  readonly wbase = new Float64Array(TLB_SIZE);
  private readonly xtag = new Float64Array(TLB_SIZE).fill(-1);
  private readonly xbase = new Float64Array(TLB_SIZE);
  /** Frames holding decoded code, indexed by frame number. */
  codeFrames = new Uint8Array(0);
  /** Called when a write hits a code frame, with the frame number. */
  onCodeWrite: (frame: number) => void = () => {};

  /** Unsubscribes from the previous address space's frame writes. */
  private detachFrameWrites: (() => void) | undefined;

  /** Connects the CPU to an address space. */
  attach(mmu: PageTranslator): void {
    this.mmu = mmu;
    mmu.onInvalidate(() => this.flushTlb());
    this.detachFrameWrites?.();
    this.detachFrameWrites = mmu.onFrameWrite?.((frame) => {
      if (!this.codeFrames[frame]) return;
      this.codeFrames[frame] = 0;
      this.onCodeWrite(frame);
      this.limit = 0;
    });
    this.refreshViews();
    this.flushTlb();
  }

  /**
   * Disconnects from the address space's memory file, so that a CPU that
   * is done with (a discarded task, a finished test case) is not kept alive
   * and called on every frame write.
   */
  detach(): void {
    this.detachFrameWrites?.();
    this.detachFrameWrites = undefined;
  }

  /**
   * Bumped by every full flush: links between decoded blocks made under an
   * older generation may follow a stale translation and are not trusted.
   */
  tlbGen = 0;

  /** Drops every cached translation. */
  flushTlb(): void {
    this.tlbGen++;
    this.rtag.fill(-1);
    this.wtag.fill(-1);
    this.xtag.fill(-1);
  }

  /** Drops cached write translations (a frame just became code). */
  flushWriteTlb(): void {
    this.wtag.fill(-1);
  }

  private refreshViews(): void {
    const buffer = this.mmu.memory.buffer;
    this.dv = new DataView(buffer);
    this.u8 = new Uint8Array(buffer);
    if (this.codeFrames.length < buffer.byteLength / 4096) {
      const grown = new Uint8Array(buffer.byteLength / 4096);
      grown.set(this.codeFrames);
      this.codeFrames = grown;
    }
  }

  /**
   * Translates the page of `a` for an access, fills the TLB slot and returns
   * the frame's byte offset. Throws a page fault when the access is refused.
   */
  private fill(a: number, access: number): number {
    if (!(a >= 0 && a < ADDRESS_END)) {
      // The upper canonical half (negative here) is the kernel's: a page
      // fault for user code. Anything else is non-canonical: #GP.
      if (a < 0 && a >= -ADDRESS_END) throw CpuFault.pageFault(a + 2 ** 64, access, true);
      throw CpuFault.nonCanonical();
    }
    const vpage = Math.floor(a / 4096);
    const base = this.mmu.translate(vpage, access);
    if (base < 0) throw CpuFault.pageFault(a, access, base === NOT_PERMITTED);
    if (this.dv.buffer !== this.mmu.memory.buffer) this.refreshViews();
    const slot = vpage & TLB_MASK;
    const tag = vpage * 4096;
    if (access === Access.READ) {
      this.rtag[slot] = tag;
      this.rbase[slot] = base;
    } else if (access === Access.WRITE) {
      const frame = base / 4096;
      if (this.codeFrames[frame]) {
        this.codeFrames[frame] = 0;
        this.onCodeWrite(frame);
        this.limit = 0;
      }
      this.wtag[slot] = tag;
      this.wbase[slot] = base;
    } else {
      this.xtag[slot] = tag;
      this.xbase[slot] = base;
    }
    return base;
  }

  /** Byte offset in the memory file of the executable byte at `a`. */
  fetchOffset(a: number): number {
    const off = a & 4095;
    const k = (a >>> 12) & TLB_MASK;
    if (this.xtag[k] === a - off) return this.xbase[k] + off;
    return this.fill(a, Access.EXEC) + off;
  }

  /** Byte offset for reading `size` bytes at `a` within one page. */
  private roff(a: number): number {
    const off = a & 4095;
    const k = (a >>> 12) & TLB_MASK;
    if (this.rtag[k] === a - off) return this.rbase[k] + off;
    return this.fill(a, Access.READ) + off;
  }

  /** Byte offset for writing at `a` within one page. */
  private woff(a: number): number {
    const off = a & 4095;
    const k = (a >>> 12) & TLB_MASK;
    if (this.wtag[k] === a - off) return this.wbase[k] + off;
    return this.fill(a, Access.WRITE) + off;
  }

  read8(a: number): number {
    // The offset first: a fault-in may grow memory and replace the views.
    const o = this.roff(a);
    return this.u8[o];
  }

  read16(a: number): number {
    if ((a & 4095) > 4094) return this.read8(a) | (this.read8(a + 1) << 8);
    const o = this.roff(a);
    return this.dv.getUint16(o, true);
  }

  read32(a: number): number {
    if ((a & 4095) > 4092) return this.read16(a) | (this.read16(a + 2) << 16);
    const o = this.roff(a);
    return this.dv.getInt32(o, true);
  }

  /** Reads 64 bits: returns the low half, leaves the high half in `hi`. */
  read64(a: number): number {
    if ((a & 4095) > 4088) {
      const lo = this.read32(a);
      this.hi = this.read32(a + 4);
      return lo;
    }
    const o = this.roff(a);
    this.hi = this.dv.getInt32(o + 4, true);
    return this.dv.getInt32(o, true);
  }

  write8(a: number, v: number): void {
    const o = this.woff(a);
    this.u8[o] = v;
  }

  write16(a: number, v: number): void {
    if ((a & 4095) > 4094) {
      this.probeWrite(a, 2);
      this.write8(a, v);
      this.write8(a + 1, v >> 8);
      return;
    }
    const o = this.woff(a);
    this.dv.setUint16(o, v, true);
  }

  write32(a: number, v: number): void {
    if ((a & 4095) > 4092) {
      this.probeWrite(a, 4);
      this.write16(a, v);
      this.write16(a + 2, v >>> 16);
      return;
    }
    const o = this.woff(a);
    this.dv.setInt32(o, v, true);
  }

  write64(a: number, lo: number, hi: number): void {
    if ((a & 4095) > 4088) {
      this.probeWrite(a, 8);
      this.write32(a, lo);
      this.write32(a + 4, hi);
      return;
    }
    const o = this.woff(a);
    this.dv.setInt32(o, lo, true);
    this.dv.setInt32(o + 4, hi, true);
  }

  /**
   * Checks that `len` bytes at `a` are writable, faulting before any byte is
   * written: used ahead of writes that span pages or take several steps.
   */
  probeWrite(a: number, len: number): void {
    this.woff(a);
    // The next page, at its first byte: the address the hardware reports.
    if (((a & 4095) + len - 1) >> 12) this.woff(a - (a & 4095) + 4096);
  }

  /**
   * Offset in the memory file of the byte at `a` for reading, faulting as
   * read8 would; bytes up to the end of its page follow it. For bulk copies
   * (rep movs): read `u8` after the call, as a fault-in may grow the memory.
   */
  readOffset(a: number): number {
    return this.roff(a);
  }

  /** Offset in the memory file of `a` for writing; see readOffset. */
  writeOffset(a: number): number {
    return this.woff(a);
  }

  /** Checks that `len` bytes at `a` are readable, faulting otherwise. */
  probeRead(a: number, len: number): void {
    this.roff(a);
    if (((a & 4095) + len - 1) >> 12) this.roff(a - (a & 4095) + 4096);
  }
}
