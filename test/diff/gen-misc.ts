/**
 * Cases for the remaining integer instructions: cmovcc and setcc after a
 * flag-setting instruction, xchg, xadd, cmpxchg, cmpxchg8b/16b, the sign
 * extensions (cbw ... cqo), movzx/movsx/movsxd, lea with every addressing
 * form, push/pop/call/ret on a stack in the data region, enter/leave,
 * lahf/sahf and pushf/popf.
 *
 * Undefined flags: only those of the flag-setting instruction placed before
 * cmovcc/setcc (AF after a logic op); none of the instructions under test
 * leaves a flag undefined.
 */
import type { DiffCase } from './case.ts';
import { enc, type RM } from './encode.ts';
import {
  encodable,
  makeCase,
  memOperand,
  pickReg,
  randomFlags,
  setOperand,
  type Regs,
} from './gen.ts';
import { AF, DATA_BASE, GPR_NAMES } from './layout.ts';
import { Rng, type Size } from './rng.ts';

/** Subfamilies with generators here. */
export const MISC_GROUPS = [
  'setcc',
  'cmovcc',
  'xchg',
  'xadd',
  'cmpxchg',
  'cmpxchg8b16b',
  'sign-extend',
  'movzx-movsx',
  'lea',
  'stack',
  'enter-leave',
  'lahf-sahf',
  'pushf-popf',
  'faults',
] as const;

const SIZES_V: Size[] = [2, 4, 8];

/** A register or memory operand holding `value`, avoiding `avoid`. */
function operand(
  rng: Rng,
  regs: Regs,
  size: Size,
  value: bigint,
  avoid: number[],
  allowHigh = false,
) {
  if (rng.chance(0.3)) {
    const m = memOperand(rng, regs, size, value, avoid);
    return { rm: m.mem as RM, data: m.data, where: 'mem' };
  }
  const r = pickReg(rng, size, avoid, allowHigh);
  setOperand(rng, regs, r, size, value);
  return { rm: r as RM, data: undefined, where: 'reg' };
}

/** A flag-setting instruction on two fresh registers; returns bytes and undefined flags. */
function flagSetter(
  rng: Rng,
  regs: Regs,
  avoid: number[],
): { code: number[]; undef: number; used: number[] } {
  const size = rng.pick([1, 2, 4, 8] as Size[]);
  const a = pickReg(rng, size, avoid);
  const b = pickReg(rng, size, [...avoid, a]);
  setOperand(rng, regs, a, size, rng.operand(size));
  setOperand(rng, regs, b, size, rng.chance(0.3) ? (regs[GPR_NAMES[a]] ?? 0n) : rng.operand(size));
  const k = rng.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const w = size === 1 ? 0 : 1;
  const used = [a, b];
  const byteRegs = size === 1;
  if (k < 8) {
    const undef = k === 1 || k === 4 || k === 6 ? AF : 0;
    return { code: enc({ op: [k * 8 + w], size, reg: b, rm: a, byteRegs }), undef, used };
  }
  if (k === 8)
    return { code: enc({ op: [0x84 + w], size, reg: b, rm: a, byteRegs }), undef: AF, used };
  // inc, dec, neg (CF comes from the initial flags for inc and dec).
  const ext = [0, 1, 3][k - 8];
  const op = ext === 3 ? 0xf6 + w : 0xfe + w;
  return { code: enc({ op: [op], size, ext, rm: a, byteRegs }), undef: 0, used };
}

function condCase(rng: Rng, cmov: boolean): DiffCase {
  const regs: Regs = {};
  const cc = rng.int(16);
  const pre = rng.chance(0.8) ? flagSetter(rng, regs, []) : { code: [], undef: 0, used: [] };
  const size = cmov ? rng.pick(SIZES_V) : 1;
  const dst = pickReg(rng, size, pre.used);
  setOperand(rng, regs, dst, size, rng.operand(size));
  const src = operand(rng, regs, size, rng.operand(size), [dst, ...pre.used]);
  const code = cmov
    ? enc({ op: [0x0f, 0x40 + cc], size, reg: dst, rm: src.rm })
    : enc({ op: [0x0f, 0x90 + cc], size: 1, ext: 0, rm: src.rm, byteRegs: true });
  return makeCase(rng, [...pre.code, ...code], regs, {
    flags: randomFlags(rng),
    data: src.data,
    undefFlags: pre.undef,
    label:
      `${cmov ? 'cmov' : 'set'}cc ${cc.toString(16)}${cmov ? ` r${size * 8}` : ''} ` +
      `${src.where}${pre.code.length ? ' after flag op' : ''}`,
  });
}

