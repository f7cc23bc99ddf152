import type { FdTable, ProcProvider } from '../fs/index.ts';
import type { Kernel } from './kernel.ts';

/**
 * The kernel's answers to /proc: the files describe the process of the task
 * in the current system call (`kernel.current`).
 */
export class KernelProc implements ProcProvider {
  /**
   * The kernel described. Set once it exists: the file system that holds
   * /proc is built before the kernel. Host handle, not saved.
   */
  kernel: Kernel | null = null;

  private get k(): Kernel {
    if (this.kernel === null) throw new Error('/proc used before the kernel exists');
    return this.kernel;
  }

  private get tg() {
    return this.k.current?.tg ?? this.k.init;
  }

  pid(): number {
    return this.tg?.pid ?? 1;
  }

  exePath(): string {
    return this.tg?.exePath ?? '/';
  }

  maps(): string {
    return this.tg?.mm.maps() ?? '';
  }

  status(): string {
    const tg = this.tg;
    if (!tg) return '';
    const s = tg.mm.stats();
    const t = this.k.current ?? tg.leader;
    const kb = (bytes: number) => `${Math.floor(bytes / 1024)} kB`.padStart(12);
    return [
      `Name:\t${tg.exePath.split('/').pop() ?? ''}`.slice(0, 21),
      `Umask:\t${tg.umask.toString(8).padStart(4, '0')}`,
      'State:\tR (running)',
      `Tgid:\t${tg.pid}`,
      `Pid:\t${t.tid}`,
      `PPid:\t${tg.ppid}`,
      `Uid:\t${t.creds.uid}\t${t.creds.euid}\t${t.creds.suid}\t${t.creds.uid}`,
      `Gid:\t${t.creds.gid}\t${t.creds.egid}\t${t.creds.sgid}\t${t.creds.gid}`,
      `VmPeak:${kb(s.peakMappedBytes)}`,
      `VmSize:${kb(s.mappedBytes)}`,
      `VmHWM:${kb(s.peakResidentPages * 4096)}`,
      `VmRSS:${kb(s.residentPages * 4096)}`,
      `VmData:${kb(s.dataBytes)}`,
      `VmStk:${kb(s.stackBytes)}`,
      `VmExe:${kb(s.execBytes)}`,
      `Threads:\t${tg.tasks.filter((x) => x.state !== 'exited').length}`,
      `SigBlk:\t${hex64(t.mask.hi, t.mask.lo)}`,
      `Cpus_allowed_list:\t0-${this.k.applicationCores - 1}`,
      '',
    ].join('\n');
  }

  fdTable(): FdTable | null {
    return this.tg?.files ?? null;
  }

  cpuinfo(): string {
    const out: string[] = [];
    for (let cpu = 0; cpu < this.k.applicationCores; cpu++) {
      out.push(
        [
          `processor\t: ${cpu}`,
          `vendor_id\t: ${this.k.featureSet.vendor}`,
          'cpu family\t: 6',
          'model\t\t: 42',
          'model name\t: Amber x86-64 interpreter',
          `flags\t\t: ${this.k.featureSet.features.join(' ')}`,
          'clflush size\t: 64',
          'address sizes\t: 48 bits physical, 48 bits virtual',
          '',
        ].join('\n'),
      );
    }
    return out.join('\n') + '\n';
  }

  meminfo(): string {
    const total = Math.floor(this.k.memoryFile.capacityLimitBytes / 1024);
    const used = Math.floor((this.k.memoryFile.framesInUse * 4096) / 1024);
    const line = (name: string, kb: number) =>
      `${(name + ':').padEnd(16)}${String(kb).padStart(8)} kB`;
    return (
      [
        line('MemTotal', total),
        line('MemFree', total - used),
        line('MemAvailable', total - used),
        line('Buffers', 0),
        line('Cached', 0),
        line('SwapTotal', 0),
        line('SwapFree', 0),
      ].join('\n') + '\n'
    );
  }

  uptime(): string {
    const s = this.k.timekeeper.monotonicNs() / 1e9;
    return `${s.toFixed(2)} 0.00\n`;
  }
}

function hex64(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}
