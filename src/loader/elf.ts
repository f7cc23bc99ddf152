// Turns the bytes of an executable into an ElfImage: a plain description of
// what to map where, with every field checked. Nothing here touches guest
// memory; see load-plan.ts for that.
//
// Decisions beyond what Linux checks, each to turn a later mystery crash
// into a clear refusal at load time:
// - an entry point outside every executable segment is refused
//   (ELF_BAD_ENTRY): Linux would start the program and it would die with
//   SIGSEGV before its first instruction;
// - loadable segments that share a byte are refused (ELF_SEGMENTS_OVERLAP):
//   Linux would let the later one silently replace the earlier one's pages;
// - more than one PT_TLS, or a TLS template outside the loaded segments, is
//   refused (ELF_BAD_TLS): the C library would read garbage or fault.

import {
  DEFAULT_PIE_LOAD_BIAS,
  ELF64_PHDR_SIZE,
  ET_DYN,
  PAGE_SIZE,
  PF_X,
  PROT_EXEC,
  PT_GNU_STACK,
  PT_INTERP,
  PT_LOAD,
  PT_TLS,
  USER_ADDRESS_LIMIT,
} from './elf-constants.ts';
import { ElfError } from './elf-error.ts';
import type { RawProgramHeader } from './elf-header.ts';
import { readElfHeader, readProgramHeaders } from './elf-header.ts';
import { FieldReader, alignUp, hex } from './elf-read.ts';
import type { CheckedSegment } from './elf-segments.ts';
import { checkLoadSegments, maxSegmentAlign, placeSegments } from './elf-segments.ts';
import { readTls } from './elf-tls.ts';

/** One loadable segment, at its final guest address. */
export interface LoadSegment {
  /** Guest address of the segment's first byte, load bias included. */
  vaddr: number;
  /** Bytes of memory the segment occupies from vaddr (p_memsz), > 0. */
  memsz: number;
  /** File offset of the bytes that initialise the segment (p_offset). */
  fileOffset: number;
  /** How many bytes come from the file (p_filesz); the rest are zero. */
  filesz: number;
  /** Protection as mmap bits: PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4. */
  prot: number;
  /** p_align as written (0 or a power of two), for information. */
  align: number;
}

/** The thread-local storage template (PT_TLS), at its final address. */
export interface TlsInfo {
  /** Guest address of the initialisation image, load bias included. */
  vaddr: number;
  /** Bytes of initialised TLS data (.tdata). */
  filesz: number;
  /** Total TLS block size, .tdata plus zeroed .tbss. */
  memsz: number;
  /** Required alignment of each thread's block (0 or a power of two). */
  align: number;
}

/** Where the program headers are in guest memory, for AT_PHDR and friends. */
export interface PhdrInfo {
  /**
   * Guest address of the program header table (AT_PHDR): found, as Linux
   * does, in the PT_LOAD whose file bytes contain e_phoff. 0 when no
   * segment maps the table, which is also what Linux passes then.
   */
  address: number;
  /** Size of one entry (AT_PHENT), always 56. */
  entrySize: number;
  /** Number of entries (AT_PHNUM). */
  count: number;
}

/** A checked executable, ready to plan its mappings from. */
export interface ElfImage {
  /** 'exec' for ET_EXEC (fixed addresses), 'dyn' for a static PIE. */
  type: 'exec' | 'dyn';
  /** Guest address of the first instruction (AT_ENTRY), bias included. */
  entry: number;
  /** Added to every address in the file: 0 for ET_EXEC. */
  loadBias: number;
  /** The program header table as the auxiliary vector reports it. */
  phdr: PhdrInfo;
  /** The PT_LOAD segments with p_memsz > 0, sorted by address, disjoint. */
  segments: readonly LoadSegment[];
  /** Whether PT_GNU_STACK asks for an executable stack (false if absent). */
  executableStack: boolean;
  /** The TLS template, or null when the program has no PT_TLS. */
  tls: TlsInfo | null;
}

/** Choices the caller makes about how to place the program. */
export interface ParseElfOptions {
  /**
   * For ET_DYN only: the address the file's address 0 should land at. Must
   * be page aligned; it is rounded up to the largest segment alignment.
   * Defaults to {@link DEFAULT_PIE_LOAD_BIAS}, Linux's choice without
   * address randomisation. Ignored for ET_EXEC.
   */
  loadBias?: number;
}

