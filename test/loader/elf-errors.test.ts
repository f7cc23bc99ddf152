import { describe, expect, it } from 'vitest';
import { ElfError, parseElf } from '../../src/loader/index.ts';
import type { ElfErrorCode } from '../../src/loader/index.ts';
import type { ElfSpec } from './elf-builder.ts';
import { PT_INTERP, PT_LOAD, R, W, buildElf, sampleSpec, setU64, withPhdr } from './elf-builder.ts';

function refusal(bytes: Uint8Array, loadBias?: number): ElfError {
  try {
    parseElf(bytes, { loadBias });
  } catch (error) {
    expect(error).toBeInstanceOf(ElfError);
    return error as ElfError;
  }
  throw new Error('parseElf accepted the file');
}

function expectCode(bytes: Uint8Array, code: ElfErrorCode, text?: RegExp): void {
  const error = refusal(bytes);
  expect(error.code).toBe(code);
  if (text) expect(error.message).toMatch(text);
}

function patched(spec: ElfSpec, patch: (bytes: Uint8Array, view: DataView) => void): Uint8Array {
  const bytes = buildElf(spec);
  patch(bytes, new DataView(bytes.buffer));
  return bytes;
}

describe('parseElf refuses malformed identification', () => {
  it('refuses a file that does not start with the ELF magic', () => {
    expectCode(new TextEncoder().encode('#!/bin/sh\necho hi\n'), 'ELF_NOT_ELF', /not an ELF/);
  });

  it('refuses an empty file as not ELF', () => {
    expectCode(new Uint8Array(0), 'ELF_NOT_ELF');
  });

  it('refuses a file cut inside the ELF header', () => {
    expectCode(buildElf(sampleSpec()).subarray(0, 40), 'ELF_TRUNCATED', /40 bytes/);
  });

  it('refuses a 32-bit ELF file', () => {
    expectCode(
      patched(sampleSpec(), (b) => (b[4] = 1)),
      'ELF_BAD_CLASS',
      /32-bit/,
    );
  });

  it('refuses a big-endian ELF file', () => {
    expectCode(
      patched(sampleSpec(), (b) => (b[5] = 2)),
      'ELF_BAD_ENDIAN',
      /big-endian/,
    );
  });

  it('refuses an unknown EI_VERSION', () => {
    expectCode(
      patched(sampleSpec(), (b) => (b[6] = 0)),
      'ELF_BAD_VERSION',
    );
  });

  it('refuses a program for another machine and names it', () => {
    expectCode(buildElf({ ...sampleSpec(), machine: 183 }), 'ELF_BAD_MACHINE', /AArch64/);
  });

  it('refuses a relocatable object file', () => {
    expectCode(buildElf({ ...sampleSpec(), type: 1 }), 'ELF_BAD_TYPE', /ET_REL/);
  });

  it('refuses a core dump', () => {
    expectCode(buildElf({ ...sampleSpec(), type: 4 }), 'ELF_BAD_TYPE', /core/);
  });
});

describe('parseElf refuses a malformed program header table', () => {
  it('refuses a program header entry size other than 56', () => {
    expectCode(buildElf({ ...sampleSpec(), phentsize: 32 }), 'ELF_BAD_PHDR', /e_phentsize is 32/);
  });

  it('refuses a file without program headers', () => {
    expectCode(buildElf({ ...sampleSpec(), phnum: 0 }), 'ELF_BAD_PHDR', /no program headers/);
  });

  it('refuses extended program header numbering', () => {
    expectCode(buildElf({ ...sampleSpec(), phnum: 0xffff }), 'ELF_BAD_PHDR', /PN_XNUM/);
  });

  it('refuses an absurd number of program headers', () => {
    expectCode(buildElf({ ...sampleSpec(), phnum: 300 }), 'ELF_TOO_MANY_PHDRS', /300/);
  });

  it('refuses a program header table that runs past the end of the file', () => {
    expectCode(
      buildElf({ ...sampleSpec(), phoff: 0x1050, size: 0x1080 }),
      'ELF_TRUNCATED',
      /program header/,
    );
  });

  it('refuses a program header offset near 2^64 without wrapping around', () => {
    const bytes = buildElf(sampleSpec());
    setU64(bytes, 32, 0xffffffffffffffc0n);
    expectCode(bytes, 'ELF_TRUNCATED', /0xffffffffffffffc0/);
  });
});

