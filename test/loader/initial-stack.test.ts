import { describe, expect, it } from 'vitest';
import {
  AT_BASE,
  AT_CLKTCK,
  AT_EGID,
  AT_ENTRY,
  AT_EUID,
  AT_EXECFN,
  AT_FLAGS,
  AT_GID,
  AT_HWCAP,
  AT_HWCAP2,
  AT_MINSIGSTKSZ,
  AT_NULL,
  AT_PAGESZ,
  AT_PHDR,
  AT_PHENT,
  AT_PHNUM,
  AT_PLATFORM,
  AT_RANDOM,
  AT_RSEQ_ALIGN,
  AT_RSEQ_FEATURE_SIZE,
  AT_SECURE,
  AT_SYSINFO_EHDR,
  AT_UID,
  InitialStackError,
  buildInitialStack,
} from '../../src/loader/index.ts';
import type { InitialStack, InitialStackInput } from '../../src/loader/index.ts';

const TOP = 0x7ffffffff000;
const RANDOM = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

function input(change: Partial<InitialStackInput> = {}): InitialStackInput {
  return {
    stackTop: TOP,
    argv: ['/bin/prog', 'one', 'two words'],
    envp: ['HOME=/root', 'PATH=/bin'],
    execfn: '/bin/prog',
    image: { entry: 0x401000, phdr: { address: 0x400040, entrySize: 56, count: 9 } },
    random: RANDOM,
    credentials: { uid: 1000, euid: 1001, gid: 100, egid: 101 },
    hwcap: 0x178bfbff,
    hwcap2: 2,
    minSigStackSize: 3376,
    ...change,
  };
}

/** Reads the stack as the guest would, through its addresses. */
class StackReader {
  constructor(private readonly stack: InitialStack) {}

  word(addr: number): number {
    const view = new DataView(this.stack.bytes.buffer);
    const at = addr - this.stack.sp;
    return view.getUint32(at + 4, true) * 2 ** 32 + view.getUint32(at, true);
  }

  cstring(addr: number): string {
    const at = addr - this.stack.sp;
    const end = this.stack.bytes.indexOf(0, at);
    return new TextDecoder().decode(this.stack.bytes.subarray(at, end));
  }

  bytes(addr: number, length: number): Uint8Array {
    return this.stack.bytes.slice(addr - this.stack.sp, addr - this.stack.sp + length);
  }
}

/** Walks argc, argv, envp and auxv from sp, as a C library's _start does. */
function walk(stack: InitialStack) {
  const r = new StackReader(stack);
  let at = stack.sp;
  const argc = r.word(at);
  at += 8;
  const argvPointers: number[] = [];
  for (let i = 0; i < argc; i++, at += 8) argvPointers.push(r.word(at));
  const argvEnd = r.word(at);
  at += 8;
  const envPointers: number[] = [];
  for (; r.word(at) !== 0; at += 8) envPointers.push(r.word(at));
  at += 8;
  const auxv: Array<[number, number]> = [];
  for (;;) {
    const pair: [number, number] = [r.word(at), r.word(at + 8)];
    auxv.push(pair);
    at += 16;
    if (pair[0] === AT_NULL) break;
  }
  return { r, argc, argvPointers, argvEnd, envPointers, auxv, vectorEnd: at };
}

