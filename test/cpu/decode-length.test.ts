// Decode lengths agree with a reference decoder (iced-x86 from npm) over the
// whole .text of real binaries: the test programs of this project and
// Debian's busybox-static. A wrong length derails every instruction after it
// in a block, so this is checked on millions of real instructions, not on
// hand-picked ones.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLength } from '../../src/cpu/decode-length.ts';
import { findBusybox } from '../support/busybox.ts';
import { formatMismatches, sweepLengths } from '../support/code-sweep.ts';
import { GUEST_BIN_DIR } from '../support/guest.ts';

const guestBinaries = readdirSync(GUEST_BIN_DIR).sort();
const busybox = findBusybox();

function checkBinary(path: string): void {
  const report = sweepLengths(readFileSync(path), decodeLength);
  const name = path.split('/').pop();
  console.log(
    `decode-length ${name}: ${report.compared} instructions compared, ` +
      `${report.mismatches} mismatches, ${report.invalidToIced} invalid to iced (skipped)`,
  );
  expect(report.compared).toBeGreaterThan(0);
  expect(report.mismatches, formatMismatches(report)).toBe(0);
}

describe('decodeLength', () => {
  it.each(guestBinaries)('gives iced-x86 lengths for every instruction of %s', (name) => {
    checkBinary(join(GUEST_BIN_DIR, name));
  });

  it.skipIf(busybox.path === null)(
    `gives iced-x86 lengths for every instruction of Debian's static busybox${
      busybox.path === null ? ` (skipped: ${busybox.reason})` : ''
    }`,
    () => {
      checkBinary(busybox.path as string);
    },
  );
});
