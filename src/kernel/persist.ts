import { registerCpuTypes } from '../cpu/persist.ts';
import { registerFsTypes } from '../fs/persist.ts';
import { SigSet } from '../linux/signal.ts';
import { registerMmTypes } from '../mm/persist.ts';
import { TypeRegistry } from '../state/index.ts';
import { Credentials, UserNamespace } from './credentials.ts';
import { Kernel } from './kernel.ts';
import { LimitSet } from './limits.ts';
import { PidNamespace, TaskSet } from './task-set.ts';
import { Task } from './task.ts';
import { ThreadGroup } from './thread-group.ts';
import { Timekeeper } from './timekeeper.ts';
import { UtsNamespace } from './uts.ts';

/**
 * The kernel's saved classes. Host handles (the system call table, the
 * random source, the FPU frame codec, the logger, hooks, the async driver's
 * state) are not saved; Kernel.loadFrom attaches fresh ones.
 */
function registerKernelTypes(r: TypeRegistry): void {
  r.register(Kernel, {
    name: 'kernel.Kernel',
    fields: [
      'featureSet',
      'timekeeper',
      'tasks',
      'rootUserNamespace',
      'applicationCores',
      'uts',
      'memoryFile',
      'fs',
      'streams',
      'unsupported',
      'uniqueId',
      'instructions',
      'instructionLimit',
      'init',
    ],
    unsaved: [
      'syscalls',
      'random',
      'fpState',
      'log',
      'instructionTable',
      'hooks',
      'current',
      'started',
      'pauseDepth',
      'running',
      'wakeDriver',
      'pauseWaiters',
      'exitWaiters',
    ],
  });
  r.register(Timekeeper, {
    name: 'kernel.Timekeeper',
    fields: ['frozenNs'],
    unsaved: ['clock', 'offsetNs'],
  });
  r.register(TaskSet, { name: 'kernel.TaskSet', fields: ['root'] });
  r.register(PidNamespace, { name: 'kernel.PidNamespace', fields: ['next', 'tasks', 'groups'] });
  r.register(Task, {
    name: 'kernel.Task',
    fields: [
      'kernel',
      'tid',
      'tg',
      'cpu',
      'state',
      'wait',
      'mask',
      'savedMask',
      'pending',
      'pendingInfo',
      'altStack',
      'clearChildTid',
      'robustList',
      'robustListLen',
      'comm',
      'rseqAddr',
      'creds',
      'cpuTimeNs',
      'exitStatus',
    ],
  });
  r.register(ThreadGroup, {
    name: 'kernel.ThreadGroup',
    fields: [
      'pid',
      'tasks',
      'actions',
      'pending',
      'pendingInfo',
      'exit',
      'mm',
      'files',
      'cwd',
      'limits',
      'exePath',
      'ppid',
      'umask',
      'realTimer',
    ],
  });
  r.register(Credentials, {
    name: 'kernel.Credentials',
    fields: ['uid', 'euid', 'suid', 'gid', 'egid', 'sgid', 'groups'],
  });
  r.register(UserNamespace, { name: 'kernel.UserNamespace', fields: ['idLimit'] });
  r.register(UtsNamespace, { name: 'kernel.UtsNamespace', fields: ['hostName', 'domainName'] });
  r.register(LimitSet, { name: 'kernel.LimitSet', fields: ['limits'] });
  r.register(SigSet, { name: 'linux.SigSet', fields: ['lo', 'hi'] });
}

let registry: TypeRegistry | undefined;

/** The registry of every class in a kernel's saved state, built once. */
export function kernelRegistry(): TypeRegistry {
  if (registry === undefined) {
    const r = new TypeRegistry();
    registerKernelTypes(r);
    registerCpuTypes(r);
    registerMmTypes(r);
    registerFsTypes(r);
    registry = r;
  }
  return registry;
}
