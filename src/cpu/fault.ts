/** Exception vectors the CPU raises, numbered as on x86. */
export const Vector = {
  DE: 0,
  DB: 1,
  BP: 3,
  UD: 6,
  NM: 7,
  SS: 12,
  GP: 13,
  PF: 14,
  MF: 16,
  AC: 17,
  XM: 19,
} as const;

const NON_CANONICAL = 'non-canonical address';

/** Access kinds for page faults and page permissions (bit flags). */
export const Access = {
  READ: 1,
  WRITE: 2,
  EXEC: 4,
} as const;

/**
 * A processor exception raised while executing an instruction. It unwinds the
 * instruction: the run loop catches it, leaves RIP at the faulting instruction
 * and reports it. Handlers throw it before they change guest state whenever
 * they can, so that a fault leaves the instruction undone.
 */
export class CpuFault extends Error {
  /** Exception vector (see Vector). */
  readonly vector: number;
  /** Faulting linear address for page faults, else 0. */
  readonly address: number;
  /** The access that faulted (Access bits) for page faults, else 0. */
  readonly access: number;
  /** For page faults: true when the page was mapped but the access denied. */
  readonly protection: boolean;

  constructor(vector: number, message: string, address = 0, access = 0, protection = false) {
    super(message);
    this.name = 'CpuFault';
    this.vector = vector;
    this.address = address;
    this.access = access;
    this.protection = protection;
  }

  /** Invalid opcode (#UD): an instruction the CPU does not implement. */
  static ud(what = 'invalid or unsupported instruction'): CpuFault {
    return new CpuFault(Vector.UD, what);
  }

  /** Divide error (#DE): division by zero or a quotient that does not fit. */
  static de(): CpuFault {
    return new CpuFault(Vector.DE, 'divide error');
  }

  /** General protection (#GP): misaligned SSE access, non-canonical address. */
  static gp(what = 'general protection'): CpuFault {
    return new CpuFault(Vector.GP, what);
  }

  /** A non-canonical address: #GP, or #SS when the stack segment is used. */
  static nonCanonical(): CpuFault {
    return new CpuFault(Vector.GP, NON_CANONICAL);
  }

  /** The same fault as a stack-segment fault (#SS). */
  asStackFault(): CpuFault {
    return new CpuFault(Vector.SS, this.message);
  }

  /** True for a non-canonical address fault. */
  get isNonCanonical(): boolean {
    return this.message === NON_CANONICAL;
  }

  /** x87 floating-point error (#MF): a pending unmasked x87 exception. */
  static mf(): CpuFault {
    return new CpuFault(Vector.MF, 'x87 floating-point error');
  }

  /** SIMD floating-point exception (#XM): an unmasked MXCSR exception. */
  static xm(): CpuFault {
    return new CpuFault(Vector.XM, 'SIMD floating-point exception');
  }

  /** Page fault (#PF) at `address` for an `access` (Access bits). */
  static pageFault(address: number, access: number, protection = false): CpuFault {
    const kind = access & Access.WRITE ? 'write' : access & Access.EXEC ? 'execute' : 'read';
    const why = protection ? 'not permitted' : 'not mapped';
    const hex = address >= 0 ? '0x' + address.toString(16) : String(address);
    return new CpuFault(
      Vector.PF,
      `page fault: ${kind} at ${hex} ${why}`,
      address,
      access,
      protection,
    );
  }
}
