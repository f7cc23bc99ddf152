import { writeSync } from 'node:fs';

/** Synchronous output for the command line, so nothing is lost at exit. */

/** Writes all of `bytes` to a file descriptor, waiting out EAGAIN on non-blocking pipes. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

/** Writes text synchronously, so that it is out before the process exits. */
export function writeText(fd: number, text: string): void {
  writeAll(fd, Buffer.from(text, 'utf8'));
}
