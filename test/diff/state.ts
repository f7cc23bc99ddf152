/**
 * The final machine state of one case on either side, and its comparison.
 */
import { caseData, type DiffCase } from './case.ts';
import { ARITH_FLAGS, CASE_FLAGS, FX, GPR_NAMES } from './layout.ts';
import { NativeStatus, type NativeResult } from './wire.ts';

/** What a case left behind, on the host or on Amber. */
export interface FinalState {
  gpr: bigint[];
  rflags: number;
  /** x87 and SSE state as a 512-byte FXSAVE image. */
  fx: Uint8Array;
  /** The whole data region. */
  data: Uint8Array;
  /** Where execution stopped: the faulting instruction, or the end of the code. */
  rip: bigint;
  /** The exception vector, when the case faulted. */
  vector?: number;
  /** The faulting address of a page fault. */
  faultAddr?: bigint;
  /** Set when the side could not run the case at all (timeout, harness error). */
  broken?: string;
}

/** What to compare; see DiffOptions in framework.ts. */
export interface CompareOptions {
  /** Flags not compared (undefined after the instructions under test). */
  undefFlags: number;
  sse: boolean;
  x87: boolean;
  /** FSW bits compared (default all). */
  fswMask: number;
}

const SIGNALS: Record<number, string> = {
  4: 'SIGILL',
  5: 'SIGTRAP',
  7: 'SIGBUS',
  8: 'SIGFPE',
  11: 'SIGSEGV',
};

/** Converts a native harness result into a FinalState. */
export function nativeState(c: DiffCase, r: NativeResult): FinalState {
  const data = caseData(c);
  for (const s of r.spans) data.set(s.bytes, s.offset);
  const state: FinalState = { gpr: r.gpr, rflags: r.rflags, fx: r.fx, data, rip: r.rip };
  if (r.status === NativeStatus.SIGNAL) {
    if (!(r.signo in SIGNALS)) state.broken = `unexpected signal ${r.signo}`;
    state.vector = r.trapno;
    if (r.trapno === 14) state.faultAddr = r.faultAddr;
  } else if (r.status === NativeStatus.TIMEOUT) {
    state.broken = 'timed out natively (endless loop?)';
  } else if (r.status === NativeStatus.BAD_INPUT) {
    state.broken = 'the harness refused the case';
  }
  return state;
}

const VECTOR_NAMES: Record<number, string> = {
  0: '#DE',
  1: '#DB',
  3: '#BP',
  6: '#UD',
  7: '#NM',
  13: '#GP',
  14: '#PF',
  16: '#MF',
  17: '#AC',
  19: '#XM',
};

/** A fault's name for reports. */
export function describeFault(s: FinalState): string {
  if (s.broken) return s.broken;
  if (s.vector === undefined) return 'none';
  const name = VECTOR_NAMES[s.vector] ?? `vector ${s.vector}`;
  return s.faultAddr === undefined ? name : `${name} at 0x${s.faultAddr.toString(16)}`;
}

const hex = (v: bigint | number, width = 0): string => '0x' + v.toString(16).padStart(width, '0');

const FLAG_NAMES: [number, string][] = [
  [0x1, 'CF'],
  [0x4, 'PF'],
  [0x10, 'AF'],
  [0x40, 'ZF'],
  [0x80, 'SF'],
  [0x400, 'DF'],
  [0x800, 'OF'],
];

/** Names of the flags in a mask, e.g. "CF OF". */
export function flagNames(mask: number): string {
  return FLAG_NAMES.filter(([bit]) => mask & bit)
    .map(([, name]) => name)
    .join(' ');
}

