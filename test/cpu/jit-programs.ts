/**
 * Random integer programs for the block-compiler tests: a mix of the forms
 * the compiler inlines (ALU, mov, movzx/movsx, lea, shifts, imul, cmov,
 * setcc, push/pop, short jcc) and forms it leaves to handlers (adc, sbb, bt,
 * div, xchg), at every operand size, in register and memory forms, with
 * flag readers placed right after flag writers. RBX points at the data
 * region and is never a destination; neither is RSP.
 */
import { DATA_ADDR, setReg64, type TestMachine } from './machine.ts';

/** A small deterministic generator (xorshift32). */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed | 0 || 1;
  }

  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x;
    return x >>> 0;
  }

  int(n: number): number {
    return this.u32() % n;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
}

/** Registers a random instruction may write. */
const POOL = [0, 1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const SPECIAL = [
  0n,
  1n,
  -1n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x8000000000000000n,
  0x7fn,
  0x80n,
  0xffffn,
];

export interface RandomProgram {
  code: number[];
  budget: number;
  setup(m: TestMachine): void;
}

/** The prefix bytes for an operand size and registers (REX forced for byte forms). */
function prefix(size: number, reg: number, rm: number, index = 0): number[] {
  const out: number[] = size === 2 ? [0x66] : [];
  const rex = 0x40 | (size === 8 ? 8 : 0) | ((reg >> 3) << 2) | ((index >> 3) << 1) | (rm >> 3);
  if (rex !== 0x40 || size === 1) out.push(rex);
  return out;
}

function regReg(reg: number, rm: number): number {
  return 0xc0 | ((reg & 7) << 3) | (rm & 7);
}

/** ModRM + disp8 for [rbx + disp8] with `reg` in the reg field. */
function mem(reg: number, disp: number): number[] {
  return [0x40 | ((reg & 7) << 3) | 3, disp];
}

function imm32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/** One instruction of the form family `kind`. */
function instruction(rng: Rng, kind: number): number[] {
  const size = rng.pick([1, 2, 4, 8, 4, 8]);
  const wide = size === 1 ? 0 : 1;
  const reg = rng.pick(POOL);
  const rm = rng.pick(POOL);
  const disp = rng.int(120);
  const useMem = rng.int(3) === 0;
  const e = (r: number): number[] => (useMem ? mem(r, disp) : [regReg(r, rm)]);
  const pre = (r: number): number[] => prefix(size, r, useMem ? 0 : rm);
  switch (kind) {
    case 0: // op E, G / op G, E: all eight ALU operations
      return [...pre(reg), rng.int(8) * 8 + rng.pick([0, 2]) + wide, ...e(reg)];
    case 1: {
      // op E, imm (80, 81, 83) and op rAX, imm
      const op = rng.int(8);
      if (rng.int(4) === 0) {
        const imm =
          size === 1
            ? [rng.int(256)]
            : size === 2
              ? [rng.int(256), rng.int(256)]
              : imm32(rng.u32());
        return [...prefix(size, 0, 0), op * 8 + 4 + wide, ...imm];
      }
      if (size === 1) return [...pre(0), 0x80, ...e(op), rng.int(256)];
      if (rng.int(2) === 0 || size === 2) return [...pre(0), 0x83, ...e(op), rng.int(256)];
      return [...pre(0), 0x81, ...e(op), ...imm32(rng.u32())];
    }
    case 2: // test, not, neg, inc, dec
      switch (rng.int(4)) {
        case 0:
          return [...pre(reg), 0x84 + wide, ...e(reg)];
        case 1:
          return [...pre(0), 0xf6 + wide, ...e(rng.pick([2, 3]))];
        case 2:
          return [...pre(0), 0xfe + wide, ...e(rng.int(2))];
        default:
          return size === 1 || size === 2
            ? [...pre(0), 0xf6 + wide, ...e(0), rng.int(256), ...(size === 2 ? [rng.int(256)] : [])]
            : [...pre(0), 0xf7, ...e(0), ...imm32(rng.u32())];
      }
    case 3: // shifts and rotates by imm8 or 1, register and memory
      if (rng.int(2) === 0) return [...pre(0), 0xd0 + wide, ...e(rng.int(8))];
      return [
        ...pre(0),
        0xc0 + wide,
        ...e(rng.int(8)),
        rng.pick([0, 1, 5, 31, 32, 33, 63, rng.int(256)]),
      ];
    case 4: {
      // imul, two and three operands
      const s = rng.pick([2, 4, 8]);
      const p = prefix(s, reg, useMem ? 0 : rm);
      if (rng.int(2) === 0) return [...p, 0x0f, 0xaf, ...e(reg)];
      return rng.int(2) === 0
        ? [...p, 0x6b, ...e(reg), rng.int(256)]
        : [...p, 0x69, ...e(reg), ...imm32(rng.u32()).slice(0, s === 2 ? 2 : 4)];
    }
    case 5: {
      // movzx, movsx, movsxd
      const s = rng.pick([2, 4, 8]);
      const op = rng.pick([0xb6, 0xb7, 0xbe, 0xbf, 0x63]);
      const p = prefix(s === 2 && op === 0x63 ? 4 : s, reg, useMem ? 0 : rm);
      if (op === 0x63) return [...prefix(8, reg, useMem ? 0 : rm), 0x63, ...e(reg)];
      if ((op & 1) === 0 && !useMem && p.length === 0) p.push(0x40);
      return [...p, 0x0f, op, ...e(reg)];
    }
    case 6: // mov in its forms
      switch (rng.int(4)) {
        case 0:
          return [...pre(reg), 0x88 + rng.pick([0, 2]) + wide, ...e(reg)];
        case 1:
          return size === 1
            ? [...pre(0), 0xc6, ...e(0), rng.int(256)]
            : size === 2
              ? [...pre(0), 0xc7, ...e(0), rng.int(256), rng.int(256)]
              : [...pre(0), 0xc7, ...e(0), ...imm32(rng.u32())];
        case 2:
          return size === 8
            ? [0x48 | (reg >> 3), 0xb8 + (reg & 7), ...imm32(rng.u32()), ...imm32(rng.u32())]
            : [...prefix(4, 0, reg), 0xb8 + (reg & 7), ...imm32(rng.u32())];
        default: // byte moves with AH..DH (no REX)
          return [
            0x88 + rng.int(2) * 2,
            0xc0 | (rng.pick([0, 1, 2, 4, 5, 6]) << 3) | rng.pick([0, 1, 2, 4, 5, 6]),
          ];
      }
    case 7: {
      // lea [rbx + index * scale + disp8], 16/32/64-bit
      const index = rng.pick(POOL.filter((r) => r !== 4));
      const s = rng.pick([2, 4, 8]);
      return [
        ...prefix(s, reg, 3, index),
        0x8d,
        0x44 | ((reg & 7) << 3),
        (rng.int(4) << 6) | ((index & 7) << 3) | 3,
        rng.int(256),
      ];
    }
    case 8: {
      // cmovcc, setcc, jcc over two bytes
      const cc = rng.int(16);
      const s = rng.pick([2, 4, 8]);
      switch (rng.int(3)) {
        case 0:
          return [...prefix(s, reg, useMem ? 0 : rm), 0x0f, 0x40 + cc, ...e(reg)];
        case 1:
          return [...prefix(1, 0, useMem ? 0 : rm), 0x0f, 0x90 + cc, ...e(0)];
        default:
          return [0x70 + cc, 2, 0x01, 0xc8];
      }
    }
    case 9: // push/pop pairs, sign fills
      switch (rng.int(3)) {
        case 0:
          return [
            ...(reg >= 8 ? [0x41] : []),
            0x50 + (reg & 7),
            ...(rm >= 8 ? [0x41] : []),
            0x58 + (rm & 7),
          ];
        case 1:
          return [0x6a, rng.int(256), ...(rm >= 8 ? [0x41] : []), 0x58 + (rm & 7)];
        default:
          return [...rng.pick([[0x48], [], [0x66]]), rng.pick([0x98, 0x99])];
      }
    default: // handler-only forms: bt, xchg, div, sbb after a cmp
      switch (rng.int(4)) {
        case 0:
          return [...prefix(size === 1 ? 4 : size, reg, rm), 0x0f, 0xa3, regReg(reg, rm)];
        case 1:
          return [...pre(reg), 0x86 + wide, ...e(reg)];
        case 2:
          return rng.int(4) === 0 ? [...prefix(4, 0, rm), 0xf7, 0xf0 | (rm & 7)] : [0x90];
        default:
          return [
            ...prefix(8, reg, rm),
            0x39,
            regReg(reg, rm),
            ...prefix(8, rm, reg),
            0x19,
            regReg(rm, reg),
          ];
      }
  }
}

/** Flag readers appended after flag writers, so fused conditions are exercised. */
function reader(rng: Rng): number[] {
  return instruction(rng, 8);
}

/** A random program of up to 40 instructions ending in hlt (added by the machine). */
export function randomProgram(rng: Rng): RandomProgram {
  const code: number[] = [];
  const count = 5 + rng.int(35);
  for (let n = 0; n < count; n++) {
    code.push(...instruction(rng, rng.int(11)));
    if (rng.int(3) === 0) code.push(...reader(rng));
  }
  const values = POOL.map(() =>
    rng.int(2) === 0 ? rng.pick(SPECIAL) : (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()),
  );
  const data = Array.from({ length: 256 }, () => rng.int(256));
  const flags = rng.u32() & 0x8d5;
  const budget = rng.int(2) === 0 ? 1000 : 1 + rng.int(20);
  return {
    code,
    budget,
    setup(m) {
      POOL.forEach((r, k) => setReg64(m.cpu, r, values[k]));
      setReg64(m.cpu, 3, DATA_ADDR);
      m.cpu.setFlags(flags);
      m.space.writeBytes(DATA_ADDR, Uint8Array.from(data));
    },
  };
}
