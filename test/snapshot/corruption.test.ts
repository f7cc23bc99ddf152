/**
 * Damaged snapshots are refused with an error that says what is wrong, never
 * loaded into a crash or a wrong run: every header field, random
 * truncations and bit flips of the kernel state and the memory chunks given
 * straight to loadKernel, and of every object of a snapshot in a store.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMBER_FEATURES } from '../../src/cpu/cpuid.ts';
import { SILENT_LOGGER } from '../../src/kernel/kernel-log.ts';
import {
  SNAPSHOT_FORMAT_VERSION,
  SnapshotFormatError,
  encodeHeader,
} from '../../src/kernel/snapshot-header.ts';
import { Guest } from '../../src/sandbox/guest.ts';
import { loadSnapshot, saveSnapshot } from '../../src/snapshot/index.ts';
import { StateDecodeError } from '../../src/state/index.ts';
import { StoreError, openSnapshotStore } from '../../src/store/index.ts';
import { guestBinary } from '../support/guest.ts';
import { Transcript, bootGuest, finish, referenceRun, runGuest, seededRandom } from './harness.ts';
import { captureParts, loadParts, type SnapshotParts } from './parts.ts';

const random = seededRandom(0xbadf00d);
const spec = { program: guestBinary('files', 'musl') };
const root = mkdtempSync(path.join(tmpdir(), 'amber-corrupt-'));
let parts: SnapshotParts;
let before: { stdout: string; stderr: string };
let expected: { stdout: string; stderr: string; status: number };
let location = '';
let snapshotId = '';

beforeAll(async () => {
  const { instructions, ...outcome } = await referenceRun(spec);
  expected = outcome;
  const guest = bootGuest(spec);
  const transcript = new Transcript();
  await runGuest(guest, transcript, { afterInstructions: Math.floor(instructions / 2) });
  before = transcript.text();
  parts = await captureParts(guest.kernel);
  location = path.join(root, 'store');
  snapshotId = (await saveSnapshot(guest.kernel, openSnapshotStore(location))).id;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the parts with one of them replaced. */
function withPart(change: Partial<SnapshotParts>): SnapshotParts {
  return { ...parts, ...change };
}

/** The error a load of `damaged` fails with; fails the test if it loads. */
async function refusal(damaged: SnapshotParts): Promise<Error> {
  try {
    await loadParts(damaged);
  } catch (error) {
    return error as Error;
  }
  throw new Error('a damaged snapshot loaded');
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
}

