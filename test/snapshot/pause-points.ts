/**
 * Pausing one guest at many instruction counts and saving a snapshot at
 * each, while the guest itself carries on to its end: the shared step of the
 * determinism tests.
 */
import { expect } from 'vitest';
import { saveSnapshot } from '../../src/snapshot/index.ts';
import type { RunResult } from '../../src/sandbox/guest.ts';
import type { SnapshotStore } from '../../src/store/index.ts';
import {
  Transcript,
  bootGuest,
  feedLate,
  finish,
  runGuest,
  type Outcome,
  type ProgramSpec,
} from './harness.ts';

/** A snapshot taken on the way, with what the guest had printed by then. */
export interface PausePoint {
  id: string;
  /** Instructions retired when it was taken. */
  instructions: number;
  /** Output before the snapshot. */
  before: { stdout: string; stderr: string };
  /** Held-back input the guest had not been given yet. */
  lateStdin?: string;
  /** True when it was taken with the guest idle, blocked on stdin. */
  idle: boolean;
}

/**
 * Runs `spec` once, pausing at each of `points` (and wherever it goes idle
 * waiting for held-back input) to save a snapshot into `store`. Returns the
 * snapshots and the outcome of the paused-and-continued run itself.
 */
export async function saveAtPoints(
  spec: ProgramSpec,
  points: number[],
  store: SnapshotStore,
): Promise<{ saved: PausePoint[]; outcome: Outcome }> {
  const guest = bootGuest(spec);
  const transcript = new Transcript();
  const saved: PausePoint[] = [];
  let late = spec.lateStdin;
  const save = async (idle: boolean) => {
    const { id } = await saveSnapshot(guest.kernel, store);
    saved.push({
      id,
      instructions: guest.kernel.instructions,
      before: transcript.text(),
      idle,
      ...(late !== undefined ? { lateStdin: late } : {}),
    });
  };
  let exit: RunResult | undefined;
  for (const point of points) {
    while (exit === undefined && guest.kernel.instructions < point) {
      const left = point - guest.kernel.instructions;
      const result = await runGuest(guest, transcript, { afterInstructions: left, whenIdle: true });
      if (result.status === 'exited') {
        exit = result;
        break;
      }
      if (result.pausedFor === 'idle') {
        expect(late, 'idle with no input left to give').toBeDefined();
        await save(true);
        feedLate(guest, late!);
        late = undefined;
        continue;
      }
      // A pause lands on the exact instruction asked for.
      expect(guest.kernel.instructions).toBe(point);
      await save(false);
    }
  }
  const result = exit ?? (await finish(guest, transcript, late));
  return { saved, outcome: { ...transcript.text(), status: result.exitCode } };
}

/** What a snapshot's run printed in all: before it, and after its resume. */
export function joined(point: PausePoint, after: Outcome): Outcome {
  return {
    stdout: point.before.stdout + after.stdout,
    stderr: point.before.stderr + after.stderr,
    status: after.status,
  };
}
