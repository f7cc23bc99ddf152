// The soft-float's answer for the transcendental oracle cases, and the
// distance in units of the last place between two extended values.
import { F80, SW_C1, SW_C2, SW_DE, SW_IE, SW_ZE } from '../../../src/cpu/x87/float80.ts';
import {
  F80T,
  TRIG_COS,
  TRIG_SIN,
  TRIG_SINCOS,
  TRIG_TAN,
  f80Trig,
} from '../../../src/cpu/x87/f80-trig.ts';
import { f80F2xm1, f80Patan, f80Yl2x } from '../../../src/cpu/x87/f80-log.ts';
import type { Case, Ext } from './oracle.ts';

/** Expected status word (TOP included) and stack, as in model.ts. */
export interface TransExpect {
  sw: number;
  st0: Ext;
  st1: Ext;
}

const res = (): Ext => [F80.se, F80.hi >>> 0, F80.lo >>> 0];
const second = (): Ext => [F80T.se, F80T.hi >>> 0, F80T.lo >>> 0];

function status(cw: number, top: number): number {
  const exc = F80.flags & 0x3f;
  const es = exc & ~cw & 0x3f ? 0x8080 : 0;
  return exc | es | (top << 11) | (F80.flags & (SW_C1 | SW_C2));
}

/** Operations covered. */
export const TRANS_OPS = ['sin', 'cos', 'sincos', 'ptan', 'patan', 'f2xm1', 'yl2x', 'yl2xp1'];

/** Runs one transcendental case through the soft-float. */
export function transModel(c: Case): TransExpect {
  F80.cw = c.cw;
  F80.flags = 0;
  const { a, b, cw } = c;
  const stopped = () => (F80.flags & ~cw & (SW_IE | SW_DE | SW_ZE)) !== 0;
  const trig = (fn: number): TransExpect => {
    const done = f80Trig(...a, fn);
    const pushes = fn === TRIG_SINCOS || fn === TRIG_TAN;
    if (!done || stopped()) return { sw: status(cw, 6), st0: a, st1: b };
    if (!pushes) return { sw: status(cw, 6), st0: res(), st1: b };
    return { sw: status(cw, 5), st0: second(), st1: res() };
  };
  switch (c.op) {
    case 'sin':
      return trig(TRIG_SIN);
    case 'cos':
      return trig(TRIG_COS);
    case 'sincos':
      return trig(TRIG_SINCOS);
    case 'ptan':
      return trig(TRIG_TAN);
    case 'f2xm1':
      f80F2xm1(...a);
      return { sw: status(cw, 6), st0: stopped() ? a : res(), st1: b };
    default: {
      if (c.op === 'patan') f80Patan(...b, ...a);
      else f80Yl2x(...b, ...a, c.op === 'yl2xp1');
      if (stopped()) return { sw: status(cw, 6), st0: a, st1: b };
      return { sw: status(cw, 7), st0: res(), st1: [0, 0, 0] };
    }
  }
}

/** Units in the last place between two extended values (Infinity across signs). */
export function ulps(x: Ext, y: Ext): number {
  // Ordinal of a magnitude: consecutive representable values differ by one.
  const key = (v: Ext) => {
    const sig = (BigInt(v[1] >>> 0) << 32n) | BigInt(v[2] >>> 0);
    const exp = BigInt(v[0] & 0x7fff);
    return exp === 0n ? sig : (exp << 63n) + (sig & ((1n << 63n) - 1n));
  };
  if ((x[0] & 0x8000) !== (y[0] & 0x8000)) return key(x) === 0n && key(y) === 0n ? 0 : Infinity;
  const d = key(x) - key(y);
  return Number(d < 0n ? -d : d);
}
