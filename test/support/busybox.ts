/**
 * Locates a static x86-64 busybox for tests (Debian's busybox-static puts one
 * at /bin/busybox). test/setup.sh installs it; tests that need it call
 * findBusybox() and skip with the reason it gives when there is none.
 */
import { readFileSync } from 'node:fs';
import { EM_X86_64, ElfFormatError, isStatic, parseElf } from './elf.ts';

/** Where a busybox was found, or why none could be used. */
export type BusyboxLookup = { path: string; reason?: undefined } | { path: null; reason: string };

/** Places to look, first match wins. AMBER_BUSYBOX overrides them all. */
export const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox', '/usr/local/bin/busybox'];

/** Why the file at `path` is not a usable busybox, or null when it is. */
export function busyboxProblem(path: string): string | null {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return `${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  try {
    const image = parseElf(bytes);
    if (image.machine !== EM_X86_64) return `${path}: not an x86-64 executable`;
    if (!isStatic(image)) {
      return `${path}: dynamically linked (install Debian's busybox-static)`;
    }
    return null;
  } catch (error) {
    if (error instanceof ElfFormatError) return `${path}: ${error.message}`;
    throw error;
  }
}

/**
 * The path of a static x86-64 busybox, or null with the reason, listing what
 * was wrong with each place looked at.
 */
export function findBusybox(env: NodeJS.ProcessEnv = process.env): BusyboxLookup {
  const override = env.AMBER_BUSYBOX;
  const candidates = override ? [override] : BUSYBOX_CANDIDATES;
  const problems: string[] = [];
  for (const path of candidates) {
    const problem = busyboxProblem(path);
    if (problem === null) return { path };
    problems.push(problem);
  }
  return {
    path: null,
    reason: `no static x86-64 busybox (${problems.join('; ')}); run test/setup.sh as root`,
  };
}
