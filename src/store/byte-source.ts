/**
 * Reads exact byte counts from an async stream of arrays of any sizes (a
 * Node Readable, a fetch body, a generator).
 */
export class ByteSource {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private buffered: Uint8Array[] = [];
  private available = 0;
  private ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** The next `n` bytes, or undefined when the stream ends first. */
  async read(n: number): Promise<Uint8Array | undefined> {
    while (this.available < n && !this.ended) await this.pull();
    if (this.available < n) return undefined;
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.buffered[0];
      const take = Math.min(head.length, n - filled);
      out.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.length) this.buffered.shift();
      else this.buffered[0] = head.subarray(take);
    }
    this.available -= n;
    return out;
  }

  /** Whether the stream has no bytes left. */
  async atEnd(): Promise<boolean> {
    while (this.available === 0 && !this.ended) await this.pull();
    return this.available === 0;
  }

  /** Stops reading the source (closes a Readable). */
  async close(): Promise<void> {
    this.ended = true;
    await this.iterator.return?.();
  }

  private async pull(): Promise<void> {
    const next = await this.iterator.next();
    if (next.done) {
      this.ended = true;
      return;
    }
    const chunk = next.value;
    if (!(chunk instanceof Uint8Array))
      throw new TypeError('snapshot stream yielded a non-byte value');
    if (chunk.length > 0) {
      this.buffered.push(chunk);
      this.available += chunk.length;
    }
  }
}
