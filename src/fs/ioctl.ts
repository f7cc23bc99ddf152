/**
 * The ioctl requests a description answers itself: terminal queries on the
 * host's standard streams when the host says they are terminals, and
 * FIONREAD. Everything else is ENOTTY, as Linux answers for files that are
 * not terminals. Descriptor-level requests (FIOCLEX, FIONCLEX, FIONBIO) need
 * the descriptor table and belong to the system call layer.
 */
import { Errno } from '../linux/errno.ts';
import {
  FIONREAD,
  TCGETS,
  TCSETS,
  TCSETSF,
  TCSETSW,
  TIOCGPGRP,
  TIOCGWINSZ,
  TIOCSPGRP,
  TIOCSWINSZ,
} from './abi.ts';
import { HostInputInode } from './inode-special.ts';
import { RegularInode } from './inode.ts';
import type { OpenFile } from './open-file.ts';
import { PipeInode } from './pipe.ts';

/** What an ioctl returns: its value and bytes to copy out to the argument. */
export interface IoctlResult {
  ret: number;
  /** Bytes for the syscall layer to write at the argument pointer, if any. */
  out: Uint8Array | null;
}

/** Size of the kernel's struct termios on x86-64 (19 control characters). */
export const TERMIOS_SIZE = 36;

/** A cooked terminal at 38400 baud, as a fresh Linux console shows. */
function saneTermios(): Uint8Array {
  const bytes = new Uint8Array(TERMIOS_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x0500, true); // c_iflag: ICRNL | IXON
  view.setUint32(4, 0x0005, true); // c_oflag: OPOST | ONLCR
  view.setUint32(8, 0x00bf, true); // c_cflag: B38400 | CS8 | CREAD
  view.setUint32(12, 0x8a3b, true); // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  // c_line at 16 stays 0; c_cc from 17: INTR QUIT ERASE KILL EOF TIME MIN
  // SWTC START STOP SUSP EOL REPRINT DISCARD WERASE LNEXT EOL2.
  bytes.set([3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16], 17);
  return bytes;
}

function int32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value, true);
  return out;
}

/** Answers an ioctl on a description that is not O_PATH. */
export function fileIoctl(file: OpenFile, cmd: number): IoctlResult {
  const inode = file.inode;
  if (cmd === FIONREAD) {
    if (inode instanceof PipeInode) return { ret: 0, out: int32(inode.length) };
    if (inode instanceof HostInputInode) return { ret: 0, out: int32(inode.pending()) };
    if (inode instanceof RegularInode) {
      return { ret: 0, out: int32(Math.max(0, Math.min(2 ** 31 - 1, inode.size() - file.offset))) };
    }
    return { ret: -Errno.ENOTTY, out: null };
  }
  const term = inode.terminal;
  if (!term) return { ret: -Errno.ENOTTY, out: null };
  switch (cmd) {
    case TCGETS:
      return { ret: 0, out: saneTermios() };
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
    case TIOCSWINSZ:
    case TIOCSPGRP:
      // TODO: terminal settings are accepted and forgotten, so a guest that
      // turns off echo or canonical mode still sees the host's line editing.
      return { ret: 0, out: null };
    case TIOCGWINSZ: {
      const out = new Uint8Array(8);
      const view = new DataView(out.buffer);
      view.setUint16(0, term.rows, true);
      view.setUint16(2, term.cols, true);
      return { ret: 0, out };
    }
    case TIOCGPGRP:
      return { ret: 0, out: int32(file.fs.host.proc.pid()) };
    default:
      return { ret: -Errno.ENOTTY, out: null };
  }
}
