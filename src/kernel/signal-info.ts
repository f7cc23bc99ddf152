/** siginfo_t contents Amber fills (x86-64 layout is written by the frame code). */
export interface SigInfo {
  signo: number;
  code: number;
  errno: number;
  /** Sender pid and uid (kill, tgkill), or the fault address (SIGSEGV...). */
  pid: number;
  uid: number;
  addr: number;
}

/** si_code values. */
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SI_TKILL = -6;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRERR = 2;
export const ILL_ILLOPN = 2;
export const FPE_INTDIV = 1;
export const FPE_FLTDIV = 3;
export const FPE_FLTOVF = 4;
export const FPE_FLTUND = 5;
export const FPE_FLTRES = 6;
export const FPE_FLTINV = 7;
export const TRAP_BRKPT = 1;

/** A siginfo for a signal sent by a process (kill). */
export function userSigInfo(signo: number, pid: number, uid: number, code = SI_USER): SigInfo {
  return { signo, code, errno: 0, pid, uid, addr: 0 };
}

/** A siginfo for a fault at an address. */
export function faultSigInfo(signo: number, code: number, addr: number): SigInfo {
  return { signo, code, errno: 0, pid: 0, uid: 0, addr };
}
