/**
 * Debian's static busybox (test/setup.sh installs it), run natively and on
 * Amber with the same arguments, input and environment: standard output,
 * standard error and exit status must be equal. Input files are copied into
 * the guest at the host path they have, so both sides name them alike.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBusybox } from '../support/busybox.ts';
import { runBoth, runNative, runOnAmber, type RunOutcome } from './helpers.ts';

const found = findBusybox();
const BUSYBOX = found.path ?? '';
const ENV = ['PATH=/bin:/usr/bin', 'LANG=C', 'TZ=UTC'];

/** Same pseudo-random text every run: lines of words and numbers. */
function corpus(lines: number): string {
  const words = ['amber', 'kernel', 'task', 'signal', 'page', 'frame', 'snapshot', 'x86', 'tmpfs'];
  let seed = 12345;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let text = '';
  for (let i = 0; i < lines; i++) {
    const count = 1 + next(5);
    const line = Array.from({ length: count }, () => words[next(words.length)]);
    text += `${line.join(' ')},${next(1000)},${next(50) - 25}\n`;
  }
  return text;
}

const TEXT = corpus(400);
let dir = '';
let textFile = '';

beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/amber-busybox-`);
  textFile = `${dir}/corpus.txt`;
  writeFileSync(textFile, TEXT);
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** Runs `busybox APPLET ARGS...` on both sides and expects the same outcome. */
async function same(args: string[], stdin = '', files: string[] = []): Promise<RunOutcome> {
  const { native, amber } = await runBoth({
    program: BUSYBOX,
    args,
    env: ENV,
    stdin,
    files,
  });
  expect(amber, `busybox ${args.join(' ')}`).toEqual(native);
  return native;
}

describe.skipIf(found.path === null)(`busybox applets (${found.reason ?? BUSYBOX})`, () => {
  it('echo prints its arguments, with -n and -e', async () => {
    await same(['echo', 'hello', 'amber', '  spaced  ']);
    await same(['echo', '-n', 'no newline']);
    await same(['echo', '-e', 'tab\\there\\nnew line\\x41']);
  });

  it('cat copies standard input and a file', async () => {
    await same(['cat'], TEXT);
    await same(['cat', textFile], '', [textFile]);
  });

  it('cat of a missing file fails with the same message and status', async () => {
    const out = await same(['cat', `${dir}/missing`]);
    expect(out.status).toBe(1);
  });

  it('wc counts lines, words and bytes', async () => {
    await same(['wc'], TEXT);
    await same(['wc', '-l', '-w', '-c'], TEXT);
    await same(['wc', '-L', textFile], '', [textFile]);
  });

  it('sort orders lines by text, number, key, reverse and uniqueness', async () => {
    await same(['sort'], TEXT);
    await same(['sort', '-t', ',', '-k', '2', '-n', '-r'], TEXT);
    await same(['sort', '-t', ',', '-k', '3,3n', '-k', '1,1'], TEXT);
    await same(['sort', '-t', ',', '-k', '1,1', '-r', '-s'], TEXT);
    await same(['sort', '-u', '-f'], TEXT);
  });

  it('uniq collapses and counts repeated lines', async () => {
    const lines = TEXT.split('\n')
      .map((l) => l.split(' ')[0])
      .sort()
      .join('\n');
    await same(['uniq', '-c'], lines);
    await same(['uniq', '-d'], lines);
  });

  it('sed substitutes, deletes and prints selected lines', async () => {
    await same(['sed', '-e', 's/a/A/g', '-e', '3d', '-e', '/page/s/,/;/2'], TEXT);
    await same(['sed', '-n', '/^kernel/p'], TEXT);
    await same(['sed', '-E', 's/([a-z]+) ([a-z]+)/\\2 \\1/'], TEXT);
  });

  it('grep matches, counts, inverts and reports no match', async () => {
    await same(['grep', '-n', 'snapshot'], TEXT);
    await same(['grep', '-c', '-i', 'X86'], TEXT);
    await same(['grep', '-v', '-E', 'page|frame'], TEXT);
    const none = await same(['grep', 'no such words'], TEXT);
    expect(none.status).toBe(1);
  });

  it('awk sums fields and formats numbers', async () => {
    await same(['awk', '-F,', '{ s += $2; n++ } END { print s, n, s / n }'], TEXT);
    await same(['awk', '-F,', '$3 < 0 { printf "%-10s %5d %.3f\\n", $1, $2, $2 / 7 }'], TEXT);
    await same(['awk', 'BEGIN { for (i = 1; i <= 5; i++) printf "%d %s\\n", i, i * i }']);
  });

  it('sha256sum and md5sum hash standard input and a file', async () => {
    await same(['sha256sum'], TEXT);
    await same(['md5sum'], TEXT);
    await same(['sha256sum', textFile], '', [textFile]);
    await same(['md5sum', textFile], '', [textFile]);
  });

  it('gzip output equals the native one and gunzip restores the input', async () => {
    const zipped = await same(['gzip', '-c', '-9'], TEXT);
    expect(zipped.stdout.length).toBeLessThan(TEXT.length);
    const unzipped = await same(['gunzip', '-c'], zipped.stdout);
    expect(unzipped.stdout).toBe(TEXT);
    await same(['gzip', '-c', '-1'], TEXT);
  });

  it('gzip and gunzip round trip 64 KiB of binary data', async () => {
    let seed = 7;
    const bytes = Buffer.alloc(64 * 1024, 0);
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      // Runs of repeated bytes among noise, so compression has work to do.
      bytes[i] = i % 512 < 200 ? 0x41 : seed >> 23;
    }
    const data = bytes.toString('latin1');
    const zipped = await same(['gzip', '-c'], data);
    const unzipped = await same(['gunzip', '-c'], zipped.stdout);
    expect(unzipped.stdout).toBe(data);
  });

  it('tr maps, deletes and squeezes characters', async () => {
    await same(['tr', 'a-z', 'A-Z'], TEXT);
    await same(['tr', '-d', 'aeiou'], TEXT);
    await same(['tr', '-s', 'a-z', '\\n'], TEXT);
  });

  it('cut selects fields and characters', async () => {
    await same(['cut', '-d', ',', '-f', '2,3'], TEXT);
    await same(['cut', '-c', '2-6,9'], TEXT);
  });

  it('head and tail take lines and bytes from either end', async () => {
    await same(['head', '-n', '7'], TEXT);
    await same(['head', '-c', '100'], TEXT);
    await same(['tail', '-n', '5'], TEXT);
    await same(['tail', '-c', '64'], TEXT);
    await same(['tail', '-n', '+395'], TEXT);
  });

  it('od dumps bytes in hex, octal and characters', async () => {
    const sample = TEXT.slice(0, 100) + '\x00\x01\x7f\xff';
    await same(['od', '-A', 'x', '-t', 'x1z'], sample);
    await same(['od', '-c'], sample);
    await same(['od', '-t', 'd4'], sample);
  });

  it('seq counts with steps, separators and widths', async () => {
    await same(['seq', '5']);
    await same(['seq', '-s', ',', '3', '4', '30']);
    await same(['seq', '-w', '8', '-3', '-10']);
    await same(['seq', '0.5', '0.25', '2']);
  });

  it('expr evaluates arithmetic, strings and its false status', async () => {
    await same(['expr', '3', '+', '4', '*', '5']);
    await same(['expr', 'length', 'snapshot']);
    await same(['expr', 'amber-kernel', ':', '\\([a-z]*\\)']);
    const zero = await same(['expr', '2', '-', '2']);
    expect(zero.status).toBe(1);
  });

  it('printf formats integers, strings and floating point', async () => {
    await same(['printf', '%5d|%-6s|%x|%o|%c\\n', '42', 'ab', '255', '8', 'xyz']);
    await same(['printf', '%.3f %e %g\\n', '3.14159', '12345.678', '0.0001']);
    await same(['printf', '%s-%s\\n', 'a', 'b', 'c']);
  });

  it('basename strips the directory and a suffix', async () => {
    await same(['basename', '/usr/lib/amber/kernel.ts', '.ts']);
    await same(['basename', '/trailing/slash/']);
  });

  it('sh runs a script of builtins that reads standard input', async () => {
    const script =
      'read a b; echo "[$b][$a]"; echo $((6 * 7)); cd /tmp && pwd; x=abc; echo ${#x} ${x%c}';
    await same(['sh', '-c', script], 'one two three\n');
  });

  it('date prints fixed instants in fixed formats', async () => {
    await same(['date', '-u', '-d', '@0', '+%Y-%m-%d %H:%M:%S']);
    await same(['date', '-u', '-d', '@1700000000', '+%A %d %B %Y, day %j, %s']);
    await same(['date', '-u', '-d', '2024-02-29 12:34:56', '+%F %T %a']);
  });
});

/**
 * `ls -l` compares every column: the files are made alike on both sides with
 * the same names, sizes, permission bits and a fixed modification time (the
 * guest gets the host's). The host folder is on tmpfs (/dev/shm) when there
 * is one, so the `total` of 512-byte blocks is counted as by Amber's tmpfs.
 * Owner and group names come from /etc/passwd and /etc/group, copied in; the
 * guest runs as root, so the test is skipped when the host is not.
 */
describe.skipIf(found.path === null || process.getuid?.() !== 0)('busybox ls -l', () => {
  it('lists a folder the same way natively and on Amber', async () => {
    const base = mkdtempSync(
      existsSync('/dev/shm') ? '/dev/shm/amber-ls-' : `${tmpdir()}/amber-ls-`,
    );
    try {
      const listed = `${base}/listed`;
      mkdirSync(listed);
      const files: [string, number, number][] = [
        ['alpha.txt', 0o644, 10],
        ['beta.sh', 0o755, 5000],
        ['empty', 0o600, 0],
        ['Zeta', 0o444, 12345],
      ];
      const fixed = new Date('2020-01-02T03:04:05Z');
      for (const [name, mode, size] of files) {
        const path = `${listed}/${name}`;
        writeFileSync(path, 'x'.repeat(size));
        chmodSync(path, mode);
        utimesSync(path, fixed, fixed);
      }
      const paths = files.map(([name]) => `${listed}/${name}`);
      const spec = {
        program: BUSYBOX,
        args: ['ls', '-l', listed],
        env: ENV,
        files: [...paths, '/etc/passwd', '/etc/group'],
      };
      const native = runNative(spec);
      expect(native.stdout).toContain('Jan  2  2020 beta.sh');
      expect(await runOnAmber(spec)).toEqual(native);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