/** xchg, xadd, cmpxchg in register and memory forms. */
function exchangeCase(rng: Rng, name: string): DiffCase {
  const regs: Regs = {};
  const size = rng.pick([1, 2, 4, 8] as Size[]);
  const w = size === 1 ? 0 : 1;
  const avoid = name === 'cmpxchg' ? [0] : [];
  const reg = pickReg(rng, size, avoid);
  setOperand(rng, regs, reg, size, rng.operand(size));
  const dst = operand(rng, regs, size, rng.operand(size), [reg, ...avoid]);
  let code: number[];
  if (name === 'xchg') {
    if (rng.chance(0.2) && size !== 1) {
      setOperand(rng, regs, 0, size, rng.operand(size));
      code = enc({ op: [0x90], size, zreg: reg === 0 ? 1 : reg });
    } else {
      code = enc({ op: [0x86 + w], size, reg, rm: dst.rm, byteRegs: size === 1 });
    }
  } else {
    if (name === 'cmpxchg') {
      // Equal to the destination half of the time, so both outcomes show.
      const equal = rng.chance(0.5) && typeof dst.rm === 'number';
      setOperand(
        rng,
        regs,
        0,
        size,
        equal ? (regs[GPR_NAMES[dst.rm as number]] ?? 0n) : rng.operand(size),
      );
    }
    const lock = dst.where === 'mem' && rng.chance(0.3) ? [0xf0] : [];
    const op = (name === 'xadd' ? 0xc0 : 0xb0) + w;
    code = enc({ prefix: lock, op: [0x0f, op], size, reg, rm: dst.rm, byteRegs: size === 1 });
  }
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng),
    data: dst.data,
    label: `${name} ${size * 8} ${dst.where}`,
  });
}

function cmpxchgWideCase(rng: Rng): DiffCase {
  const regs: Regs = {};
  const wide = rng.chance(0.5);
  const size = wide ? 16 : 8;
  const old = [rng.u64(), rng.u64()];
  const bytes = [...Array(size)].map((_, k) =>
    Number((old[k >> 3] >> BigInt(8 * (k & 7))) & 0xffn),
  );
  const m = memOperand(rng, regs, size, 0n, [0, 1, 2, 3]);
  // cmpxchg16b needs a 16-byte aligned operand; misaligned ones fault (#GP).
  const misalign = wide && rng.chance(0.1);
  const addr = wide && !misalign ? m.addr - (m.addr % 16) : m.addr;
  const base = m.mem.base!;
  const delta = BigInt(addr - m.addr);
  regs[GPR_NAMES[base]] = (regs[GPR_NAMES[base]] ?? 0n) + delta;
  const data = [{ offset: addr - DATA_BASE, bytes }];
  const equal = rng.chance(0.5);
  const half = (k: number): bigint => (equal ? old[k] : rng.u64());
  if (wide) {
    regs.rax = half(0);
    regs.rdx = half(1);
  } else {
    regs.rax = (rng.u64() & ~0xffffffffn) | (half(0) & 0xffffffffn);
    regs.rdx = (rng.u64() & ~0xffffffffn) | (half(0) >> 32n);
  }
  regs.rbx = rng.u64();
  regs.rcx = rng.u64();
  const code = enc({
    prefix: rng.chance(0.5) ? [0xf0] : [],
    op: [0x0f, 0xc7],
    size: wide ? 8 : 4,
    ext: 1,
    rm: m.mem,
  });
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng),
    data,
    label:
      `cmpxchg${wide ? '16' : '8'}b ` +
      `${equal ? 'equal' : 'different'}${misalign ? ' misaligned' : ''}`,
  });
}

function signExtendCase(rng: Rng): DiffCase {
  const regs: Regs = { rax: rng.withGarbageAbove(rng.operand(8), 8), rdx: rng.u64() };
  const forms: [number[], string][] = [
    [[0x66, 0x98], 'cbw'],
    [[0x98], 'cwde'],
    [[0x48, 0x98], 'cdqe'],
    [[0x66, 0x99], 'cwd'],
    [[0x99], 'cdq'],
    [[0x48, 0x99], 'cqo'],
  ];
  const [code, label] = rng.pick(forms);
  return makeCase(rng, code, regs, { flags: randomFlags(rng), label });
}

