import { describe, expect, it } from 'vitest';
import { FLAG_DF } from '../../../src/cpu/flags.ts';
import { PROT_READ, PROT_WRITE } from '../../../src/mm/address-space.ts';
import { CODE_ADDR, DATA_ADDR, DATA_SIZE, Exit, machineWith, reg64, setReg64 } from '../machine.ts';
import { R, run } from './run.ts';

const END = DATA_ADDR + DATA_SIZE;

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, k) => (k * 7 + seed) & 0xff);
}

describe('rep movs and rep stos', () => {
  it('rep movsb copies across pages in bulk and leaves the registers past the copy', () => {
    const src = bytes(0x2345, 1);
    const m = machineWith([0xf3, 0xa4]);
    m.space.writeBytes(DATA_ADDR + 0x10, src);
    setReg64(m.cpu, R.rsi, DATA_ADDR + 0x10);
    setReg64(m.cpu, R.rdi, DATA_ADDR + 0x5003);
    setReg64(m.cpu, R.rcx, src.length);
    expect(m.run()).toBe(Exit.HALT);
    expect(m.space.readBytes(DATA_ADDR + 0x5003, src.length)).toEqual(src);
    expect(reg64(m.cpu, R.rcx)).toBe(0n);
    expect(reg64(m.cpu, R.rsi)).toBe(BigInt(DATA_ADDR + 0x10 + src.length));
    expect(reg64(m.cpu, R.rdi)).toBe(BigInt(DATA_ADDR + 0x5003 + src.length));
  });

  it('an overlapping forward rep movsb repeats the pattern byte by byte', () => {
    const m = machineWith([0xf3, 0xa4]);
    m.space.writeBytes(DATA_ADDR, Uint8Array.from([1, 2, 3]));
    setReg64(m.cpu, R.rsi, DATA_ADDR);
    setReg64(m.cpu, R.rdi, DATA_ADDR + 3);
    setReg64(m.cpu, R.rcx, 3000);
    expect(m.run()).toBe(Exit.HALT);
    const out = m.space.readBytes(DATA_ADDR, 3003);
    expect(out.every((v, k) => v === (k % 3) + 1)).toBe(true);
  });

  it('an overlapping rep movsq closer than one element copies whole quadwords', () => {
    const m = machineWith([0xf3, 0x48, 0xa5]);
    const init = bytes(64, 5);
    m.space.writeBytes(DATA_ADDR, init);
    setReg64(m.cpu, R.rsi, DATA_ADDR);
    setReg64(m.cpu, R.rdi, DATA_ADDR + 4);
    setReg64(m.cpu, R.rcx, 4);
    expect(m.run()).toBe(Exit.HALT);
    // Model: each element reads 8 bytes, then writes them 4 bytes further.
    const model = Uint8Array.from(init);
    for (let k = 0; k < 4; k++) model.set(model.slice(8 * k, 8 * k + 8), 8 * k + 4);
    expect(m.space.readBytes(DATA_ADDR, 64)).toEqual(model);
  });

  it('rep stosq fills with a non-uniform pattern across a page boundary', () => {
    const m = run([0xf3, 0x48, 0xab], {
      rax: 0x0102030405060708n,
      rdi: DATA_ADDR + 0xff8,
      rcx: 600,
    });
    const out = m.space.readBytes(DATA_ADDR + 0xff8, 4800);
    const view = new DataView(out.buffer);
    for (let k = 0; k < 600; k++) expect(view.getBigUint64(8 * k, true)).toBe(0x0102030405060708n);
    expect(reg64(m.cpu, R.rdi)).toBe(BigInt(DATA_ADDR + 0xff8 + 4800));
  });

  it('rep stosb with DF set fills downwards', () => {
    const m = run([0xf3, 0xaa], { rax: 0xab, rdi: DATA_ADDR + 99, rcx: 100 }, FLAG_DF);
    expect(m.space.readBytes(DATA_ADDR, 100).every((v) => v === 0xab)).toBe(true);
    expect(reg64(m.cpu, R.rdi)).toBe(BigInt(DATA_ADDR - 1));
  });

  it('a fault in the middle of rep movsb leaves consistent registers, and rerunning finishes', () => {
    const src = bytes(0x1800, 9);
    const m = machineWith([0xf3, 0xa4]);
    m.space.writeBytes(DATA_ADDR, src);
    setReg64(m.cpu, R.rsi, DATA_ADDR);
    setReg64(m.cpu, R.rdi, END - 0x1000);
    setReg64(m.cpu, R.rcx, src.length);
    expect(m.run()).toBe(Exit.FAULT);
    expect(m.cpu.fault?.address).toBe(END);
    expect(m.cpu.rip).toBe(CODE_ADDR);
    expect(reg64(m.cpu, R.rcx)).toBe(0x800n);
    expect(reg64(m.cpu, R.rsi)).toBe(BigInt(DATA_ADDR + 0x1000));
    expect(reg64(m.cpu, R.rdi)).toBe(BigInt(END));
    m.space.map(END, 0x1000, PROT_READ | PROT_WRITE);
    expect(m.run()).toBe(Exit.HALT);
    expect(m.space.readBytes(END - 0x1000, src.length)).toEqual(src);
    expect(reg64(m.cpu, R.rcx)).toBe(0n);
  });

  it('a fault in rep stosq mid-way restarts from the element that faulted', () => {
    const m = machineWith([0xf3, 0x48, 0xab]);
    setReg64(m.cpu, R.rax, -1n);
    setReg64(m.cpu, R.rdi, END - 16);
    setReg64(m.cpu, R.rcx, 5);
    expect(m.run()).toBe(Exit.FAULT);
    expect(reg64(m.cpu, R.rcx)).toBe(3n);
    expect(reg64(m.cpu, R.rdi)).toBe(BigInt(END));
  });

  it('with a 67h prefix the string registers are 32-bit and written zero-extended', () => {
    const m = run([0x67, 0xf3, 0xaa], {
      rax: 0x5a,
      rdi: 0xffffffff00000000n + BigInt(DATA_ADDR),
      rcx: 0xffffffff00000004n,
    });
    expect(m.space.readBytes(DATA_ADDR, 4).every((v) => v === 0x5a)).toBe(true);
    expect(reg64(m.cpu, R.rdi)).toBe(BigInt(DATA_ADDR + 4));
    expect(reg64(m.cpu, R.rcx)).toBe(0n);
  });

  it('rep with a zero count does nothing', () => {
    const m = run([0xf3, 0xa4], { rsi: 0, rdi: 0, rcx: 0 });
    expect(reg64(m.cpu, R.rsi)).toBe(0n);
  });
});

