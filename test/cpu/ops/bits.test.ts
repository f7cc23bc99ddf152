import { describe, expect, it } from 'vitest';
import { FLAG_CF, FLAG_ZF } from '../../../src/cpu/flags.ts';
import { DATA_ADDR, reg64 } from '../machine.ts';
import { R, run, runFault, Vector } from './run.ts';

describe('bit tests', () => {
  it('bt r64, r64 tests a bit in the high half and changes only CF', () => {
    const m = run([0x48, 0x0f, 0xa3, 0xc8], { rax: 1n << 40n, rcx: 40 + 64 }, FLAG_ZF);
    expect(m.cpu.getFlags() & (FLAG_CF | FLAG_ZF)).toBe(FLAG_CF | FLAG_ZF);
  });

  it('bts with a negative register offset addresses memory before the operand', () => {
    // bts [rbx], rcx with rcx = -1: bit 7 of the byte before rbx.
    const m = run([0x48, 0x0f, 0xab, 0x0b], { rbx: DATA_ADDR + 0x100, rcx: -1n });
    expect(m.space.readBytes(DATA_ADDR + 0xff, 1)[0]).toBe(0x80);
    expect(m.cpu.getCF()).toBe(0);
  });

  it('btc with a large positive offset reaches far past the operand', () => {
    const m = run([0x0f, 0xbb, 0x0b], { rbx: DATA_ADDR, rcx: 0x8003 });
    expect(m.space.readBytes(DATA_ADDR + 0x1000, 1)[0]).toBe(0x08);
  });

  it('btr with an immediate wraps the offset within the operand', () => {
    const m = run([0x48, 0x0f, 0xba, 0xf0, 0x7f], { rax: -1n });
    expect(reg64(m.cpu, R.rax)).toBe(0x7fffffffffffffffn);
    expect(m.cpu.getCF()).toBe(1);
  });

  it('lock bt is an invalid opcode, lock bts on a register too', () => {
    runFault([0xf0, 0x0f, 0xa3, 0x0b], Vector.UD, { rbx: DATA_ADDR });
    runFault([0xf0, 0x0f, 0xab, 0xc8], Vector.UD);
  });

  it('lock bts on memory is accepted', () => {
    const m = run([0xf0, 0x0f, 0xab, 0x0b], { rbx: DATA_ADDR, rcx: 9 });
    expect(m.space.readBytes(DATA_ADDR + 1, 1)[0]).toBe(0x02);
  });
});

describe('bit scans and counts', () => {
  it('bsf and bsr find the lowest and highest set bits', () => {
    const m = run([0x48, 0x0f, 0xbc, 0xc1, 0x48, 0x0f, 0xbd, 0xd1], { rcx: 0x0010000000000100n });
    expect(reg64(m.cpu, R.rax)).toBe(8n);
    expect(reg64(m.cpu, R.rdx)).toBe(52n);
  });

  it('a zero source sets ZF and leaves the whole destination unchanged', () => {
    const m = run([0x0f, 0xbc, 0xc1], { rax: 0xdeadbeefcafef00dn, rcx: 0 });
    expect(reg64(m.cpu, R.rax)).toBe(0xdeadbeefcafef00dn);
    expect(m.cpu.getZF()).toBe(1);
  });

  it('F3 0F BC and F3 0F BD act as bsf and bsr while tzcnt and lzcnt are not advertised', () => {
    const m = run([0xf3, 0x48, 0x0f, 0xbd, 0xc1, 0xf3, 0x48, 0x0f, 0xbc, 0xd3], {
      rcx: 1,
      rbx: 0,
      rdx: 77,
    });
    expect(reg64(m.cpu, R.rax)).toBe(0n);
    expect(reg64(m.cpu, R.rdx)).toBe(77n);
    expect(m.cpu.getZF()).toBe(1);
  });

  it('popcnt counts set bits across both halves and clears CF', () => {
    const m = run([0xf3, 0x48, 0x0f, 0xb8, 0xc1], { rcx: 0xf00000000000000fn }, FLAG_CF);
    expect(reg64(m.cpu, R.rax)).toBe(8n);
    expect(m.cpu.getFlags() & (FLAG_CF | FLAG_ZF)).toBe(0);
  });

  it('popcnt of zero sets ZF', () => {
    const m = run([0xf3, 0x0f, 0xb8, 0xc1], { rcx: 0, rax: 5 });
    expect(reg64(m.cpu, R.rax)).toBe(0n);
    expect(m.cpu.getZF()).toBe(1);
  });

  it('bswap reverses 64 and 32-bit registers', () => {
    const m = run([0x48, 0x0f, 0xc8, 0x0f, 0xc9], {
      rax: 0x0102030405060708n,
      rcx: 0xffffffff11223344n,
    });
    expect(reg64(m.cpu, R.rax)).toBe(0x0807060504030201n);
    expect(reg64(m.cpu, R.rcx)).toBe(0x44332211n);
  });
});
