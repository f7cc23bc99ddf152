import { describe, expect, it } from 'vitest';
import { DATA_ADDR, reg64 } from '../machine.ts';
import { R, run, runFault, Vector } from './run.ts';

/** mov [rbx], rdx; then the instruction under test. */
const STORE_RDX = [0x48, 0x89, 0x13];

function qword(m: ReturnType<typeof run>, a: number): bigint {
  return new DataView(m.space.readBytes(a, 8).buffer).getBigUint64(0, true);
}

describe('atomic instructions', () => {
  it('lock cmpxchg stores the source when memory equals rax', () => {
    const m = run([...STORE_RDX, 0xf0, 0x48, 0x0f, 0xb1, 0x0b], {
      rbx: DATA_ADDR,
      rdx: 0x1234,
      rax: 0x1234,
      rcx: 0x5678,
    });
    expect(qword(m, DATA_ADDR)).toBe(0x5678n);
    expect(m.cpu.getZF()).toBe(1);
  });

  it('cmpxchg loads rax from memory when they differ', () => {
    const m = run([...STORE_RDX, 0x48, 0x0f, 0xb1, 0x0b], {
      rbx: DATA_ADDR,
      rdx: 0x1234,
      rax: 0x1,
      rcx: 0x5678,
    });
    expect(qword(m, DATA_ADDR)).toBe(0x1234n);
    expect(reg64(m.cpu, R.rax)).toBe(0x1234n);
    expect(m.cpu.getZF()).toBe(0);
  });

  it('lock with a register destination is an invalid opcode', () => {
    runFault([0xf0, 0x48, 0x0f, 0xb1, 0xc8], Vector.UD);
  });

  it('xadd exchanges and adds through memory', () => {
    const m = run([...STORE_RDX, 0xf0, 0x48, 0x0f, 0xc1, 0x0b], {
      rbx: DATA_ADDR,
      rdx: 40,
      rcx: 2,
    });
    expect(qword(m, DATA_ADDR)).toBe(42n);
    expect(reg64(m.cpu, R.rcx)).toBe(40n);
  });

  it('cmpxchg16b swaps 16 aligned bytes when rdx:rax matches', () => {
    // mov [rbx], rdx; mov [rbx+8], rdx; lock cmpxchg16b [rbx]
    const m = run([...STORE_RDX, 0x48, 0x89, 0x53, 0x08, 0xf0, 0x48, 0x0f, 0xc7, 0x0b], {
      rbx: DATA_ADDR,
      rdx: 7,
      rax: 7,
      rcx: 0xc,
    });
    // The new value is rcx:rbx, and rbx holds the address itself.
    expect(qword(m, DATA_ADDR)).toBe(BigInt(DATA_ADDR));
    expect(qword(m, DATA_ADDR + 8)).toBe(0xcn);
    expect(m.cpu.getZF()).toBe(1);
  });

  it('cmpxchg16b on a misaligned operand raises #GP', () => {
    runFault([0x48, 0x0f, 0xc7, 0x0b], Vector.GP, { rbx: DATA_ADDR + 8 });
  });

  it('cmpxchg8b loads edx:eax with the memory value when it differs', () => {
    const m = run([...STORE_RDX, 0x0f, 0xc7, 0x0b], {
      rbx: DATA_ADDR,
      rdx: 0x1111111122222222n,
      rax: 0xffffffff00000000n,
    });
    expect(reg64(m.cpu, R.rax)).toBe(0x22222222n);
    expect(reg64(m.cpu, R.rdx)).toBe(0x11111111n);
    expect(m.cpu.getZF()).toBe(0);
  });
});
