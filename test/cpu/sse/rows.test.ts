// Behaviour of the SSE rows run through the Cpu from real instruction bytes:
// the fault rules (#XM leaves the destination unchanged, #GP on misaligned
// operands and reserved MXCSR bits, #UD for MMX forms) and the agreement of
// every row with the opcode shapes the length decoder uses. Results of each
// instruction are checked against the host in test/diff/sse.test.ts.
import { describe, expect, it } from 'vitest';
import { Cpu, Exit } from '../../../src/cpu/cpu.ts';
import { Vector } from '../../../src/cpu/fault.ts';
import { ALL_ROWS } from '../../../src/cpu/isa.ts';
import { SHAPES, SH_IMM_MASK, SH_MODRM } from '../../../src/cpu/opcode-shapes.ts';
import { SSE_ROWS } from '../../../src/cpu/sse/rows.ts';
import { OpTable } from '../../../src/cpu/table.ts';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/mm/address-space.ts';
import { MemoryFile } from '../../../src/mm/memory-file.ts';

const CODE = 0x400000;
const DATA = 0x600000;
const table = new OpTable([...ALL_ROWS.filter((rows) => rows !== SSE_ROWS), SSE_ROWS]);

function machine(code: number[]): { cpu: Cpu; space: AddressSpace } {
  const space = new AddressSpace(new MemoryFile(16 * 1024 * 1024));
  space.map(CODE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
  space.writeBytes(CODE, Uint8Array.from([...code, 0xf4]));
  space.map(DATA, 0x10000, PROT_READ | PROT_WRITE);
  const cpu = new Cpu(table);
  cpu.attach(space);
  cpu.rip = CODE;
  cpu.regs[6] = DATA; // rbx
  return { cpu, space };
}

describe('SSE rows', () => {
  it('agree with the opcode shapes on ModRM and immediates', () => {
    for (const row of SSE_ROWS) {
      const shape = SHAPES[row.map][row.op];
      expect((shape & SH_MODRM) !== 0, row.name).toBe(row.modrm ?? true);
      expect((shape & SH_IMM_MASK) !== 0, row.name).toBe(row.imm !== undefined);
    }
  });

  it('leave the destination unchanged and set the flag when an exception is unmasked', () => {
    const { cpu } = machine([0x0f, 0x5e, 0xc1]); // divps xmm0, xmm1
    cpu.mxcsr = 0x1f80 & ~0x200; // unmask divide-by-zero
    cpu.xmmF32.set([1, 2, 3, 4], 0);
    cpu.xmmF32.set([1, 0, 1, 1], 4);
    expect(cpu.run(10)).toBe(Exit.FAULT);
    expect(cpu.fault?.vector).toBe(Vector.XM);
    expect(Array.from(cpu.xmmF32.subarray(0, 4))).toEqual([1, 2, 3, 4]);
    expect(cpu.mxcsr & 0x3f).toBe(0x4);
    expect(cpu.rip).toBe(CODE);
  });

  it('commit all lanes and record masked flags in MXCSR', () => {
    const { cpu } = machine([0x0f, 0x5e, 0xc1]);
    cpu.xmmF32.set([1, 2, 3, 4], 0);
    cpu.xmmF32.set([3, 0, 1, 1], 4);
    expect(cpu.run(10)).toBe(Exit.HALT);
    expect(Array.from(cpu.xmmF32.subarray(0, 4))).toEqual([Math.fround(1 / 3), Infinity, 3, 4]);
    expect(cpu.mxcsr).toBe(0x1f80 | 0x4 | 0x20);
  });

  it('raise #GP for a misaligned operand of an aligned form but not for movups', () => {
    const aligned = machine([0x0f, 0x28, 0x43, 0x01]); // movaps xmm0, [rbx+1]
    expect(aligned.cpu.run(10)).toBe(Exit.FAULT);
    expect(aligned.cpu.fault?.vector).toBe(Vector.GP);
    const unaligned = machine([0x0f, 0x10, 0x43, 0x01]); // movups xmm0, [rbx+1]
    expect(unaligned.cpu.run(10)).toBe(Exit.HALT);
  });

  it('raise #GP when ldmxcsr would set a reserved bit, and load valid values', () => {
    const bad = machine([0x0f, 0xae, 0x13]); // ldmxcsr [rbx]
    bad.space.writeBytes(DATA, Uint8Array.from([0x80, 0x1f, 0x01, 0x00]));
    expect(bad.cpu.run(10)).toBe(Exit.FAULT);
    expect(bad.cpu.fault?.vector).toBe(Vector.GP);
    const good = machine([0x0f, 0xae, 0x13, 0x0f, 0xae, 0x5b, 0x04]); // ldmxcsr; stmxcsr [rbx+4]
    good.space.writeBytes(DATA, Uint8Array.from([0xc0, 0x7f, 0x00, 0x00]));
    expect(good.cpu.run(10)).toBe(Exit.HALT);
    expect(good.cpu.mxcsr).toBe(0x7fc0);
    expect(good.cpu.read32(DATA + 4)).toBe(0x7fc0);
  });

  it('raise #UD for the MMX register forms they do not implement', () => {
    const { cpu } = machine([0x0f, 0xef, 0xc1]); // pxor mm0, mm1
    expect(cpu.run(10)).toBe(Exit.FAULT);
    expect(cpu.fault?.vector).toBe(Vector.UD);
  });

  it('set ZF, PF and CF for an unordered comiss and raise IE', () => {
    const { cpu } = machine([0x0f, 0x2f, 0xc1]); // comiss xmm0, xmm1
    cpu.xmm[0] = 0x7fc00000;
    cpu.xmmF32[4] = 1;
    expect(cpu.run(10)).toBe(Exit.HALT);
    expect(cpu.getFlags() & 0x8d5).toBe(0x45);
    expect(cpu.mxcsr & 1).toBe(1);
  });
});
