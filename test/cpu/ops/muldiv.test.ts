import { describe, expect, it } from 'vitest';
import { FLAG_CF, FLAG_OF, FLAG_SF, FLAG_ZF } from '../../../src/cpu/flags.ts';
import { reg64 } from '../machine.ts';
import { R, run, runFault, Vector } from './run.ts';

const MUL_RCX = [0x48, 0xf7, 0xe1];
const IMUL_RCX = [0x48, 0xf7, 0xe9];
const DIV_RCX = [0x48, 0xf7, 0xf1];
const IDIV_RCX = [0x48, 0xf7, 0xf9];
const M64 = (1n << 64n) - 1n;

describe('multiply', () => {
  it('mul r64 gives the full 128-bit product in rdx:rax and sets CF/OF', () => {
    const a = 0xfedcba9876543210n;
    const b = 0x0123456789abcdefn;
    const m = run(MUL_RCX, { rax: a, rcx: b });
    const p = a * b;
    expect(reg64(m.cpu, R.rax)).toBe(p & M64);
    expect(reg64(m.cpu, R.rdx)).toBe(p >> 64n);
    expect(m.cpu.getFlags() & (FLAG_CF | FLAG_OF)).toBe(FLAG_CF | FLAG_OF);
  });

  it('imul r64 of negative numbers sign-extends into rdx and clears CF/OF when it fits', () => {
    const m = run(IMUL_RCX, { rax: -3n, rcx: 5 });
    expect(reg64(m.cpu, R.rax)).toBe(BigInt.asUintN(64, -15n));
    expect(reg64(m.cpu, R.rdx)).toBe(M64);
    expect(m.cpu.getFlags() & (FLAG_CF | FLAG_OF)).toBe(0);
  });

  it('imul r64 of two large negatives is exact in 128 bits', () => {
    const a = -0x7123456789abcdefn;
    const b = -0x6fedcba987654321n;
    const m = run(IMUL_RCX, { rax: a, rcx: b });
    const p = BigInt.asUintN(128, a * b);
    expect(reg64(m.cpu, R.rax)).toBe(p & M64);
    expect(reg64(m.cpu, R.rdx)).toBe(p >> 64n);
  });

  it('mul leaves SF and ZF as they were', () => {
    const m = run([0xf7, 0xe1], { rax: 0x10000, rcx: 0x10000 }, FLAG_SF | FLAG_ZF);
    expect(reg64(m.cpu, R.rdx)).toBe(1n);
    expect(reg64(m.cpu, R.rax)).toBe(0n);
    expect(m.cpu.getFlags() & (FLAG_SF | FLAG_ZF | FLAG_CF)).toBe(FLAG_SF | FLAG_ZF | FLAG_CF);
  });

  it('imul r32, r/m32, imm32 truncates and reports signed overflow', () => {
    const m = run([0x69, 0xc1, 0x00, 0x00, 0x01, 0x00], { rcx: 0x10000 });
    expect(reg64(m.cpu, R.rax)).toBe(0n);
    expect(m.cpu.getCF()).toBe(1);
  });

  it('imul r64, r/m64 without overflow on the 32-bit fast path', () => {
    const m = run([0x48, 0x0f, 0xaf, 0xc1], { rax: -0x80000000n, rcx: 0x7fffffff });
    expect(reg64(m.cpu, R.rax)).toBe(BigInt.asUintN(64, -0x80000000n * 0x7fffffffn));
    expect(m.cpu.getOF()).toBe(0);
  });
});

describe('divide', () => {
  it('div r64 divides a 128-bit dividend by a 32-bit divisor', () => {
    const n = (0x12345n << 64n) | 0xfedcba9876543210n;
    const d = 0x9abcdef1n;
    const m = run(DIV_RCX, { rax: n & M64, rdx: n >> 64n, rcx: d });
    expect(reg64(m.cpu, R.rax)).toBe(n / d);
    expect(reg64(m.cpu, R.rdx)).toBe(n % d);
  });

  it('div r64 divides by a divisor wider than 32 bits', () => {
    const n = (0x0123456789abcdefn << 64n) | 0x1122334455667788n;
    const d = 0x8765432187654321n;
    const m = run(DIV_RCX, { rax: n & M64, rdx: n >> 64n, rcx: d });
    expect(reg64(m.cpu, R.rax)).toBe(n / d);
    expect(reg64(m.cpu, R.rdx)).toBe(n % d);
  });

  it('idiv r64 truncates toward zero with the remainder taking the dividend sign', () => {
    const m = run(IDIV_RCX, { rax: -7n, rdx: -1n, rcx: 2 });
    expect(reg64(m.cpu, R.rax)).toBe(BigInt.asUintN(64, -3n));
    expect(reg64(m.cpu, R.rdx)).toBe(BigInt.asUintN(64, -1n));
  });

  it('idiv r64 accepts the most negative quotient', () => {
    const m = run(IDIV_RCX, { rax: 1n << 63n, rdx: -1n, rcx: 1 });
    expect(reg64(m.cpu, R.rax)).toBe(1n << 63n);
  });

  it('idiv r32 of -2^31 by -1 raises #DE and leaves the registers alone', () => {
    const m = runFault([0xf7, 0xf9], Vector.DE, { rax: 0x80000000, rdx: 0xffffffff, rcx: -1n });
    expect(reg64(m.cpu, R.rax)).toBe(0x80000000n);
    expect(reg64(m.cpu, R.rdx)).toBe(0xffffffffn);
  });

  it('division by zero raises #DE at every size', () => {
    runFault([0xf6, 0xf1], Vector.DE, { rax: 5, rcx: 0x100 });
    runFault([0x66, 0xf7, 0xf1], Vector.DE, { rax: 5, rcx: 0x10000 });
    runFault([0xf7, 0xf1], Vector.DE, { rax: 5, rcx: 1n << 32n });
    runFault(DIV_RCX, Vector.DE, { rax: 5, rcx: 0 });
  });

  it('a quotient that does not fit raises #DE', () => {
    runFault([0xf6, 0xf1], Vector.DE, { rax: 0x100, rcx: 1 });
    runFault(DIV_RCX, Vector.DE, { rax: 0, rdx: 5, rcx: 5 });
    runFault(IDIV_RCX, Vector.DE, { rax: 0, rdx: 1n << 62n, rcx: 1 });
  });

  it('div r8 puts the quotient in AL and the remainder in AH', () => {
    const m = run([0xf6, 0xf1], { rax: 1000, rcx: 7 });
    expect(reg64(m.cpu, R.rax) & 0xffffn).toBe((6n << 8n) | 142n);
  });
});
