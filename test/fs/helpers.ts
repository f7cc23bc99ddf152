import { FdTable } from '../../src/fs/fd-table.ts';
import type { FsCred, ProcProvider } from '../../src/fs/host.ts';
import type { OpenFile } from '../../src/fs/open-file.ts';
import type { FsContext } from '../../src/fs/path-walk.ts';
import { Filesystem, ROOT_CRED } from '../../src/fs/vfs.ts';
import { MemoryFile } from '../../src/mm/memory-file.ts';

/** A clock the test moves by hand. */
export class ManualClock {
  ns = 1_700_000_000 * 1e9;
  realtimeNs(): number {
    return this.ns;
  }
  advance(seconds: number): void {
    this.ns += seconds * 1e9;
  }
}

/** A /proc provider with fixed texts and a settable descriptor table. */
export class FixedProc implements ProcProvider {
  table: FdTable | null = new FdTable();
  exe = '/bin/prog';
  pid(): number {
    return 42;
  }
  exePath(): string {
    return this.exe;
  }
  maps(): string {
    return '00400000-00401000 r-xp 00000000 00:00 0 /bin/prog\n';
  }
  status(): string {
    return 'Name:\tprog\nPid:\t42\n';
  }
  fdTable(): FdTable | null {
    return this.table;
  }
  cpuinfo(): string {
    return 'processor\t: 0\n';
  }
  meminfo(): string {
    return 'MemTotal:       1048576 kB\n';
  }
  uptime(): string {
    return '12.34 5.67\n';
  }
}

export const USER: FsCred = { uid: 1000, gid: 1000, groups: [] };
export const OTHER: FsCred = { uid: 2000, gid: 2000, groups: [] };

/** A fresh file system with root's and a user's contexts at /. */
export function setup() {
  const clock = new ManualClock();
  const proc = new FixedProc();
  let counter = 0;
  const random = { fill: (dst: Uint8Array) => dst.forEach((_, i) => (dst[i] = counter++ & 0xff)) };
  const fs = new Filesystem({ clock, random, proc }, new MemoryFile(64 * 1024 * 1024));
  const root: FsContext = { cred: ROOT_CRED, cwd: fs.root, umask: 0o022 };
  const user: FsContext = { cred: USER, cwd: fs.root, umask: 0o022 };
  return { fs, clock, proc, root, user };
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

/** Reads a description to its end (or until it would block). */
export function readAll(file: OpenFile): string {
  const chunks: string[] = [];
  const buf = new Uint8Array(1000);
  for (;;) {
    const n = file.read(buf);
    if (n <= 0) return chunks.join('');
    chunks.push(text(buf.subarray(0, n)));
  }
}

/** Narrows an operation's result to a success, failing the test otherwise. */
export function ok<T>(result: T | number): T {
  if (typeof result === 'number' && result < 0) throw new Error(`operation failed with ${result}`);
  return result as T;
}
