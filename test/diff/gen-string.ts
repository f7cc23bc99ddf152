/**
 * Cases for string instructions: movs, stos, lods, cmps, scas at every size,
 * without a prefix, with rep (F3) and, for cmps and scas, with repe (F3) and
 * repne (F2); with DF clear and set; with counts from 0 up; including
 * overlapping movs. All flags these write are defined.
 */
import type { DiffCase } from './case.ts';
import { makeCase, setOperand, type Regs } from './gen.ts';
import { DATA_BASE, DF } from './layout.ts';
import { Rng, SIZES, type Size } from './rng.ts';

/** Mnemonics with generators here. */
export const STRING_MNEMONICS = ['movs', 'stos', 'lods', 'cmps', 'scas'] as const;

const OPCODE: Record<string, number> = {
  movs: 0xa4,
  cmps: 0xa6,
  stos: 0xaa,
  lods: 0xac,
  scas: 0xae,
};
const SRC_AREA = 0x2000;
const DST_AREA = 0x5000;
const AREA = 0x800;

/** A random count: small counts often, sometimes larger ones. */
function count(rng: Rng): number {
  return rng.chance(0.7) ? rng.int(9) : rng.int(200);
}

function oneCase(rng: Rng, name: string, size: Size, prefix: number): DiffCase {
  const regs: Regs = {};
  const down = rng.chance(0.5);
  // Runs stay inside their areas whichever way they go.
  const n = prefix ? Math.min(count(rng), Math.floor(900 / size)) : 1;
  const src = Array.from({ length: AREA }, () => rng.int(rng.chance(0.5) ? 4 : 256));
  let dst = Array.from({ length: AREA }, () => rng.int(256));
  const compare = name === 'cmps' || name === 'scas';
  // Start in the middle of each area so that either direction stays inside.
  const si = AREA / 2 + rng.int(64);
  let di = AREA / 2 + rng.int(64);
  if (name === 'cmps') {
    // Equal runs with a difference somewhere, so repe/repne stop early or not.
    dst = [...src];
    di = si;
    for (let k = rng.int(4); k > 0; k--) {
      const at = si + (rng.int(2 * n * size + 1) - n * size);
      if (at >= 0 && at < AREA) dst[at] ^= 1 << rng.int(8);
    }
  }
  regs.rsi = BigInt(DATA_BASE + SRC_AREA + si);
  regs.rdi = BigInt(DATA_BASE + DST_AREA + di);
  if (name === 'movs' && rng.chance(0.2)) {
    // Overlapping copy within one area: byte-by-byte semantics show.
    regs.rdi = regs.rsi + BigInt(rng.int(9) - 4);
  }
  regs.rcx = prefix ? BigInt(n) : rng.u64();
  if (name === 'scas') {
    // Search for a value that is present in the run, or often not.
    const at = DST_AREA + di + (down ? -1 : 1) * size * rng.int(n + 1);
    let v = 0n;
    for (let b = size - 1; b >= 0; b--) v = (v << 8n) | BigInt(dst[at - DST_AREA + b] ?? 0);
    setOperand(rng, regs, 0, size, rng.chance(0.6) ? v : rng.operand(size));
  } else {
    setOperand(rng, regs, 0, 8, rng.u64());
  }
  const w = size === 1 ? 0 : 1;
  const code = [
    ...(prefix ? [prefix] : []),
    ...(size === 2 ? [0x66] : []),
    ...(size === 8 ? [0x48] : []),
    OPCODE[name] + w,
  ];
  const flags = (rng.u32() & 0x8d5) | (down ? DF : 0);
  const rep = prefix === 0 ? '' : compare ? (prefix === 0xf3 ? 'repe ' : 'repne ') : 'rep ';
  return makeCase(rng, code, regs, {
    flags,
    data: [
      { offset: SRC_AREA, bytes: src },
      { offset: DST_AREA, bytes: dst },
    ],
    label: `${rep}${name}${'bwdq'[Math.log2(size)]} df=${down ? 1 : 0}`,
  });
}

/** `per` cases for each size and prefix of one mnemonic. */
export function stringCases(name: string, seed: number, per: number): DiffCase[] {
  const rng = new Rng(seed);
  const prefixes = name === 'cmps' || name === 'scas' ? [0, 0xf3, 0xf2] : [0, 0xf3];
  const cases: DiffCase[] = [];
  for (const size of SIZES) {
    for (const prefix of prefixes) {
      for (let k = 0; k < per; k++) cases.push(oneCase(rng, name, size, prefix));
    }
  }
  return cases;
}
