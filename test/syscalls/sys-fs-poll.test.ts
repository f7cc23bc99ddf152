import { describe, expect, it } from 'vitest';
import { POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLRDNORM, POLLWRNORM } from '../../src/fs/index.ts';
import { SYSCALL_BLOCK } from '../../src/kernel/syscall-types.ts';
import { recheckWaits } from '../../src/kernel/waker.ts';
import { Errno } from '../../src/linux/errno.ts';
import { SIGUSR1, SIGUSR2, SigSet } from '../../src/linux/signal.ts';
import { StructWriter } from '../../src/syscalls/args.ts';
import { Harness, UNMAPPED } from './harness.ts';

/** An array of struct pollfd with revents pre-filled with junk. */
function pollfds(h: Harness, entries: [number, number][]): number {
  const w = new StructWriter(8 * entries.length);
  entries.forEach(([fd, events], i) =>
    w
      .i32(8 * i, fd)
      .u16(8 * i + 4, events)
      .u16(8 * i + 6, 0xbeef),
  );
  return h.put(w.bytes);
}

function revents(h: Harness, addr: number, i: number): number {
  return h.i32(addr + 8 * i + 4) >>> 16;
}

function pipe(h: Harness): [number, number] {
  const fds = h.alloc(8);
  expect(h.call('pipe', fds)).toBe(0);
  return [h.i32(fds), h.i32(fds + 4)];
}

/** What the kernel's dispatcher does with a blocking call: back to the syscall instruction. */
function parked(h: Harness, result: unknown): void {
  expect(result).toBe(SYSCALL_BLOCK);
  h.task.cpu.rip -= 2;
}

describe('poll', () => {
  it('reports ready files at once, with the NORM bits Linux pairs with IN and OUT', () => {
    const h = new Harness();
    const [, w] = pipe(h);
    const fds = pollfds(h, [[w, POLLOUT | POLLWRNORM | POLLIN]]);
    expect(h.call('poll', fds, 1, -1)).toBe(1);
    expect(revents(h, fds, 0)).toBe(POLLOUT | POLLWRNORM);
  });

  it('returns 0 and clears revents when nothing is ready and the timeout is 0', () => {
    const h = new Harness();
    const [r] = pipe(h);
    const fds = pollfds(h, [[r, POLLIN]]);
    expect(h.call('poll', fds, 1, 0)).toBe(0);
    expect(revents(h, fds, 0)).toBe(0);
  });

  it('ignores negative descriptors and reports closed ones with POLLNVAL', () => {
    const h = new Harness();
    const fds = pollfds(h, [
      [-1, POLLIN],
      [40, POLLIN],
    ]);
    expect(h.call('poll', fds, 2, 0)).toBe(1);
    expect(revents(h, fds, 0)).toBe(0);
    expect(revents(h, fds, 1)).toBe(POLLNVAL);
  });

  it('reports POLLHUP unasked once the writers are gone', () => {
    const h = new Harness();
    const [r, w] = pipe(h);
    h.call('close', w);
    const fds = pollfds(h, [[r, 0]]);
    expect(h.call('poll', fds, 1, 0)).toBe(1);
    expect(revents(h, fds, 0)).toBe(POLLHUP);
  });

  it('parks the task until a file is ready, then the re-run reports it', () => {
    const h = new Harness();
    const [r, w] = pipe(h);
    const fds = pollfds(h, [[r, POLLRDNORM]]);
    parked(h, h.call('poll', fds, 1, 2500));
    const wait = h.task.wait!;
    expect(wait).toMatchObject({ kind: 'io', external: false, restartable: false });
    expect(wait.events).toEqual([POLLRDNORM | POLLIN]);
    expect(wait.deadlineNs).toBe(h.kernel.timekeeper.monotonicNs() + 2500e6);
    recheckWaits(h.kernel);
    expect(h.task.state).toBe('blocked');
    h.call('write', w, h.str('x'), 1);
    recheckWaits(h.kernel);
    expect(h.task.state).toBe('runnable');
    expect(h.call('poll', fds, 1, 2500)).toBe(1);
    expect(revents(h, fds, 0)).toBe(POLLRDNORM);
  });

  it('completes with 0 at the deadline', () => {
    const h = new Harness();
    const [r] = pipe(h);
    parked(h, h.call('poll', pollfds(h, [[r, POLLIN]]), 1, 10));
    h.clock.mono += 9e6;
    recheckWaits(h.kernel);
    expect(h.task.state).toBe('blocked');
    h.clock.mono += 1e6;
    recheckWaits(h.kernel);
    expect(h.task.state).toBe('runnable');
    expect(h.task.cpu.regs[0]).toBe(0);
  });

  it('waits without a deadline on standard input alone as an external wait', () => {
    const h = new Harness();
    parked(h, h.call('poll', pollfds(h, [[0, POLLIN]]), 1, -1));
    expect(h.task.wait).toMatchObject({ external: true, deadlineNs: -1 });
  });

  it('sleeps for its timeout when given no descriptors', () => {
    const h = new Harness();
    parked(h, h.call('poll', 0, 0, 50));
    expect(h.task.wait).toMatchObject({
      files: [],
      deadlineNs: h.kernel.timekeeper.monotonicNs() + 50e6,
    });
  });

  it('fails with EINVAL past RLIMIT_NOFILE entries and EFAULT for a bad array', () => {
    const h = new Harness();
    expect(h.call('poll', UNMAPPED, 1025, 0)).toBe(-Errno.EINVAL);
    expect(h.call('poll', UNMAPPED, 1, 0)).toBe(-Errno.EFAULT);
  });
});

