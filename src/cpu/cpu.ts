import { Block, BlockCache } from './block-cache.ts';
import { CpuFlags } from './cpu-flags.ts';
import { Decoder } from './decoder.ts';
import { CpuFault } from './fault.ts';
import type { Insn } from './insn.ts';
import { compileBlock } from './jit/compile.ts';
import { jitOptions } from './jit/options.ts';
import type { PageTranslator } from './mmu.ts';
import type { OpTable } from './table.ts';
import { X87State } from './x87/state.ts';

/** Why Cpu.run returned. */
export const Exit = {
  /** The instruction budget is spent. */
  QUANTUM: 0,
  /** A `syscall` instruction: RIP is past it, the kernel serves the call. */
  SYSCALL: 1,
  /** A fault: `cpu.fault` holds it and RIP is at the faulting instruction. */
  FAULT: 2,
  /** A `hlt` instruction (a #GP in user mode on real hardware). RIP is past it. */
  HALT: 3,
  /** An `int3` or `int n`: `cpu.trapVector` holds n, RIP is past it. */
  TRAP: 4,
} as const;

/**
 * One x86-64 hardware thread in user mode: registers, flags, SSE and x87
 * state, and the run loop over cached decoded blocks. It knows nothing of
 * Linux: it runs until a system call, a fault, a halt or the end of its
 * instruction budget, and says which.
 *
 * Saved in a snapshot: registers, RIP, flags (materialised), FS/GS bases,
 * SSE and x87 state and the instruction count. Not saved: TLBs and decoded
 * blocks, rebuilt on demand after a restore.
 */
export class Cpu extends CpuFlags {
  /** General-purpose registers as 32-bit halves: [2r] low, [2r+1] high. */
  readonly regs = new Int32Array(32);
  rip = 0;
  fsBase = 0;
  gsBase = 0;
  /** xmm0-15, four dwords each, with float and byte views of the same bytes. */
  readonly xmm = new Int32Array(64);
  readonly xmmF32 = new Float32Array(this.xmm.buffer);
  readonly xmmF64 = new Float64Array(this.xmm.buffer);
  readonly xmmU8 = new Uint8Array(this.xmm.buffer);
  readonly xmmU16 = new Uint16Array(this.xmm.buffer);
  mxcsr = 0x1f80;
  readonly fpu = new X87State();
  /** Instructions retired since creation. */
  icount = 0;
  /** The fault that ended the last run, when it returned Exit.FAULT. */
  fault: CpuFault | null = null;
  /** The vector of the trap that ended the last run, when it returned Exit.TRAP. */
  trapVector = 0;
  /** Why the current block stopped early; 0 while none. */
  private stopReason = -1;
  /**
   * Interpreted runs after which a block is compiled (jitOptions at
   * construction; Infinity never compiles, 0 compiles on first sight).
   */
  jitThreshold = jitOptions.threshold;
  /** Set by a compiled block that faults: the index of the faulting instruction. */
  jitAt = 0;
  private readonly cache: BlockCache;

  constructor(table: OpTable) {
    super();
    this.cache = new BlockCache(new Decoder(table), (frame) => {
      if (frame >= this.codeFrames.length) this.growCodeFrames(frame + 1);
      this.codeFrames[frame] = 1;
      this.flushWriteTlb();
    });
    this.onCodeWrite = (frame) => this.cache.invalidateFrame(frame);
  }

  private growCodeFrames(n: number): void {
    const grown = new Uint8Array(Math.max(n, this.codeFrames.length * 2));
    grown.set(this.codeFrames);
    this.codeFrames = grown;
  }

  /** Connects the CPU to an address space, dropping decoded code. */
  override attach(mmu: PageTranslator): void {
    super.attach(mmu);
    this.cache.clear();
  }

  /**
   * Ends the current block after this instruction and makes run() return
   * `reason` (an Exit value). Handlers of `syscall`, `hlt`, `int` call it.
   */
  stop(reason: number): void {
    this.stopReason = reason;
    this.limit = 0;
  }

  /**
   * Runs at most `budget` instructions and returns why it stopped (Exit).
   * Exactly the instructions executed are added to `icount`; a faulting
   * instruction does not count.
   */
  run(budget: number): number {
    this.fault = null;
    this.stopReason = -1;
    let left = budget;
    let prev: Block | null = null;
    while (left > 0) {
      // Follow the link from the previous block, else look the block up.
      let block: Block | null = prev === null ? null : prev.successor(this.rip, this.tlbGen);
      if (block === null) {
        try {
          block = this.cache.lookup(this, this.rip);
        } catch (e) {
          return this.faulted(e);
        }
        if (prev !== null) prev.link(block, this.tlbGen);
      }
      const insns = block.insns;
      const len = insns.length;
      let n = 0;
      if (block.compiled !== null && len <= left) {
        // A compiled block runs whole or not at all, so the count stays exact.
        this.limit = len;
        const start = this.icount;
        try {
          n = block.compiled(this, left);
        } catch (e) {
          return this.unwind(e, insns, this.jitAt);
        }
        left -= this.icount - start; // passes of a block that loops on itself
      } else {
        if (block.runs++ >= this.jitThreshold && block.cached && block.compiled === null) {
          block.compiled = compileBlock(insns);
        }
        this.limit = len <= left ? len : left;
        try {
          for (; n < this.limit; n++) {
            const insn = insns[n];
            insn.exec(this, insn);
          }
        } catch (e) {
          return this.unwind(e, insns, n);
        }
      }
      this.icount += n;
      left -= n;
      if (this.stopReason >= 0) return this.stopReason;
      if (n < len) this.rip = insns[n].addr;
      else if (!block.terminated) this.rip = block.end;
      prev = block;
    }
    return Exit.QUANTUM;
  }

  /** Ends a run at a fault in instruction `n` of a block: the ones before it count. */
  private unwind(e: unknown, insns: Insn[], n: number): number {
    this.icount += n;
    this.rip = insns[n].addr;
    return this.faulted(e, insns[n]);
  }

  private faulted(e: unknown, insn?: Insn): number {
    if (!(e instanceof CpuFault)) throw e;
    // Addressing through RSP or RBP uses the stack segment: #SS, not #GP.
    const stack = insn !== undefined && insn.rm < 0 && (insn.base === 4 || insn.base === 5);
    this.fault = e.isNonCanonical && stack ? e.asStackFault() : e;
    return Exit.FAULT;
  }

  /**
   * Points the float and byte views at `xmm`'s buffer again, after a load
   * replaced `xmm` with the saved registers.
   */
  rebuildXmmViews(): void {
    const self = this as unknown as Record<string, unknown>;
    self.xmmF32 = new Float32Array(this.xmm.buffer);
    self.xmmF64 = new Float64Array(this.xmm.buffer);
    self.xmmU8 = new Uint8Array(this.xmm.buffer);
    self.xmmU16 = new Uint16Array(this.xmm.buffer);
  }

  /** Resets registers and flags to their state at process entry. */
  resetRegisters(): void {
    this.regs.fill(0);
    this.xmm.fill(0);
    this.mxcsr = 0x1f80;
    this.fpu.reset();
    this.setFlags(0);
    this.fsBase = 0;
    this.gsBase = 0;
  }
}
