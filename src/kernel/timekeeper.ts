import type { HostClock } from './time-source.ts';

/**
 * Guest clocks. Monotonic time is the host's monotonic time minus the time
 * the guest spent paused, so it stops while the kernel is saved and carries
 * on from the saved value after a restore. Realtime follows the host's wall
 * clock, so a restored guest sees the real date, later than at the save.
 *
 * Saved: the guest monotonic time at the save (`savedMonotonicNs`). The host
 * clock and the offset are rebuilt on load.
 */
export class Timekeeper {
  /** Host clock; not saved, attached at creation and on load. */
  private clock: HostClock;
  /** Guest monotonic = host monotonic - offset. Rebuilt on load. */
  private offsetNs: number;
  /** Guest monotonic time frozen while paused, or -1 while running. */
  private frozenNs = -1;

  constructor(clock: HostClock, startMonotonicNs = 0) {
    this.clock = clock;
    this.offsetNs = clock.monotonicNs() - startMonotonicNs;
  }

  /** Guest monotonic time in nanoseconds. */
  monotonicNs(): number {
    if (this.frozenNs >= 0) return this.frozenNs;
    return this.clock.monotonicNs() - this.offsetNs;
  }

  /** Guest wall-clock time as [seconds, nanoseconds]. */
  realtime(): [number, number] {
    return this.clock.realtime();
  }

  /**
   * Gives a loaded timekeeper its host clock. Guest monotonic time stays
   * frozen at the saved value until resume().
   */
  attachClock(clock: HostClock): void {
    this.clock = clock;
    this.offsetNs = 0;
  }

  /** Stops guest monotonic time (a save is coming, or the kernel pauses). */
  pause(): void {
    if (this.frozenNs < 0) this.frozenNs = this.monotonicNs();
  }

  /** Lets guest monotonic time run again from where it stopped. */
  resume(): void {
    if (this.frozenNs < 0) return;
    this.offsetNs = this.clock.monotonicNs() - this.frozenNs;
    this.frozenNs = -1;
  }

  /** True while stopped. */
  get paused(): boolean {
    return this.frozenNs >= 0;
  }
}
