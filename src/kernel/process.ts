import type { FdTable, Filesystem } from '../fs/index.ts';
import { DirInode, RegularInode } from '../fs/index.ts';
import { ElfError, buildInitialStack, loadInto, parseElf, type ElfImage } from '../loader/index.ts';
import { AddressSpace } from '../mm/address-space.ts';
import { MemoryManager } from '../mm/memory-manager.ts';
import { cpuidLeaf } from '../cpu/cpuid.ts';
import type { Credentials } from './credentials.ts';
import type { Kernel } from './kernel.ts';
import type { LimitSet } from './limits.ts';
import { Task } from './task.ts';
import { ThreadGroup } from './thread-group.ts';

/** The top of the initial stack, as Linux places it without randomisation. */
export const STACK_TOP = 0x7ffffffff000;
/** Size reserved for the main thread's stack (pages are filled on touch). */
const STACK_SIZE = 8 * 1024 * 1024;
/** Mappings without an address go below this. */
const MMAP_BASE = 0x7ffff7fff000;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const PROT_READ = 1;
const PROT_WRITE = 2;

/** What a new process is made from (the seed's CreateProcessArgs). */
export interface CreateProcessArgs {
  /** Guest path of the program; defaults to argv[0]. */
  filename?: string;
  argv: string[];
  envv: string[];
  workingDirectory: string;
  credentials: Credentials;
  umask: number;
  limits: LimitSet;
  files: FdTable;
}

/** Why a process could not be created; `code` is stable for clients. */
export class ProcessCreateError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProcessCreateError';
    this.code = code;
  }
}

/** The program file's bytes, found through the guest's file system. */
function readProgram(fs: Filesystem, cwd: DirInode, path: string, cred: Credentials): Uint8Array {
  const ctx = { cred: { uid: cred.euid, gid: cred.egid, groups: cred.groups }, cwd, umask: 0 };
  const inode = fs.resolve(ctx, path);
  if (typeof inode === 'number' || !(inode instanceof RegularInode)) {
    throw new ProcessCreateError(
      'PROGRAM_NOT_FOUND',
      `program ${path} is not a regular file in the guest`,
    );
  }
  const bytes = new Uint8Array(inode.size());
  inode.body.read(0, bytes);
  return bytes;
}

/**
 * Maps the program's segments, the heap start and the stack into a fresh
 * memory manager, and returns the initial stack pointer.
 */
function loadImage(
  k: Kernel,
  mm: MemoryManager,
  image: ElfImage,
  bytes: Uint8Array,
  args: CreateProcessArgs,
  execfn: string,
): number {
  // Segments: anonymous private mappings filled with the file's bytes.
  const target = {
    map(addr: number, length: number, prot: number) {
      const r = mm.mmap(addr, length, prot, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, null, 0, {
        name: execfn,
      });
      if (r < 0)
        throw new ProcessCreateError(
          'PROGRAM_LOAD_FAILED',
          `cannot map segment at 0x${addr.toString(16)}: errno ${-r}`,
        );
    },
    write(addr: number, data: Uint8Array) {
      mm.space.writeBytes(addr, data);
    },
  };
  const plan = loadInto(target, image, bytes);
  mm.setBrkStart(plan.initialBreak);

  // The stack, and argv, envp and auxv on it.
  const stackLow = STACK_TOP - STACK_SIZE;
  const r = mm.mmap(
    stackLow,
    STACK_SIZE,
    PROT_READ | PROT_WRITE,
    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
    null,
    0,
    {
      name: '[stack]',
    },
  );
  if (r < 0)
    throw new ProcessCreateError('PROGRAM_LOAD_FAILED', `cannot map the stack: errno ${-r}`);
  const random = new Uint8Array(16);
  k.random.fill(random);
  const c = args.credentials;
  const stack = buildInitialStack({
    stackTop: STACK_TOP,
    argv: args.argv,
    envp: args.envv,
    execfn,
    image,
    random,
    credentials: { uid: c.uid, euid: c.euid, gid: c.gid, egid: c.egid },
    hwcap: cpuidLeaf(k.featureSet, 1, 0)[3] >>> 0,
    hwcap2: 0,
    minSigStackSize: 2048,
  });
  mm.space.writeBytes(stack.sp, stack.bytes);
  return stack.sp;
}
/**
 * Creates a process running `argv` in a new thread group. It runs once the
 * kernel starts (or at once, if it already has). Throws
 * ProcessCreateError naming what is wrong (with the loader's ElfError as
 * cause for a program it refuses).
 */
export function createProcess(k: Kernel, args: CreateProcessArgs): ThreadGroup {
  const fs = k.fs;
  if (args.argv.length === 0 && args.filename === undefined) {
    throw new ProcessCreateError('PROGRAM_NOT_FOUND', 'no program given');
  }
  const cwdInode = fs.resolve(
    { cred: { uid: 0, gid: 0, groups: [] }, cwd: fs.root, umask: 0 },
    args.workingDirectory,
  );
  if (typeof cwdInode === 'number' || !(cwdInode instanceof DirInode)) {
    throw new ProcessCreateError(
      'BAD_WORKING_DIRECTORY',
      `working directory ${args.workingDirectory} does not exist in the guest`,
    );
  }
  const path = args.filename ?? args.argv[0];
  const bytes = readProgram(fs, cwdInode, path, args.credentials);
  let image: ElfImage;
  try {
    image = parseElf(bytes);
  } catch (e) {
    if (e instanceof ElfError) {
      throw new ProcessCreateError(e.code, `${path}: ${e.message}`, { cause: e });
    }
    throw e;
  }

  const mm = new MemoryManager(new AddressSpace(k.memoryFile), MMAP_BASE);
  const sp = loadImage(k, mm, image, bytes, args, path);
  const ns = k.tasks.root;
  const pid = ns.allocate();
  const tg = new ThreadGroup(pid, mm, args.files, cwdInode, args.limits);
  tg.exePath = path.startsWith('/') ? path : `${fs.cwdPath(cwdInode)}/${path}`.replace(/\/+/g, '/');
  tg.umask = args.umask;
  const t = new Task(k, pid, tg, args.credentials);
  t.cpu.resetRegisters();
  t.cpu.rip = image.entry;
  t.cpu.regs[8] = (sp % 4294967296) | 0;
  t.cpu.regs[9] = Math.floor(sp / 4294967296);
  tg.tasks.push(t);
  ns.tasks.set(pid, t);
  ns.groups.set(pid, tg);
  k.init ??= tg;
  k.log.info({ pid, argv: args.argv }, 'process created');
  return tg;
}
