/**
 * `amber run` as a user runs it: a spawned `node bin/amber.js run ...` whose
 * standard streams and exit status are compared with the program's native
 * run. Each spawn costs about half a second of start-up, so each test here
 * checks several options at once.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PT_LOAD, R, X, buildElf } from '../loader/elf-builder.ts';
import { findBusybox } from '../support/busybox.ts';
import { guestBinary } from '../support/guest.ts';
import { runNative, type RunOutcome } from './helpers.ts';

const AMBER = fileURLToPath(new URL('../../bin/amber.js', import.meta.url));
const busybox = findBusybox();

/** Runs `amber run ARGS...` with the given standard input. */
function amberRun(args: string[], stdin = ''): RunOutcome {
  const result = spawnSync(process.execPath, [AMBER, 'run', ...args], {
    input: stdin,
    encoding: 'latin1',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status ?? -1 };
}

/**
 * A static program of a few instructions, placed at 0x400100 in one
 * read-and-execute segment.
 */
function tinyProgram(code: number[]): Uint8Array {
  const size = 0x100 + code.length;
  const bytes = buildElf({
    entry: 0x400100,
    phdrs: [
      {
        type: PT_LOAD,
        flags: R | X,
        offset: 0,
        vaddr: 0x400000,
        filesz: size,
        memsz: size,
        align: 0x1000,
      },
    ],
    size,
  });
  bytes.set(code, 0x100);
  return bytes;
}

/**
 * Calls afs_syscall (183) twice, which Linux never implemented, and exits
 * with minus its result: ENOSYS, 38, natively and on Amber.
 */
const UNSUPPORTED_CALL = [
  ...[0xb8, 183, 0, 0, 0, 0x0f, 0x05], // mov eax, 183; syscall
  ...[0xb8, 183, 0, 0, 0, 0x0f, 0x05],
  ...[0xf7, 0xd8, 0x89, 0xc7], // neg eax; mov edi, eax
  ...[0xb8, 231, 0, 0, 0, 0x0f, 0x05], // exit_group
];

/** Jumps to itself forever. */
const ENDLESS_LOOP = [0xeb, 0xfe];

let dir = '';
let unsupportedCall = '';
let endlessLoop = '';
let inputFile = '';

beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/amber-cli-`);
  unsupportedCall = `${dir}/unsupported-call`;
  writeFileSync(unsupportedCall, tinyProgram(UNSUPPORTED_CALL));
  chmodSync(unsupportedCall, 0o755);
  endlessLoop = `${dir}/endless-loop`;
  writeFileSync(endlessLoop, tinyProgram(ENDLESS_LOOP));
  inputFile = `${dir}/input.txt`;
  writeFileSync(inputFile, 'first line from a host file\nsecond line\n');
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('amber run', () => {
  it('exits 128 + the signal that ended the program: 134 for abort, 136 for division by zero', () => {
    for (const program of [guestBinary('abort', 'musl'), guestBinary('divzero', 'glibc')]) {
      const native = runNative({ program });
      expect(amberRun([program])).toEqual(native);
    }
    expect(runNative({ program: guestBinary('abort', 'musl') }).status).toBe(134);
    expect(runNative({ program: guestBinary('divzero', 'glibc') }).status).toBe(136);
  });

  it('passes arguments and exactly the --env variables, and the exit code', () => {
    const program = guestBinary('args', 'glibc');
    const env = ['A=1', 'B=two words', 'EMPTY='];
    const args = ['first', '', 'third arg'];
    const native = runNative({ program, args, env });
    const flags = env.flatMap((kv) => ['--env', kv]);
    expect(amberRun([...flags, program, ...args])).toEqual(native);

    const exit = guestBinary('exit-code', 'musl');
    expect(amberRun([exit, '77'])).toEqual(runNative({ program: exit, args: ['77'] }));
  });

  it('prints instructions, seconds, rate and unsupported calls with --stats', () => {
    const out = amberRun(['--stats', unsupportedCall]);
    expect(runNative({ program: unsupportedCall }).status).toBe(38);
    expect(out.status).toBe(38);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(
      /^amber: 8 instructions in \d+\.\d{3} s \(\d+\.\d M instructions\/s\)\n/,
    );
    expect(out.stderr).toMatch(/\namber: unsupported system calls: afs_syscall\(183\) x2\n$/);

    const hello = amberRun(['--stats', guestBinary('hello', 'musl')]);
    expect(hello.stdout).toBe('hello, world\n');
    expect(hello.stderr).toMatch(/unsupported system calls: none\n$/);
  });

  it('kills the program once --max-instructions are spent, with status 137', () => {
    const out = amberRun(['--max-instructions', '100000', '--stats', endlessLoop]);
    expect(out.status).toBe(137);
    expect(out.stderr).toMatch(/^amber: killed: instruction limit of 100000 reached\n/);
    expect(out.stderr).toMatch(/amber: 100000 instructions in /);
  });

  it.skipIf(busybox.path === null)(
    'copies --file files in, starts in --cwd and forwards standard input',
    () => {
      const program = busybox.path ?? '';
      const out = amberRun(
        ['--file', `${inputFile}=/data/in.txt`, '--cwd', '/data', program, 'cat', 'in.txt', '-'],
        'and this came on standard input\n',
      );
      expect(out).toEqual({
        stdout: 'first line from a host file\nsecond line\nand this came on standard input\n',
        stderr: '',
        status: 0,
      });
    },
  );

  it.skipIf(busybox.path === null)('sees nothing of the host but the files it was given', () => {
    const out = amberRun([busybox.path ?? '', 'cat', inputFile]);
    expect(out.status).toBe(1);
    expect(out.stderr).toBe(`cat: can't open '${inputFile}': No such file or directory\n`);
  });
});
