// Builds small synthetic ELF64 files for loader tests, so every malformed
// field can be produced on purpose without a compiler.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A 64-bit field value; bigint for values past 2^53. */
export type Wide = number | bigint;

export interface PhdrSpec {
  type: number;
  flags: number;
  offset: Wide;
  vaddr: Wide;
  filesz: Wide;
  memsz: Wide;
  align: Wide;
}

export interface ElfSpec {
  type?: number;
  machine?: number;
  entry: Wide;
  phoff?: Wide;
  phentsize?: number;
  /** Written into e_phnum; defaults to phdrs.length. */
  phnum?: number;
  phdrs: PhdrSpec[];
  /** Total file size; defaults to just past the last segment's bytes. */
  size?: number;
}

export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_TLS = 7;
export const PT_GNU_STACK = 0x6474e551;
export const R = 4;
export const W = 2;
export const X = 1;

/** Writes a little-endian 64-bit value at offset. */
export function setU64(bytes: Uint8Array, offset: number, value: Wide): void {
  new DataView(bytes.buffer, bytes.byteOffset).setBigUint64(offset, BigInt(value), true);
}

/** Writes an ELF file from the spec; segment contents are a byte pattern. */
export function buildElf(spec: ElfSpec): Uint8Array {
  const phoff = Number(spec.phoff ?? 64);
  const fileEnd = spec.phdrs.reduce(
    (end, ph) => Math.max(end, Number(ph.offset) + Number(ph.filesz)),
    phoff + spec.phdrs.length * 56,
  );
  const size = spec.size ?? fileEnd;
  const bytes = new Uint8Array(size);
  for (let i = 64; i < size; i++) bytes[i] = (i * 7 + 3) & 0xff;
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  view.setUint16(16, spec.type ?? 2, true);
  view.setUint16(18, spec.machine ?? 62, true);
  view.setUint32(20, 1, true);
  setU64(bytes, 24, spec.entry);
  setU64(bytes, 32, phoff);
  view.setUint16(52, 64, true);
  view.setUint16(54, spec.phentsize ?? 56, true);
  view.setUint16(56, spec.phnum ?? spec.phdrs.length, true);
  spec.phdrs.forEach((ph, i) => {
    const at = phoff + i * 56;
    if (at + 56 > size) return;
    view.setUint32(at, ph.type, true);
    view.setUint32(at + 4, ph.flags, true);
    setU64(bytes, at + 8, ph.offset);
    setU64(bytes, at + 16, ph.vaddr);
    setU64(bytes, at + 24, ph.vaddr);
    setU64(bytes, at + 32, ph.filesz);
    setU64(bytes, at + 40, ph.memsz);
    setU64(bytes, at + 48, ph.align);
  });
  return bytes;
}

/**
 * A plausible static executable: headers and code in one R+X page at
 * 0x400000, data plus .bss at 0x401000, a TLS template and a GNU_STACK.
 */
export function sampleSpec(): ElfSpec {
  return {
    entry: 0x400200,
    phdrs: [
      {
        type: PT_LOAD,
        flags: R | X,
        offset: 0,
        vaddr: 0x400000,
        filesz: 0x300,
        memsz: 0x300,
        align: 0x1000,
      },
      {
        type: PT_LOAD,
        flags: R | W,
        offset: 0x1000,
        vaddr: 0x401000,
        filesz: 0x80,
        memsz: 0x2100,
        align: 0x1000,
      },
      {
        type: PT_TLS,
        flags: R,
        offset: 0x1000,
        vaddr: 0x401000,
        filesz: 0x10,
        memsz: 0x20,
        align: 8,
      },
      { type: PT_GNU_STACK, flags: R | W, offset: 0, vaddr: 0, filesz: 0, memsz: 0, align: 16 },
    ],
  };
}

/** A copy of the sample spec with one program header replaced. */
export function withPhdr(index: number, change: Partial<PhdrSpec>): ElfSpec {
  const spec = sampleSpec();
  spec.phdrs[index] = { ...spec.phdrs[index], ...change };
  return spec;
}

/**
 * Compiles a tiny freestanding program with the host gcc (ET_EXEC, or a
 * static PIE), or returns null when there is no gcc.
 */
export function compileTiny(pie: boolean): Uint8Array | null {
  const dir = mkdtempSync(join(tmpdir(), 'amber-loader-'));
  const source = join(dir, 'tiny.c');
  writeFileSync(
    source,
    [
      '__thread int counter = 5;',
      'int data_word = 7;',
      'char bss_area[10000];',
      'void _start(void) {',
      '  counter += data_word + bss_area[3];',
      '  __asm__ volatile("mov $60, %%eax\\n xor %%edi, %%edi\\n syscall" ::: "memory");',
      '}',
      '',
    ].join('\n'),
  );
  const out = join(dir, 'tiny');
  const mode = pie ? ['-static-pie', '-fPIE'] : ['-static', '-fno-pie'];
  try {
    execFileSync('gcc', [...mode, '-nostdlib', '-O1', '-o', out, source], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return new Uint8Array(readFileSync(out));
}
