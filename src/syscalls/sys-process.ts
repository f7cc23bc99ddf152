import { SYSCALL_NORETURN, type SyscallResult } from '../kernel/syscall-types.ts';
import type { Task } from '../kernel/task.ts';
import { startGroupExit } from '../kernel/task-signals.ts';
import { RLIM_NLIMITS } from '../kernel/limits.ts';
import { futexWake } from '../kernel/futex.ts';
import { Errno } from '../linux/errno.ts';
import { EFAULT, EINVAL, StructWriter, readStruct, writeStruct } from './args.ts';
import type { SyscallDef } from './table.ts';

/** Process identity, exit, limits, and the thread-setup calls libcs make at start. */

function exit(t: Task): SyscallResult {
  const code = t.argInt(0) & 0xff;
  exitTask(t, code);
  if (t.tg.tasks.every((x) => x.state === 'exited')) {
    startGroupExit(t.tg, { code, signal: 0, core: false });
  }
  return SYSCALL_NORETURN;
}

/** Ends one task: clear_child_tid is cleared and woken, as for a thread. */
function exitTask(t: Task, code: number): void {
  if (t.clearChildTid !== 0 && t.writeI32(t.clearChildTid, 0)) {
    futexWake(t, t.clearChildTid, 1, -1);
  }
  t.exitStatus = code;
  t.wait = null;
  t.state = 'exited';
  t.cpu.detach();
}

function exitGroup(t: Task): SyscallResult {
  const code = t.argInt(0) & 0xff;
  for (const x of t.tg.tasks) if (x.state !== 'exited') exitTask(x, code);
  startGroupExit(t.tg, { code, signal: 0, core: false });
  return SYSCALL_NORETURN;
}

function getgroups(t: Task): SyscallResult {
  const size = t.argInt(0);
  const groups = t.creds.groups;
  if (size < 0) return EINVAL;
  if (size === 0) return groups.length;
  if (size < groups.length) return EINVAL;
  const w = new StructWriter(4 * groups.length);
  groups.forEach((g, i) => w.i32(4 * i, g));
  return writeStruct(t, t.arg(1), w) || groups.length;
}

function setTidAddress(t: Task): SyscallResult {
  t.clearChildTid = t.arg(0);
  return t.tid;
}

function setRobustList(t: Task): SyscallResult {
  if (t.argU(1) !== 24) return EINVAL;
  t.robustList = t.arg(0);
  t.robustListLen = 24;
  return 0;
}

const RSEQ_MIN_LEN = 32;
const RSEQ_FLAG_UNREGISTER = 1;

/**
 * rseq registration. Amber has one virtual CPU per task and never preempts
 * inside a critical section, so the kernel's part is to publish CPU 0.
 */
function rseq(t: Task): SyscallResult {
  const addr = t.arg(0);
  const len = t.argU32(1);
  const flags = t.argInt(2);
  const reg = t.rseqAddr !== 0 ? t.rseqAddr : undefined;
  if (flags === RSEQ_FLAG_UNREGISTER) {
    if (reg === undefined || reg !== addr) return EINVAL;
    t.rseqAddr = 0;
    return 0;
  }
  if (flags !== 0) return EINVAL;
  if (reg !== undefined) return reg === addr ? -Errno.EBUSY : EINVAL;
  if (len < RSEQ_MIN_LEN || addr % 32 !== 0) return EINVAL;
  // cpu_id_start and cpu_id: CPU 0.
  if (!t.writeI32(addr, 0) || !t.writeI32(addr + 4, 0)) return EFAULT;
  t.rseqAddr = addr;
  return 0;
}

const ARCH_SET_GS = 0x1001;
const ARCH_SET_FS = 0x1002;
const ARCH_GET_FS = 0x1003;
const ARCH_GET_GS = 0x1004;

function archPrctl(t: Task): SyscallResult {
  const code = t.argInt(0);
  const addr = t.arg(1);
  switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
      if (addr < 0 || addr >= 2 ** 47) return -Errno.EPERM;
      if (code === ARCH_SET_FS) t.cpu.fsBase = addr;
      else t.cpu.gsBase = addr;
      return 0;
    case ARCH_GET_FS:
      return t.writeU64(addr, t.cpu.fsBase) ? 0 : EFAULT;
    case ARCH_GET_GS:
      return t.writeU64(addr, t.cpu.gsBase) ? 0 : EFAULT;
    default:
      return EINVAL;
  }
}

