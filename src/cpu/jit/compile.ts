import type { CompiledBlock } from '../block-cache.ts';
import { PARITY } from '../flags.ts';
import type { Insn } from '../insn.ts';
import { Emitter } from './emitter.ts';
import { jitRuntime } from './runtime.ts';
import { template, type Template } from './template.ts';
import { aluTemplate } from './templates-alu.ts';
import { flowTemplate } from './templates-flow.ts';
import { moveTemplate } from './templates-move.ts';
import { mulTemplate } from './templates-mul.ts';

/**
 * The block compiler: turns a hot decoded block into one JavaScript function
 * (through `new Function`) whose body is the block's instructions as
 * straight-line code over the register file, with inline TLB fast paths for
 * memory and lazy flags kept in locals. Instructions without a template call
 * their interpreter handler, so every instruction still works.
 *
 * What stays exact, as in the interpreter (Cpu.run):
 * - the run loop enters a compiled block only when the budget covers all of
 *   it, and the function returns how many instructions retired;
 * - before each instruction that may fault the function stores its index
 *   in a local; on a fault the catch writes pending flags back and sets
 *   cpu.jitAt, and the instruction's own effects are not yet applied
 *   (templates read and probe memory before changing anything);
 * - after a write that reaches decoded code, or a handler that stopped the
 *   CPU (cpu.limit is 0), the block returns after that instruction;
 * - flags are recorded only where something may observe them: a later read,
 *   a possible fault, a handler call or the block's end.
 */

/** Every instruction without a template: call its handler. */
const handler: Template = template(true, false, true, (e) => e.callHandler());

/** The template that compiles `i`. */
function templateOf(i: Insn): Template {
  if (i.lock || i.name.startsWith('(')) return handler;
  return aluTemplate(i) ?? moveTemplate(i) ?? mulTemplate(i) ?? flowTemplate(i) ?? handler;
}

/**
 * Liveness of each instruction's flag results, from the end backwards: the
 * flags are live after the last instruction (the next block may read them)
 * and before any instruction that reads them or may fault; an instruction
 * that replaces them all makes earlier values dead.
 */
function flagLiveness(insns: readonly Insn[], plan: readonly Template[]): [boolean[], boolean] {
  const live = new Array<boolean>(insns.length);
  let needed = true;
  for (let k = insns.length - 1; k >= 0; k--) {
    live[k] = needed;
    const t = plan[k];
    const faults = t.mayFault && (insns[k].modrm < 0 || insns[k].rm < 0 || t === handler);
    if (t.writesFlags) needed = false;
    if (t.readsFlags || faults) needed = true;
  }
  return [live, needed];
}

const PROLOGUE = [
  'const R = cpu.regs, RT = cpu.rtag, RB = cpu.rbase, WT = cpu.wtag, WB = cpu.wbase;',
  'let DV = cpu.dv, U8 = cpu.u8;',
  'let FL = -1, FA = 0, FAH = 0, FB = 0, FBH = 0, FR = 0, FRH = 0, FC = 0, FE = 0;',
  'let k = 0, a = 0, o = 0, s = 0, t = 0, c = 0, v = 0, vh = 0, x = 0, xh = 0, y = 0, yh = 0;',
  'try {',
].join('\n');

/** On a fault: write back pending flags, say where it happened, rethrow. */
const EPILOGUE = [
  '} catch (e) {',
  '  if (FL > 0) {',
  '    cpu.lop = FL; cpu.la = FA; cpu.laHi = FAH; cpu.lb = FB; cpu.lbHi = FBH;',
  '    cpu.lr = FR; cpu.lrHi = FRH; if (FL >> 2 !== 5) cpu.lcf = FC;',
  '  } else if (FL === 0) {',
  `    cpu.lop = 0; cpu.eflags = (cpu.eflags & ${~0x8d5}) | FE;`,
  '  }',
  '  cpu.jitAt = k;',
  '  throw e;',
  '}',
].join('\n');

/**
 * The JavaScript source of a block's function body. A block whose last
 * instruction branches back to its start loops inside the function for as
 * long as the budget covers another whole pass, no write hit code and no
 * TLB flush happened (the run loop would follow the same link); each
 * finished pass but the last is added to cpu.icount right away, so that
 * handlers see the count the interpreter would show them.
 */
export function blockSource(insns: readonly Insn[]): string {
  const plan = insns.map(templateOf);
  const [live, liveIn] = flagLiveness(insns, plan);
  const len = insns.length;
  const loops = insns[len - 1].target === insns[0].addr && insns[0].addr !== 0;
  const e = new Emitter(len);
  if (loops) e.emit('const G = cpu.tlbGen;\nfor (;;) {');
  for (let k = 0; k < len; k++) {
    e.k = k;
    e.emit(`// ${insns[k].name} @${insns[k].addr.toString(16)}`);
    plan[k].emit(e, insns[k], live[k]);
  }
  if (loops) {
    // When the block replaces the flags before it can observe them, the
    // next pass needs nothing from this one: they are written back on exit
    // only (the catch writes back whatever is pending).
    let exit = '';
    if (liveIn) e.flush();
    else exit = e.flushCode();
    const again = `cpu.rip === ${insns[0].addr} && cpu.limit !== 0 && cpu.tlbGen === G`;
    e.emit(`if (!(${again}) || (budget -= ${len}) < ${len}) { ${exit} return ${len}; }`);
    e.emit(`cpu.icount += ${len};\n}`);
  } else {
    e.flush();
    e.emit(`return ${len};`);
  }
  return `${PROLOGUE}\n${e.body()}\n${EPILOGUE}`;
}

/**
 * Compiles a block, or returns null when the host refuses to compile
 * JavaScript at run time (then the block stays interpreted).
 */
export function compileBlock(insns: Insn[]): CompiledBlock | null {
  try {
    const name = `block_${insns[0].addr.toString(16)}`;
    const factory = new Function(
      'I',
      'P',
      'M',
      `return function ${name}(cpu, budget) {\n${blockSource(insns)}\n};`,
    ) as (i: Insn[], p: Uint8Array, m: typeof jitRuntime) => CompiledBlock;
    return factory(insns, PARITY, jitRuntime);
  } catch {
    return null;
  }
}