function extendCase(rng: Rng): DiffCase {
  const regs: Regs = {};
  const kind = rng.int(5);
  if (kind === 4) {
    // movsxd r64, r/m32
    const dst = pickReg(rng, 8);
    const src = operand(rng, regs, 4, rng.operand(4), [dst]);
    regs[GPR_NAMES[dst]] ??= rng.u64();
    return makeCase(rng, enc({ op: [0x63], size: 8, reg: dst, rm: src.rm }), regs, {
      data: src.data,
      label: `movsxd ${src.where}`,
    });
  }
  const fromWord = kind & 1;
  const signedExt = kind >> 1;
  const size = rng.pick(fromWord ? ([4, 8] as Size[]) : SIZES_V);
  const dst = pickReg(rng, size);
  regs[GPR_NAMES[dst]] ??= rng.u64();
  const srcSize: Size = fromWord ? 2 : 1;
  const src = operand(rng, regs, srcSize, rng.operand(srcSize), [dst], srcSize === 1);
  const op = (signedExt ? 0xbe : 0xb6) + fromWord;
  const code = enc({
    op: [0x0f, op],
    size,
    reg: dst,
    rm: src.rm,
    byteRegs: srcSize === 1 && typeof src.rm === 'number' && src.rm >= 16,
  });
  const name = `${signedExt ? 'movsx' : 'movzx'} r${size * 8}, r/m${srcSize * 8}`;
  return makeCase(rng, code, regs, { data: src.data, label: `${name} ${src.where}` });
}

function leaCase(rng: Rng): DiffCase {
  const regs: Regs = {};
  const size = rng.pick(SIZES_V);
  const dst = pickReg(rng, size);
  const base = rng.chance(0.85)
    ? rng.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    : undefined;
  const index = rng.chance(0.5) ? pickReg(rng, 8) : undefined;
  const disp = rng.pick([0, rng.int(256) - 128, rng.u32() | 0]);
  const rip = base === undefined && index === undefined && rng.chance(0.5);
  const mem = { base, index, scale: rng.pick([1, 2, 4, 8] as const), disp, rip };
  for (const r of [base, index]) if (r !== undefined && r !== 4) regs[GPR_NAMES[r]] = rng.u64();
  const code = enc({ prefix: rng.chance(0.15) ? [0x67] : [], op: [0x8d], size, reg: dst, rm: mem });
  return makeCase(rng, code, regs, {
    label: `lea r${size * 8}${rip ? ' rip' : ''}${code[0] === 0x67 ? ' addr32' : ''}`,
  });
}

function stackCase(rng: Rng): DiffCase {
  const regs: Regs = {};
  const r = pickReg(rng, 8);
  regs[GPR_NAMES[r]] = rng.u64();
  const sp = DATA_BASE + 0x8000 - 8 * rng.int(8);
  regs.rsp = BigInt(sp);
  const stack = Array.from({ length: 256 }, () => rng.int(256));
  const data = [{ offset: sp - DATA_BASE - 128, bytes: stack }];
  const forms: [number[], string][] = [
    [enc({ op: [0x50], zreg: r }), 'push r64'],
    [enc({ op: [0x58], zreg: r }), 'pop r64'],
    [enc({ op: [0x50], size: 2, zreg: r }), 'push r16'],
    [enc({ op: [0x58], size: 2, zreg: r }), 'pop r16'],
    [[0x6a, rng.int(256)], 'push imm8'],
    [[0x68, ...[0, 0, 0, 0].map(() => rng.int(256))], 'push imm32'],
    [enc({ op: [0xff], ext: 6, rm: r }), 'push r/m64'],
    [enc({ op: [0x8f], ext: 0, rm: r }), 'pop r/m64'],
    [enc({ op: [0x58], zreg: 4 }), 'pop rsp'],
    [enc({ op: [0x50], zreg: 4 }), 'push rsp'],
    // call the next instruction, then pop the return address.
    [[0xe8, 0, 0, 0, 0, ...enc({ op: [0x58], zreg: r })], 'call rel32; pop'],
    // call over a ret: the ret returns to the pop.
    [[0xe8, 2, 0, 0, 0, 0xeb, 0x04, 0xc3, 0x90, 0x90, 0x90], 'call; ret'],
    [[0xe8, 4, 0, 0, 0, 0xeb, 0x05, 0x90, 0x90, 0xc2, 0x10, 0x00], 'call; ret imm16'],
  ];
  const [code, label] = rng.pick(forms);
  return makeCase(rng, code, regs, { flags: randomFlags(rng), data, label });
}