describe('ppoll', () => {
  function timespec(h: Harness, sec: number, nsec: number): number {
    return h.put(new StructWriter(16).i64(0, sec).i64(8, nsec).bytes);
  }

  it('takes its timeout as a timespec and rejects an invalid one', () => {
    const h = new Harness();
    const [r] = pipe(h);
    const fds = pollfds(h, [[r, POLLIN]]);
    expect(h.call('ppoll', fds, 1, timespec(h, 0, 0), 0, 8)).toBe(0);
    expect(h.call('ppoll', fds, 1, timespec(h, 0, 1e9), 0, 8)).toBe(-Errno.EINVAL);
    parked(h, h.call('ppoll', fds, 1, timespec(h, 1, 5), 0, 8));
    expect(h.task.wait!.deadlineNs).toBe(h.kernel.timekeeper.monotonicNs() + 1e9 + 5);
  });

  it('applies its signal mask while waiting and restores the caller mask on return', () => {
    const h = new Harness();
    const [r, w] = pipe(h);
    h.task.mask = SigSet.of(SIGUSR1);
    const fds = pollfds(h, [[r, POLLIN]]);
    const mask = h.put(new StructWriter(8).i32(0, 1 << (SIGUSR2 - 1)).bytes);
    expect(h.call('ppoll', fds, 1, 0, mask, 4)).toBe(-Errno.EINVAL);
    parked(h, h.call('ppoll', fds, 1, 0, mask, 8));
    expect(h.task.mask.has(SIGUSR2)).toBe(true);
    expect(h.task.mask.has(SIGUSR1)).toBe(false);
    h.call('write', w, h.str('x'), 1);
    recheckWaits(h.kernel);
    expect(h.call('ppoll', fds, 1, 0, mask, 8)).toBe(1);
    expect(h.task.mask.has(SIGUSR1)).toBe(true);
    expect(h.task.savedMask).toBeNull();
  });

  it('fails with EINTR at once when its mask unblocks a pending signal', () => {
    const h = new Harness();
    const [r] = pipe(h);
    h.task.mask = SigSet.of(SIGUSR1);
    h.task.pending.add(SIGUSR1);
    const empty = h.put(new Uint8Array(8));
    expect(h.call('ppoll', pollfds(h, [[r, POLLIN]]), 1, 0, empty, 8)).toBe(-Errno.EINTR);
    // The caller's mask comes back after the handler, from savedMask.
    expect(h.task.savedMask?.has(SIGUSR1)).toBe(true);
  });
});