describe('buildInitialStack', () => {
  const stack = buildInitialStack(input());
  const w = walk(stack);
  const aux = new Map(w.auxv);

  it('leaves rsp 16-byte aligned and pointing at argc', () => {
    expect(stack.sp % 16).toBe(0);
    expect(stack.sp + stack.bytes.length).toBe(TOP);
    expect(w.argc).toBe(3);
  });

  it('points argv at the argument strings, followed by NULL', () => {
    expect(w.argvPointers.map((p) => w.r.cstring(p))).toEqual(['/bin/prog', 'one', 'two words']);
    expect(w.argvEnd).toBe(0);
  });

  it('points envp at the environment strings, followed by NULL', () => {
    expect(w.envPointers.map((p) => w.r.cstring(p))).toEqual(['HOME=/root', 'PATH=/bin']);
  });

  it("writes the auxiliary vector in Linux's order", () => {
    expect(w.auxv.map(([type]) => type)).toEqual([
      AT_MINSIGSTKSZ,
      AT_HWCAP,
      AT_PAGESZ,
      AT_CLKTCK,
      AT_PHDR,
      AT_PHENT,
      AT_PHNUM,
      AT_BASE,
      AT_FLAGS,
      AT_ENTRY,
      AT_UID,
      AT_EUID,
      AT_GID,
      AT_EGID,
      AT_SECURE,
      AT_RANDOM,
      AT_HWCAP2,
      AT_EXECFN,
      AT_PLATFORM,
      AT_NULL,
    ]);
    expect(stack.auxv).toEqual(w.auxv);
  });

  it('fills the auxiliary vector values from the image, credentials and machine', () => {
    expect(aux.get(AT_MINSIGSTKSZ)).toBe(3376);
    expect(aux.get(AT_HWCAP)).toBe(0x178bfbff);
    expect(aux.get(AT_HWCAP2)).toBe(2);
    expect(aux.get(AT_PAGESZ)).toBe(4096);
    expect(aux.get(AT_CLKTCK)).toBe(100);
    expect(aux.get(AT_PHDR)).toBe(0x400040);
    expect(aux.get(AT_PHENT)).toBe(56);
    expect(aux.get(AT_PHNUM)).toBe(9);
    expect(aux.get(AT_BASE)).toBe(0);
    expect(aux.get(AT_FLAGS)).toBe(0);
    expect(aux.get(AT_ENTRY)).toBe(0x401000);
    expect([AT_UID, AT_EUID, AT_GID, AT_EGID].map((t) => aux.get(t))).toEqual([
      1000, 1001, 100, 101,
    ]);
    expect(aux.get(AT_SECURE)).toBe(0);
    expect(aux.get(AT_NULL)).toBe(0);
  });

  it('points AT_RANDOM at the 16 given bytes, just below the platform string', () => {
    expect(aux.get(AT_RANDOM)).toBe(stack.randomAddress);
    expect(w.r.bytes(stack.randomAddress, 16)).toEqual(RANDOM);
    expect(stack.randomAddress + 16).toBe(stack.platformAddress);
  });

  it('points AT_PLATFORM at "x86_64" and AT_EXECFN at the file name at the top', () => {
    expect(w.r.cstring(aux.get(AT_PLATFORM)!)).toBe('x86_64');
    expect(w.r.cstring(aux.get(AT_EXECFN)!)).toBe('/bin/prog');
    expect(aux.get(AT_EXECFN)).toBe(TOP - 8 - '/bin/prog\0'.length);
    expect(w.r.word(TOP - 8)).toBe(0);
  });

  it('stores the strings contiguously: argv, then envp, then execfn', () => {
    const addresses = [...w.argvPointers, ...w.envPointers, aux.get(AT_EXECFN)!];
    const strings = ['/bin/prog', 'one', 'two words', 'HOME=/root', 'PATH=/bin'];
    strings.forEach((s, i) => expect(addresses[i + 1] - addresses[i]).toBe(s.length + 1));
    expect(stack.argStart).toBe(w.argvPointers[0]);
    expect(stack.argEnd).toBe(w.envPointers[0]);
    expect(stack.envStart).toBe(w.envPointers[0]);
    expect(stack.envEnd).toBe(aux.get(AT_EXECFN));
  });

  it('puts the platform string right under a 16-byte boundary below the strings', () => {
    const boundary = stack.platformAddress + 'x86_64\0'.length;
    expect(boundary % 16).toBe(0);
    expect(stack.argStart - boundary).toBeLessThan(16);
    expect(stack.argStart - boundary).toBeGreaterThanOrEqual(0);
  });

  it('leaves less than 16 bytes of padding between the vectors and the random bytes', () => {
    const gap = stack.randomAddress - w.vectorEnd;
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThan(16);
  });

  it('keeps rsp aligned for every small number and length of strings', () => {
    for (let argc = 0; argc < 5; argc++) {
      for (let envc = 0; envc < 5; envc++) {
        for (let len = 0; len < 18; len += 5) {
          const s = buildInitialStack(
            input({ argv: Array(argc).fill('a'.repeat(len)), envp: Array(envc).fill('E=1') }),
          );
          expect(s.sp % 16).toBe(0);
          expect(walk(s).argc).toBe(Math.max(argc, 1));
        }
      }
    }
  });

  it('gives an empty argv one empty argument, as Linux does', () => {
    const s = walk(buildInitialStack(input({ argv: [] })));
    expect(s.argc).toBe(1);
    expect(s.r.cstring(s.argvPointers[0])).toBe('');
  });

  it('passes byte strings through unchanged, and UTF-8 encodes text', () => {
    const s = walk(buildInitialStack(input({ argv: [new Uint8Array([0xff, 0x41]), 'é'] })));
    expect(s.r.bytes(s.argvPointers[0], 3)).toEqual(new Uint8Array([0xff, 0x41, 0]));
    expect(s.r.cstring(s.argvPointers[1])).toBe('é');
  });

  it('puts the vDSO address first and the rseq sizes after AT_PLATFORM when given', () => {
    const s = buildInitialStack(
      input({ vdsoAddress: 0x7ffff7ffd000, rseq: { featureSize: 28, align: 32 } }),
    );
    expect(s.auxv[0]).toEqual([AT_SYSINFO_EHDR, 0x7ffff7ffd000]);
    expect(s.auxv.slice(-3)).toEqual([
      [AT_RSEQ_FEATURE_SIZE, 28],
      [AT_RSEQ_ALIGN, 32],
      [AT_NULL, 0],
    ]);
    expect(walk(s).auxv).toEqual(s.auxv);
  });

  it('reports AT_SECURE and AT_BASE when the caller sets them', () => {
    const s = new Map(
      buildInitialStack(input({ secure: true, interpreterBase: 0x7f0000000000 })).auxv,
    );
    expect(s.get(AT_SECURE)).toBe(1);
    expect(s.get(AT_BASE)).toBe(0x7f0000000000);
  });
});

describe('buildInitialStack refuses arguments Linux refuses', () => {
  function code(change: Partial<InitialStackInput>): string {
    try {
      buildInitialStack(input(change));
    } catch (error) {
      expect(error).toBeInstanceOf(InitialStackError);
      return (error as InitialStackError).code;
    }
    return 'accepted';
  }

  it('refuses an environment larger than the argument limit with E2BIG', () => {
    expect(code({ envp: Array(40).fill('X='.padEnd(60_000, 'x')) })).toBe('E2BIG');
  });

  it('refuses a single string longer than MAX_ARG_STRLEN with E2BIG', () => {
    expect(code({ argv: ['a'.repeat(200_000)] })).toBe('E2BIG');
  });

  it('honours a smaller limit given by the caller', () => {
    expect(code({ maxArgBytes: 64 })).toBe('E2BIG');
  });

  it('refuses a string with an embedded NUL with EINVAL', () => {
    expect(code({ envp: ['A=1\0B=2'] })).toBe('EINVAL');
  });

  it('throws RangeError for a stack top that is not 16-byte aligned or short random bytes', () => {
    expect(() => buildInitialStack(input({ stackTop: TOP - 8 }))).toThrow(RangeError);
    expect(() => buildInitialStack(input({ random: new Uint8Array(8) }))).toThrow(RangeError);
  });
});
