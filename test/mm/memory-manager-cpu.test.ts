import { describe, expect, it } from 'vitest';
import { Cpu, Exit } from '../../src/cpu/cpu.ts';
import { instructionTable } from '../../src/cpu/isa.ts';
import { PAGE_SIZE } from '../../src/mm/memory-file.ts';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE } from '../../src/mm/mm-constants.ts';
import { fixture } from './mm-fixture.ts';

const CODE = 0x400000;

/** Runs `code` + hlt with rdi = `rdi` over the fixture's manager. */
function run(f: ReturnType<typeof fixture>, code: number[], rdi: number) {
  f.mm.mmap(CODE, PAGE_SIZE, 7, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
  f.space.writeBytes(CODE, Uint8Array.from([...code, 0xf4]));
  f.mm.mprotect(CODE, PAGE_SIZE, 5);
  const cpu = new Cpu(instructionTable());
  cpu.attach(f.space);
  cpu.rip = CODE;
  cpu.regs[2 * 7] = rdi;
  const exit = cpu.run(1000);
  return { cpu, exit };
}

describe('MemoryManager under the CPU', () => {
  it('lets a guest store into a private file page it read before, without touching the file', () => {
    const f = fixture();
    const data = f.fileWith('A');
    const page = f.mm.mmap(0x10000000, PAGE_SIZE, 3, MAP_PRIVATE | MAP_FIXED, data, 0);
    // mov al, [rdi]; mov byte [rdi], 0x42; mov bl, [rdi]
    const { cpu, exit } = run(f, [0x8a, 0x07, 0xc6, 0x07, 0x42, 0x8a, 0x1f], page);
    expect(exit).toBe(Exit.HALT);
    expect(cpu.regs[0] & 0xff).toBe(0x41);
    expect(cpu.regs[2 * 3] & 0xff).toBe(0x42);
    const out = new Uint8Array(1);
    data.read(0, out);
    expect(out[0]).toBe(0x41);
  });

  it('faults on a page past the end of a mapped file', () => {
    const f = fixture();
    const data = f.fileWith('A');
    const page = f.mm.mmap(0x10000000, 2 * PAGE_SIZE, 1, MAP_PRIVATE | MAP_FIXED, data, 0);
    const { cpu, exit } = run(f, [0x8a, 0x07], page + PAGE_SIZE);
    expect(exit).toBe(Exit.FAULT);
    expect(cpu.fault?.address).toBe(page + PAGE_SIZE);
    expect(f.space.isBeyondFile(cpu.fault!.address)).toBe(true);
  });
});
