// The ELF file header and the program header table: the two fixed-format
// parts of an executable that must be read before anything can be loaded.
// Section headers are ignored, as Linux ignores them when it runs a file.

import {
  ELF64_EHDR_SIZE,
  ELF64_PHDR_SIZE,
  ELFCLASS64,
  ELFDATA2LSB,
  EM_X86_64,
  ET_DYN,
  ET_EXEC,
  EV_CURRENT,
  PN_XNUM,
} from './elf-constants.ts';
import { ElfError } from './elf-error.ts';
import type { FieldReader } from './elf-read.ts';
import { hex } from './elf-read.ts';

/**
 * No real program has anywhere near this many program headers (a static
 * glibc binary has about ten); a larger count is a corrupt or hostile file.
 */
export const MAX_PROGRAM_HEADERS = 256;

/** The fields of the ELF header that loading needs, already validated. */
export interface ElfHeader {
  /** ET_EXEC or ET_DYN. */
  type: number;
  /** e_entry as written in the file (before any load bias). */
  entry: number;
  /** File offset of the program header table. */
  phoff: number;
  /** Number of program headers, 1 to {@link MAX_PROGRAM_HEADERS}. */
  phnum: number;
}

/** One program header as written in the file, fields not yet checked. */
export interface RawProgramHeader {
  /** Position in the table, for messages. */
  index: number;
  /** File offset of this header, so messages can quote exact 64-bit fields. */
  at: number;
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

const MACHINE_NAMES: Record<number, string> = {
  3: 'i386',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  40: 'ARM',
  183: 'AArch64',
  243: 'RISC-V',
};

const TYPE_NAMES: Record<number, string> = {
  0: 'ET_NONE (no file type)',
  1: 'ET_REL (a relocatable object file, not linked into an executable)',
  4: 'ET_CORE (a core dump)',
};

/** Reads and checks the 64-byte ELF header. */
export function readElfHeader(reader: FieldReader): ElfHeader {
  checkIdent(reader);

  const type = reader.u16(16);
  if (type !== ET_EXEC && type !== ET_DYN) {
    const name = TYPE_NAMES[type] ?? `unknown type ${type}`;
    throw new ElfError('ELF_BAD_TYPE', `e_type is ${name}; only executables can be run`);
  }

  const machine = reader.u16(18);
  if (machine !== EM_X86_64) {
    const name = MACHINE_NAMES[machine] ?? `machine ${machine}`;
    throw new ElfError('ELF_BAD_MACHINE', `the program is built for ${name}, not x86-64`);
  }

  const phentsize = reader.u16(54);
  const phnum = reader.u16(56);
  const phoff = reader.u64(32);
  checkPhdrTable(reader, phoff, phentsize, phnum);
  return { type, entry: reader.u64(24), phoff, phnum };
}

function checkIdent(reader: FieldReader): void {
  const magic = [0x7f, 0x45, 0x4c, 0x46];
  if (reader.length < magic.length || magic.some((byte, i) => reader.u8(i) !== byte)) {
    throw new ElfError('ELF_NOT_ELF', 'not an ELF file: the first four bytes are not "\\x7fELF"');
  }
  if (reader.length < ELF64_EHDR_SIZE) {
    throw new ElfError(
      'ELF_TRUNCATED',
      `the file is ${reader.length} bytes long, shorter than the ${ELF64_EHDR_SIZE}-byte ELF64 ` +
        `header`,
    );
  }

  const elfClass = reader.u8(4);
  if (elfClass !== ELFCLASS64) {
    const what = elfClass === 1 ? '32-bit (ELFCLASS32)' : `of unknown class ${elfClass}`;
    throw new ElfError('ELF_BAD_CLASS', `the file is ${what}; only 64-bit ELF is supported`);
  }
  const data = reader.u8(5);
  if (data !== ELFDATA2LSB) {
    const what = data === 2 ? 'big-endian' : `of unknown byte order ${data}`;
    throw new ElfError('ELF_BAD_ENDIAN', `the file is ${what}; x86-64 needs little-endian`);
  }
  const version = reader.u8(6);
  if (version !== EV_CURRENT) {
    throw new ElfError('ELF_BAD_VERSION', `EI_VERSION is ${version}, expected ${EV_CURRENT}`);
  }
}

function checkPhdrTable(
  reader: FieldReader,
  phoff: number,
  phentsize: number,
  phnum: number,
): void {
  if (phentsize !== ELF64_PHDR_SIZE) {
    throw new ElfError(
      'ELF_BAD_PHDR',
      `e_phentsize is ${phentsize}, but ELF64 program headers are ${ELF64_PHDR_SIZE} bytes`,
    );
  }
  if (phnum === 0) {
    throw new ElfError('ELF_BAD_PHDR', 'the file has no program headers, so nothing to load');
  }
  if (phnum === PN_XNUM) {
    throw new ElfError(
      'ELF_BAD_PHDR',
      'extended program header numbering (PN_XNUM) is not supported',
    );
  }
  if (phnum > MAX_PROGRAM_HEADERS) {
    throw new ElfError(
      'ELF_TOO_MANY_PHDRS',
      `e_phnum is ${phnum}; more than ${MAX_PROGRAM_HEADERS} program headers is not plausible`,
    );
  }
  // phoff may be rounded above 2^53, but then it is still past the end.
  if (phoff + phnum * ELF64_PHDR_SIZE > reader.length) {
    throw new ElfError(
      'ELF_TRUNCATED',
      `the program header table (${phnum} entries at offset ${reader.hex64(32)}) ends past ` +
        `the end of the ${reader.length}-byte file`,
    );
  }
}

/** Reads every program header. Preconditions: header is from readElfHeader. */
export function readProgramHeaders(reader: FieldReader, header: ElfHeader): RawProgramHeader[] {
  const headers: RawProgramHeader[] = [];
  for (let index = 0; index < header.phnum; index++) {
    const at = header.phoff + index * ELF64_PHDR_SIZE;
    headers.push({
      index,
      at,
      type: reader.u32(at),
      flags: reader.u32(at + 4),
      offset: reader.u64(at + 8),
      vaddr: reader.u64(at + 16),
      filesz: reader.u64(at + 32),
      memsz: reader.u64(at + 40),
      align: reader.u64(at + 48),
    });
  }
  return headers;
}

/** Describes a program header for messages: "program header 3 (PT_LOAD)". */
export function describeHeader(ph: RawProgramHeader, typeName: string): string {
  return `program header ${ph.index} (${typeName} at file offset ${hex(ph.at)})`;
}
