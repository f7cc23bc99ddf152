import { describe, expect, it } from 'vitest';
import { FLAG_AF, FLAG_CF, FLAG_PF, FLAG_SF, FLAG_ZF } from '../../../src/cpu/flags.ts';
import { DATA_ADDR, DATA_SIZE, reg64 } from '../machine.ts';
import { R, run, runFault, Vector } from './run.ts';

const TOP = BigInt(DATA_ADDR + DATA_SIZE);

describe('enter', () => {
  it('enter n, 0 pushes rbp, points rbp at it and reserves n bytes', () => {
    const m = run([0xc8, 0x20, 0x00, 0x00], { rbp: 0x1234 });
    expect(reg64(m.cpu, R.rbp)).toBe(TOP - 8n);
    expect(reg64(m.cpu, R.rsp)).toBe(TOP - 8n - 0x20n);
    const saved = new DataView(m.space.readBytes(Number(TOP) - 8, 8).buffer).getBigUint64(0, true);
    expect(saved).toBe(0x1234n);
  });

  it('enter with a nesting level copies the enclosing frame pointers', () => {
    // enter 0, 1; enter 0, 2: the second copies one pointer from the first frame.
    const m = run([0xc8, 0, 0, 1, 0xc8, 0, 0, 2], { rbp: 0x99 });
    const frame1 = TOP - 8n;
    const frame2 = frame1 - 8n - 8n;
    expect(reg64(m.cpu, R.rbp)).toBe(frame2);
    expect(reg64(m.cpu, R.rsp)).toBe(frame2 - 16n);
    const q = (a: bigint) =>
      new DataView(m.space.readBytes(Number(a), 8).buffer).getBigUint64(0, true);
    expect(q(frame2)).toBe(frame1);
    // The display: the enclosing frame's own display entry, which is frame1.
    expect(q(frame2 - 8n)).toBe(frame1);
    expect(q(frame2 - 16n)).toBe(frame2);
  });
});

describe('flag instructions', () => {
  it('lahf copies SF, ZF, AF, PF and CF into AH with bit 1 set', () => {
    const m = run([0x9f], { rax: 0 }, FLAG_SF | FLAG_CF | FLAG_AF);
    expect((reg64(m.cpu, R.rax) >> 8n) & 0xffn).toBe(BigInt(FLAG_SF | FLAG_CF | FLAG_AF | 2));
  });

  it('sahf loads the status flags from AH and leaves OF alone', () => {
    const m = run([0x9e], { rax: (FLAG_ZF | FLAG_PF) << 8 }, 0x800);
    expect(m.cpu.getFlags() & 0x8d5).toBe(FLAG_ZF | FLAG_PF | 0x800);
  });

  it('stc, cmc and clc set, flip and clear CF', () => {
    expect(run([0xf9]).cpu.getCF()).toBe(1);
    expect(run([0xf9, 0xf5]).cpu.getCF()).toBe(0);
    expect(run([0xf8], {}, FLAG_CF).cpu.getCF()).toBe(0);
  });

  it('std and cld set and clear the direction flag', () => {
    expect(run([0xfd]).cpu.df).toBe(1);
    expect(run([0xfd, 0xfc]).cpu.df).toBe(0);
  });
});

describe('other instructions', () => {
  it('xlat loads AL from rbx + AL', () => {
    const m = run([0xc6, 0x43, 0x05, 0x77, 0xd7], { rbx: DATA_ADDR, rax: 0x1205 });
    expect(reg64(m.cpu, R.rax)).toBe(0x1277n);
  });

  it('mov r32, Sreg gives Linux user selectors', () => {
    const m = run([0x8c, 0xc8, 0x8c, 0xe1], { rax: -1n, rcx: -1n });
    expect(reg64(m.cpu, R.rax)).toBe(0x33n);
    expect(reg64(m.cpu, R.rcx)).toBe(0n);
  });

  it('cli, sti and port I/O raise #GP in user mode', () => {
    for (const code of [[0xfa], [0xfb], [0xec], [0xe6, 0x80], [0x6c], [0x6f]]) {
      runFault(code, Vector.GP);
    }
  });

  it('lock on a flag instruction is an invalid opcode', () => {
    runFault([0xf0, 0xf9], Vector.UD);
  });
});
