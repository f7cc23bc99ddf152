import { describe, expect, it } from 'vitest';
import { Exit } from '../../src/cpu/cpu.ts';
import { blockSource } from '../../src/cpu/jit/compile.ts';
import { Vector } from '../../src/cpu/fault.ts';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/mm/address-space.ts';
import {
  CODE_ADDR,
  DATA_ADDR,
  DATA_SIZE,
  machineWith,
  setReg64,
  type TestMachine,
} from './machine.ts';
import { randomProgram, Rng } from './jit-programs.ts';

/**
 * The block compiler against the interpreter: the same program runs on two
 * machines, one that compiles every block on first sight and one that never
 * compiles, and after every stop their whole state must agree: registers,
 * RIP, RFLAGS, xmm, instruction count, exit reason, fault, and data memory.
 */

interface Pair {
  jit: TestMachine;
  interp: TestMachine;
}

function pair(
  code: ArrayLike<number>,
  setup: (m: TestMachine) => void = () => {},
  rwx = false,
): Pair {
  const prot = rwx ? PROT_READ | PROT_WRITE | PROT_EXEC : PROT_READ | PROT_EXEC;
  const jit = machineWith(code, prot);
  const interp = machineWith(code, prot);
  jit.cpu.jitThreshold = 0;
  interp.cpu.jitThreshold = Infinity;
  setup(jit);
  setup(interp);
  return { jit, interp };
}

function state(m: TestMachine, exit: number) {
  const cpu = m.cpu;
  return {
    exit,
    regs: Array.from(cpu.regs),
    rip: cpu.rip,
    flags: cpu.getFlags(),
    icount: cpu.icount,
    xmm: Array.from(cpu.xmm),
    fault: cpu.fault === null ? null : [cpu.fault.vector, cpu.fault.address, cpu.fault.access],
    data: Array.from(m.space.readBytes(DATA_ADDR, 512)),
    stack: Array.from(m.space.readBytes(DATA_ADDR + DATA_SIZE - 256, 256)),
  };
}

/** Runs both machines with the same budgets until they stop for good. */
function runBoth(p: Pair, budgets: readonly number[], maxSteps = 10_000) {
  let last: ReturnType<typeof state> | undefined;
  for (let step = 0; step < maxSteps; step++) {
    const budget = budgets[step % budgets.length];
    const a = state(p.jit, p.jit.run(budget));
    const b = state(p.interp, p.interp.run(budget));
    expect(a, `after stop ${step} (budget ${budget})`).toEqual(b);
    last = a;
    if (a.exit !== Exit.QUANTUM) break;
  }
  return last!;
}

