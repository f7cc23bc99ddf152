import { CpuFault } from './fault.ts';
import { Insn, REP_F2, REP_F3, REP_NONE, SEG_FS, SEG_GS, SEG_NONE, type Handler } from './insn.ts';
import {
  SHAPES,
  SH_IMM_B,
  SH_IMM_GROUP3,
  SH_IMM_MASK,
  SH_IMM_O,
  SH_IMM_V,
  SH_IMM_W,
  SH_IMM_WB,
  SH_IMM_Z,
  SH_INVALID,
  SH_MODRM,
  VEX_MAP1_IMM8,
} from './opcode-shapes.ts';
import { chooseAddressFn } from './operands.ts';
import type { OpRow, OpTable } from './table.ts';

/** The longest legal instruction. */
export const MAX_INSN_LENGTH = 15;

const raiseUd: Handler = () => {
  throw CpuFault.ud();
};

/** Thrown internally when an instruction runs past the bytes available. */
class NeedMoreBytes {}
const NEED_MORE = new NeedMoreBytes();

/**
 * Decodes one instruction at a time into an Insn: prefixes, REX, the opcode
 * maps, ModRM/SIB, displacements and immediates, then the table row that
 * gives its semantics. Encodings without a row decode to an instruction of
 * the right length whose handler raises #UD.
 */
export class Decoder {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;

  constructor(private readonly table: OpTable) {}

  private byte(): number {
    if (this.pos >= this.end) throw NEED_MORE;
    return this.buf[this.pos++];
  }

  private int8(): number {
    return (this.byte() << 24) >> 24;
  }

  private int16(): number {
    const lo = this.byte();
    return (((this.byte() << 8) | lo) << 16) >> 16;
  }

  private int32(): number {
    const b0 = this.byte();
    const b1 = this.byte();
    const b2 = this.byte();
    return b0 | (b1 << 8) | (b2 << 16) | (this.byte() << 24);
  }

  /**
   * Decodes the instruction whose first byte is `buf[off]` and whose address
   * is `addr`, reading no byte at or past `end`. Returns null when the
   * instruction continues past `end` (the caller supplies more bytes).
   */
  decode(buf: Uint8Array, off: number, end: number, addr: number): Insn | null {
    this.buf = buf;
    this.pos = off;
    this.end = Math.min(end, off + MAX_INSN_LENGTH);
    try {
      return this.decodeAt(off, addr);
    } catch (e) {
      if (e !== NEED_MORE) throw e;
      if (end >= off + MAX_INSN_LENGTH) return this.invalid(off, addr, MAX_INSN_LENGTH);
      return null;
    }
  }

  private invalid(off: number, addr: number, len: number): Insn {
    const i = new Insn(raiseUd);
    i.addr = addr;
    i.len = len;
    i.next = addr + len;
    i.name = '(bad)';
    this.flow = true;
    void off;
    return i;
  }

  /** Set by decode: the instruction ends a block. */
  flow = false;

  private decodeAt(off: number, addr: number): Insn {
    this.flow = false;
    let rex = 0;
    let rep = REP_NONE;
    let opsize = false;
    let adsize = false;
    let lock = false;
    let seg = SEG_NONE;
    let b: number;
    for (;;) {
      b = this.byte();
      if ((b & 0xf0) === 0x40) {
        rex = b;
        continue;
      }
      if (b === 0x66) opsize = true;
      else if (b === 0x67) adsize = true;
      else if (b === 0xf3) rep = REP_F3;
      else if (b === 0xf2) rep = REP_F2;
      else if (b === 0xf0) lock = true;
      else if (b === 0x64) seg = SEG_FS;
      else if (b === 0x65) seg = SEG_GS;
      else if (b !== 0x2e && b !== 0x36 && b !== 0x3e && b !== 0x26) break;
      rex = 0; // a REX prefix counts only right before the opcode
    }
    let map = 0;
    if (b === 0x0f) {
      b = this.byte();
      map = 1;
      if (b === 0x38 || b === 0x3a) {
        map = b === 0x38 ? 2 : 3;
        b = this.byte();
      }
    } else if (b === 0xc4 || b === 0xc5 || b === 0x62) {
      this.skipVex(b);
      return this.invalid(off, addr, this.pos - off);
    }
    const shape = SHAPES[map][b];
    if (shape & SH_INVALID) return this.invalid(off, addr, this.pos - off);

    const i = new Insn(raiseUd);
    i.addr = addr;
    i.op = map * 256 + b;
    i.rex = rex !== 0;
    i.pfx66 = opsize;
    i.lock = lock;
    i.seg = seg;
    i.asize = adsize ? 4 : 8;
    i.cc = b & 15;
    const rexB = (rex & 1) << 3;
    if (shape & SH_MODRM) this.modrm(i, rex);
    else i.reg = (b & 7) | rexB;

    const mandatory = map === 0 ? 0 : rep === REP_F3 ? 3 : rep === REP_F2 ? 2 : opsize ? 1 : 0;
    const row = this.pickRow(map, b, i, mandatory);
    i.rep = row?.pfx === 'f3' || row?.pfx === 'f2' ? REP_NONE : rep;
    const rexW = (rex & 8) !== 0;
    i.size = operandSize(row?.size ?? 'v', rexW, opsize && row?.pfx !== '66');
    if (i.size === 1) {
      if (!i.rex && i.reg >= 4 && i.reg < 8) i.reg += 12;
    }
    if (i.rm >= 4 && i.rm < 8 && !i.rex && (i.size === 1 || row?.rm8)) i.rm += 12;

    const relative = this.immediate(i, row, shape, rexW);
    i.len = this.pos - off;
    i.next = addr + i.len;
    if (i.base === -2) {
      i.disp = i.asize === 4 ? (i.next + i.disp) % 4294967296 : i.next + i.disp;
    }
    if (relative) i.target += i.next;
    if (i.rm < 0 && i.modrm >= 0) i.eaf = chooseAddressFn(i);
    if (row === undefined) {
      this.flow = true;
      i.name = '(unimplemented)';
      return i;
    }
    i.name = row.name;
    i.exec = row.select ? row.select(i) : row.exec;
    this.flow = row.flow === true;
    return i;
  }

