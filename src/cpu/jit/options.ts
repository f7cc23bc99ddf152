/**
 * Tuning of the block compiler. Read when a Cpu is constructed (it copies
 * the threshold into `cpu.jitThreshold`), so tests and benchmarks may change
 * it before creating CPUs: 0 compiles every block on first sight, Infinity
 * never compiles.
 */
export const jitOptions = {
  /** Interpreted runs of a block before it is compiled. */
  threshold: 40,
};
