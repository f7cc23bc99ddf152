/**
 * Helpers shared by the integer case generators: register choice, register
 * values with garbage in the bits an instruction must leave alone, and
 * memory operands placed in the data region.
 */
import type { DataInit, DiffCase } from './case.ts';
import { AH, le, type Mem } from './encode.ts';
import { ARITH_FLAGS, DATA_BASE, GPR_NAMES, type GprName } from './layout.ts';
import { Rng, sizeMask, type Size } from './rng.ts';

/** Registers a generator may use freely: every GPR except rsp. */
export const FREE_REGS = [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/** Register values of a case under construction. */
export type Regs = Partial<Record<GprName, bigint>>;

/**
 * A register operand of `size`, not in `avoid`. For byte operands it is
 * sometimes AH..BH (16..19) when `allowHigh` is set (no REX in the insn).
 */
export function pickReg(rng: Rng, size: Size, avoid: number[] = [], allowHigh = false): number {
  for (;;) {
    const r = size === 1 && allowHigh && rng.chance(0.25) ? AH + rng.int(4) : rng.pick(FREE_REGS);
    if (!avoid.includes(r) && !avoid.includes(r >= AH ? r - AH : r)) return r;
  }
}

/**
 * True when two byte registers can share one instruction: AH..BH exist only
 * without REX, which r8b..r15b and spl..dil need. -1 stands for "none".
 */
export function byteRegsEncodable(a: number, b: number): boolean {
  const high = (r: number): boolean => r >= AH;
  const rex = (r: number): boolean => r >= 4 && r < AH;
  return !((high(a) && rex(b)) || (high(b) && rex(a)));
}

/** Number of the 64-bit register holding a (possibly high-byte) operand. */
export function fullReg(r: number): number {
  return r >= AH ? r - AH : r;
}

/**
 * Puts `value` (of `size` bytes) into operand register `r`, keeping or
 * inventing the other bits of the 64-bit register.
 */
export function setOperand(rng: Rng, regs: Regs, r: number, size: Size, value: bigint): void {
  const name = GPR_NAMES[fullReg(r)];
  const old = regs[name] ?? rng.u64();
  const shift = r >= AH ? 8n : 0n;
  const mask = sizeMask(size) << shift;
  regs[name] = (old & ~mask & sizeMask(8)) | ((value & sizeMask(size)) << shift);
}

/** Fills every free register not yet set with a random value. */
export function fillRegs(rng: Rng, regs: Regs): Regs {
  for (const r of FREE_REGS) regs[GPR_NAMES[r]] ??= rng.u64();
  return regs;
}

/** Random initial flags (arithmetic flags only, DF clear). */
export function randomFlags(rng: Rng): number {
  return rng.u32() & ARITH_FLAGS;
}

/** A memory operand in the data region, with the value it holds. */
export interface MemOperand {
  mem: Mem;
  /** Address of the operand. */
  addr: number;
  /** Data to place: the operand and random bytes around it. */
  data: DataInit[];
}

/**
 * Places `value` of `size` bytes at a random offset of the data region and
 * builds an addressing form that reaches it through registers not in
 * `avoid`; those registers are set in `regs`.
 */
export function memOperand(
  rng: Rng,
  regs: Regs,
  size: number,
  value: bigint,
  avoid: number[] = [],
): MemOperand {
  const offset = 0x1000 + rng.int(0x6000);
  const addr = DATA_BASE + offset;
  const around = Array.from({ length: size + 16 }, () => rng.int(256));
  around.splice(8, size, ...le(value, size));
  const data: DataInit[] = [{ offset: offset - 8, bytes: around }];

  const base = pickReg(rng, 8, avoid);
  const disp = rng.pick([0, rng.int(256) - 128, rng.int(0x10000) - 0x8000]);
  let mem: Mem;
  if (rng.chance(0.4)) {
    const index = pickReg(rng, 8, [...avoid, base]);
    const scale = rng.pick([1, 2, 4, 8] as const);
    const idx = BigInt(rng.int(64) - 32);
    regs[GPR_NAMES[index]] = idx & sizeMask(8);
    regs[GPR_NAMES[base]] = BigInt(addr - disp) - idx * BigInt(scale);
    mem = { base, index, scale, disp };
  } else {
    regs[GPR_NAMES[base]] = BigInt(addr - disp);
    mem = { base, disp };
  }
  return { mem, addr, data };
}

/** Registers a memory operand uses (to keep them out of other operands). */
export function memRegs(m: Mem): number[] {
  return [m.base, m.index].filter((r): r is number => r !== undefined);
}

/** Builds a DiffCase, filling unset registers with random values. */
export function makeCase(
  rng: Rng,
  code: number[],
  regs: Regs,
  extra: Omit<DiffCase, 'code' | 'regs'> = {},
): DiffCase {
  return { code, regs: fillRegs(rng, regs), ...extra };
}

/**
 * Calls a case builder until it produces an encodable case: random register
 * choices sometimes pair AH..BH with an operand that needs REX.
 */
export function encodable(build: () => DiffCase): DiffCase {
  for (let tries = 0; ; tries++) {
    try {
      return build();
    } catch (e) {
      if (tries > 50 || !(e instanceof Error) || !e.message.includes('REX')) throw e;
    }
  }
}