/**
 * Parses and checks an x86-64 ELF executable (ET_EXEC or static-PIE ET_DYN).
 * Throws ElfError with a stable code for every malformed or unsupported
 * input; never any other exception, and always in time bounded by the
 * header sizes (at most 256 program headers), not by the file size.
 */
export function parseElf(bytes: Uint8Array, options: ParseElfOptions = {}): ElfImage {
  // Headers.
  const reader = new FieldReader(bytes);
  const header = readElfHeader(reader);
  const headers = readProgramHeaders(reader, header);

  // A dynamic loader is the one thing we know we cannot run yet; say so
  // before complaining about anything else in the file.
  const interp = headers.find((ph) => ph.type === PT_INTERP);
  if (interp) throw dynamicUnsupported(reader, interp);

  // Segments, then where they go.
  const loads = headers.filter((ph) => ph.type === PT_LOAD);
  const checked = checkLoadSegments(reader, loads);
  const type = header.type === ET_DYN ? 'dyn' : 'exec';
  const loadBias = type === 'dyn' ? chooseBias(options.loadBias, checked) : 0;
  const placed = placeSegments(checked, loadBias);

  // What the program and its C library will look up at start-up.
  const entry = checkEntry(reader, header.entry, loadBias, placed);
  const stack = headers.find((ph) => ph.type === PT_GNU_STACK);
  return {
    type,
    entry,
    loadBias,
    phdr: {
      address: phdrAddress(header.phoff, loads, loadBias),
      entrySize: ELF64_PHDR_SIZE,
      count: header.phnum,
    },
    segments: placed.map(toLoadSegment),
    executableStack: stack !== undefined && (stack.flags & PF_X) !== 0,
    tls: readTls(
      reader,
      headers.filter((ph) => ph.type === PT_TLS),
      loadBias,
      placed,
    ),
  };
}

function dynamicUnsupported(reader: FieldReader, interp: RawProgramHeader): ElfError {
  let detail = '';
  // Quote the interpreter path when it is a short, printable string.
  if (interp.filesz > 0 && interp.filesz <= 256 && interp.offset + interp.filesz <= reader.length) {
    const raw = reader.bytes.subarray(interp.offset, interp.offset + interp.filesz);
    const end = raw.indexOf(0);
    const path = String.fromCharCode(...raw.subarray(0, end < 0 ? raw.length : end));
    if (/^[\x20-\x7e]+$/.test(path)) detail = ` (it asks for the interpreter ${path})`;
  }
  return new ElfError(
    'ELF_DYNAMIC_UNSUPPORTED',
    `dynamically linked programs are not supported yet${detail}; link the program statically`,
  );
}

function chooseBias(requested: number | undefined, segments: CheckedSegment[]): number {
  const bias = requested ?? DEFAULT_PIE_LOAD_BIAS;
  if (
    !Number.isSafeInteger(bias) ||
    bias < 0 ||
    bias % PAGE_SIZE !== 0 ||
    bias >= USER_ADDRESS_LIMIT
  ) {
    throw new ElfError(
      'ELF_BAD_LOAD_BIAS',
      `load bias ${String(bias)} is not a page-aligned user address`,
    );
  }
  return alignUp(bias, maxSegmentAlign(segments));
}

function checkEntry(
  reader: FieldReader,
  fileEntry: number,
  bias: number,
  segments: readonly CheckedSegment[],
): number {
  const entry = fileEntry + bias;
  const inCode = segments.some(
    (s) => (s.prot & PROT_EXEC) !== 0 && entry >= s.vaddr && entry < s.vaddr + s.memsz,
  );
  if (fileEntry > USER_ADDRESS_LIMIT || !inCode) {
    const where = bias === 0 ? reader.hex64(24) : `${reader.hex64(24)} + bias ${hex(bias)}`;
    throw new ElfError(
      'ELF_BAD_ENTRY',
      `the entry point ${where} is not inside an executable segment`,
    );
  }
  return entry;
}

function phdrAddress(phoff: number, loads: readonly RawProgramHeader[], bias: number): number {
  const home = loads.find((ph) => ph.offset <= phoff && phoff < ph.offset + ph.filesz);
  return home ? phoff - home.offset + home.vaddr + bias : 0;
}

function toLoadSegment(s: CheckedSegment): LoadSegment {
  return {
    vaddr: s.vaddr,
    memsz: s.memsz,
    fileOffset: s.offset,
    filesz: s.filesz,
    prot: s.prot,
    align: s.align,
  };
}