/** prlimit64, also serving getrlimit and setrlimit. */
function prlimit(t: Task, pid: number, resource: number, newAddr: number, oldAddr: number) {
  if (pid !== 0 && pid !== t.tg.pid) return -Errno.ESRCH;
  if (resource < 0 || resource >= RLIM_NLIMITS) return EINVAL;
  const old = t.tg.limits.get(resource);
  let next: { cur: number; max: number } | null = null;
  if (newAddr !== 0) {
    const r = readStruct(t, newAddr, 16);
    if (r === null) return EFAULT;
    next = { cur: r.u64(0), max: r.u64(8) };
    if (next.cur > next.max) return EINVAL;
    if (next.max > old.max && t.creds.euid !== 0) return -Errno.EPERM;
  }
  if (oldAddr !== 0) {
    const err = writeStruct(t, oldAddr, new StructWriter(16).i64(0, old.cur).i64(8, old.max));
    if (err !== 0) return err;
  }
  if (next !== null) t.tg.limits.set(resource, next);
  return 0;
}

function uname(t: Task): SyscallResult {
  const k = t.kernel;
  const w = new StructWriter(6 * 65)
    .str(0, 'Linux', 65)
    .str(65, k.uts.hostName, 65)
    .str(130, '6.1.0-amber', 65)
    .str(195, '#1 SMP PREEMPT_DYNAMIC Amber', 65)
    .str(260, 'x86_64', 65)
    .str(325, k.uts.domainName, 65);
  return writeStruct(t, t.arg(0), w);
}

function sysinfo(t: Task): SyscallResult {
  const k = t.kernel;
  const total = k.memoryFile.capacityLimitBytes;
  const used = k.memoryFile.framesInUse * 4096;
  const w = new StructWriter(112)
    .i64(0, Math.floor(k.timekeeper.monotonicNs() / 1e9))
    .i64(32, total)
    .i64(40, Math.max(0, total - used))
    .u16(80, k.tasks.live().length)
    .i32(104, 1);
  return writeStruct(t, t.arg(0), w);
}

function schedGetaffinity(t: Task): SyscallResult {
  const len = t.argU(1);
  if (len < 8 || len % 8 !== 0) return EINVAL;
  const cores = t.kernel.applicationCores;
  const w = new StructWriter(8);
  for (let c = 0; c < Math.min(cores, 64); c++) {
    if (c < 32) w.i32(0, new DataView(w.bytes.buffer).getInt32(0, true) | (1 << c));
    else w.i32(4, new DataView(w.bytes.buffer).getInt32(4, true) | (1 << (c - 32)));
  }
  return writeStruct(t, t.arg(2), w) || 8;
}

const GRND_NONBLOCK = 1;
const GRND_RANDOM = 2;
const GRND_INSECURE = 4;
/** Largest single getrandom, like Linux's cap for one call. */
const GETRANDOM_MAX = 32 * 1024 * 1024 - 1;

function getrandom(t: Task): SyscallResult {
  const flags = t.argInt(2);
  if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return EINVAL;
  if (flags & GRND_RANDOM && flags & GRND_INSECURE) return EINVAL;
  const len = Math.min(t.argU(1), GETRANDOM_MAX);
  const bytes = new Uint8Array(len);
  t.kernel.random.fill(bytes);
  return t.copyOut(t.arg(0), bytes) ? len : EFAULT;
}

const PR_SET_PDEATHSIG = 1;
const PR_GET_PDEATHSIG = 2;
const PR_GET_DUMPABLE = 3;
const PR_SET_DUMPABLE = 4;
const PR_SET_NAME = 15;
const PR_GET_NAME = 16;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_GET_NO_NEW_PRIVS = 39;
const TASK_COMM_LEN = 16;

