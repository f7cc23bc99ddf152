/** Linux signal numbers and default actions (x86-64). */

export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGSEGV = 11;
export const SIGUSR2 = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGSTKFLT = 16;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGXCPU = 24;
export const SIGXFSZ = 25;
export const SIGVTALRM = 26;
export const SIGPROF = 27;
export const SIGWINCH = 28;
export const SIGIO = 29;
export const SIGPWR = 30;
export const SIGSYS = 31;
export const SIGRTMIN = 32;
export const NSIG = 64;

/** What happens to a process when a signal with no handler arrives. */
export const DefaultAction = {
  TERMINATE: 0,
  CORE: 1,
  IGNORE: 2,
  STOP: 3,
  CONTINUE: 4,
} as const;

/** One of the DefaultAction values. */
export type DefaultAction = (typeof DefaultAction)[keyof typeof DefaultAction];

const CORE_SIGNALS = [
  SIGQUIT,
  SIGILL,
  SIGTRAP,
  SIGABRT,
  SIGBUS,
  SIGFPE,
  SIGSEGV,
  SIGXCPU,
  SIGXFSZ,
  SIGSYS,
];
const IGNORED = [SIGCHLD, SIGURG, SIGWINCH];
const STOPPING = [SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU];

/** The default action of signal `sig`. */
export function defaultAction(sig: number): DefaultAction {
  if (CORE_SIGNALS.includes(sig)) return DefaultAction.CORE;
  if (IGNORED.includes(sig)) return DefaultAction.IGNORE;
  if (STOPPING.includes(sig)) return DefaultAction.STOP;
  if (sig === SIGCONT) return DefaultAction.CONTINUE;
  return DefaultAction.TERMINATE;
}

const NAMES: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  16: 'SIGSTKFLT',
  17: 'SIGCHLD',
  18: 'SIGCONT',
  19: 'SIGSTOP',
  20: 'SIGTSTP',
  21: 'SIGTTIN',
  22: 'SIGTTOU',
  23: 'SIGURG',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  26: 'SIGVTALRM',
  27: 'SIGPROF',
  28: 'SIGWINCH',
  29: 'SIGIO',
  30: 'SIGPWR',
  31: 'SIGSYS',
};

/** The name of a signal, e.g. 'SIGSEGV', or 'SIGRTMIN+n'. */
export function signalName(sig: number): string {
  return (
    NAMES[sig] ?? (sig >= SIGRTMIN && sig <= NSIG ? `SIGRTMIN+${sig - SIGRTMIN}` : `signal ${sig}`)
  );
}

/** Signal number from a name such as 'TERM', 'SIGTERM' or '15'; 0 when unknown. */
export function parseSignal(text: string): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= 1 && n <= NSIG ? n : 0;
  }
  const want = text.toUpperCase().startsWith('SIG')
    ? text.toUpperCase()
    : 'SIG' + text.toUpperCase();
  for (const [n, name] of Object.entries(NAMES)) if (name === want) return Number(n);
  return 0;
}

/**
 * A set of signals 1-64 as two 32-bit words (bit n-1 of the 64-bit mask is
 * signal n), matching the kernel's sigset_t.
 */
export class SigSet {
  lo = 0;
  hi = 0;

  static of(...sigs: number[]): SigSet {
    const s = new SigSet();
    for (const sig of sigs) s.add(sig);
    return s;
  }

  has(sig: number): boolean {
    const bit = sig - 1;
    return bit < 32 ? ((this.lo >>> bit) & 1) === 1 : ((this.hi >>> (bit - 32)) & 1) === 1;
  }

  add(sig: number): void {
    const bit = sig - 1;
    if (bit < 32) this.lo |= 1 << bit;
    else this.hi |= 1 << (bit - 32);
  }

  delete(sig: number): void {
    const bit = sig - 1;
    if (bit < 32) this.lo &= ~(1 << bit);
    else this.hi &= ~(1 << (bit - 32));
  }

  isEmpty(): boolean {
    return (this.lo | this.hi) === 0;
  }

  copy(): SigSet {
    const s = new SigSet();
    s.lo = this.lo;
    s.hi = this.hi;
    return s;
  }

  set(lo: number, hi: number): void {
    this.lo = lo | 0;
    this.hi = hi | 0;
  }

  /** Signals in this set and not in `mask`, lowest first; 0 when none. */
  firstNotIn(mask: SigSet): number {
    const lo = this.lo & ~mask.lo;
    if (lo !== 0) return 32 - Math.clz32(lo & -lo);
    const hi = this.hi & ~mask.hi;
    if (hi !== 0) return 64 - Math.clz32(hi & -hi);
    return 0;
  }
}

/** SIGKILL and SIGSTOP can be neither blocked nor caught. */
export const UNBLOCKABLE = SigSet.of(SIGKILL, SIGSTOP);