describe('comparing string instructions', () => {
  it('repne scasb stops after the first match, as strlen uses it', () => {
    const m = machineWith([0xf2, 0xae]);
    m.space.writeBytes(DATA_ADDR, new TextEncoder().encode('hello\0'));
    setReg64(m.cpu, R.rdi, DATA_ADDR);
    setReg64(m.cpu, R.rcx, -1n);
    setReg64(m.cpu, R.rax, 0);
    expect(m.run()).toBe(Exit.HALT);
    expect(reg64(m.cpu, R.rcx)).toBe(BigInt.asUintN(64, -7n));
    expect(m.cpu.getZF()).toBe(1);
  });

  it('repe cmpsb stops at the first difference with the flags of that compare', () => {
    const m = machineWith([0xf3, 0xa6]);
    m.space.writeBytes(DATA_ADDR, new TextEncoder().encode('abcX'));
    m.space.writeBytes(DATA_ADDR + 0x100, new TextEncoder().encode('abcd'));
    setReg64(m.cpu, R.rsi, DATA_ADDR);
    setReg64(m.cpu, R.rdi, DATA_ADDR + 0x100);
    setReg64(m.cpu, R.rcx, 10);
    expect(m.run()).toBe(Exit.HALT);
    expect(reg64(m.cpu, R.rcx)).toBe(6n);
    expect(m.cpu.getZF()).toBe(0);
    expect(m.cpu.getCF()).toBe(1);
  });

  it('lodsq with an FS override reads relative to the FS base', () => {
    const m = machineWith([0x64, 0x48, 0xad]);
    m.space.writeBytes(DATA_ADDR + 0x20, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    m.cpu.fsBase = DATA_ADDR;
    setReg64(m.cpu, R.rsi, 0x20);
    expect(m.run()).toBe(Exit.HALT);
    expect(reg64(m.cpu, R.rax)).toBe(0x0807060504030201n);
    expect(reg64(m.cpu, R.rsi)).toBe(0x28n);
  });
});
