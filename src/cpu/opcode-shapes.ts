/**
 * The shape of every opcode, independent of whether the CPU implements it:
 * whether a ModRM byte follows and what immediate comes after. The decoder
 * uses it to find the length of instructions that have no table row (they
 * raise #UD), and the table's rows are checked against it at start-up.
 */

export const SH_MODRM = 1;
/** Immediate kinds, in bits 1-4 of a shape. */
export const SH_IMM_NONE = 0;
export const SH_IMM_B = 2;
export const SH_IMM_W = 4;
export const SH_IMM_Z = 6;
export const SH_IMM_V = 8;
export const SH_IMM_WB = 10;
export const SH_IMM_O = 12;
/** F6/F7: an immediate only for /0 and /1 (test), of size b or z. */
export const SH_IMM_GROUP3 = 14;
export const SH_IMM_MASK = 30;
/** Invalid in 64-bit mode (or a prefix, handled before the table). */
export const SH_INVALID = 32;

function fill(t: Uint8Array, from: number, to: number, shape: number): void {
  for (let op = from; op <= to; op++) t[op] = shape;
}

function oneByteShapes(): Uint8Array {
  const t = new Uint8Array(256);
  const M = SH_MODRM;
  for (let row = 0; row < 8; row++) {
    const base = row * 8;
    fill(t, base, base + 3, M);
    t[base + 4] = SH_IMM_B;
    t[base + 5] = SH_IMM_Z;
  }
  for (const op of [0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f]) {
    t[op] = SH_INVALID;
  }
  fill(t, 0x60, 0x62, SH_INVALID);
  t[0x63] = M;
  t[0x68] = SH_IMM_Z;
  t[0x69] = M | SH_IMM_Z;
  t[0x6a] = SH_IMM_B;
  t[0x6b] = M | SH_IMM_B;
  fill(t, 0x70, 0x7f, SH_IMM_B);
  t[0x80] = M | SH_IMM_B;
  t[0x81] = M | SH_IMM_Z;
  t[0x82] = SH_INVALID;
  t[0x83] = M | SH_IMM_B;
  fill(t, 0x84, 0x8f, M);
  t[0x9a] = SH_INVALID;
  fill(t, 0xa0, 0xa3, SH_IMM_O);
  t[0xa8] = SH_IMM_B;
  t[0xa9] = SH_IMM_Z;
  fill(t, 0xb0, 0xb7, SH_IMM_B);
  fill(t, 0xb8, 0xbf, SH_IMM_V);
  t[0xc0] = M | SH_IMM_B;
  t[0xc1] = M | SH_IMM_B;
  t[0xc2] = SH_IMM_W;
  t[0xc4] = SH_INVALID;
  t[0xc5] = SH_INVALID;
  t[0xc6] = M | SH_IMM_B;
  t[0xc7] = M | SH_IMM_Z;
  t[0xc8] = SH_IMM_WB;
  t[0xca] = SH_IMM_W;
  t[0xcd] = SH_IMM_B;
  t[0xce] = SH_INVALID;
  fill(t, 0xd0, 0xd3, M);
  fill(t, 0xd4, 0xd6, SH_INVALID);
  fill(t, 0xd8, 0xdf, M);
  fill(t, 0xe0, 0xe7, SH_IMM_B);
  t[0xe8] = SH_IMM_Z;
  t[0xe9] = SH_IMM_Z;
  t[0xea] = SH_INVALID;
  t[0xeb] = SH_IMM_B;
  t[0xf6] = M | SH_IMM_GROUP3;
  t[0xf7] = M | SH_IMM_GROUP3;
  t[0xfe] = M;
  t[0xff] = M;
  return t;
}

function twoByteShapes(): Uint8Array {
  const t = new Uint8Array(256).fill(SH_MODRM);
  for (const op of [0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x0e, 0x77, 0xa0, 0xa1, 0xa2, 0xa8]) {
    t[op] = SH_IMM_NONE;
  }
  t[0xa9] = SH_IMM_NONE;
  t[0xaa] = SH_IMM_NONE;
  fill(t, 0x30, 0x37, SH_IMM_NONE);
  fill(t, 0xc8, 0xcf, SH_IMM_NONE);
  fill(t, 0x80, 0x8f, SH_IMM_Z);
  for (const op of [0x04, 0x0a, 0x0c, 0x24, 0x25, 0x26, 0x27, 0x39, 0x3b, 0x3c, 0x3d, 0x3e]) {
    t[op] = SH_INVALID;
  }
  t[0x3f] = SH_INVALID;
  t[0x7a] = SH_INVALID;
  t[0x7b] = SH_INVALID;
  t[0xa6] = SH_INVALID;
  t[0xa7] = SH_INVALID;
  for (const op of [0x0f, 0x70, 0x71, 0x72, 0x73, 0xa4, 0xac, 0xba, 0xc2, 0xc4, 0xc5, 0xc6]) {
    t[op] = SH_MODRM | SH_IMM_B;
  }
  return t;
}

/** Shapes per map: one-byte, 0F, 0F 38, 0F 3A. */
export const SHAPES: readonly Uint8Array[] = [
  oneByteShapes(),
  twoByteShapes(),
  new Uint8Array(256).fill(SH_MODRM),
  new Uint8Array(256).fill(SH_MODRM | SH_IMM_B),
];

/** VEX/EVEX map-1 opcodes that take an 8-bit immediate. */
export const VEX_MAP1_IMM8 = new Set([0x70, 0x71, 0x72, 0x73, 0xc2, 0xc4, 0xc5, 0xc6]);