describe('parseElf refuses inconsistent segments', () => {
  it('refuses a segment whose file bytes run past the end of the file', () => {
    const spec = withPhdr(1, { filesz: 0x80 });
    expectCode(buildElf({ ...spec, size: 0x1040 }), 'ELF_SEGMENT_OUTSIDE_FILE', /program header 1/);
  });

  it('refuses a segment offset beyond 2^53 and quotes it exactly', () => {
    const bytes = buildElf({ ...withPhdr(1, { offset: 0x8000000000001000n }), size: 0x1080 });
    expectCode(bytes, 'ELF_SEGMENT_OUTSIDE_FILE', /0x8000000000001000/);
  });

  it('refuses p_filesz larger than p_memsz', () => {
    expectCode(buildElf(withPhdr(1, { memsz: 0x40 })), 'ELF_BAD_SEGMENT', /p_filesz/);
  });

  it('refuses an alignment that is not a power of two', () => {
    expectCode(buildElf(withPhdr(1, { align: 0x1800 })), 'ELF_BAD_ALIGNMENT', /p_align 0x1800/);
  });

  it('refuses an absurdly large alignment', () => {
    expectCode(buildElf(withPhdr(1, { align: 2n ** 62n })), 'ELF_BAD_ALIGNMENT');
  });

  it('refuses a file offset and address that disagree within the page', () => {
    expectCode(buildElf(withPhdr(1, { vaddr: 0x401010 })), 'ELF_BAD_ALIGNMENT', /modulo/);
  });

  it('refuses a segment larger than 4 GiB', () => {
    expectCode(buildElf(withPhdr(1, { memsz: 2 ** 33 })), 'ELF_TOO_LARGE', /4 GiB/);
  });

  it('refuses segments that together need more than 4 GiB', () => {
    const spec = withPhdr(1, { memsz: 3 * 2 ** 30 });
    spec.phdrs.push({
      type: PT_LOAD,
      flags: R | W,
      offset: 0,
      vaddr: 2 ** 40,
      filesz: 0,
      memsz: 3 * 2 ** 30,
      align: 0x1000,
    });
    expectCode(buildElf(spec), 'ELF_TOO_LARGE');
  });

  it('refuses segments that overlap', () => {
    const spec = withPhdr(1, { offset: 0x1100, vaddr: 0x400100, filesz: 0, memsz: 0x100 });
    expectCode(buildElf(spec), 'ELF_SEGMENTS_OVERLAP', /program headers 0 and 1/);
  });

  it('refuses a segment past the 47-bit user address space', () => {
    expectCode(buildElf(withPhdr(1, { vaddr: 2 ** 47 })), 'ELF_ADDRESS_OUT_OF_RANGE');
  });

  it('refuses a segment whose end crosses the top of user space', () => {
    const spec = withPhdr(1, { vaddr: 2 ** 47 - 0x2000, memsz: 0x3000 });
    expectCode(buildElf(spec), 'ELF_ADDRESS_OUT_OF_RANGE', /outside the user range/);
  });

  it('refuses a segment at a near-2^64 address without losing precision in the message', () => {
    expectCode(
      buildElf(withPhdr(1, { vaddr: 0xfffffffffffff000n })),
      'ELF_ADDRESS_OUT_OF_RANGE',
      /0xfffffffffffff000/,
    );
  });

  it('refuses a segment in the first 64 KiB, which stays unmapped', () => {
    expectCode(buildElf(withPhdr(1, { vaddr: 0x1000 })), 'ELF_ADDRESS_OUT_OF_RANGE');
  });

  it('refuses a file whose loadable segments are all empty', () => {
    const spec = sampleSpec();
    spec.phdrs = spec.phdrs.map((ph) =>
      ph.type === PT_LOAD ? { ...ph, filesz: 0, memsz: 0 } : ph,
    );
    expectCode(buildElf(spec), 'ELF_NO_LOADABLE_SEGMENT');
  });
});

describe('parseElf refuses unusable entry points, TLS and interpreters', () => {
  it('refuses an entry point in a non-executable segment', () => {
    expectCode(buildElf({ ...sampleSpec(), entry: 0x401010 }), 'ELF_BAD_ENTRY', /0x401010/);
  });

  it('refuses an entry point outside every segment', () => {
    expectCode(buildElf({ ...sampleSpec(), entry: 0xffffffffffffffffn }), 'ELF_BAD_ENTRY');
  });

  it('refuses two PT_TLS headers', () => {
    const spec = sampleSpec();
    spec.phdrs.push({ ...spec.phdrs[2] });
    expectCode(buildElf(spec), 'ELF_BAD_TLS', /2 PT_TLS/);
  });

  it('refuses a TLS template larger in the file than in memory', () => {
    expectCode(buildElf(withPhdr(2, { filesz: 0x40 })), 'ELF_BAD_TLS');
  });

  it('refuses a TLS template outside the loaded segments', () => {
    expectCode(buildElf(withPhdr(2, { vaddr: 0x900000 })), 'ELF_BAD_TLS', /not inside/);
  });

  it('says that dynamically linked programs are not supported yet, naming the interpreter', () => {
    const spec = sampleSpec();
    spec.phdrs.push({
      type: PT_INTERP,
      flags: R,
      offset: 0x200,
      vaddr: 0x400200,
      filesz: 28,
      memsz: 28,
      align: 1,
    });
    const bytes = buildElf(spec);
    bytes.set(new TextEncoder().encode('/lib64/ld-linux-x86-64.so.2\0'), 0x200);
    expectCode(bytes, 'ELF_DYNAMIC_UNSUPPORTED', /not supported yet.*ld-linux-x86-64/);
  });

  it('refuses a load bias that is not page aligned', () => {
    const spec = withPhdr(0, { vaddr: 0 });
    spec.type = 3;
    spec.phdrs[1].vaddr = 0x1000;
    spec.phdrs[2].vaddr = 0x1000;
    spec.entry = 0x200;
    expect(refusal(buildElf(spec), 0x1234).code).toBe('ELF_BAD_LOAD_BIAS');
  });

  it('refuses a TLS alignment that is not a power of two', () => {
    expectCode(buildElf(withPhdr(2, { align: 12 })), 'ELF_BAD_TLS');
  });

  it('accepts the sample file these refusals are derived from', () => {
    expect(parseElf(buildElf(sampleSpec())).entry).toBe(0x400200);
  });
});
