import { describe, expect, it } from 'vitest';
import { FLAG_AF, FLAG_CF, FLAG_OF, FLAG_SF, FLAG_ZF } from '../../../src/cpu/flags.ts';
import { DATA_ADDR, reg64 } from '../machine.ts';
import { R, run, runFault, STATUS, Vector } from './run.ts';

describe('shifts and rotates', () => {
  it('shl r64, imm moves bits across the 32-bit halves and sets CF from the last bit out', () => {
    const m = run([0x48, 0xc1, 0xe0, 0x21], { rax: 0x18000000fn });
    expect(reg64(m.cpu, R.rax)).toBe(0x1e00000000n);
    expect(m.cpu.getFlags() & (FLAG_CF | FLAG_SF | FLAG_ZF)).toBe(FLAG_CF);
  });

  it('sar by cl keeps the sign and masks the count to 5 bits for 32-bit operands', () => {
    const m = run([0xd3, 0xf8], { rax: 0x80000000, rcx: 0x21 });
    expect(reg64(m.cpu, R.rax)).toBe(0xc0000000n);
  });

  it('a count of zero changes no flag but still clears the high half of a 32-bit register', () => {
    const m = run([0xd3, 0xe0], { rax: 0xffffffff00000001n, rcx: 0 }, FLAG_CF | FLAG_OF);
    expect(reg64(m.cpu, R.rax)).toBe(1n);
    expect(m.cpu.getFlags() & STATUS).toBe(FLAG_CF | FLAG_OF);
  });

  it('rcl through carry by 1 shifts CF in and the top bit out, with OF from the new sign', () => {
    const m = run([0xd0, 0xd0], { rax: 0x80 }, FLAG_CF);
    expect(reg64(m.cpu, R.rax) & 0xffn).toBe(0x01n);
    expect(m.cpu.getFlags() & (FLAG_CF | FLAG_OF)).toBe(FLAG_CF | FLAG_OF);
  });

  it('rcr on bytes takes its count modulo 9', () => {
    // rcr al, 10 is rcr al, 1: CF=0 goes into bit 7, bit 0 into CF.
    const m = run([0xc0, 0xd8, 0x0a], { rax: 0x03 });
    expect(reg64(m.cpu, R.rax) & 0xffn).toBe(0x01n);
    expect(m.cpu.getCF()).toBe(1);
  });

  it('rotates leave SF, ZF, AF and PF alone', () => {
    const m = run([0x48, 0xc1, 0xc2, 0x3f], { rdx: 1 }, FLAG_ZF | FLAG_AF);
    expect(reg64(m.cpu, R.rdx)).toBe(0x8000000000000000n);
    expect(m.cpu.getFlags() & (FLAG_ZF | FLAG_AF | FLAG_SF)).toBe(FLAG_ZF | FLAG_AF);
  });

  it('shld fills from the source register across halves', () => {
    const m = run([0x48, 0x0f, 0xa4, 0xd0, 0x28], {
      rax: 0x0123456789abcdefn,
      rdx: 0xfedcba9876543210n,
    });
    expect(reg64(m.cpu, R.rax)).toBe(0xabcdeffedcba9876n);
  });

  it('shrd by cl shifts a 16-bit operand right, filling from the source', () => {
    const m = run([0x66, 0x0f, 0xad, 0xd0], { rax: 0x1234, rdx: 0xabcd, rcx: 4 });
    expect(reg64(m.cpu, R.rax) & 0xffffn).toBe(0xd123n);
  });

  it('a memory shift faults on a read-only page before changing anything', () => {
    runFault([0xd1, 0x2c, 0x25, 0, 0, 0x40, 0], Vector.PF, { rax: 0 });
  });

  it('shifts a memory operand in place', () => {
    // mov dword [rbx], 0x10; shr dword [rbx], 1; mov eax, [rbx]
    const m = run([0xc7, 0x03, 0x10, 0, 0, 0, 0xd1, 0x2b, 0x8b, 0x03], { rbx: DATA_ADDR });
    expect(reg64(m.cpu, R.rax)).toBe(8n);
  });

  it('lock on a shift is an invalid opcode', () => {
    runFault([0xf0, 0x48, 0xc1, 0xe0, 0x04], Vector.UD);
  });
});
