/**
 * A small ELF64 little-endian reader for tests: the header fields, program
 * headers and section headers that tests need to find code in a binary and
 * to tell a static executable from a dynamic one. It is independent of
 * src/loader on purpose, so that tests of the loader have a second opinion.
 */

/** Thrown when a file is not an ELF64 little-endian x86-64 image we can read. */
export class ElfFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfFormatError';
  }
}

export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const SHT_PROGBITS = 1;
export const SHT_NOBITS = 8;
export const SHF_EXECINSTR = 0x4;
export const EM_X86_64 = 62;

/** One section header, with its name resolved from the section name table. */
export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
}

/** One program header. */
export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  fileSize: number;
  memSize: number;
}

/** The parts of an ELF file that tests look at. */
export interface ElfImage {
  type: number;
  machine: number;
  entry: number;
  segments: ElfSegment[];
  sections: ElfSection[];
}

/**
 * Reads a u64 field as a JS number. Offsets and addresses in our test
 * binaries are far below 2^53; a larger value means a corrupt file.
 */
function u64(view: DataView, at: number): number {
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ElfFormatError(`64-bit field at ${at} is too large: ${value}`);
  }
  return Number(value);
}

function checkIdent(bytes: Uint8Array): void {
  if (bytes.length < 64) throw new ElfFormatError('file shorter than an ELF64 header');
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfFormatError('no ELF magic');
  }
  if (bytes[4] !== 2) throw new ElfFormatError('not ELF64');
  if (bytes[5] !== 1) throw new ElfFormatError('not little-endian');
}

function readSegments(view: DataView): ElfSegment[] {
  const phoff = u64(view, 0x20);
  const phentsize = view.getUint16(0x36, true);
  const phnum = view.getUint16(0x38, true);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 56 > view.byteLength) throw new ElfFormatError('program header out of file');
    segments.push({
      type: view.getUint32(at, true),
      flags: view.getUint32(at + 4, true),
      offset: u64(view, at + 8),
      vaddr: u64(view, at + 0x10),
      fileSize: u64(view, at + 0x20),
      memSize: u64(view, at + 0x28),
    });
  }
  return segments;
}

function readCString(bytes: Uint8Array, at: number): string {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return Buffer.from(bytes.subarray(at, end)).toString('latin1');
}

function readSections(bytes: Uint8Array, view: DataView): ElfSection[] {
  const shoff = u64(view, 0x28);
  const shentsize = view.getUint16(0x3a, true);
  const shnum = view.getUint16(0x3c, true);
  const shstrndx = view.getUint16(0x3e, true);
  if (shoff === 0 || shnum === 0) return [];

  const raw: (ElfSection & { nameOffset: number })[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    if (at + 64 > bytes.length) throw new ElfFormatError('section header out of file');
    raw.push({
      name: '',
      nameOffset: view.getUint32(at, true),
      type: view.getUint32(at + 4, true),
      flags: u64(view, at + 8),
      addr: u64(view, at + 0x10),
      offset: u64(view, at + 0x18),
      size: u64(view, at + 0x20),
    });
  }

  // Names live in the section the header points at; without it they stay empty.
  const names = raw[shstrndx];
  return raw.map(({ nameOffset, ...section }) => ({
    ...section,
    name: names === undefined ? '' : readCString(bytes, names.offset + nameOffset),
  }));
}

/** Parses the headers of an ELF64 little-endian file held in memory. */
export function parseElf(bytes: Uint8Array): ElfImage {
  checkIdent(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    type: view.getUint16(0x10, true),
    machine: view.getUint16(0x12, true),
    entry: u64(view, 0x18),
    segments: readSegments(view),
    sections: readSections(bytes, view),
  };
}

/** The sections that hold instructions and occupy bytes in the file. */
export function executableSections(image: ElfImage): ElfSection[] {
  return image.sections.filter(
    (s) => (s.flags & SHF_EXECINSTR) !== 0 && s.type !== SHT_NOBITS && s.size > 0,
  );
}

/** True when the image asks for no program interpreter (a static executable). */
export function isStatic(image: ElfImage): boolean {
  return !image.segments.some((s) => s.type === PT_INTERP);
}