function enterLeaveCase(rng: Rng): DiffCase {
  const regs: Regs = {};
  regs.rsp = BigInt(DATA_BASE + 0x8000);
  regs.rbp = BigInt(DATA_BASE + 0x8100 + 8 * rng.int(16));
  const stack = Array.from({ length: 0x400 }, () => rng.int(256));
  const data = [{ offset: 0x8000 - 0x200, bytes: stack }];
  const frame = rng.int(0x100);
  const level = rng.pick([0, 0, 1, 2, 3]);
  const forms: [number[], string][] = [
    [[0xc8, frame & 0xff, frame >> 8, level], `enter ${frame}, ${level}`],
    [[0xc9], 'leave'],
    [[0xc8, frame & 0xff, 0, level, 0xc9], `enter ${frame}, ${level}; leave`],
  ];
  const [code, label] = rng.pick(forms);
  return makeCase(rng, code, regs, { flags: randomFlags(rng), data, label });
}

function flagMoveCase(rng: Rng, group: string): DiffCase {
  const regs: Regs = { rax: rng.u64() };
  const sp = DATA_BASE + 0x8000;
  const word = [0, 0, 0, 0, 0, 0, 0, 0].map(() => rng.int(256));
  // popf may change only the arithmetic flags and DF here: no TF, AC, ID.
  word[0] &= 0xd5;
  word[1] &= 0x0c;
  word[2] = 0;
  const data = [{ offset: sp - DATA_BASE, bytes: word }];
  const forms: [number[], string][] =
    group === 'lahf-sahf'
      ? [
          [[0x9f], 'lahf'],
          [[0x9e], 'sahf'],
        ]
      : [
          [[0x9c], 'pushf'],
          [[0x9d], 'popf'],
          [[0x66, 0x9c], 'pushf16'],
          [[0x9c, 0x58], 'pushf; pop rax'],
        ];
  const [code, label] = rng.pick(forms);
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng) | (rng.chance(0.3) ? 0x400 : 0),
    data,
    label,
  });
}

/**
 * Loads and stores that fault: the guard pages around the data region give
 * #PF with the address; non-canonical addresses give #GP; ud2 gives #UD;
 * int3 traps with RIP after it.
 */
function faultCase(rng: Rng): DiffCase {
  const regs: Regs = {};
  const r = pickReg(rng, 8, [0]);
  const targets: [bigint, string][] = [
    [BigInt(DATA_BASE + 0x10000 + rng.int(0x1000)), 'past the data region'],
    [BigInt(DATA_BASE - 1 - rng.int(0x1000)), 'before the data region'],
    [BigInt(DATA_BASE + 0x10000 - 2), 'straddling the end of the data region'],
    [0x800000000000n + BigInt(rng.int(0x10000)) * 0x1000n, 'non-canonical'],
    [0xffff7fff00000000n, 'non-canonical high'],
  ];
  const [addr, where] = rng.pick(targets);
  regs[GPR_NAMES[r]] = addr;
  const store = rng.chance(0.5);
  const size = rng.pick([1, 2, 4, 8] as Size[]);
  const kinds: [number[], string][] = [
    [
      enc({ op: [store ? 0x89 : 0x8b], size: size === 1 ? 4 : size, reg: 0, rm: { base: r } }),
      store ? 'store' : 'load',
    ],
    [[0x0f, 0x0b], 'ud2'],
    [[0x90, 0xcc], 'int3'],
  ];
  const [code, what] = rng.chance(0.85) ? kinds[0] : rng.pick(kinds.slice(1));
  return makeCase(rng, code, regs, {
    flags: randomFlags(rng),
    label: what.startsWith('load') || what.startsWith('store') ? `${what} ${where}` : what,
  });
}

/** `count` cases of one subfamily. */
export function miscCases(group: string, seed: number, count: number): DiffCase[] {
  const rng = new Rng(seed);
  const build = (): DiffCase => {
    switch (group) {
      case 'setcc':
      case 'cmovcc':
        return condCase(rng, group === 'cmovcc');
      case 'xchg':
      case 'xadd':
      case 'cmpxchg':
        return exchangeCase(rng, group);
      case 'cmpxchg8b16b':
        return cmpxchgWideCase(rng);
      case 'sign-extend':
        return signExtendCase(rng);
      case 'movzx-movsx':
        return extendCase(rng);
      case 'lea':
        return leaCase(rng);
      case 'stack':
        return stackCase(rng);
      case 'enter-leave':
        return enterLeaveCase(rng);
      case 'faults':
        return faultCase(rng);
      default:
        return flagMoveCase(rng, group);
    }
  };
  return Array.from({ length: count }, () => encodable(build));
}