/** The header with its checksum made right again after an edit. */
function resealed(edit: (body: Buffer) => void): Uint8Array {
  const body = Buffer.from(parts.header.subarray(0, parts.header.length - 32));
  edit(body);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

describe('an intact snapshot given straight to loadKernel', () => {
  it('loads and finishes the run as if never paused', async () => {
    const transcript = new Transcript();
    const result = await finish(new Guest(await loadParts(parts)), transcript);
    const after = transcript.text();
    expect({
      stdout: before.stdout + after.stdout,
      stderr: before.stderr + after.stderr,
      status: result.exitCode,
    }).toEqual(expected);
  });
});

describe('the snapshot header', () => {
  it('refuses bad magic', async () => {
    const header = new Uint8Array(parts.header);
    header.set(Buffer.from('ELF!'), 0);
    const error = await refusal(withPart({ header }));
    expect(error).toMatchObject({
      code: 'SNAPSHOT_BAD_MAGIC',
      message: expect.stringMatching(/magic/),
    });
  });

  it('refuses a format version it does not know, older or newer, and names both', async () => {
    for (const version of [0, SNAPSHOT_FORMAT_VERSION + 1, 0xffffffff]) {
      const header = resealed((body) => body.writeUInt32LE(version, 8));
      const error = await refusal(withPart({ header }));
      expect(error).toBeInstanceOf(SnapshotFormatError);
      expect(error).toMatchObject({ code: 'SNAPSHOT_UNKNOWN_VERSION' });
      expect(error.message).toContain(`version ${version} `);
      expect(error.message).toContain(`reads version ${SNAPSHOT_FORMAT_VERSION}`);
    }
  });

  it('refuses a snapshot needing CPU features this CPU lacks, naming them', async () => {
    const header = encodeHeader({
      ...AMBER_FEATURES,
      features: [...AMBER_FEATURES.features, 'avx2', 'avx512f'],
    });
    const error = await refusal(withPart({ header }));
    expect(error).toMatchObject({ code: 'SNAPSHOT_FEATURES_MISSING' });
    expect(error.message).toMatch(/lacks features the snapshot needs: avx2, avx512f$/);
  });

  it('refuses every truncation, and trailing bytes', async () => {
    for (let length = 0; length < parts.header.length; length++) {
      const error = await refusal(withPart({ header: parts.header.subarray(0, length) }));
      expect(error, `header cut to ${length} bytes`).toBeInstanceOf(SnapshotFormatError);
      const code = length < 8 ? 'SNAPSHOT_BAD_MAGIC' : 'SNAPSHOT_TRUNCATED';
      expect((error as SnapshotFormatError).code, `header cut to ${length} bytes`).toBe(code);
    }
    const longer = Buffer.concat([parts.header, Buffer.from([0])]);
    expect(await refusal(withPart({ header: longer }))).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
  });

  it('refuses a flip of any bit of any field (Amber version, feature set, checksum...)', async () => {
    for (let bit = 0; bit < parts.header.length * 8; bit++) {
      const error = await refusal(withPart({ header: flipBit(parts.header, bit) }));
      expect(error, `header bit ${bit}`).toBeInstanceOf(SnapshotFormatError);
    }
  });

  it('refuses a feature set that is not one, even with a right checksum', async () => {
    const vlen = Buffer.from(parts.header).readUInt16LE(12);
    const header = resealed((body) => body.write('!', 18 + vlen, 'latin1'));
    const error = await refusal(withPart({ header }));
    expect(error).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    expect(error.message).toMatch(/feature set/);
  });
});

describe('the kernel state given straight to loadKernel', () => {
  it('refuses random truncations', async () => {
    for (let i = 0; i < 40; i++) {
      const length = Math.floor(random() * parts.state.length);
      const error = await refusal(withPart({ state: parts.state.subarray(0, length) }));
      expect(error, `state cut to ${length} bytes`).toBeInstanceOf(StateDecodeError);
    }
  });

  it('refuses random bit flips anywhere in it', async () => {
    for (let i = 0; i < 80; i++) {
      const bit = Math.floor(random() * parts.state.length * 8);
      const error = await refusal(withPart({ state: flipBit(parts.state, bit) }));
      expect(error, `state bit ${bit}`).toBeInstanceOf(StateDecodeError);
      expect((error as StateDecodeError).code).toMatch(/^STATE_/);
    }
  });
});

describe('the memory chunks given straight to loadKernel', () => {
  const damagedChunk = (k: number, bytes: Uint8Array) =>
    withPart({ memory: parts.memory.map((c, i) => (i === k ? { index: c.index, bytes } : c)) });

  it('refuses random truncations of any chunk', async () => {
    for (let i = 0; i < 30; i++) {
      const k = Math.floor(random() * parts.memory.length);
      const chunk = parts.memory[k].bytes;
      const length = Math.floor(random() * chunk.length);
      const error = await refusal(damagedChunk(k, chunk.subarray(0, length)));
      expect(error, `chunk ${k} cut to ${length}`).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
      expect(error.message).toMatch(/^snapshot memory: memory chunk \d+ /);
    }
  });

  it('refuses a flip of any bit of a chunk bitmap: it changes which frames the bytes fill', async () => {
    for (const [k, chunk] of parts.memory.entries()) {
      for (let bit = 0; bit < 256; bit++) {
        const error = await refusal(damagedChunk(k, flipBit(chunk.bytes, bit)));
        expect(error, `chunk ${k} bitmap bit ${bit}`).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
      }
    }
  });

  it('refuses a chunk placed outside the memory file', async () => {
    const memory = [...parts.memory, { index: 1 << 20, bytes: parts.memory[0].bytes }];
    const error = await refusal(withPart({ memory }));
    expect(error).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    expect(error.message).toMatch(/outside the memory file/);
  });
});

describe('a snapshot in a folder store', () => {
  /** Each object of the snapshot: its manifest, header, state pieces, memory chunks. */
  function objects(dir: string): string[] {
    const chunks = readdirSync(path.join(dir, 'chunks')).map((f) => path.join(dir, 'chunks', f));
    return [path.join(dir, 'snapshots', `${snapshotId}.json`), ...chunks];
  }

  /**
   * Copies the store, damages one object in the copy and loads from it: the
   * load must fail, or (when the damage left the bytes the same, as a flip
   * in a compressed chunk's padding bits does) the run must finish right.
   */
  async function loadDamaged(damage: (file: string) => void, pick: number): Promise<Error | null> {
    const copy = mkdtempSync(path.join(root, 'copy-'));
    cpSync(location, copy, { recursive: true });
    const files = objects(copy);
    damage(files[pick % files.length]);
    let guest: Guest;
    try {
      guest = new Guest(
        (await loadSnapshot(openSnapshotStore(copy), snapshotId, SILENT_LOGGER)).kernel,
      );
    } catch (error) {
      return error as Error;
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    const transcript = new Transcript();
    const result = await finish(guest, transcript);
    const after = transcript.text();
    expect({
      stdout: before.stdout + after.stdout,
      stderr: before.stderr + after.stderr,
      status: result.exitCode,
    }).toEqual(expected);
    return null;
  }

  it('refuses random bit flips in every object, naming the object', async () => {
    const count = objects(location).length;
    for (let i = 0; i < count * 4; i++) {
      const error = await loadDamaged((file) => {
        const bytes = readFileSync(file);
        const bit = Math.floor(random() * bytes.length * 8);
        writeFileSync(file, flipBit(bytes, bit));
      }, i);
      if (error === null) continue;
      expect(error, `object ${i % count}`).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('STORE_CORRUPT');
    }
  });

  it('refuses random truncations of every object', async () => {
    const count = objects(location).length;
    for (let i = 0; i < count * 3; i++) {
      const error = await loadDamaged((file) => {
        const bytes = readFileSync(file);
        writeFileSync(file, bytes.subarray(0, Math.floor(random() * bytes.length)));
      }, i);
      expect(error, `object ${i % count}`).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('STORE_CORRUPT');
    }
  });
});
