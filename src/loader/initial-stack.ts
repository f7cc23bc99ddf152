// The stack a new program finds at its entry point, laid out as Linux's
// exec does it (fs/exec.c and create_elf_tables in fs/binfmt_elf.c), from
// the top of the stack down:
//
//   stackTop - 8      an 8-byte zero word
//   below it          the execfn string (AT_EXECFN points here)
//   below it          the envp strings, then the argv strings, each
//                     NUL-terminated, so in increasing addresses: argv[0],
//                     ..., argv[n-1], envp[0], ..., envp[m-1], execfn
//   16-byte boundary  (Linux also subtracts a random amount here when
//                     randomising; we do not, so runs are reproducible)
//   below it          the platform string "x86_64" (AT_PLATFORM)
//   below it          the 16 AT_RANDOM bytes
//   padding           0 to 15 bytes, so that rsp ends 16-byte aligned
//   rsp ->            argc, argv[0..n-1], NULL, envp[0..m-1], NULL,
//                     auxv pairs (type, value) ..., AT_NULL, 0
//
// The x86-64 psABI requires rsp % 16 == 0 at _start, pointing at argc.

import {
  AT_BASE,
  AT_CLKTCK,
  AT_EGID,
  AT_ENTRY,
  AT_EUID,
  AT_EXECFN,
  AT_FLAGS,
  AT_GID,
  AT_HWCAP,
  AT_HWCAP2,
  AT_MINSIGSTKSZ,
  AT_NULL,
  AT_PAGESZ,
  AT_PHDR,
  AT_PHENT,
  AT_PHNUM,
  AT_PLATFORM,
  AT_RANDOM,
  AT_RSEQ_ALIGN,
  AT_RSEQ_FEATURE_SIZE,
  AT_SECURE,
  AT_SYSINFO_EHDR,
  AT_UID,
} from './auxv.ts';
import { PAGE_SIZE } from './elf-constants.ts';
import type { ElfImage } from './elf.ts';

/** Longest argument or environment string, NUL included (Linux's name). */
export const MAX_ARG_STRLEN = 32 * PAGE_SIZE;

/**
 * Default limit on argv and envp together, strings and pointers: what Linux
 * allows with the usual 8 MiB stack limit (a quarter of it).
 */
export const DEFAULT_MAX_ARG_BYTES = 2 * 2 ** 20;

/** Why an initial stack cannot be built; code is the errno for execve. */
export class InitialStackError extends Error {
  /** E2BIG: arguments too long; EINVAL: a string holds a NUL byte. */
  readonly code: 'E2BIG' | 'EINVAL';

  constructor(code: 'E2BIG' | 'EINVAL', message: string) {
    super(message);
    this.name = 'InitialStackError';
    this.code = code;
  }
}

/** Everything that goes onto a new program's stack. */
export interface InitialStackInput {
  /**
   * One past the highest stack address (the end of the stack mapping).
   * Preconditions: a multiple of 16.
   */
  stackTop: number;
  /** Arguments; an empty list gets one empty string, as Linux 5.18+ does. */
  argv: readonly (string | Uint8Array)[];
  /** Environment strings, "NAME=value". */
  envp: readonly (string | Uint8Array)[];
  /** The path the program was executed as (AT_EXECFN). */
  execfn: string | Uint8Array;
  /** The loaded program: entry and program header location. */
  image: Pick<ElfImage, 'entry' | 'phdr'>;
  /** AT_BASE: the interpreter's load address; 0 (default) when static. */
  interpreterBase?: number;
  /** AT_PLATFORM string; defaults to "x86_64". */
  platform?: string;
  /** Exactly 16 random bytes for AT_RANDOM; the kernel owns randomness. */
  random: Uint8Array;
  /** Credentials for AT_UID, AT_EUID, AT_GID, AT_EGID. */
  credentials: { uid: number; euid: number; gid: number; egid: number };
  /** AT_SECURE; defaults to false. */
  secure?: boolean;
  /** AT_HWCAP: the CPUID leaf 1 edx bits the CPU reports. */
  hwcap: number;
  /** AT_HWCAP2 bits (0 when none). */
  hwcap2: number;
  /** AT_CLKTCK; defaults to 100 like Linux's USER_HZ. */
  clockTicks?: number;
  /** AT_MINSIGSTKSZ: bytes the kernel's signal frame needs. */
  minSigStackSize: number;
  /** AT_SYSINFO_EHDR: the vDSO address; omitted from auxv when absent or 0. */
  vdsoAddress?: number;
  /**
   * AT_RSEQ_FEATURE_SIZE and AT_RSEQ_ALIGN, as Linux 6.3+ reports them;
   * omitted when absent, and glibc then assumes the original 32-byte rseq.
   */
  rseq?: { featureSize: number; align: number };
  /** Limit on argv plus envp (strings and pointers); defaults to 2 MiB. */
  maxArgBytes?: number;
}

/** The built stack: bytes to write at sp, and what the kernel remembers. */
export interface InitialStack {
  /** Initial rsp: points at argc, 16-byte aligned. */
  sp: number;
  /** The contents of [sp, stackTop). */
  bytes: Uint8Array;
  /** The auxiliary vector as written, AT_NULL last (for /proc/self/auxv). */
  auxv: Array<[type: number, value: number]>;
  /** Bounds of the argv strings (for /proc/self/cmdline). */
  argStart: number;
  argEnd: number;
  /** Bounds of the envp strings (for /proc/self/environ). */
  envStart: number;
  envEnd: number;
  /** Addresses of the AT_RANDOM bytes, AT_PLATFORM and AT_EXECFN strings. */
  randomAddress: number;
  platformAddress: number;
  execfnAddress: number;
}

const encoder = new TextEncoder();

