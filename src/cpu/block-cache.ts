import type { Cpu } from './cpu.ts';
import type { Decoder } from './decoder.ts';
import type { Insn } from './insn.ts';

/**
 * A block compiled to a JavaScript function: runs the whole block and returns
 * how many instructions of its last pass retired (fewer than its length when
 * a write hit code or a handler stopped the CPU). A block that branches to
 * itself may run several passes within `budget` instructions, adding all but
 * the last to `cpu.icount`. On a fault it sets `cpu.jitAt` to the index of
 * the faulting instruction.
 */
export type CompiledBlock = (cpu: Cpu, budget: number) => number;

/** Longest run of instructions decoded into one block. */
const MAX_BLOCK_INSNS = 64;

/**
 * A run of decoded instructions within one guest page, entered at its first
 * instruction. Only its last instruction may transfer control.
 */
export class Block {
  /** Virtual address of the first instruction. */
  readonly addr: number;
  readonly insns: Insn[];
  /** Address after the last instruction. */
  readonly end: number;
  /** The last instruction sets RIP itself (branch, system call, fault). */
  readonly terminated: boolean;
  /** False once the page's code was overwritten. */
  valid = true;
  /** Times the interpreter ran it; the run loop compiles it past a threshold. */
  runs = 0;
  /** The compiled form, once hot. */
  compiled: CompiledBlock | null = null;
  /** Blocks that followed this one, trusted while `linkGen` is the TLB generation. */
  private nextA: Block | null = null;
  private nextB: Block | null = null;
  private linkGen = -1;

  constructor(
    addr: number,
    insns: Insn[],
    terminated: boolean,
    /** False for blocks never kept in the cache (instructions across pages). */
    readonly cached = true,
  ) {
    this.addr = addr;
    this.insns = insns;
    this.end = insns[insns.length - 1].next;
    this.terminated = terminated;
  }

  /**
   * The block that followed this one at `rip` before, if it is still valid
   * and no TLB flush happened since (the page could map another frame).
   */
  successor(rip: number, gen: number): Block | null {
    if (this.linkGen !== gen) return null;
    const a = this.nextA;
    if (a !== null && a.addr === rip && a.valid) return a;
    const b = this.nextB;
    if (b !== null && b.addr === rip && b.valid) return b;
    return null;
  }

  /** Remembers `next` as a successor (a branch has two). */
  link(next: Block, gen: number): void {
    if (!next.cached) return;
    if (this.linkGen !== gen) {
      this.linkGen = gen;
      this.nextA = next;
      this.nextB = null;
    } else if (this.nextA === null || !this.nextA.valid) this.nextA = next;
    else this.nextB = next;
  }
}

/** Source of instruction bytes for the block builder. */
export interface CodeSource {
  /** The memory file's bytes. */
  readonly u8: Uint8Array;
  /** Byte offset in the memory file of the executable byte at `a` (may fault). */
  fetchOffset(a: number): number;
}

/**
 * Decoded blocks, keyed by the physical location (memory-file offset) of
 * their first byte, so that a page mapped twice shares its code and a write
 * through any mapping drops it. Blocks also record their virtual address:
 * a hit at another address decodes anew, since RIP-relative operands were
 * resolved for one address.
 *
 * Not saved: rebuilt from guest memory after a restore.
 */
export class BlockCache {
  private readonly blocks = new Map<number, Block>();
  private readonly byFrame = new Map<number, Block[]>();
  private readonly scratch = new Uint8Array(32);

  constructor(
    private readonly decoder: Decoder,
    /** Marks a frame as holding code so that writes to it are caught. */
    private readonly markCode: (frame: number) => void,
  ) {}

  /** The block starting at `rip`, decoding it on a miss. May fault. */
  lookup(src: CodeSource, rip: number): Block {
    const phys = src.fetchOffset(rip);
    const hit = this.blocks.get(phys);
    if (hit !== undefined && hit.addr === rip) return hit;
    return this.build(src, rip, phys);
  }

  private build(src: CodeSource, rip: number, phys: number): Block {
    const insns: Insn[] = [];
    const pageEnd = phys - (phys % 4096) + 4096;
    let addr = rip;
    let off = phys;
    let flow = false;
    while (insns.length < MAX_BLOCK_INSNS) {
      const insn = this.decoder.decode(src.u8, off, pageEnd, addr);
      if (insn === null) break;
      insns.push(insn);
      addr = insn.next;
      off += insn.len;
      if (this.decoder.flow) {
        flow = true;
        break;
      }
      if (off >= pageEnd) break;
    }
    if (insns.length === 0) return this.crossPage(src, rip);
    const block = new Block(rip, insns, flow);
    this.blocks.set(phys, block);
    const frame = Math.floor(phys / 4096);
    let list = this.byFrame.get(frame);
    if (list === undefined) {
      list = [];
      this.byFrame.set(frame, list);
      this.markCode(frame);
    }
    list.push(block);
    return block;
  }

  /**
   * An instruction that straddles two pages is decoded from a copy of its
   * bytes every time it runs and never cached, so a write to either page
   * needs no tracking.
   */
  private crossPage(src: CodeSource, rip: number): Block {
    const n = 15;
    for (let k = 0; k < n; k++) {
      try {
        const off = src.fetchOffset(rip + k); // first: it may grow memory
        this.scratch[k] = src.u8[off];
      } catch (e) {
        if (k === 0) throw e;
        const insn = this.decoder.decode(this.scratch, 0, k, rip);
        if (insn !== null) return new Block(rip, [insn], this.decoder.flow, false);
        throw e;
      }
    }
    const insn = this.decoder.decode(this.scratch, 0, n, rip);
    return new Block(rip, [insn!], this.decoder.flow, false);
  }

  /** Drops every block decoded from a frame (its bytes were written). */
  invalidateFrame(frame: number): void {
    const list = this.byFrame.get(frame);
    if (list === undefined) return;
    for (const block of list) {
      block.valid = false;
      const phys = frame * 4096 + (block.addr % 4096);
      if (this.blocks.get(phys) === block) this.blocks.delete(phys);
    }
    this.byFrame.delete(frame);
  }

  /** Drops everything (new address space, restore). */
  clear(): void {
    this.blocks.clear();
    this.byFrame.clear();
  }
}
