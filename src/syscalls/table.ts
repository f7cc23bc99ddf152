import type {
  SupportLevel,
  SyscallEntry,
  SyscallHandler,
  SyscallTable,
} from '../kernel/syscall-types.ts';
import { SYSCALL_NAMES } from './numbers.ts';

/** A system call implementation, as an area file declares it. */
export interface SyscallDef {
  name: string;
  support: Exclude<SupportLevel, 'none'>;
  /** What is and is not implemented. */
  note: string;
  handler: SyscallHandler;
}

/**
 * The x86-64 system call table: one entry for every number, implemented or
 * not. Built from the area files' definitions; a definition whose name is
 * not a known call is a programming error caught at start-up.
 */
export class LinuxSyscallTable implements SyscallTable {
  private readonly entries: SyscallEntry[] = [];

  constructor(defs: readonly SyscallDef[]) {
    const byName = new Map<string, SyscallDef>();
    for (const def of defs) {
      if (byName.has(def.name)) throw new Error(`syscall ${def.name} defined twice`);
      byName.set(def.name, def);
    }
    const known = new Set(SYSCALL_NAMES.values());
    for (const name of byName.keys()) {
      if (!known.has(name)) throw new Error(`syscall ${name} is not an x86-64 system call`);
    }
    for (const [nr, name] of SYSCALL_NAMES) {
      const def = byName.get(name);
      this.entries[nr] =
        def === undefined
          ? { nr, name, support: 'none', note: 'not implemented: returns ENOSYS' }
          : { nr, name, support: def.support, note: def.note, handler: def.handler };
    }
  }

  lookup(nr: number): SyscallEntry | undefined {
    return nr >= 0 && nr < this.entries.length ? this.entries[nr] : undefined;
  }

  /** Every entry in number order. */
  all(): SyscallEntry[] {
    return this.entries.filter((e) => e !== undefined);
  }
}

/** The compatibility list as text: number, name, support, note. */
export function formatSyscallTable(table: LinuxSyscallTable): string {
  const rows = table.all();
  const counts = new Map<string, number>();
  for (const e of rows) counts.set(e.support, (counts.get(e.support) ?? 0) + 1);
  const lines = rows.map(
    (e) => `${String(e.nr).padStart(3)}  ${e.name.padEnd(24)} ${e.support.padEnd(8)} ${e.note}`,
  );
  const summary = [...counts].map(([k, v]) => `${v} ${k}`).join(', ');
  return (
    `nr   name                     support  note\n${lines.join('\n')}\n\n${rows.length} ` +
    `system calls: ${summary}\n`
  );
}
