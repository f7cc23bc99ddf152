// A page-table-in-a-Map implementation of LoadTarget for loader tests, strict
// about the contract: aligned fresh mappings, writes only into mapped pages.

import type { LoadTarget } from '../../src/loader/index.ts';

const PAGE = 4096;

export class FakeMemory implements LoadTarget {
  readonly pages = new Map<number, { prot: number; data: Uint8Array }>();

  map(addr: number, length: number, prot: number): void {
    if (addr % PAGE !== 0 || length % PAGE !== 0 || length <= 0) {
      throw new Error(`unaligned map ${addr.toString(16)} + ${length.toString(16)}`);
    }
    for (let page = addr; page < addr + length; page += PAGE) {
      if (this.pages.has(page)) throw new Error(`page ${page.toString(16)} mapped twice`);
      this.pages.set(page, { prot, data: new Uint8Array(PAGE) });
    }
  }

  write(addr: number, bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length;) {
      const at = addr + done;
      const count = Math.min(PAGE - (at % PAGE), bytes.length - done);
      this.page(at).data.set(bytes.subarray(done, done + count), at % PAGE);
      done += count;
    }
  }

  read(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let done = 0; done < length;) {
      const at = addr + done;
      const count = Math.min(PAGE - (at % PAGE), length - done);
      out.set(this.page(at).data.subarray(at % PAGE, (at % PAGE) + count), done);
      done += count;
    }
    return out;
  }

  protAt(addr: number): number {
    return this.page(addr).prot;
  }

  private page(addr: number): { prot: number; data: Uint8Array } {
    const page = this.pages.get(addr - (addr % PAGE));
    if (!page) throw new Error(`address ${addr.toString(16)} is not mapped`);
    return page;
  }
}
