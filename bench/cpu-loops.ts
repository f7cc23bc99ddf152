/**
 * CPU-bound loops on the bare CPU (no kernel): each kernel of
 * bench/cpu-loops/kernels.c is built freestanding with the host's gcc,
 * linked flat, loaded into an address space and called through a
 * `call; hlt` stub. Prints guest instructions per second (by wall time and
 * by this process's CPU time, since other processes may share the cores)
 * and checks each checksum against the same kernel run natively.
 *
 *   npx tsx bench/cpu-loops.ts [--interp] [--threshold N] [kernel[=n] ...]
 *
 * --interp runs the interpreter only (the block compiler off); --threshold
 * sets the runs before a block is compiled.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cpu, Exit } from '../src/cpu/cpu.ts';
import { ALL_ROWS } from '../src/cpu/isa.ts';
import { jitOptions } from '../src/cpu/jit/options.ts';
import { SSE_ROWS } from '../src/cpu/sse/rows.ts';
import { OpTable } from '../src/cpu/table.ts';
import { X87_ROWS } from '../src/cpu/x87/rows.ts';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../src/mm/address-space.ts';
import { MemoryFile } from '../src/mm/memory-file.ts';

const SRC = join(import.meta.dirname, 'cpu-loops');
/** The stub `call kernel; hlt` sits here; the kernels are linked right after. */
const STUB = 0x400000;
const TEXT = 0x400100;
const BUF = 0x10000000;
const BUF_SIZE = 64 << 20;
const STACK_TOP = 0x7ff00000;
const STACK_SIZE = 1 << 20;

/** Kernels and their default sizes (a second or two each when compiled). */
const KERNELS: Record<string, number> = {
  hash: 20_000_000,
  sieve: 8_000_000,
  sort: 1_000_000,
  float: 5_000_000,
  copy: 40_000,
};

interface Built {
  image: Uint8Array;
  symbols: Map<string, number>;
  native: string;
}

/** Builds the flat guest image and the native driver in a temporary folder. */
function build(): Built {
  const dir = mkdtempSync(join(tmpdir(), 'amber-bench-'));
  const flags = [
    '-O2',
    '-fno-pic',
    '-fno-asynchronous-unwind-tables',
    '-ffreestanding',
    '-fno-builtin',
    '-fno-tree-loop-distribute-patterns',
    '-fno-stack-protector',
  ];
  const obj = join(dir, 'kernels.o');
  execFileSync('gcc', [...flags, '-c', join(SRC, 'kernels.c'), '-o', obj]);
  const elf = join(dir, 'kernels.elf');
  execFileSync('ld', [`-Ttext=0x${TEXT.toString(16)}`, '-e', '0', '-o', elf, obj]);
  const bin = join(dir, 'kernels.bin');
  execFileSync('objcopy', ['-O', 'binary', elf, bin]);
  const symbols = new Map<string, number>();
  for (const line of execFileSync('nm', [elf], { encoding: 'utf8' }).split('\n')) {
    const [addr, , name] = line.split(' ');
    if (name?.startsWith('k_')) symbols.set(name.slice(2), parseInt(addr, 16));
  }
  const native = join(dir, 'native');
  execFileSync('gcc', ['-O2', '-no-pie', '-o', native, join(SRC, 'native.c'), obj]);
  return { image: readFileSync(bin), symbols, native };
}

/** The full instruction set, SSE and x87 included even before isa.ts lists them. */
function fullTable(): OpTable {
  const lists = [...ALL_ROWS];
  if (!lists.includes(SSE_ROWS)) lists.push(SSE_ROWS);
  if (!lists.includes(X87_ROWS)) lists.push(X87_ROWS);
  return new OpTable(lists);
}

interface Result {
  exit: number;
  insns: number;
  wall: number;
  cpu: number;
  rax: bigint;
}

/** Runs one kernel on Amber and times it. */
function runAmber(built: Built, table: OpTable, entry: number, n: number): Result {
  const space = new AddressSpace(new MemoryFile(256 << 20));
  const code = new Uint8Array(TEXT - STUB + built.image.length);
  const rel = entry - (STUB + 5);
  code.set([0xe8, rel & 0xff, (rel >> 8) & 0xff, (rel >> 16) & 0xff, (rel >> 24) & 0xff, 0xf4]);
  code.set(built.image, TEXT - STUB);
  const codeLen = Math.ceil(code.length / 4096) * 4096;
  space.map(STUB, codeLen, PROT_READ | PROT_WRITE);
  space.writeBytes(STUB, code);
  space.protect(STUB, codeLen, PROT_READ | PROT_EXEC);
  space.map(BUF, BUF_SIZE, PROT_READ | PROT_WRITE);
  space.map(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
  const cpu = new Cpu(table);
  cpu.attach(space);
  cpu.rip = STUB;
  cpu.regs[8] = STACK_TOP - 64;
  cpu.regs[14] = n | 0; // rdi: n (below 2^31 here)
  cpu.regs[12] = BUF; // rsi: the buffer
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let exit: number;
  do exit = cpu.run(50_000_000);
  while (exit === Exit.QUANTUM);
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(c0);
  const rax = (BigInt(cpu.regs[1] >>> 0) << 32n) | BigInt(cpu.regs[0] >>> 0);
  return { exit, insns: cpu.icount, wall, cpu: (used.user + used.system) / 1e6, rax };
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('--interp')) jitOptions.threshold = Infinity;
  const at = args.indexOf('--threshold');
  if (at >= 0) jitOptions.threshold = Number(args[at + 1]);
  const picked = args.filter((a, k) => !a.startsWith('--') && args[k - 1] !== '--threshold');
  const jobs = picked.length
    ? picked
        .map((a) => a.split('='))
        .map(([name, n]) => [name, Number(n ?? KERNELS[name])] as const)
    : Object.entries(KERNELS);
  const built = build();
  const table = fullTable();
  const mode =
    jitOptions.threshold === Infinity
      ? 'interpreter'
      : `compiled (threshold ${jitOptions.threshold})`;
  process.stdout.write(`Amber CPU, ${mode}\n`);
  for (const [name, n] of jobs) {
    const entry = built.symbols.get(name);
    if (entry === undefined) throw new Error(`no kernel ${name}`);
    const [sum, nativeSeconds] = execFileSync(built.native, [name, String(n)], { encoding: 'utf8' })
      .trim()
      .split(' ');
    const r = runAmber(built, table, entry, n);
    const ok =
      r.exit === Exit.HALT && r.rax === BigInt(sum)
        ? 'ok'
        : `MISMATCH (exit ${r.exit}, rax ${r.rax}, native ${sum})`;
    const perWall = r.insns / r.wall / 1e6;
    const perCpu = r.insns / r.cpu / 1e6;
    const slow = r.wall / Number(nativeSeconds);
    process.stdout.write(
      `${name.padEnd(6)} n=${String(n).padEnd(9)} ` +
        `${(r.insns / 1e6).toFixed(0).padStart(5)} M insns ` +
        `${r.wall.toFixed(2)} s  ${perWall.toFixed(1).padStart(6)} M/s wall ` +
        `${perCpu.toFixed(1).padStart(6)} M/s cpu  ${slow.toFixed(0)}x native  ${ok}\n`,
    );
  }
}

main();