/** prctl: the options programs use at start-up; others answer EINVAL. */
function prctl(t: Task): SyscallResult {
  const option = t.argInt(0);
  switch (option) {
    case PR_SET_NAME: {
      const name = t.copyInString(t.arg(1), TASK_COMM_LEN);
      if (typeof name === 'number' && name !== -Errno.ENAMETOOLONG) return name;
      const bytes = t.copyIn(t.arg(1), TASK_COMM_LEN);
      if (bytes === null) return EFAULT;
      const nul = bytes.indexOf(0);
      t.comm = Buffer.from(bytes.subarray(0, nul < 0 ? TASK_COMM_LEN - 1 : nul)).toString('latin1');
      return 0;
    }
    case PR_GET_NAME: {
      const out = new Uint8Array(TASK_COMM_LEN);
      out.set(Buffer.from(t.comm, 'latin1').subarray(0, TASK_COMM_LEN - 1));
      return t.copyOut(t.arg(1), out) ? 0 : EFAULT;
    }
    case PR_SET_PDEATHSIG:
      return t.argInt(1) >= 0 && t.argInt(1) <= 64 ? 0 : EINVAL;
    case PR_GET_PDEATHSIG:
      return t.writeI32(t.arg(1), 0) ? 0 : EFAULT;
    case PR_GET_DUMPABLE:
      return 1;
    case PR_SET_DUMPABLE:
      return t.argU(1) <= 1 ? 0 : EINVAL;
    case PR_SET_NO_NEW_PRIVS:
      return t.argU(1) === 1 ? 0 : EINVAL;
    case PR_GET_NO_NEW_PRIVS:
      return 1;
    default:
      return EINVAL;
  }
}

const id = (f: (t: Task) => number) => f;

/** Definitions of this area. */
export const PROCESS_SYSCALLS: SyscallDef[] = [
  { name: 'exit', support: 'full', note: 'ends the calling thread', handler: exit },
  { name: 'exit_group', support: 'full', note: 'ends every thread', handler: exitGroup },
  { name: 'getpid', support: 'full', note: '', handler: id((t) => t.tg.pid) },
  { name: 'gettid', support: 'full', note: '', handler: id((t) => t.tid) },
  {
    name: 'getppid',
    support: 'full',
    note: '0 for the first process',
    handler: id((t) => t.tg.ppid),
  },
  { name: 'getuid', support: 'full', note: '', handler: id((t) => t.creds.uid) },
  { name: 'geteuid', support: 'full', note: '', handler: id((t) => t.creds.euid) },
  { name: 'getgid', support: 'full', note: '', handler: id((t) => t.creds.gid) },
  { name: 'getegid', support: 'full', note: '', handler: id((t) => t.creds.egid) },
  { name: 'getgroups', support: 'full', note: '', handler: getgroups },
  { name: 'set_tid_address', support: 'full', note: '', handler: setTidAddress },
  {
    name: 'set_robust_list',
    support: 'partial',
    note: 'recorded; robust futexes are not released at exit',
    handler: setRobustList,
  },
  {
    name: 'rseq',
    support: 'partial',
    note: 'registration only; the CPU number is always 0',
    handler: rseq,
  },
  { name: 'arch_prctl', support: 'partial', note: 'FS and GS bases only', handler: archPrctl },
  {
    name: 'prlimit64',
    support: 'full',
    note: 'the calling process only',
    handler: (t) => prlimit(t, t.argInt(0), t.argInt(1), t.arg(2), t.arg(3)),
  },
  {
    name: 'getrlimit',
    support: 'full',
    note: '',
    handler: (t) => prlimit(t, 0, t.argInt(0), 0, t.arg(1)),
  },
  {
    name: 'setrlimit',
    support: 'full',
    note: '',
    handler: (t) => prlimit(t, 0, t.argInt(0), t.arg(1), 0),
  },
  { name: 'uname', support: 'full', note: 'Linux 6.1.0-amber, x86_64', handler: uname },
  {
    name: 'sysinfo',
    support: 'partial',
    note: 'uptime, memory and process count; no load averages or swap',
    handler: sysinfo,
  },
  {
    name: 'sched_getaffinity',
    support: 'full',
    note: 'all application cores',
    handler: schedGetaffinity,
  },
  { name: 'sched_yield', support: 'full', note: '', handler: () => 0 },
  {
    name: 'prctl',
    support: 'partial',
    note: 'thread name, parent-death signal, dumpable and no-new-privs; other options EINVAL',
    handler: prctl,
  },
  { name: 'getrandom', support: 'full', note: 'from the kernel random source', handler: getrandom },
];
