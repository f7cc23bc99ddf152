/**
 * Conversion rows: between float32, float64 and 32/64-bit integers, packed
 * and scalar, rounding by MXCSR or truncating (the cvtt forms). Integer
 * results out of range or from NaNs are the integer indefinite with IE.
 * The MMX forms (cvtpi2ps, cvtps2pi, cvttps2pi, cvtpi2pd, cvtpd2pi,
 * cvttpd2pi) have no rows and raise #UD.
 */
import type { Handler } from '../insn.ts';
import { readE, setReg } from '../operands.ts';
import type { OpRow } from '../table.ts';
import { fpOut } from './float-bits.ts';
import {
  f32ToF64,
  f32ToInt,
  f64ToF32,
  f64ToInt,
  int32ToF32,
  int32ToF64,
  int64ToFloat,
} from './float-convert.ts';
import {
  commit,
  loadAligned,
  loadLow32,
  loadLow64,
  RES,
  settleFloat,
  SRC,
} from './xmm-operands.ts';

/** cvtsi2ss / cvtsi2sd xmm, r/m32 or r/m64. */
function fromInt(toDouble: boolean): Handler {
  return (cpu, i) => {
    const lo = readE(cpu, i);
    const hi = i.size === 8 ? cpu.hi : lo >> 31;
    const d = i.reg << 2;
    fpOut.flags = 0;
    let r: number;
    if (i.size === 8) r = int64ToFloat(lo, hi, toDouble, cpu.mxcsr);
    else r = toDouble ? int32ToF64(lo) : int64ToFloat(lo, hi, false, cpu.mxcsr);
    const rhi = fpOut.hi;
    settleFloat(cpu);
    cpu.xmm[d] = r;
    if (toDouble) cpu.xmm[d + 1] = rhi;
  };
}

/** cvt(t)ss2si / cvt(t)sd2si r32/r64, xmm/m. */
function toInt(fromDouble: boolean, truncate: boolean): Handler {
  return (cpu, i) => {
    const wide = i.size === 8;
    fpOut.flags = 0;
    let r: number;
    if (fromDouble) {
      loadLow64(cpu, i);
      r = f64ToInt(SRC[0], SRC[1], wide, truncate, cpu.mxcsr);
    } else {
      r = f32ToInt(loadLow32(cpu, i), wide, truncate, cpu.mxcsr);
    }
    const hi = fpOut.hi;
    settleFloat(cpu);
    setReg(cpu, i.reg, i.size, r, hi);
  };
}

const cvtps2pd: Handler = (cpu, i) => {
  loadLow64(cpu, i);
  fpOut.flags = 0;
  RES[0] = f32ToF64(SRC[0], cpu.mxcsr);
  RES[1] = fpOut.hi;
  RES[2] = f32ToF64(SRC[1], cpu.mxcsr);
  RES[3] = fpOut.hi;
  settleFloat(cpu);
  commit(cpu, i.reg);
};

const cvtpd2ps: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  fpOut.flags = 0;
  RES[0] = f64ToF32(SRC[0], SRC[1], cpu.mxcsr);
  RES[1] = f64ToF32(SRC[2], SRC[3], cpu.mxcsr);
  RES[2] = RES[3] = 0;
  settleFloat(cpu);
  commit(cpu, i.reg);
};

const cvtss2sd: Handler = (cpu, i) => {
  const s = loadLow32(cpu, i);
  fpOut.flags = 0;
  const lo = f32ToF64(s, cpu.mxcsr);
  const hi = fpOut.hi;
  settleFloat(cpu);
  cpu.xmm[i.reg << 2] = lo;
  cpu.xmm[(i.reg << 2) + 1] = hi;
};

const cvtsd2ss: Handler = (cpu, i) => {
  loadLow64(cpu, i);
  fpOut.flags = 0;
  const r = f64ToF32(SRC[0], SRC[1], cpu.mxcsr);
  settleFloat(cpu);
  cpu.xmm[i.reg << 2] = r;
};

