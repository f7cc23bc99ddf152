import { TLB_MASK } from '../cpu-memory.ts';
import { LAZY_LOGIC } from '../flags.ts';
import { SEG_NONE, type Insn } from '../insn.ts';
import { conditionFrom, EAGER } from './conditions.ts';

/**
 * The code buffer of one block being compiled, with the pieces every
 * instruction template uses: register operands, effective addresses, memory
 * accesses through inline TLB fast paths, and the compile-time record of
 * where the arithmetic flags are.
 *
 * Locals of the generated function: R regs; RT/RB, WT/WB the read and write
 * TLBs; DV/U8 views of guest memory (reloaded after any call that may grow
 * it); a address; o, s page offset and TLB slot; x/xh, y/yh operands; v/vh
 * result; t scratch; k index of the instruction that may fault; FL, FA...
 * the pending flags (see conditions.ts); I the block's Insn array, P the
 * parity table, M the runtime helpers.
 */

/** Flags are current in the CPU object (nothing pending in locals). */
const IN_CPU = -1;
/** The last flag writer's flags are never read: nothing was recorded. */
const DEAD = -2;

/** The ~mask of the six arithmetic flags, for eager updates of eflags. */
const NOT_ARITH = ~0x8d5;

export class Emitter {
  private readonly out: string[] = [];
  /** Index of the instruction being compiled. */
  k = 0;
  /** Number of instructions in the block. */
  readonly count: number;
  /** `lop` of the pending flags in locals, IN_CPU or DEAD. */
  private flags = IN_CPU;

  constructor(count: number) {
    this.count = count;
  }

  /** Appends a statement. */
  emit(code: string): void {
    this.out.push(code);
  }

  /** The body emitted so far. */
  body(): string {
    return this.out.join('\n');
  }

  /** Reads register r at `size` (low half for 8), as an expression. */
  reg(r: number, size: number): string {
    switch (size) {
      case 8:
      case 4:
        return `R[${2 * r}]`;
      case 2:
        return `(R[${2 * r}] & 0xffff)`;
      default:
        return r < 16 ? `(R[${2 * r}] & 0xff)` : `((R[${2 * (r - 16)}] >> 8) & 0xff)`;
    }
  }

  /** High half of a 64-bit register. */
  regHi(r: number): string {
    return `R[${2 * r + 1}]`;
  }

  /** Writes register r at `size` from expressions (hi used at size 8). */
  setReg(r: number, size: number, lo: string, hi: string): void {
    switch (size) {
      case 8:
        this.emit(`R[${2 * r}] = ${lo}; R[${2 * r + 1}] = ${hi};`);
        return;
      case 4:
        this.emit(`R[${2 * r}] = ${lo}; R[${2 * r + 1}] = 0;`);
        return;
      case 2:
        this.emit(`R[${2 * r}] = (R[${2 * r}] & -65536) | (${lo} & 0xffff);`);
        return;
      default:
        if (r < 16) this.emit(`R[${2 * r}] = (R[${2 * r}] & -256) | (${lo} & 0xff);`);
        else {
          const q = 2 * (r - 16);
          this.emit(`R[${q}] = (R[${q}] & -65281) | ((${lo} & 0xff) << 8);`);
        }
    }
  }

  /** Marks the current instruction as one that may fault. */
  mayFault(): void {
    this.emit(`k = ${this.k};`);
  }

  /** Emits `a = <effective address of i's memory operand>`. */
  address(i: Insn): void {
    const full = (r: number): string => `(R[${2 * r + 1}] * 4294967296 + (R[${2 * r}] >>> 0))`;
    if (i.asize === 4 || i.seg !== SEG_NONE) {
      this.emit(`a = I[${this.k}].eaf(cpu, I[${this.k}]);`);
      return;
    }
    const terms: string[] = [];
    if (i.base >= 0) terms.push(full(i.base));
    if (i.index >= 0) terms.push(i.scale === 1 ? full(i.index) : `${full(i.index)} * ${i.scale}`);
    if (i.disp !== 0 || terms.length === 0) terms.push(String(i.disp));
    this.emit(`a = ${terms.join(' + ')};`);
  }

  private slot(): void {
    this.emit(`o = a & 4095; s = (a >>> 12) & ${TLB_MASK};`);
  }

  /** Loads `size` bytes at `a` into v (and vh at size 8). */
  load(size: number): void {
    this.slot();
    const fast = `RT[s] === a - o && o <= ${4096 - size}`;
    const reload = 'DV = cpu.dv; U8 = cpu.u8;';
    switch (size) {
      case 1:
        this.emit(`if (RT[s] === a - o) v = U8[RB[s] + o]; else { v = cpu.read8(a); ${reload} }`);
        return;
      case 2:
        this.emit(`if (${fast}) v = DV.getUint16(RB[s] + o, true);`);
        this.emit(`else { v = cpu.read16(a); ${reload} }`);
        return;
      case 4:
        this.emit(`if (${fast}) v = DV.getInt32(RB[s] + o, true);`);
        this.emit(`else { v = cpu.read32(a); ${reload} }`);
        return;
      default:
        this.emit(
          `if (${fast}) { t = RB[s] + o; v = DV.getInt32(t, true); ` +
            'vh = DV.getInt32(t + 4, true); }',
        );
        this.emit(`else { v = cpu.read64(a); vh = cpu.hi; ${reload} }`);
    }
  }

