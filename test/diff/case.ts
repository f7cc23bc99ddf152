/**
 * A differential case: instruction bytes and the machine state they start
 * from. Both the native harness and Amber start from exactly this state.
 */
import {
  CASE_FLAGS,
  DATA_SIZE,
  DEFAULT_RSP,
  FCW_DEFAULT,
  FX,
  GPR_NAMES,
  MAX_CODE,
  MXCSR_DEFAULT,
  type GprName,
} from './layout.ts';

/** Bytes placed in the data region before the case runs (the rest is zero). */
export interface DataInit {
  /** Offset from DATA_BASE. */
  offset: number;
  bytes: Uint8Array | readonly number[];
}

/** Initial x87 state; fields left out take their FNINIT values. */
export interface X87Init {
  /** Control word (default 0x37f). */
  fcw?: number;
  /** Status word, including TOP in bits 11-13 (default 0). */
  fsw?: number;
  /**
   * Abridged tag byte as FXSAVE stores it: bit p set when physical register
   * p holds a value. Default: the registers given in `st` are valid.
   */
  ftw?: number;
  /** ST(0)..ST(7) in stack order, 10 bytes each (see f80 in fx.ts). */
  st?: readonly (Uint8Array | undefined)[];
}

/** One case. Only `code` is required. */
export interface DiffCase {
  /** Instruction bytes, run from CODE_BASE. */
  code: Uint8Array | readonly number[];
  /** GPRs; unset ones are 0, except rsp which is DEFAULT_RSP. */
  regs?: Partial<Record<GprName, bigint | number>>;
  /** Initial RFLAGS; only CF PF AF ZF SF DF OF are taken. */
  flags?: number;
  /** Initial MXCSR (default 0x1f80). */
  mxcsr?: number;
  /** xmm0..xmm15 as unsigned 128-bit values (unset ones are 0). */
  xmm?: readonly (bigint | undefined)[];
  x87?: X87Init;
  data?: readonly DataInit[];
  /** Flags left undefined by this case, added to the run's undefFlags. */
  undefFlags?: number;
  /** Shown in mismatch reports. */
  label?: string;
}

const MASK64 = (1n << 64n) - 1n;

/** The 16 initial GPR values of a case, as unsigned 64-bit numbers. */
export function caseGprs(c: DiffCase): bigint[] {
  return GPR_NAMES.map((name) => {
    const v = c.regs?.[name];
    if (v === undefined) return name === 'rsp' ? BigInt(DEFAULT_RSP) : 0n;
    return BigInt(v) & MASK64;
  });
}

/** The initial RFLAGS of a case (bit 1 set, only the case flags taken). */
export function caseFlags(c: DiffCase): number {
  return ((c.flags ?? 0) & CASE_FLAGS) | 2;
}

/** The initial x87 and SSE state of a case as a 512-byte FXSAVE image. */
export function caseFxImage(c: DiffCase): Uint8Array {
  const fx = new Uint8Array(512);
  const view = new DataView(fx.buffer);
  const x = c.x87 ?? {};
  const fsw = x.fsw ?? 0;
  view.setUint16(FX.FCW, x.fcw ?? FCW_DEFAULT, true);
  view.setUint16(FX.FSW, fsw, true);
  view.setUint32(FX.MXCSR, c.mxcsr ?? MXCSR_DEFAULT, true);
  const top = (fsw >> 11) & 7;
  let tags = 0;
  x.st?.forEach((value, i) => {
    if (value === undefined) return;
    if (value.length !== 10) throw new Error('an x87 register value has 10 bytes');
    fx.set(value, FX.ST0 + 16 * i);
    tags |= 1 << ((top + i) & 7);
  });
  fx[FX.FTW] = x.ftw ?? tags;
  c.xmm?.forEach((value, n) => {
    if (value === undefined) return;
    for (let b = 0; b < 16; b++)
      fx[FX.XMM0 + 16 * n + b] = Number((value >> BigInt(8 * b)) & 0xffn);
  });
  return fx;
}

/** The initial data region of a case. */
export function caseData(c: DiffCase): Uint8Array {
  const data = new Uint8Array(DATA_SIZE);
  for (const d of c.data ?? []) data.set(d.bytes, d.offset);
  return data;
}

/** Throws when a case cannot be run as given. */
export function checkCase(c: DiffCase): void {
  if (c.code.length > MAX_CODE) throw new Error(`case code is longer than ${MAX_CODE} bytes`);
  if (((c.mxcsr ?? MXCSR_DEFAULT) & ~0xffff) !== 0) throw new Error('MXCSR has reserved bits set');
  for (const d of c.data ?? []) {
    if (d.offset < 0 || d.offset + d.bytes.length > DATA_SIZE) {
      throw new Error(`data at offset ${d.offset} falls outside the data region`);
    }
  }
}