/** Differences between the native and Amber states, one line each; empty when they agree. */
export function compareStates(n: FinalState, a: FinalState, o: CompareOptions): string[] {
  if (n.broken || a.broken) {
    return [`native: ${n.broken ?? 'ran'}; amber: ${a.broken ?? 'ran'}`];
  }
  const diffs: string[] = [];
  if (n.vector !== a.vector || n.faultAddr !== a.faultAddr) {
    diffs.push(`fault: native ${describeFault(n)}, amber ${describeFault(a)}`);
  }
  if (n.vector !== undefined && n.rip !== a.rip) {
    diffs.push(`rip at fault: native ${hex(n.rip)}, amber ${hex(a.rip)}`);
  }
  for (let r = 0; r < 16; r++) {
    if (n.gpr[r] !== a.gpr[r]) {
      diffs.push(`${GPR_NAMES[r]}: native ${hex(n.gpr[r], 16)}, amber ${hex(a.gpr[r], 16)}`);
    }
  }
  const mask = CASE_FLAGS & ~(o.undefFlags & ARITH_FLAGS);
  const flagDiff = (n.rflags ^ a.rflags) & mask;
  if (flagDiff) {
    diffs.push(
      `flags: native ${hex(n.rflags & CASE_FLAGS, 3)}, amber ${hex(a.rflags & CASE_FLAGS, 3)}` +
        ` (differ in ${flagNames(flagDiff)}; undefined here: ${flagNames(o.undefFlags) || 'none'})`,
    );
  }
  if (o.sse) diffs.push(...compareSse(n.fx, a.fx));
  if (o.x87) diffs.push(...compareX87(n.fx, a.fx, o.fswMask));
  diffs.push(...compareData(n.data, a.data));
  return diffs;
}

function u16(fx: Uint8Array, at: number): number {
  return fx[at] | (fx[at + 1] << 8);
}

function bytesHex(b: Uint8Array, from: number, len: number): string {
  return Buffer.from(b.subarray(from, from + len)).toString('hex');
}

function compareSse(n: Uint8Array, a: Uint8Array): string[] {
  const diffs: string[] = [];
  const mxN = new DataView(n.buffer, n.byteOffset).getUint32(FX.MXCSR, true);
  const mxA = new DataView(a.buffer, a.byteOffset).getUint32(FX.MXCSR, true);
  if (mxN !== mxA) diffs.push(`mxcsr: native ${hex(mxN, 4)}, amber ${hex(mxA, 4)}`);
  for (let x = 0; x < 16; x++) {
    const at = FX.XMM0 + 16 * x;
    const bn = bytesHex(n, at, 16);
    const ba = bytesHex(a, at, 16);
    // Shown most significant byte first, as a 128-bit number reads.
    const msb = (s: string): string => s.match(/../g)!.reverse().join('');
    if (bn !== ba) diffs.push(`xmm${x}: native ${msb(bn)}, amber ${msb(ba)}`);
  }
  return diffs;
}

function compareX87(n: Uint8Array, a: Uint8Array, fswMask: number): string[] {
  const diffs: string[] = [];
  const fcw = [u16(n, FX.FCW), u16(a, FX.FCW)];
  if (fcw[0] !== fcw[1]) diffs.push(`fcw: native ${hex(fcw[0], 4)}, amber ${hex(fcw[1], 4)}`);
  const fsw = [u16(n, FX.FSW), u16(a, FX.FSW)];
  if ((fsw[0] ^ fsw[1]) & fswMask) {
    diffs.push(`fsw: native ${hex(fsw[0], 4)}, amber ${hex(fsw[1], 4)}`);
  }
  if (n[FX.FTW] !== a[FX.FTW]) {
    diffs.push(`tag (abridged): native ${hex(n[FX.FTW], 2)}, amber ${hex(a[FX.FTW], 2)}`);
  }
  // Register contents matter only where the native tag says they hold a value.
  const top = (fsw[0] >> 11) & 7;
  for (let i = 0; i < 8; i++) {
    if (!(n[FX.FTW] & (1 << ((top + i) & 7)))) continue;
    const at = FX.ST0 + 16 * i;
    const bn = bytesHex(n, at, 10);
    const ba = bytesHex(a, at, 10);
    const msb = (s: string): string => s.match(/../g)!.reverse().join('');
    if (bn !== ba) diffs.push(`st${i}: native ${msb(bn)}, amber ${msb(ba)}`);
  }
  return diffs;
}

function compareData(n: Uint8Array, a: Uint8Array): string[] {
  const diffs: string[] = [];
  let i = 0;
  while (i < n.length && diffs.length < 4) {
    if (n[i] === a[i]) {
      i++;
      continue;
    }
    const start = i;
    while (i < n.length && n[i] !== a[i] && i - start < 32) i++;
    diffs.push(
      `data+${hex(start)}: native ${bytesHex(n, start, i - start)}, amber ` +
        `${bytesHex(a, start, i - start)}`,
    );
  }
  return diffs;
}
