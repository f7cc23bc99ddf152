/**
 * Our own test programs (test/guest/), each built with musl and with glibc,
 * run natively and on Amber: standard output, standard error and the exit
 * status must be equal. The bench-* programs are left to `npm run bench`:
 * they run for seconds on Amber.
 */
import { describe, expect, it } from 'vitest';
import { guestBinary, guestCPrograms, type GuestLibc } from '../support/guest.ts';
import { runBoth, type RunSpec } from './helpers.ts';

/** An environment that is the same on both sides and has nothing of the host. */
const ENV = ['HOME=/root', 'PATH=/bin:/usr/bin', 'LANG=C', 'TZ=UTC'];

/** Each program with the runs that exercise it; one plain run otherwise. */
const RUNS: Record<string, Omit<RunSpec, 'program'>[]> = {
  args: [{ args: ['one', 'two words', ''], env: [...ENV, 'EMPTY='] }],
  'exit-code': [{ args: ['0'] }, { args: ['3'] }, { args: ['300'] }, { args: ['7', '_exit'] }],
};

/** Programs whose end is a signal: the status must be 128 + that signal. */
const SIGNALLED: Record<string, number> = { abort: 128 + 6, divzero: 128 + 8 };

/**
 * Programs known to fail on Amber for a reason outside these tests, with
 * that reason. They run as `it.fails`, so the day they pass the suite says so.
 */
const KNOWN_FAILURES: Record<string, string> = {};

/**
 * Programs too long for this suite's time budget, with their size. They run
 * when AMBER_SLOW_TESTS=1 is set.
 */
const SLOW: Record<string, string> = {};
const RUN_SLOW = process.env.AMBER_SLOW_TESTS === '1';

const PROGRAMS = guestCPrograms().filter((name) => !name.startsWith('bench-'));
const LIBCS: GuestLibc[] = ['musl', 'glibc'];

describe.each(LIBCS)('the %s build of each guest program', (libc) => {
  for (const name of PROGRAMS) {
    const key = `${name}.${libc}`;
    const runs = RUNS[name] ?? [{}];
    const slow = SLOW[name] !== undefined && !RUN_SLOW;
    const test = slow ? it.skip : KNOWN_FAILURES[key] ? it.fails : it;
    let title = `${name} prints and ends as natively`;
    if (slow) title += ` (skipped: ${SLOW[name]}; set AMBER_SLOW_TESTS=1)`;
    else if (KNOWN_FAILURES[key]) title += ` (known failure: ${KNOWN_FAILURES[key]})`;
    const timeout = SLOW[name] ? 300_000 : undefined;
    test(
      title,
      async () => {
        for (const run of runs) {
          const spec: RunSpec = {
            env: ENV,
            ...(SLOW[name] ? { maxInstructions: 8e9 } : {}),
            ...run,
            program: guestBinary(name, libc),
          };
          const { native, amber } = await runBoth(spec);
          if (name in SIGNALLED) expect(native.status).toBe(SIGNALLED[name]);
          expect(amber).toEqual(native);
        }
      },
      timeout,
    );
  }
});

describe('the assembly guest programs', () => {
  it('raw-hello writes its line and exits 0', async () => {
    const { native, amber } = await runBoth({ program: guestBinary('raw-hello') });
    expect(amber).toEqual(native);
  });

  it('raw-exit exits 42 without output', async () => {
    const { native, amber } = await runBoth({ program: guestBinary('raw-exit') });
    expect(native.status).toBe(42);
    expect(amber).toEqual(native);
  });

  it('raw-args prints every argument and exits with their count', async () => {
    const spec = { program: guestBinary('raw-args'), args: ['a', 'bc', '', 'd e'] };
    const { native, amber } = await runBoth(spec);
    expect(amber).toEqual(native);
  });
});
