import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PIE_LOAD_BIAS,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  parseElf,
} from '../../src/loader/index.ts';
import type { ElfImage } from '../../src/loader/index.ts';
import { PT_LOAD, X, buildElf, compileTiny, sampleSpec } from './elf-builder.ts';

const GUEST_BIN = join(import.meta.dirname, '..', 'guest', 'bin');

function hasReadelf(): boolean {
  try {
    execFileSync('readelf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What readelf says: the entry and the PT_LOADs with memsz > 0. */
function readelfView(path: string): { entry: number; loads: number[][] } {
  const text = execFileSync('readelf', ['-hlW', path], { encoding: 'utf8' });
  const entry = Number(/Entry point address:\s+(0x[0-9a-f]+)/.exec(text)![1]);
  const loads = text
    .split('\n')
    .map((line) =>
      /^\s+LOAD\s+(0x\S+)\s+(0x\S+)\s+0x\S+\s+(0x\S+)\s+(0x\S+)\s+([RWE ]+?)\s+0x\S+$/.exec(line),
    )
    .filter((m) => m !== null)
    .map((m) => {
      const prot =
        (m[5].includes('R') ? PROT_READ : 0) |
        (m[5].includes('W') ? PROT_WRITE : 0) |
        (m[5].includes('E') ? PROT_EXEC : 0);
      return [Number(m[2]), Number(m[4]), Number(m[1]), Number(m[3]), prot];
    })
    .filter((load) => load[1] > 0)
    .sort((a, b) => a[0] - b[0]);
  return { entry, loads };
}

function segmentRows(image: ElfImage): number[][] {
  return image.segments.map((s) => [s.vaddr, s.memsz, s.fileOffset, s.filesz, s.prot]);
}

describe('parseElf on a synthetic static executable', () => {
  const image = parseElf(buildElf(sampleSpec()));

  it('reports the type, entry point and zero load bias of ET_EXEC', () => {
    expect(image.type).toBe('exec');
    expect(image.entry).toBe(0x400200);
    expect(image.loadBias).toBe(0);
  });

  it('finds the program headers in memory through the segment that holds them', () => {
    expect(image.phdr).toEqual({ address: 0x400040, entrySize: 56, count: 4 });
  });

  it('lists the loadable segments with mmap protections', () => {
    expect(segmentRows(image)).toEqual([
      [0x400000, 0x300, 0, 0x300, PROT_READ | PROT_EXEC],
      [0x401000, 0x2100, 0x1000, 0x80, PROT_READ | PROT_WRITE],
    ]);
  });

  it('reports the TLS template and a non-executable stack', () => {
    expect(image.tls).toEqual({ vaddr: 0x401000, filesz: 0x10, memsz: 0x20, align: 8 });
    expect(image.executableStack).toBe(false);
  });

  it('reports an executable stack when PT_GNU_STACK has PF_X', () => {
    const spec = sampleSpec();
    spec.phdrs[3].flags |= X;
    expect(parseElf(buildElf(spec)).executableStack).toBe(true);
  });

  it('reports no TLS and no program header address when neither exists', () => {
    const spec = sampleSpec();
    spec.phdrs = spec.phdrs.filter((ph) => ph.type === PT_LOAD);
    spec.phoff = 0x1000 - 2 * 56;
    spec.phdrs[0] = { ...spec.phdrs[0], filesz: 0x300 };
    const other = parseElf(buildElf(spec));
    expect(other.tls).toBeNull();
    expect(other.phdr.address).toBe(0);
  });

  it('accepts segments that share a page without sharing a byte', () => {
    const spec = sampleSpec();
    spec.phdrs[1] = { ...spec.phdrs[1], offset: 0x300, vaddr: 0x400300 };
    spec.phdrs[2] = { ...spec.phdrs[2], offset: 0x300, vaddr: 0x400300 };
    expect(parseElf(buildElf(spec)).segments.map((s) => s.vaddr)).toEqual([0x400000, 0x400300]);
  });
});

describe('parseElf on a static PIE', () => {
  function pieSpec(align = 0x1000) {
    const spec = sampleSpec();
    spec.type = 3;
    spec.entry = 0x200;
    spec.phdrs[0] = { ...spec.phdrs[0], vaddr: 0, align };
    spec.phdrs[1] = { ...spec.phdrs[1], vaddr: 0x1000, align };
    spec.phdrs[2] = { ...spec.phdrs[2], vaddr: 0x1000 };
    return buildElf(spec);
  }

  it("places it at Linux's default base when the caller gives no bias", () => {
    const image = parseElf(pieSpec());
    expect(image.type).toBe('dyn');
    expect(image.loadBias).toBe(DEFAULT_PIE_LOAD_BIAS);
    expect(image.entry).toBe(DEFAULT_PIE_LOAD_BIAS + 0x200);
    expect(image.phdr.address).toBe(DEFAULT_PIE_LOAD_BIAS + 0x40);
    expect(image.tls?.vaddr).toBe(DEFAULT_PIE_LOAD_BIAS + 0x1000);
    expect(image.segments[1].vaddr).toBe(DEFAULT_PIE_LOAD_BIAS + 0x1000);
  });

  it('uses the bias the caller passes', () => {
    expect(parseElf(pieSpec(), { loadBias: 0x7f0000000000 }).entry).toBe(0x7f0000000200);
  });

  it('rounds the bias up to the largest segment alignment', () => {
    expect(parseElf(pieSpec(0x200000)).loadBias).toBe(0x555555600000);
  });

  it('ignores the bias for a fixed-address executable', () => {
    expect(parseElf(buildElf(sampleSpec()), { loadBias: 0x7f0000000000 }).loadBias).toBe(0);
  });
});

describe('parseElf on real static binaries', () => {
  const readelf = hasReadelf();
  const built = existsSync(GUEST_BIN) ? readdirSync(GUEST_BIN).sort() : [];

  it.skipIf(built.length === 0 || !readelf)(
    'agrees with readelf on every test guest binary',
    () => {
      for (const name of built) {
        const path = join(GUEST_BIN, name);
        const image = parseElf(new Uint8Array(readFileSync(path)));
        const expected = readelfView(path);
        expect(image.entry, name).toBe(expected.entry);
        expect(segmentRows(image), name).toEqual(expected.loads);
        expect(image.phdr.address, name).toBeGreaterThan(0);
      }
    },
  );

  it.skipIf(!readelf)('parses a gcc -static -nostdlib program with its TLS', (ctx) => {
    const bytes = compileTiny(false);
    if (!bytes) return ctx.skip();
    const image = parseElf(bytes);
    expect(image.type).toBe('exec');
    expect(image.tls).toMatchObject({ filesz: 4, memsz: 4 });
    expect(image.segments.some((s) => s.prot === (PROT_READ | PROT_EXEC))).toBe(true);
  });

  it('parses a gcc -static-pie program at the chosen bias', (ctx) => {
    const bytes = compileTiny(true);
    if (!bytes) return ctx.skip();
    const image = parseElf(bytes);
    expect(image.type).toBe('dyn');
    expect(image.loadBias).toBe(DEFAULT_PIE_LOAD_BIAS);
    expect(image.segments[0].vaddr).toBe(DEFAULT_PIE_LOAD_BIAS);
    expect(image.entry).toBeGreaterThan(DEFAULT_PIE_LOAD_BIAS);
  });
});
