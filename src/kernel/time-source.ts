/**
 * Where the kernel's time and randomness come from. The kernel owns one of
 * each and every user (clocks, getrandom, /dev/urandom, AT_RANDOM) goes
 * through it, so that a seeded, reproducible mode can be added by replacing
 * the source alone. Sources are host handles: not saved; a restored kernel
 * gets fresh ones, which is what makes a resumed guest's randomness fresh.
 */
import { randomFillSync } from 'node:crypto';

/** Host clocks. */
export interface HostClock {
  /** Wall-clock time as [seconds, nanoseconds] since the Unix epoch. */
  realtime(): [number, number];
  /** A monotonic host time in nanoseconds (exact below 2^53, about 104 days). */
  monotonicNs(): number;
}

/** Bytes of randomness. */
export interface RandomSource {
  fill(dst: Uint8Array): void;
}

/** The real host clock. */
export const SYSTEM_CLOCK: HostClock = {
  realtime() {
    const ms = Date.now();
    const [, ns] = process.hrtime();
    // Date.now has millisecond resolution: take the sub-millisecond part
    // from the high-resolution clock so that successive reads differ.
    return [Math.floor(ms / 1000), (ms % 1000) * 1e6 + (ns % 1e6)];
  },
  monotonicNs() {
    const [s, ns] = process.hrtime();
    return s * 1e9 + ns;
  },
};

/** The operating system's cryptographic random generator. */
export const SYSTEM_RANDOM: RandomSource = {
  fill(dst) {
    randomFillSync(dst);
  },
};