function hex(s: string): number[] {
  return s
    .replace(/#.*$/gm, '')
    .split(/\s+/)
    .filter((x) => x.length > 0)
    .map((x) => parseInt(x, 16));
}

/** A hash loop (as gcc -O2 compiles it), ending in hlt instead of ret. */
const HASH_LOOP = hex(`
  48 b8 83 03 9d 73 b0 0f 65 14   # movabs rax, offset basis
  48 85 ff 74 48                  # test rdi, rdi; je out
  49 b9 b3 01 00 00 00 01 00 00   # movabs r9, FNV prime
  45 31 c0 31 c9 66 90            # xor r8d, r8d; xor ecx, ecx; nop
  48 89 ca 48 83 c1 01 81 e2 ff 0f 00 00   # loop: mov rdx, rcx; add rcx, 1; and edx, 0xfff
  0f b6 14 16 48 31 c2 49 0f af d1         # movzx edx, [rsi+rdx]; xor rdx, rax; imul rdx, r9
  48 89 d0 48 c1 e8 1d 48 31 d0 4c 89 c2   # mov rax, rdx; shr rax, 29; xor rax, rdx; mov rdx, r8
  49 83 c0 07 81 e2 ff 0f 00 00 88 04 16   # add r8, 7; and edx, 0xfff; mov [rsi+rdx], al
  48 39 cf 75 c9 f4                        # cmp rdi, rcx; jne loop; out: hlt
`);

describe('the block compiler', () => {
  it('runs a hot loop to the same state as the interpreter, across budget boundaries', () => {
    const p = pair(HASH_LOOP, (m) => {
      setReg64(m.cpu, 7, 3000);
      setReg64(m.cpu, 6, DATA_ADDR);
    });
    const end = runBoth(p, [1, 2, 3, 5, 7, 11, 16, 17, 50, 999]);
    expect(end.exit).toBe(Exit.HALT);
    expect(end.icount).toBe(3000 * 15 + 8);
  });

  it('agrees with the interpreter on random straight-line integer code', () => {
    const rng = new Rng(0x5eed);
    for (let n = 0; n < 400; n++) {
      const prog = randomProgram(rng);
      const p = pair(prog.code, (m) => prog.setup(m));
      const end = runBoth(p, [prog.budget]);
      expect([Exit.HALT, Exit.FAULT, Exit.QUANTUM]).toContain(end.exit);
    }
  });

  it('stops at a fault in the middle of a block with earlier effects kept', () => {
    const code = hex(`
      b8 05 00 00 00   # mov eax, 5
      01 c8            # add eax, ecx (flags pending in the compiled code)
      89 02            # mov [rdx], eax: rdx is unmapped
      ff c0 f4         # inc eax; hlt
    `);
    const p = pair(code, (m) => {
      setReg64(m.cpu, 1, -5);
      setReg64(m.cpu, 2, 0x100000);
    });
    const end = runBoth(p, [100]);
    expect(end.exit).toBe(Exit.FAULT);
    expect(end.rip).toBe(CODE_ADDR + 7);
    expect(end.icount).toBe(2);
    expect(end.fault?.[0]).toBe(Vector.PF);
    expect(end.flags & 0x40).toBe(0x40); // ZF from 5 + -5
  });

  it('counts every pass of a self-looping block up to a fault in a later pass', () => {
    const code = hex(`
      88 02                # loop: mov [rdx], al
      48 81 c2 00 10 00 00 # add rdx, 4096
      ff c8                # dec eax
      75 f3 f4             # jnz loop; hlt
    `);
    const p = pair(code, (m) => {
      setReg64(m.cpu, 0, 100);
      setReg64(m.cpu, 2, DATA_ADDR + 5);
    });
    const end = runBoth(p, [1000]);
    expect(end.exit).toBe(Exit.FAULT);
    expect(end.icount).toBe((DATA_SIZE / 4096) * 4);
  });

  it('keeps the flags of the faulting pass in a loop that replaces them at its top', () => {
    const code = hex(`
      83 c0 01             # loop: add eax, 1
      88 02                # mov [rdx], al
      48 81 c2 00 10 00 00 # add rdx, 4096 (its flags wait in locals across passes)
      eb f2 f4             # jmp loop; hlt
    `);
    const p = pair(code, (m) => {
      setReg64(m.cpu, 0, 0x7fffffef);
      setReg64(m.cpu, 2, DATA_ADDR + 1);
    });
    const end = runBoth(p, [1000]);
    expect(end.exit).toBe(Exit.FAULT);
    expect(end.rip).toBe(CODE_ADDR + 3);
    expect(end.flags & 0x800).toBe(0x800); // OF of 0x7fffffff + 1
  });

  it('sees its own code change when a write hits the block being run', () => {
    const code = hex(`
      88 05 02 00 00 00    # loop: mov [rip+2], al (the immediate of the add)
      83 c1 00             # add ecx, imm8
      ff c0                # inc eax
      83 f8 0a             # cmp eax, 10
      75 f0 f4             # jne loop; hlt
    `);
    const p = pair(code, (m) => setReg64(m.cpu, 0, 1), true);
    const end = runBoth(p, [1000]);
    expect(end.exit).toBe(Exit.HALT);
    expect(end.regs[2]).toBe(1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9);
  });

  it('takes the slow path for accesses across pages, faulting before any byte changes', () => {
    const code = hex(`
      48 89 01             # mov [rcx], rax: straddles two data pages
      48 8b 19             # mov rbx, [rcx]
      48 01 c3             # add rbx, rax
      48 01 02             # add [rdx], rax: its second page is unmapped
      f4
    `);
    const p = pair(code, (m) => {
      setReg64(m.cpu, 0, 0x1122334455667788n);
      setReg64(m.cpu, 1, DATA_ADDR + 4092);
      setReg64(m.cpu, 2, DATA_ADDR + DATA_SIZE - 4);
    });
    const end = runBoth(p, [100]);
    expect(end.exit).toBe(Exit.FAULT);
    expect(end.icount).toBe(3);
    expect(end.rip).toBe(CODE_ADDR + 9);
    expect(end.stack.slice(-4)).toEqual([0, 0, 0, 0]);
  });

  it('stops after a syscall in a compiled block with RIP past it', () => {
    const code = hex(`
      b8 27 00 00 00 48 29 c8 0f 05   # mov eax, 39; sub rax, rcx; syscall
      31 c0 f4                        # xor eax, eax; hlt
    `);
    const p = pair(code, (m) => setReg64(m.cpu, 1, 2));
    const end = runBoth(p, [100]);
    expect(end.exit).toBe(Exit.SYSCALL);
    expect(end.rip).toBe(CODE_ADDR + 10);
    expect(end.regs[22]).toBe(end.flags);
  });

  it('keeps a compiled loop exact when the budget ends inside a pass', () => {
    const code = hex(`
      ff c1 48 01 c8 48 83 e8 03 75 f5 f4   # loop: inc ecx; add rax, rcx; sub rax, 3; jnz
    `);
    const p = pair(code, (m) => setReg64(m.cpu, 0, 5));
    for (const budget of [1, 3, 4, 6, 9, 10, 23]) runBoth(p, [budget], 3);
  });

  it('inlines templates and leaves the flags of overwritten results unrecorded', () => {
    const m = machineWith(HASH_LOOP);
    const cache = (m.cpu as unknown as { cache: { lookup(s: unknown, a: number): { insns: [] } } })
      .cache;
    const block = cache.lookup(m.cpu, CODE_ADDR + 0x20);
    const src = blockSource(block.insns);
    expect(src).not.toContain('.exec(');
    // Flags are recorded before the two memory accesses and the branch
    // only: imul, shr, the xors and the adds feed instructions that replace
    // all flags before anything can observe them.
    expect(src.match(/FL = [1-9]/g)?.length).toBe(4);
  });
});
