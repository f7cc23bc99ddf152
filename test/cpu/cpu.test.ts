import { describe, expect, test } from 'vitest';
import { Vector } from '../../src/cpu/fault.ts';
import { PROT_EXEC, PROT_READ } from '../../src/mm/address-space.ts';
import { CODE_ADDR, DATA_ADDR, Exit, machineWith, reg64, setReg64 } from './machine.ts';

describe('the run loop', () => {
  test('runs straight-line code and branches until hlt, counting every instruction', () => {
    // mov rax, 5; add rax, rbx; push rax; pop rcx; cmp rcx, 7; jne +3; inc rdx
    const m = machineWith([
      0x48, 0xc7, 0xc0, 5, 0, 0, 0, 0x48, 0x01, 0xd8, 0x50, 0x59, 0x48, 0x83, 0xf9, 7, 0x75, 0x03,
      0x48, 0xff, 0xc2,
    ]);
    setReg64(m.cpu, 3, 2);
    expect(m.run()).toBe(Exit.HALT);
    expect(reg64(m.cpu, 0)).toBe(7n);
    expect(reg64(m.cpu, 1)).toBe(7n);
    expect(reg64(m.cpu, 2)).toBe(1n);
    expect(m.cpu.icount).toBe(8);
  });

  test('stops exactly when the instruction budget is spent, and resumes where it stopped', () => {
    // loop: inc rax; jmp loop
    const m = machineWith([0x48, 0xff, 0xc0, 0xeb, 0xfb]);
    expect(m.run(1001)).toBe(Exit.QUANTUM);
    expect(m.cpu.icount).toBe(1001);
    expect(reg64(m.cpu, 0)).toBe(501n);
    expect(m.cpu.rip).toBe(CODE_ADDR + 3);
    expect(m.run(1)).toBe(Exit.QUANTUM);
    expect(m.cpu.rip).toBe(CODE_ADDR);
  });

  test('a syscall instruction returns to the caller with RIP past it and RCX, R11 set', () => {
    const m = machineWith([0x0f, 0x05]);
    expect(m.run()).toBe(Exit.SYSCALL);
    expect(m.cpu.rip).toBe(CODE_ADDR + 2);
    expect(reg64(m.cpu, 1)).toBe(BigInt(CODE_ADDR + 2));
  });
});

describe('faults', () => {
  test('an unknown instruction raises #UD with RIP at it', () => {
    const m = machineWith([0x90, 0x0f, 0x0b]);
    expect(m.run()).toBe(Exit.FAULT);
    expect(m.cpu.fault?.vector).toBe(Vector.UD);
    expect(m.cpu.rip).toBe(CODE_ADDR + 1);
    expect(m.cpu.icount).toBe(1);
  });

  test('an AVX instruction, which Amber lacks, raises #UD rather than a host error', () => {
    // vpxor ymm0, ymm0, ymm0
    const m = machineWith([0xc5, 0xfd, 0xef, 0xc0]);
    expect(m.run()).toBe(Exit.FAULT);
    expect(m.cpu.fault?.vector).toBe(Vector.UD);
  });

  test('a read of an unmapped address is a page fault naming the address', () => {
    // mov rax, [0x123458]
    const m = machineWith([0x48, 0x8b, 0x04, 0x25, 0x58, 0x34, 0x12, 0x00]);
    expect(m.run()).toBe(Exit.FAULT);
    expect(m.cpu.fault?.vector).toBe(Vector.PF);
    expect(m.cpu.fault?.address).toBe(0x123458);
    expect(m.cpu.fault?.message).toMatch(/read at 0x123458 not mapped/);
  });

  test('a write to a read-only page is a page fault and leaves memory unchanged', () => {
    // mov [rbx], rax
    const m = machineWith([0x48, 0x89, 0x03]);
    m.space.protect(DATA_ADDR, 4096, PROT_READ);
    setReg64(m.cpu, 3, DATA_ADDR + 8);
    setReg64(m.cpu, 0, 0x1122334455667788n);
    expect(m.run()).toBe(Exit.FAULT);
    expect(m.cpu.fault?.message).toMatch(/write at 0x600008 not permitted/);
    expect(Array.from(m.space.readBytes(DATA_ADDR + 8, 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  test('jumping into a page without execute permission is a page fault on execute', () => {
    // jmp rbx
    const m = machineWith([0xff, 0xe3]);
    setReg64(m.cpu, 3, DATA_ADDR);
    expect(m.run()).toBe(Exit.FAULT);
    expect(m.cpu.fault?.message).toMatch(/execute at 0x600000 not permitted/);
    expect(m.cpu.rip).toBe(DATA_ADDR);
  });

  test('a fault in the middle of a block counts only the instructions before it', () => {
    // nop; nop; mov eax, [0]
    const m = machineWith([0x90, 0x90, 0x8b, 0x04, 0x25, 0, 0, 0, 0]);
    expect(m.run()).toBe(Exit.FAULT);
    expect(m.cpu.icount).toBe(2);
    expect(m.cpu.rip).toBe(CODE_ADDR + 2);
  });
});

describe('self-modifying code', () => {
  test('a guest that writes code and then runs it executes the new bytes', () => {
    // The data page is made executable; the program writes "mov eax, 42; ret"
    // there, calls it, then rewrites the immediate to 7 and calls it again.
    const code = [
      // mov dword [rbx], 0x00002ab8 ; mov byte [rbx+4], 0 ; mov byte [rbx+5], 0xc3
      0xc7, 0x03, 0xb8, 0x2a, 0x00, 0x00, 0xc6, 0x43, 0x04, 0x00, 0xc6, 0x43, 0x05, 0xc3,
      // call rbx ; mov ecx, eax
      0xff, 0xd3, 0x89, 0xc1,
      // mov byte [rbx+1], 7 ; call rbx
      0xc6, 0x43, 0x01, 0x07, 0xff, 0xd3,
    ];
    const m = machineWith(code);
    m.space.protect(DATA_ADDR, 4096, PROT_READ | PROT_EXEC | 2);
    setReg64(m.cpu, 3, DATA_ADDR);
    expect(m.run()).toBe(Exit.HALT);
    expect(reg64(m.cpu, 1)).toBe(42n);
    expect(reg64(m.cpu, 0)).toBe(7n);
  });

  test('an instruction that rewrites the next instruction in its own block is seen', () => {
    // mov byte [rip+1], 0x05 rewrites the immediate of the following
    // "add al, 1" into "add al, 5".
    const code = [0xc6, 0x05, 0x01, 0x00, 0x00, 0x00, 0x05, 0x04, 0x01];
    const m = machineWith(code, PROT_READ | PROT_EXEC | 2);
    expect(m.run()).toBe(Exit.HALT);
    expect(reg64(m.cpu, 0)).toBe(5n);
  });
});
