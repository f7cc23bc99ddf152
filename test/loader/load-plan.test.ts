import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  loadInto,
  parseElf,
  planLoad,
} from '../../src/loader/index.ts';
import { buildElf, compileTiny, sampleSpec, withPhdr } from './elf-builder.ts';
import { FakeMemory } from './fake-memory.ts';

const RX = PROT_READ | PROT_EXEC;
const RW = PROT_READ | PROT_WRITE;

/** Loads bytes and checks each segment reads back as file bytes then zeros. */
function loadAndCheck(bytes: Uint8Array): FakeMemory {
  const image = parseElf(bytes);
  const memory = new FakeMemory();
  loadInto(memory, image, bytes);
  for (const s of image.segments) {
    const file = bytes.subarray(s.fileOffset, s.fileOffset + s.filesz);
    expect(Buffer.from(memory.read(s.vaddr, s.filesz)).equals(file)).toBe(true);
    const bss = memory.read(s.vaddr + s.filesz, s.memsz - s.filesz);
    expect(bss.every((b) => b === 0)).toBe(true);
    for (let a = s.vaddr; a < s.vaddr + s.memsz; a += 4096) {
      expect(memory.protAt(a) & s.prot).toBe(s.prot);
    }
  }
  return memory;
}

describe('planLoad', () => {
  const bytes = buildElf(sampleSpec());
  const plan = planLoad(parseElf(bytes), bytes);

  it('maps whole pages with each segment protection', () => {
    expect(plan.mappings).toEqual([
      { address: 0x400000, length: 0x1000, prot: RX },
      { address: 0x401000, length: 0x3000, prot: RW },
    ]);
  });

  it('copies exactly the file bytes of each segment', () => {
    expect(plan.copies.map((c) => [c.address, c.fileOffset, c.bytes.length])).toEqual([
      [0x400000, 0, 0x300],
      [0x401000, 0x1000, 0x80],
    ]);
    expect(plan.copies[1].bytes).toEqual(bytes.subarray(0x1000, 0x1080));
  });

  it('zeroes from the end of the file bytes to the end of the last page', () => {
    expect(plan.zeroFills).toEqual([
      { address: 0x400300, length: 0xd00 },
      { address: 0x401080, length: 0x404000 - 0x401080 },
    ]);
  });

  it('starts the program break at the page after the highest segment', () => {
    expect(plan.initialBreak).toBe(0x404000);
  });

  it(
    'copies the file bytes that precede an unaligned segment ' +
      'in its first page, as Linux maps them',
    () => {
      const spec = withPhdr(1, { offset: 0x1010, vaddr: 0x401010, filesz: 0x70 });
      spec.phdrs[2] = { ...spec.phdrs[2], offset: 0x1010, vaddr: 0x401010 };
      const file = buildElf(spec);
      const copy = planLoad(parseElf(file), file).copies[1];
      expect([copy.address, copy.fileOffset, copy.bytes.length]).toEqual([0x401000, 0x1000, 0x80]);
    },
  );

  it('gives a page shared by two segments both protections and keeps both contents', () => {
    const spec = withPhdr(1, { offset: 0x300, vaddr: 0x400300, filesz: 0x80, memsz: 0x2100 });
    spec.phdrs[2] = { ...spec.phdrs[2], offset: 0x300, vaddr: 0x400300 };
    const file = buildElf(spec);
    const shared = planLoad(parseElf(file), file);
    expect(shared.mappings).toEqual([
      { address: 0x400000, length: 0x1000, prot: RX | RW },
      { address: 0x401000, length: 0x2000, prot: RW },
    ]);
    expect(shared.zeroFills).toEqual([{ address: 0x400380, length: 0x403000 - 0x400380 }]);
    expect(shared.copies.map((c) => [c.address, c.bytes.length])).toEqual([
      [0x400000, 0x300],
      [0x400300, 0x80],
    ]);
    loadAndCheck(file);
  });
});

describe('loadInto', () => {
  it('fills memory with file bytes and zeroed bss for the synthetic file', () => {
    const memory = loadAndCheck(buildElf(sampleSpec()));
    expect(memory.pages.size).toBe(4);
  });

  it('loads a real static binary so that every segment reads back correctly', (ctx) => {
    const path = join(import.meta.dirname, '..', 'guest', 'bin', 'hello.glibc');
    const bytes = existsSync(path) ? new Uint8Array(readFileSync(path)) : compileTiny(false);
    if (!bytes) return ctx.skip();
    loadAndCheck(bytes);
  });

  it('loads a static PIE at its bias', (ctx) => {
    const bytes = compileTiny(true);
    if (!bytes) return ctx.skip();
    const memory = loadAndCheck(bytes);
    const image = parseElf(bytes);
    // The ELF header is in the first segment, so it appears at the bias.
    expect(memory.read(image.loadBias, 4)).toEqual(new Uint8Array([0x7f, 0x45, 0x4c, 0x46]));
  });
});