/**
 * Lays out the initial stack. Throws InitialStackError (E2BIG, EINVAL) for
 * arguments the guest or user got wrong, RangeError for caller bugs.
 */
export function buildInitialStack(input: InitialStackInput): InitialStack {
  if (input.stackTop % 16 !== 0 || !Number.isSafeInteger(input.stackTop)) {
    throw new RangeError(`stack top ${input.stackTop} is not 16-byte aligned`);
  }
  if (input.random.length !== 16) {
    throw new RangeError(`AT_RANDOM needs 16 bytes, got ${input.random.length}`);
  }

  // Strings, checked against Linux's limits.
  const argv = (input.argv.length === 0 ? [''] : input.argv).map(toCString);
  const envp = input.envp.map(toCString);
  const execfn = toCString(input.execfn);
  checkArgSize(argv, envp, execfn, input.maxArgBytes ?? DEFAULT_MAX_ARG_BYTES);

  // Addresses, from the top down.
  let p = input.stackTop - 8;
  const execfnAddress = (p -= execfn.length);
  const envEnd = execfnAddress;
  const envAddresses = placeDown(envp, (len) => (p -= len));
  const envStart = p;
  const argAddresses = placeDown(argv, (len) => (p -= len));
  const argStart = p;
  p -= p % 16;
  const platform = toCString(input.platform ?? 'x86_64');
  const platformAddress = (p -= platform.length);
  const randomAddress = (p -= 16);

  // The vectors, below the strings.
  const auxv = auxvEntries(input, randomAddress, platformAddress, execfnAddress);
  const words = 1 + argv.length + 1 + envp.length + 1 + auxv.length * 2;
  const sp = p - words * 8 - ((p - words * 8) % 16);

  // Bytes.
  const bytes = new Uint8Array(input.stackTop - sp);
  const view = new DataView(bytes.buffer);
  const put = (addr: number, data: Uint8Array): void => bytes.set(data, addr - sp);
  put(execfnAddress, execfn);
  envp.forEach((s, i) => put(envAddresses[i], s));
  argv.forEach((s, i) => put(argAddresses[i], s));
  put(platformAddress, platform);
  put(randomAddress, input.random);
  const vector = [argv.length, ...argAddresses, 0, ...envAddresses, 0, ...auxv.flat()];
  vector.forEach((value, i) => writeU64(view, i * 8, value));

  return {
    sp,
    bytes,
    auxv,
    argStart,
    argEnd: envStart,
    envStart,
    envEnd,
    randomAddress,
    platformAddress,
    execfnAddress,
  };
}

// Gives each string an address going down from the current point, last
// string first, so that the strings end up in order in memory.
function placeDown(strings: readonly Uint8Array[], take: (length: number) => number): number[] {
  const addresses = new Array<number>(strings.length);
  for (let i = strings.length - 1; i >= 0; i--) addresses[i] = take(strings[i].length);
  return addresses;
}

function auxvEntries(
  input: InitialStackInput,
  randomAddress: number,
  platformAddress: number,
  execfnAddress: number,
): Array<[number, number]> {
  // Linux's order: architecture entries first, then the generic ones.
  const entries: Array<[number, number]> = [];
  if (input.vdsoAddress) entries.push([AT_SYSINFO_EHDR, input.vdsoAddress]);
  const { uid, euid, gid, egid } = input.credentials;
  entries.push(
    [AT_MINSIGSTKSZ, input.minSigStackSize],
    [AT_HWCAP, input.hwcap],
    [AT_PAGESZ, PAGE_SIZE],
    [AT_CLKTCK, input.clockTicks ?? 100],
    [AT_PHDR, input.image.phdr.address],
    [AT_PHENT, input.image.phdr.entrySize],
    [AT_PHNUM, input.image.phdr.count],
    [AT_BASE, input.interpreterBase ?? 0],
    [AT_FLAGS, 0],
    [AT_ENTRY, input.image.entry],
    [AT_UID, uid],
    [AT_EUID, euid],
    [AT_GID, gid],
    [AT_EGID, egid],
    [AT_SECURE, input.secure ? 1 : 0],
    [AT_RANDOM, randomAddress],
    [AT_HWCAP2, input.hwcap2],
    [AT_EXECFN, execfnAddress],
    [AT_PLATFORM, platformAddress],
  );
  if (input.rseq) {
    entries.push([AT_RSEQ_FEATURE_SIZE, input.rseq.featureSize], [AT_RSEQ_ALIGN, input.rseq.align]);
  }
  entries.push([AT_NULL, 0]);
  return entries;
}

function toCString(value: string | Uint8Array): Uint8Array {
  const body = typeof value === 'string' ? encoder.encode(value) : value;
  if (body.includes(0)) {
    throw new InitialStackError('EINVAL', 'an argument or environment string contains a NUL byte');
  }
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  return out;
}

function checkArgSize(
  argv: readonly Uint8Array[],
  envp: readonly Uint8Array[],
  execfn: Uint8Array,
  limit: number,
): void {
  let total = execfn.length + 8 * (argv.length + envp.length);
  for (const s of [...argv, ...envp]) {
    if (s.length > MAX_ARG_STRLEN) {
      throw new InitialStackError(
        'E2BIG',
        `an argument or environment string is ${s.length} bytes; the limit is ${MAX_ARG_STRLEN}`,
      );
    }
    total += s.length;
  }
  if (total > limit) {
    throw new InitialStackError(
      'E2BIG',
      `arguments and environment take ${total} bytes; the limit is ${limit}`,
    );
  }
}

// Stack words are little-endian 64-bit; every value here is a safe integer.
function writeU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value % 2 ** 32, true);
  view.setUint32(offset + 4, Math.floor(value / 2 ** 32), true);
}
