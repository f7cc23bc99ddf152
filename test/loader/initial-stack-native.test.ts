// The host kernel is the oracle for the initial stack: a tiny program dumps
// the stack Linux built for it (with address randomisation off), and
// buildInitialStack, given the same inputs, must produce the same bytes.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AT_EGID,
  AT_ENTRY,
  AT_EUID,
  AT_EXECFN,
  AT_GID,
  AT_HWCAP,
  AT_HWCAP2,
  AT_MINSIGSTKSZ,
  AT_NULL,
  AT_PHDR,
  AT_PHNUM,
  AT_RANDOM,
  AT_RSEQ_ALIGN,
  AT_RSEQ_FEATURE_SIZE,
  AT_SECURE,
  AT_SYSINFO_EHDR,
  AT_UID,
  buildInitialStack,
} from '../../src/loader/index.ts';

// Writes the bytes from rsp at entry up to 8 bytes past the AT_EXECFN string
// (the top of the stack) to standard output.
const DUMP_SOURCE = `
__attribute__((naked)) void _start(void) {
  __asm__("mov %rsp, %rdi\\n and $-16, %rsp\\n call dump\\n hlt");
}
static long sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
}
void dump(unsigned long *sp) {
  unsigned long *p = sp + 1 + sp[0] + 1, execfn = 0;
  while (*p) p++;
  for (p++; p[0]; p += 2) if (p[0] == 31) execfn = p[1];
  const char *s = (const char *)execfn;
  while (*s) s++;
  sys3(1, 1, (long)sp, (unsigned long)s + 1 + 8 - (unsigned long)sp);
  sys3(60, 0, 0, 0);
}
`;

const KNOWN_TYPES = new Set([
  AT_SYSINFO_EHDR,
  AT_MINSIGSTKSZ,
  AT_HWCAP,
  6,
  17,
  AT_PHDR,
  4,
  AT_PHNUM,
  7,
  8,
  AT_ENTRY,
  AT_UID,
  AT_EUID,
  AT_GID,
  AT_EGID,
  AT_SECURE,
  AT_RANDOM,
  AT_HWCAP2,
  AT_EXECFN,
  15,
  AT_RSEQ_FEATURE_SIZE,
  AT_RSEQ_ALIGN,
  AT_NULL,
]);

/** Runs the dump program natively, or returns null if the host cannot. */
function nativeStack(argv: string[], env: string[]): Uint8Array | null {
  const dir = mkdtempSync(join(tmpdir(), 'amber-stack-'));
  writeFileSync(join(dir, 'dump.c'), DUMP_SOURCE);
  const program = join(dir, 'dump');
  try {
    execFileSync(
      'gcc',
      [
        '-static',
        '-nostdlib',
        '-O1',
        '-fno-stack-protector',
        '-fno-pie',
        '-no-pie',
        '-o',
        program,
        join(dir, 'dump.c'),
      ],
      { stdio: 'ignore' },
    );
    const out = execFileSync('setarch', ['-R', 'env', '-i', ...env, program, ...argv.slice(1)], {
      env: {},
    });
    return new Uint8Array(out);
  } catch {
    return null;
  }
}

function words(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 8 <= bytes.length; i += 8) {
    out.push(view.getUint32(i + 4, true) * 2 ** 32 + view.getUint32(i, true));
  }
  return out;
}

describe('buildInitialStack against the host kernel', () => {
  it('produces byte for byte the stack Linux builds for the same inputs', (ctx) => {
    const env = ['A=1', 'BB=22', 'LONGER_NAME=some value'];
    const native = nativeStack(['dump', 'x', 'yy', 'zzz'], env);
    if (!native) return ctx.skip();
    const w = words(native);
    const top = w[1] - (w[1] % 4096) + 4096; // argv[0] sits in the top page
    const sp = top - native.length;
    const argc = w[0];
    const auxStart = 1 + argc + 1 + env.length + 1;
    const auxv = new Map<number, number>();
    for (let i = auxStart; w[i] !== AT_NULL; i += 2) auxv.set(w[i], w[i + 1]);
    if ([...auxv.keys()].some((type) => !KNOWN_TYPES.has(type))) return ctx.skip();

    const random = native.slice(auxv.get(AT_RANDOM)! - sp, auxv.get(AT_RANDOM)! - sp + 16);
    const ours = buildInitialStack({
      stackTop: top,
      argv: ['dump', 'x', 'yy', 'zzz'].map((s, i) => (i === 0 ? cstringAt(native, w[1] - sp) : s)),
      envp: env,
      execfn: cstringAt(native, auxv.get(AT_EXECFN)! - sp),
      image: {
        entry: auxv.get(AT_ENTRY)!,
        phdr: { address: auxv.get(AT_PHDR)!, entrySize: 56, count: auxv.get(AT_PHNUM)! },
      },
      random,
      credentials: {
        uid: auxv.get(AT_UID)!,
        euid: auxv.get(AT_EUID)!,
        gid: auxv.get(AT_GID)!,
        egid: auxv.get(AT_EGID)!,
      },
      secure: auxv.get(AT_SECURE) === 1,
      hwcap: auxv.get(AT_HWCAP)!,
      hwcap2: auxv.get(AT_HWCAP2) ?? 0,
      minSigStackSize: auxv.get(AT_MINSIGSTKSZ)!,
      vdsoAddress: auxv.get(AT_SYSINFO_EHDR),
      rseq: auxv.has(AT_RSEQ_FEATURE_SIZE)
        ? { featureSize: auxv.get(AT_RSEQ_FEATURE_SIZE)!, align: auxv.get(AT_RSEQ_ALIGN)! }
        : undefined,
    });
    expect(ours.sp).toBe(sp);
    expect(Buffer.from(ours.bytes).equals(native)).toBe(true);
  });
});

function cstringAt(bytes: Uint8Array, at: number): string {
  return new TextDecoder().decode(bytes.subarray(at, bytes.indexOf(0, at)));
}