const cvtdq2ps: Handler = (cpu, i) => {
  loadAligned(cpu, i);
  fpOut.flags = 0;
  for (let k = 0; k < 4; k++) RES[k] = int32ToF32(SRC[k], cpu.mxcsr);
  settleFloat(cpu);
  commit(cpu, i.reg);
};

/** cvtps2dq and cvttps2dq. */
function cvtps2dq(truncate: boolean): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    fpOut.flags = 0;
    for (let k = 0; k < 4; k++) RES[k] = f32ToInt(SRC[k], false, truncate, cpu.mxcsr);
    settleFloat(cpu);
    commit(cpu, i.reg);
  };
}

/** cvtpd2dq and cvttpd2dq: two results in the low half, the high half zeroed. */
function cvtpd2dq(truncate: boolean): Handler {
  return (cpu, i) => {
    loadAligned(cpu, i);
    fpOut.flags = 0;
    RES[0] = f64ToInt(SRC[0], SRC[1], false, truncate, cpu.mxcsr);
    RES[1] = f64ToInt(SRC[2], SRC[3], false, truncate, cpu.mxcsr);
    RES[2] = RES[3] = 0;
    settleFloat(cpu);
    commit(cpu, i.reg);
  };
}

const cvtdq2pd: Handler = (cpu, i) => {
  loadLow64(cpu, i);
  RES[0] = int32ToF64(SRC[0]);
  RES[1] = fpOut.hi;
  RES[2] = int32ToF64(SRC[1]);
  RES[3] = fpOut.hi;
  commit(cpu, i.reg);
};

/** Rows of the conversion instructions. */
export const SSE_CONVERT_ROWS: OpRow[] = [
  { name: 'cvtsi2ss', map: 1, op: 0x2a, pfx: 'f3', exec: fromInt(false) },
  { name: 'cvtsi2sd', map: 1, op: 0x2a, pfx: 'f2', exec: fromInt(true) },
  { name: 'cvttss2si', map: 1, op: 0x2c, pfx: 'f3', exec: toInt(false, true) },
  { name: 'cvttsd2si', map: 1, op: 0x2c, pfx: 'f2', exec: toInt(true, true) },
  { name: 'cvtss2si', map: 1, op: 0x2d, pfx: 'f3', exec: toInt(false, false) },
  { name: 'cvtsd2si', map: 1, op: 0x2d, pfx: 'f2', exec: toInt(true, false) },
  { name: 'cvtps2pd', map: 1, op: 0x5a, pfx: 'none', size: 'x', exec: cvtps2pd },
  { name: 'cvtpd2ps', map: 1, op: 0x5a, pfx: '66', size: 'x', exec: cvtpd2ps },
  { name: 'cvtss2sd', map: 1, op: 0x5a, pfx: 'f3', size: 'x', exec: cvtss2sd },
  { name: 'cvtsd2ss', map: 1, op: 0x5a, pfx: 'f2', size: 'x', exec: cvtsd2ss },
  { name: 'cvtdq2ps', map: 1, op: 0x5b, pfx: 'none', size: 'x', exec: cvtdq2ps },
  { name: 'cvtps2dq', map: 1, op: 0x5b, pfx: '66', size: 'x', exec: cvtps2dq(false) },
  { name: 'cvttps2dq', map: 1, op: 0x5b, pfx: 'f3', size: 'x', exec: cvtps2dq(true) },
  { name: 'cvttpd2dq', map: 1, op: 0xe6, pfx: '66', size: 'x', exec: cvtpd2dq(true) },
  { name: 'cvtdq2pd', map: 1, op: 0xe6, pfx: 'f3', size: 'x', exec: cvtdq2pd },
  { name: 'cvtpd2dq', map: 1, op: 0xe6, pfx: 'f2', size: 'x', exec: cvtpd2dq(false) },
];
