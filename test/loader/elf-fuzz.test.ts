// Thousands of damaged executables, derived from real ones: each must either
// load (with a consistent plan) or be refused with an ElfError, never crash
// the host with another exception, and never take long.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ElfError,
  PAGE_SIZE,
  buildInitialStack,
  parseElf,
  planLoad,
} from '../../src/loader/index.ts';
import type { ElfImage, LoadPlan } from '../../src/loader/index.ts';
import { buildElf, compileTiny, sampleSpec, setU64 } from './elf-builder.ts';

const ITERATIONS = 5000;

/** A small deterministic generator (xorshift32), so failures replay. */
class Random {
  constructor(private state: number) {}

  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  below(n: number): number {
    return this.next() % n;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

function baseFiles(): Uint8Array[] {
  const files = [buildElf(sampleSpec())];
  const hello = join(import.meta.dirname, '..', 'guest', 'bin', 'hello.musl');
  if (existsSync(hello)) files.push(new Uint8Array(readFileSync(hello)));
  const tiny = compileTiny(false);
  if (tiny) files.push(tiny);
  const pie = compileTiny(true);
  if (pie) files.push(pie);
  return files;
}

/** Fields as [offset, width], relative to their header. */
const HEADER_FIELDS: Array<[number, number]> = [
  [4, 1],
  [5, 1],
  [6, 1],
  [16, 2],
  [18, 2],
  [24, 8],
  [32, 8],
  [54, 2],
  [56, 2],
];
const PHDR_FIELDS: Array<[number, number]> = [
  [0, 4],
  [4, 4],
  [8, 8],
  [16, 8],
  [32, 8],
  [40, 8],
  [48, 8],
];

function absurdValues(fileLength: number): bigint[] {
  const L = BigInt(fileLength);
  return [
    0n,
    1n,
    2n,
    3n,
    0x7fn,
    0xffn,
    0xfffn,
    0x1000n,
    0x1001n,
    0xffffn,
    0x10000n,
    0xffffffffn,
    2n ** 32n,
    2n ** 47n - 4096n,
    2n ** 47n,
    2n ** 53n - 1n,
    2n ** 53n,
    2n ** 53n + 1n,
    2n ** 63n,
    2n ** 64n - 1n,
    2n ** 64n - 4096n,
    L,
    L - 1n,
    L + 1n,
    0x400000n,
    0x555555554000n,
  ];
}

function writeField(bytes: Uint8Array, at: number, width: number, value: bigint): void {
  if (at + width > bytes.length) return;
  if (width === 8) return setU64(bytes, at, value);
  for (let i = 0; i < width; i++) bytes[at + i] = Number((value >> BigInt(8 * i)) & 0xffn);
}

function mutate(base: Uint8Array, rng: Random): Uint8Array {
  const view = new DataView(base.buffer, base.byteOffset);
  const phoff = view.getUint32(32, true);
  const phnum = view.getUint16(56, true);
  const headerEnd = Math.min(base.length, phoff + phnum * 56 + 64);
  const kind = rng.below(5);
  if (kind === 0) {
    // Truncation, mostly inside the headers where it matters.
    const limit = rng.below(4) === 0 ? base.length : headerEnd;
    return base.slice(0, rng.below(limit + 1));
  }
  const bytes = base.slice();
  if (kind === 1) {
    // Bit flips in the headers.
    const flips = 1 + rng.below(8);
    for (let i = 0; i < flips; i++) bytes[rng.below(headerEnd)] ^= 1 << rng.below(8);
  } else if (kind === 2 || kind === 3) {
    // Absurd values in one to three header or program header fields.
    const count = 1 + rng.below(3);
    for (let i = 0; i < count; i++) {
      const inPhdr = kind === 3 || rng.below(2) === 0;
      const [offset, width] = rng.pick(inPhdr ? PHDR_FIELDS : HEADER_FIELDS);
      const at = inPhdr ? phoff + rng.below(Math.max(phnum, 1)) * 56 + offset : offset;
      const value =
        rng.below(4) === 0
          ? (BigInt(rng.next()) << 32n) | BigInt(rng.next())
          : rng.pick(absurdValues(base.length));
      writeField(bytes, at, width, value);
    }
  } else {
    // Random bytes splattered over a stretch of the headers.
    const start = rng.below(headerEnd);
    const length = 1 + rng.below(32);
    for (let i = start; i < Math.min(start + length, bytes.length); i++) bytes[i] = rng.below(256);
  }
  return bytes;
}

function checkPlan(image: ElfImage, plan: LoadPlan, fileLength: number): void {
  let previousEnd = 0;
  for (const m of plan.mappings) {
    expect(m.address % PAGE_SIZE === 0 && m.length % PAGE_SIZE === 0 && m.length > 0).toBe(true);
    expect(m.address).toBeGreaterThanOrEqual(previousEnd);
    previousEnd = m.address + m.length;
  }
  for (const c of plan.copies) {
    expect(c.fileOffset + c.bytes.length).toBeLessThanOrEqual(fileLength);
    const inside = plan.mappings.some(
      (m) => c.address >= m.address && c.address + c.bytes.length <= m.address + m.length,
    );
    expect(inside).toBe(true);
  }
  expect(plan.initialBreak).toBeGreaterThanOrEqual(previousEnd);
  expect(image.entry).toBeLessThan(2 ** 47);
}

describe('parseElf on mutated executables', () => {
  it(`loads or refuses with ElfError each of ${ITERATIONS} damaged files, quickly`, () => {
    const bases = baseFiles();
    const rng = new Random(0x2545f491);
    const codes = new Map<string, number>();
    let accepted = 0;
    const started = performance.now();
    for (let i = 0; i < ITERATIONS; i++) {
      const bytes = mutate(bases[i % bases.length], rng);
      let image: ElfImage;
      try {
        image = parseElf(bytes, { loadBias: rng.pick([undefined, 0x7f0000000000, 0x1000]) });
      } catch (error) {
        if (!(error instanceof ElfError)) {
          throw new Error(`mutation ${i} threw a host exception: ${String(error)}`);
        }
        expect(error.message.length).toBeGreaterThan(10);
        codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
        continue;
      }
      accepted++;
      checkPlan(image, planLoad(image, bytes), bytes.length);
      buildInitialStack({
        stackTop: 2 ** 47 - PAGE_SIZE,
        argv: ['p'],
        envp: [],
        execfn: 'p',
        image,
        random: new Uint8Array(16),
        credentials: { uid: 0, euid: 0, gid: 0, egid: 0 },
        hwcap: 0,
        hwcap2: 0,
        minSigStackSize: 2048,
      });
    }
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(15);
    expect(accepted).toBeGreaterThan(ITERATIONS / 20);
    expect(codes.size).toBeGreaterThan(10);
  });
});
