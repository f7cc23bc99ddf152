// The x87 instruction handlers, run as real instruction bytes through the
// Cpu: loads, arithmetic and stores as libc code uses them, rounding and
// precision control, stack faults, pending exceptions raising #MF at the
// next waiting instruction, and the environment and fxsave images.
import { describe, expect, it } from 'vitest';
import { Cpu, Exit } from '../../../src/cpu/cpu.ts';
import { Vector } from '../../../src/cpu/fault.ts';
import { ALL_ROWS } from '../../../src/cpu/isa.ts';
import { OpTable, type OpRow } from '../../../src/cpu/table.ts';
import { X87_ROWS } from '../../../src/cpu/x87/rows.ts';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/mm/address-space.ts';
import { MemoryFile } from '../../../src/mm/memory-file.ts';

const CODE = 0x400000;
const DATA = 0x600000;
const lists: (readonly OpRow[])[] = ALL_ROWS.includes(X87_ROWS)
  ? [...ALL_ROWS]
  : [...ALL_ROWS, X87_ROWS];
const table = new OpTable(lists);
const file = new MemoryFile(64 * 1024 * 1024);

/** Runs `code` (then hlt) with rbx pointing at a zeroed data page filled from `data`. */
function run(code: number[], data: [number, number[]][] = [], setup?: (cpu: Cpu) => void) {
  const space = new AddressSpace(file);
  space.map(CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  space.writeBytes(CODE, Uint8Array.from([...code, 0xf4]));
  space.map(DATA, 0x2000, PROT_READ | PROT_WRITE);
  space.writeBytes(DATA, new Uint8Array(0x2000));
  for (const [off, bytes] of data) space.writeBytes(DATA + off, Uint8Array.from(bytes));
  const cpu = new Cpu(table);
  cpu.attach(space);
  cpu.rip = CODE;
  cpu.regs[6] = DATA; // rbx
  setup?.(cpu);
  const exit = cpu.run(1000);
  const image = space.readBytes(DATA, 0x2000).slice();
  const bytes = (off: number, n: number) => Array.from(image.subarray(off, off + n));
  const result = { cpu, exit, bytes };
  space.unmap(CODE, 0x1000);
  space.unmap(DATA, 0x2000);
  return result;
}

const le = (v: bigint, n: number) =>
  Array.from({ length: n }, (_, k) => Number((v >> BigInt(8 * k)) & 0xffn));
const f64 = (x: number) => {
  const b = new Uint8Array(new Float64Array([x]).buffer);
  return Array.from(b);
};

describe('x87 instructions on the Cpu', () => {
  it('computes sqrt(2) in extended precision and stores all 80 bits', () => {
    // fld qword [rbx]; fsqrt; fstp tbyte [rbx+16]
    const m = run([0xdd, 0x03, 0xd9, 0xfa, 0xdb, 0x7b, 0x10], [[0, f64(2)]]);
    expect(m.exit).toBe(Exit.HALT);
    expect(m.bytes(16, 10)).toEqual(le(0x3fffb504f333f9de6484n, 10));
    expect(m.cpu.fpu.statusWord() & 0x3820).toBe(0x0020); // PE, stack empty again
  });

  it('rounds fistp by the rounding control loaded with fldcw', () => {
    // fldcw [rbx]; fild dword [rbx+4]; fidiv dword [rbx+8]; fistp dword [rbx+12]
    const code = [0xd9, 0x2b, 0xdb, 0x43, 0x04, 0xda, 0x73, 0x08, 0xdb, 0x5b, 0x0c];
    const down = run(code, [[0, [0x7f, 0x07, 0, 0, ...le(-7n, 4), 2, 0, 0, 0]]]);
    expect(down.bytes(12, 4)).toEqual(le(-4n & 0xffffffffn, 4));
    const nearest = run(code, [[0, [0x7f, 0x03, 0, 0, ...le(-7n, 4), 2, 0, 0, 0]]]);
    expect(nearest.bytes(12, 4)).toEqual(le(-4n & 0xffffffffn, 4)); // -3.5 to even
    const zero = run(code, [[0, [0x7f, 0x0f, 0, 0, ...le(-7n, 4), 2, 0, 0, 0]]]);
    expect(zero.bytes(12, 4)).toEqual(le(-3n & 0xffffffffn, 4));
  });

  it('rounds to 24 bits under single precision control', () => {
    // fldcw [rbx]; fld1; fld qword [rbx+8]; faddp; fstp tbyte [rbx+16]
    const third = f64(1 / 3);
    const m = run(
      [0xd9, 0x2b, 0xd9, 0xe8, 0xdd, 0x43, 0x08, 0xde, 0xc1, 0xdb, 0x7b, 0x10],
      [
        [0, [0x7f, 0x00]],
        [8, third],
      ],
    );
    expect(m.bytes(16, 10)).toEqual(le(0x3fffaaaaab0000000000n, 10));
  });

  it('loads the indefinite and flags a stack overflow on the ninth push', () => {
    const m = run(Array(9).fill([0xd9, 0xe8]).flat());
    const f = m.cpu.fpu;
    expect(f.statusWord() & 0x2e1).toBe(0x241); // C1, SF, IE
    expect([f.se[f.phys(0)], f.hi[f.phys(0)] >>> 0]).toEqual([0xffff, 0xc0000000]);
  });

  it('raises #MF at the next waiting instruction after an unmasked divide by zero', () => {
    // fldcw [rbx] (ZE unmasked); fld1; fldz; fdivp st(1); fwait
    const m = run([0xd9, 0x2b, 0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9, 0x9b], [[0, [0x7b, 0x03]]]);
    expect(m.exit).toBe(Exit.FAULT);
    expect(m.cpu.fault?.vector).toBe(Vector.MF);
    expect(m.cpu.rip).toBe(CODE + 8);
    expect(m.cpu.fpu.statusWord() & 0x80ff).toBe(0x8084); // B, ES, ZE
  });

  it('compares into EFLAGS with fcomi and reports the status word with fnstsw ax', () => {
    // fld1; fldz; fcomi st(1); fnstsw ax
    const m = run([0xd9, 0xe8, 0xd9, 0xee, 0xdb, 0xf1, 0xdf, 0xe0]);
    expect(m.cpu.getCF()).toBe(1);
    expect(m.cpu.getZF()).toBe(0);
    expect(m.cpu.regs[0] & 0xffff).toBe(0x3000); // TOP = 6
  });

  it('restores the stack from fnsave with frstor and from fxsave with fxrstor', () => {
    // fldpi; fld1; fnsave [rbx]; frstor [rbx]; fxsave [rbx+0x200]; fninit;
    // fxrstor [rbx+0x200]; fstp tbyte [rbx+0x400]; fstp tbyte [rbx+0x410]
    const m = run([
      0xd9, 0xeb, 0xd9, 0xe8, 0xdd, 0x33, 0xdd, 0x23, 0x0f, 0xae, 0x83, 0x00, 0x02, 0x00, 0x00,
      0xdb, 0xe3, 0x0f, 0xae, 0x8b, 0x00, 0x02, 0x00, 0x00, 0xdb, 0xbb, 0x00, 0x04, 0x00, 0x00,
      0xdb, 0xbb, 0x10, 0x04, 0x00, 0x00,
    ]);
    expect(m.exit).toBe(Exit.HALT);
    expect(m.bytes(0x400, 10)).toEqual(le(0x3fff8000000000000000n, 10));
    expect(m.bytes(0x410, 10)).toEqual(le(0x4000c90fdaa22168c235n, 10));
    expect(m.bytes(0x200 + 24, 8)).toEqual([0x80, 0x1f, 0, 0, 0xff, 0xff, 0, 0]);
    expect(m.cpu.fpu.used).toBe(0);
  });

  it('masks every exception after fnstenv and brings them back with fldenv', () => {
    // fnstenv [rbx]; fnstcw [rbx+0x40]; fldenv [rbx]; fnstcw [rbx+0x42]
    const m = run([0xd9, 0x33, 0xd9, 0x7b, 0x40, 0xd9, 0x23, 0xd9, 0x7b, 0x42], [], (cpu) => {
      cpu.fpu.fcw = 0x0360;
    });
    expect(m.bytes(0x40, 4)).toEqual([0x7f, 0x03, 0x60, 0x03]);
    expect(m.bytes(0, 12)).toEqual([
      0x60, 0x03, 0xff, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ]);
  });

  it('raises #GP for an fxsave area that is not 16-byte aligned', () => {
    const m = run([0x0f, 0xae, 0x43, 0x08]);
    expect(m.cpu.fault?.vector).toBe(Vector.GP);
  });
});
