/**
 * The binary batch protocol of the native harness (see native/harness.c and
 * README.md). Little-endian throughout.
 *
 * Case:   u32 magic "CASE", u32 codeLen, u32 nSegments, u32 0,
 *         u64 gpr[16], u64 rflags, u8 fxsave[512],
 *         code[codeLen], then nSegments x (u32 offset, u32 len, bytes[len]).
 * Result: u32 magic "RSLT", u32 status, u32 signo, u32 siCode,
 *         u64 faultAddr, u64 trapno, u64 err, u64 rip,
 *         u64 gpr[16], u64 rflags, u8 fxsave[512], u32 nSpans, u32 0,
 *         then nSpans x (u32 offset, u32 len, bytes[len]): the bytes of the
 *         data region that differ from the case's initial data.
 */
import { caseFlags, caseFxImage, caseGprs, checkCase, type DiffCase } from './case.ts';

const CASE_MAGIC = 0x45534143;
const RESULT_MAGIC = 0x544c5352;
const CASE_HEADER = 16 + 128 + 8 + 512;
const RESULT_HEADER = 16 + 32 + 128 + 8 + 512 + 8;

/** How a native case ended. */
export const NativeStatus = { OK: 0, SIGNAL: 1, TIMEOUT: 2, BAD_INPUT: 3 } as const;

/** One case's outcome on the host processor. */
export interface NativeResult {
  status: number;
  signo: number;
  siCode: number;
  /** si_addr: the faulting address for SIGSEGV, the instruction otherwise. */
  faultAddr: bigint;
  /** The exception vector the kernel saw (ucontext's trapno). */
  trapno: number;
  rip: bigint;
  gpr: bigint[];
  rflags: number;
  fx: Uint8Array;
  /** Changed parts of the data region. */
  spans: { offset: number; bytes: Uint8Array }[];
}

/** Serialises cases into one batch for the harness's stdin. */
export function encodeCases(cases: readonly DiffCase[]): Buffer {
  const parts: Buffer[] = [];
  for (const c of cases) {
    checkCase(c);
    const segments = c.data ?? [];
    const head = Buffer.alloc(CASE_HEADER);
    head.writeUInt32LE(CASE_MAGIC, 0);
    head.writeUInt32LE(c.code.length, 4);
    head.writeUInt32LE(segments.length, 8);
    caseGprs(c).forEach((v, r) => head.writeBigUInt64LE(v, 16 + 8 * r));
    head.writeBigUInt64LE(BigInt(caseFlags(c)), 144);
    head.set(caseFxImage(c), 152);
    parts.push(head, Buffer.from(Uint8Array.from(c.code)));
    for (const s of segments) {
      const sh = Buffer.alloc(8);
      sh.writeUInt32LE(s.offset, 0);
      sh.writeUInt32LE(s.bytes.length, 4);
      parts.push(sh, Buffer.from(Uint8Array.from(s.bytes)));
    }
  }
  return Buffer.concat(parts);
}

/** Parses the harness's stdout into `count` results. */
export function decodeResults(out: Buffer, count: number): NativeResult[] {
  const results: NativeResult[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + RESULT_HEADER > out.length) throw new Error(`harness output ends after ${k} results`);
    if (out.readUInt32LE(p) !== RESULT_MAGIC) throw new Error(`bad result magic at case ${k}`);
    const gpr: bigint[] = [];
    for (let r = 0; r < 16; r++) gpr.push(out.readBigUInt64LE(p + 48 + 8 * r));
    const result: NativeResult = {
      status: out.readUInt32LE(p + 4),
      signo: out.readUInt32LE(p + 8),
      siCode: out.readInt32LE(p + 12),
      faultAddr: out.readBigUInt64LE(p + 16),
      trapno: Number(out.readBigUInt64LE(p + 24)),
      rip: out.readBigUInt64LE(p + 40),
      gpr,
      rflags: Number(out.readBigUInt64LE(p + 176) & 0xffffffffn),
      fx: Uint8Array.from(out.subarray(p + 184, p + 696)),
      spans: [],
    };
    const nSpans = out.readUInt32LE(p + 696);
    p += RESULT_HEADER;
    for (let s = 0; s < nSpans; s++) {
      const offset = out.readUInt32LE(p);
      const len = out.readUInt32LE(p + 4);
      result.spans.push({ offset, bytes: Uint8Array.from(out.subarray(p + 8, p + 8 + len)) });
      p += 8 + len;
    }
    results.push(result);
  }
  return results;
}
