/** Resource limits (getrlimit, setrlimit, prlimit64). */

export const RLIMIT_CPU = 0;
export const RLIMIT_FSIZE = 1;
export const RLIMIT_DATA = 2;
export const RLIMIT_STACK = 3;
export const RLIMIT_CORE = 4;
export const RLIMIT_RSS = 5;
export const RLIMIT_NPROC = 6;
export const RLIMIT_NOFILE = 7;
export const RLIMIT_MEMLOCK = 8;
export const RLIMIT_AS = 9;
export const RLIMIT_LOCKS = 10;
export const RLIMIT_SIGPENDING = 11;
export const RLIMIT_MSGQUEUE = 12;
export const RLIMIT_NICE = 13;
export const RLIMIT_RTPRIO = 14;
export const RLIMIT_RTTIME = 15;
export const RLIM_NLIMITS = 16;

/** RLIM_INFINITY (all ones); kept as a number that compares above any real limit. */
export const RLIM_INFINITY = Number.POSITIVE_INFINITY;

/** One limit: soft (current) and hard (maximum). */
export interface Limit {
  cur: number;
  max: number;
}

/** The limits of a thread group. Saved. */
export class LimitSet {
  readonly limits: Limit[];

  constructor(limits?: Limit[]) {
    this.limits = limits ?? defaultLimits();
  }

  get(resource: number): Limit {
    return this.limits[resource];
  }

  set(resource: number, limit: Limit): void {
    this.limits[resource] = { cur: limit.cur, max: limit.max };
  }

  clone(): LimitSet {
    return new LimitSet(this.limits.map((l) => ({ cur: l.cur, max: l.max })));
  }
}

/** Linux's defaults for a login process, more or less. */
function defaultLimits(): Limit[] {
  const inf = { cur: RLIM_INFINITY, max: RLIM_INFINITY };
  const l: Limit[] = Array.from({ length: RLIM_NLIMITS }, () => ({ ...inf }));
  l[RLIMIT_STACK] = { cur: 8 * 1024 * 1024, max: RLIM_INFINITY };
  l[RLIMIT_CORE] = { cur: 0, max: RLIM_INFINITY };
  l[RLIMIT_NOFILE] = { cur: 1024, max: 4096 };
  l[RLIMIT_NPROC] = { cur: 4096, max: 4096 };
  l[RLIMIT_MEMLOCK] = { cur: 8 * 1024 * 1024, max: 8 * 1024 * 1024 };
  l[RLIMIT_SIGPENDING] = { cur: 4096, max: 4096 };
  l[RLIMIT_MSGQUEUE] = { cur: 819200, max: 819200 };
  l[RLIMIT_NICE] = { cur: 0, max: 0 };
  l[RLIMIT_RTPRIO] = { cur: 0, max: 0 };
  return l;
}
