/**
 * The Amber side of a differential run: each case runs on a fresh Cpu over a
 * fresh address space with the harness's layout (code page, data region,
 * nothing else mapped), from the case's state, until the `hlt` placed after
 * its bytes.
 */
import { Cpu, Exit } from '../../src/cpu/cpu.ts';
import { instructionTable } from '../../src/cpu/isa.ts';
import type { OpTable } from '../../src/cpu/table.ts';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/mm/address-space.ts';
import { MemoryFile } from '../../src/mm/memory-file.ts';
import { caseData, caseFlags, caseFxImage, caseGprs, type DiffCase } from './case.ts';
import { CODE_BASE, CODE_SIZE, DATA_BASE, DATA_SIZE, FX } from './layout.ts';
import type { FinalState } from './state.ts';

/** Instructions a case may run on Amber before it counts as looping. */
const BUDGET = 1_000_000;

/**
 * The optional FXSAVE-image interface of the x87 state. While X87State lacks
 * it, only FCW and FSW are carried over and the tag byte reads as empty.
 */
interface FxsaveCapable {
  fxsave?(image: Uint8Array): void;
  fxrstor?(image: Uint8Array): void;
}

/**
 * The opcode table Amber runs with. Async for the callers' sake: it used to
 * collect rows by importing the family folders.
 */
export async function loadAmberTable(): Promise<OpTable> {
  return instructionTable();
}

let file: MemoryFile | undefined;

/** Runs cases on Amber. loadAmberTable() must have been awaited. */
export function runAmber(cases: readonly DiffCase[]): FinalState[] {
  file ??= new MemoryFile(64 * 1024 * 1024);
  const table = instructionTable();
  return cases.map((c) => runOne(table, file!, c));
}

function runOne(t: OpTable, mem: MemoryFile, c: DiffCase): FinalState {
  // Lay out memory as the harness does: int3 filler, the code, then hlt.
  const space = new AddressSpace(mem);
  space.map(CODE_BASE, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
  space.map(DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE);
  const code = new Uint8Array(CODE_SIZE).fill(0xcc);
  code.set(c.code);
  code[c.code.length] = 0xf4;
  space.writeBytes(CODE_BASE, code);
  space.writeBytes(DATA_BASE, caseData(c));

  // Load the case's registers.
  const cpu = new Cpu(t);
  cpu.attach(space);
  caseGprs(c).forEach((v, r) => {
    cpu.regs[2 * r] = Number(v & 0xffffffffn) | 0;
    cpu.regs[2 * r + 1] = Number(v >> 32n) | 0;
  });
  cpu.setFlags(caseFlags(c));
  cpu.rip = CODE_BASE;
  loadFx(cpu, caseFxImage(c));

  // Run and collect.
  let exit: number;
  let crash: string | undefined;
  try {
    exit = cpu.run(BUDGET);
  } catch (e) {
    exit = -1;
    crash = `threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  }
  const state = collect(cpu, space, c, exit);
  if (crash) state.broken = crash;
  cpu.detach();
  space.unmap(CODE_BASE, CODE_SIZE);
  space.unmap(DATA_BASE, DATA_SIZE);
  return state;
}

function collect(cpu: Cpu, space: AddressSpace, c: DiffCase, exit: number): FinalState {
  const gpr: bigint[] = [];
  for (let r = 0; r < 16; r++) {
    gpr.push((BigInt(cpu.regs[2 * r + 1] >>> 0) << 32n) | BigInt(cpu.regs[2 * r] >>> 0));
  }
  const end = CODE_BASE + c.code.length;
  const state: FinalState = {
    gpr,
    rflags: cpu.getFlags(),
    fx: saveFx(cpu),
    data: space.readBytes(DATA_BASE, DATA_SIZE),
    rip: BigInt(end),
  };
  if (exit === Exit.HALT) {
    // A hlt anywhere but at the end is one the case ran into: #GP natively.
    if (cpu.rip - 1 !== end) {
      state.vector = 13;
      state.rip = BigInt(cpu.rip - 1);
    }
  } else if (exit === Exit.FAULT && cpu.fault?.vector === 6 && cpu.rip === end) {
    // The appended hlt itself is not implemented: the case still ended there.
  } else if (exit === Exit.FAULT && cpu.fault) {
    state.vector = cpu.fault.vector;
    state.rip = BigInt(cpu.rip);
    if (cpu.fault.vector === 14) state.faultAddr = BigInt(cpu.fault.address);
  } else if (exit === Exit.TRAP) {
    state.vector = cpu.trapVector;
    state.rip = BigInt(cpu.rip);
  } else if (exit === Exit.SYSCALL) {
    state.broken = 'ran a syscall instruction';
  } else if (exit === Exit.QUANTUM) {
    state.broken = `did not reach the end within ${BUDGET} instructions`;
  }
  return state;
}

function loadFx(cpu: Cpu, fx: Uint8Array): void {
  const view = new DataView(fx.buffer, fx.byteOffset);
  cpu.mxcsr = view.getUint32(FX.MXCSR, true);
  cpu.xmmU8.set(fx.subarray(FX.XMM0, FX.XMM0 + 256));
  const fpu = cpu.fpu as unknown as FxsaveCapable & { fcw: number; fsw: number };
  if (fpu.fxrstor) {
    fpu.fxrstor(fx);
  } else {
    fpu.fcw = view.getUint16(FX.FCW, true);
    fpu.fsw = view.getUint16(FX.FSW, true);
  }
}

function saveFx(cpu: Cpu): Uint8Array {
  const fx = new Uint8Array(512);
  const view = new DataView(fx.buffer);
  const fpu = cpu.fpu as unknown as FxsaveCapable & { fcw: number; fsw: number };
  if (fpu.fxsave) {
    fpu.fxsave(fx);
  } else {
    view.setUint16(FX.FCW, fpu.fcw, true);
    view.setUint16(FX.FSW, fpu.fsw, true);
  }
  view.setUint32(FX.MXCSR, cpu.mxcsr, true);
  fx.set(cpu.xmmU8, FX.XMM0);
  return fx;
}