  /**
   * Faults now, before anything changes, if `size` bytes at `a` are not
   * writable (the read-modify-write forms read first, then probe).
   */
  probe(size: number): void {
    this.slot();
    this.emit(
      `if (!(WT[s] === a - o && o <= ${4096 - size})) ` +
        `{ cpu.probeWrite(a, ${size}); DV = cpu.dv; U8 = cpu.u8; }`,
    );
  }

  /** Stores `size` bytes of lo (and hi at size 8) at `a`. */
  store(size: number, lo: string, hi: string): void {
    this.slot();
    const fast = `WT[s] === a - o && o <= ${4096 - size}`;
    const reload = 'DV = cpu.dv; U8 = cpu.u8;';
    switch (size) {
      case 1:
        this.emit(
          `if (WT[s] === a - o) U8[WB[s] + o] = ${lo}; else { cpu.write8(a, ${lo}); ${reload} }`,
        );
        return;
      case 2:
        this.emit(`if (${fast}) DV.setUint16(WB[s] + o, ${lo}, true);`);
        this.emit(`else { cpu.write16(a, ${lo}); ${reload} }`);
        return;
      case 4:
        this.emit(`if (${fast}) DV.setInt32(WB[s] + o, ${lo}, true);`);
        this.emit(`else { cpu.write32(a, ${lo}); ${reload} }`);
        return;
      default:
        this.emit(
          `if (${fast}) { t = WB[s] + o; DV.setInt32(t, ${lo}, true); ` +
            `DV.setInt32(t + 4, ${hi}, true); }`,
        );
        this.emit(`else { cpu.write64(a, ${lo}, ${hi}); ${reload} }`);
    }
  }

  /**
   * After an instruction that wrote memory or ran a handler: a write that hit
   * decoded code (or a handler that stopped the CPU) sets cpu.limit to 0,
   * and the block ends after this instruction, as in the interpreter.
   */
  checkStop(): void {
    if (this.k === this.count - 1) return;
    this.emit(`if (cpu.limit === 0) { ${this.flushCode()} return ${this.k + 1}; }`);
  }

  /**
   * Records a lazy flag operation: `lop` with operands and result given as
   * expressions. Nothing is emitted when the flags are dead.
   */
  lazyFlags(
    live: boolean,
    lop: number,
    a: string,
    aHi: string,
    b: string,
    bHi: string,
    r: string,
    rHi: string,
    cf?: string,
  ): void {
    if (!live) {
      this.flags = DEAD;
      return;
    }
    let code =
      `FL = ${lop}; FA = ${a}; FAH = ${aHi}; FB = ${b}; FBH = ${bHi}; ` +
      `FR = ${r}; FRH = ${rHi};`;
    if (lop >> 2 !== LAZY_LOGIC) code += ` FC = ${cf ?? '0'};`;
    this.emit(code);
    this.flags = lop;
  }

  /** Records eager flag bits (an expression for all six arithmetic flags). */
  eagerFlags(live: boolean, bits: string): void {
    if (!live) {
      this.flags = DEAD;
      return;
    }
    this.emit(`FL = 0; FE = ${bits};`);
    this.flags = EAGER;
  }

  /** Code that writes pending flags to the CPU (without changing what is pending). */
  flushCode(): string {
    if (this.flags === IN_CPU || this.flags === DEAD) return '';
    if (this.flags === EAGER)
      return `cpu.lop = 0; cpu.eflags = (cpu.eflags & ${NOT_ARITH}) | FE; FL = -1;`;
    let code =
      `cpu.lop = ${this.flags}; cpu.la = FA; cpu.laHi = FAH; cpu.lb = FB; cpu.lbHi = FBH; ` +
      'cpu.lr = FR; cpu.lrHi = FRH;';
    if (this.flags >> 2 !== LAZY_LOGIC) code += ' cpu.lcf = FC;';
    return code + ' FL = -1;';
  }

  /** Writes pending flags to the CPU: before a handler call, or at the block's end. */
  flush(): void {
    const code = this.flushCode();
    if (code !== '') this.emit(code);
    if (this.flags !== DEAD) this.flags = IN_CPU;
  }

  /** The flags now live in the CPU object (a handler changed them). */
  flagsInCpu(): void {
    this.flags = IN_CPU;
  }

  /** A boolean expression for condition code cc at this point. */
  condition(cc: number): string {
    this.checkNotDead();
    if (this.flags >= 0) {
      const fused = conditionFrom(this.flags, cc);
      if (fused !== null) return fused;
      this.flush();
    }
    return `cpu.cond(${cc})`;
  }

  /** The liveness pass guarantees that dead flags are never read. */
  private checkNotDead(): void {
    if (this.flags === DEAD) throw new Error('compiled code would read flags it did not record');
  }

  /** An expression for CF as 0 or 1 (inc/dec keep it). */
  carry(): string {
    this.checkNotDead();
    if (this.flags >= 0) {
      const fused = conditionFrom(this.flags, 2);
      if (fused !== null) return `(${fused} ? 1 : 0)`;
      this.flush();
    }
    return 'cpu.getCF()';
  }

  /** Falls back to the instruction's interpreter handler. */
  callHandler(): void {
    this.mayFault();
    this.flush();
    this.emit(`I[${this.k}].exec(cpu, I[${this.k}]); DV = cpu.dv; U8 = cpu.u8;`);
    this.flagsInCpu();
    this.checkStop();
  }
}