  private modrm(i: Insn, rex: number): void {
    const m = this.byte();
    i.modrm = m;
    const mod = m >> 6;
    const rm = m & 7;
    i.reg = ((m >> 3) & 7) | ((rex & 4) << 1);
    if (mod === 3) {
      i.rm = rm | ((rex & 1) << 3);
      return;
    }
    i.rm = -1;
    if (rm === 4) {
      const sib = this.byte();
      i.scale = 1 << (sib >> 6);
      const index = ((sib >> 3) & 7) | ((rex & 2) << 2);
      i.index = index === 4 ? -1 : index;
      const base = sib & 7;
      if (base === 5 && mod === 0) {
        i.base = -1;
        i.disp = this.int32();
        return;
      }
      i.base = base | ((rex & 1) << 3);
    } else if (rm === 5 && mod === 0) {
      i.base = -2;
      i.disp = this.int32();
      return;
    } else {
      i.base = rm | ((rex & 1) << 3);
    }
    if (mod === 1) i.disp = this.int8();
    else if (mod === 2) i.disp = this.int32();
  }

  private pickRow(map: number, op: number, i: Insn, mandatory: number): OpRow | undefined {
    const rows = this.table.lookup(map, op);
    if (rows === undefined) return undefined;
    const mod = i.modrm >> 6;
    const ext = (i.modrm >> 3) & 7;
    for (const row of rows) {
      if (row.pfx !== undefined && PREFIX_CODE[row.pfx] !== mandatory) continue;
      if (row.ext !== undefined && row.ext !== ext) continue;
      if (row.mod !== undefined && (row.mod === 'reg') !== (mod === 3)) continue;
      if (row.rmv !== undefined && row.rmv !== (i.modrm & 7)) continue;
      return row;
    }
    return undefined;
  }

  /** Reads the immediate; returns true for a relative branch offset (in target). */
  private immediate(i: Insn, row: OpRow | undefined, shape: number, rexW: boolean): boolean {
    const kind = row === undefined ? shapeImm(shape, i) : row.imm;
    switch (kind) {
      case undefined:
        return false;
      case 'b':
        i.imm = this.int8();
        break;
      case 'jb':
        i.target = this.int8();
        return true;
      case 'w':
        i.imm = this.int16();
        break;
      case 'd':
        i.imm = this.int32();
        break;
      case 'z':
        i.imm = i.size === 2 ? this.int16() : this.int32();
        break;
      case 'jz':
        i.target = this.int32();
        return true;
      case 'v':
        i.imm = i.size === 2 ? this.int16() : this.int32();
        if (i.size === 8 && rexW) {
          i.immHi = this.int32();
          return false;
        }
        break;
      case 'wb':
        i.imm = this.int16() & 0xffff;
        i.imm2 = this.byte();
        return false;
      case 'o':
        i.imm = this.int32();
        i.immHi = i.asize === 8 ? this.int32() : 0;
        return false;
    }
    i.immHi = i.imm >> 31;
    return false;
  }

  /** Skips a VEX (C4, C5) or EVEX (62) instruction; Amber implements none. */
  private skipVex(lead: number): void {
    let map = 1;
    if (lead === 0xc5) {
      this.byte();
    } else if (lead === 0xc4) {
      map = this.byte() & 0x1f;
      this.byte();
    } else {
      map = this.byte() & 7;
      this.byte();
      this.byte();
    }
    const op = this.byte();
    if (lead !== 0x62 && map === 1 && op === 0x77) return;
    const probe = new Insn(raiseUd);
    this.modrm(probe, 0);
    if (map === 3 || (map === 1 && VEX_MAP1_IMM8.has(op))) this.byte();
  }
}

const PREFIX_CODE = { none: 0, '66': 1, f2: 2, f3: 3 } as const;

function operandSize(kind: NonNullable<OpRow['size']>, rexW: boolean, opsize: boolean): number {
  switch (kind) {
    case 'b':
      return 1;
    case 'v':
      return rexW ? 8 : opsize ? 2 : 4;
    case 'd64':
      return opsize && !rexW ? 2 : 8;
    case 'f64':
    case 'q':
      return 8;
    case 'w':
      return 2;
    case 'd':
      return 4;
    default:
      return 16;
  }
}

type ImmKind = OpRow['imm'];

function shapeImm(shape: number, i: Insn): ImmKind {
  switch (shape & SH_IMM_MASK) {
    case SH_IMM_B:
      return 'b';
    case SH_IMM_W:
      return 'w';
    case SH_IMM_Z:
      return 'z';
    case SH_IMM_V:
      return 'v';
    case SH_IMM_WB:
      return 'wb';
    case SH_IMM_O:
      return 'o';
    case SH_IMM_GROUP3:
      if (((i.modrm >> 3) & 7) > 1) return undefined;
      return (i.op & 1) === 0 ? 'b' : 'z';
    default:
      return undefined;
  }
}
