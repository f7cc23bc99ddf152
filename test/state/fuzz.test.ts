// Thousands of damaged sections, derived from a valid one: each must be
// refused with StateDecodeError or, when the damage happens to leave a valid
// section, decode; never another exception, never a hang.

import { describe, expect, it } from 'vitest';
import { decodeSection, encodeSection, StateDecodeError } from '../../src/state/index.ts';
import type { TypeRegistry } from '../../src/state/index.ts';
import { bodyOf, reseal, sampleKernel, sampleRegistry, sealBody } from './state-fixtures.ts';

/** A small deterministic generator (xorshift32), so failures replay. */
class Random {
  constructor(private state: number) {}

  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  below(n: number): number {
    return this.next() % n;
  }
}

/** A graph with every kind of value the format has. */
function richGraph(): unknown {
  const kernel = sampleKernel();
  const shared = { name: 'shared', when: -1.5e-7 };
  const bare = Object.create(null) as Record<string, unknown>;
  bare.z = [shared, 'ü', -300];
  return {
    kernel,
    shared,
    again: shared,
    numbers: [0, 127, 128, -1, -70000, 2 ** 40, 0.1, -0, NaN, Infinity],
    strings: ['', 'plain', '日本', '😀'],
    map: new Map<unknown, unknown>([
      [shared, 'object key'],
      ['k', new Set([1, 'two', shared])],
    ]),
    bytes: new Uint8Array([1, 2, 3, 250]),
    words: new Float64Array([1.5, -2]),
    halves: new Int16Array([-2, 3]),
    buffer: new ArrayBuffer(5),
    bare,
    flags: [true, false, null, undefined],
  };
}

/** Decodes, allowing success or StateDecodeError and nothing else. */
function decodeOrRefuse(bytes: Uint8Array, registry: TypeRegistry): 'ok' | 'refused' {
  try {
    decodeSection(bytes, registry);
    return 'ok';
  } catch (error) {
    if (error instanceof StateDecodeError) return 'refused';
    throw new Error(`decodeSection threw ${String(error)}`, { cause: error });
  }
}

describe('damaged state sections', () => {
  const registry = sampleRegistry();
  const section = encodeSection(richGraph(), registry);
  const body = bodyOf(section);
  const random = new Random(0x5eed_1234);

  it('decodes the undamaged section', () => {
    expect(decodeOrRefuse(section, registry)).toBe('ok');
  });

  it('refuses every truncation', () => {
    for (let i = 0; i < 3000; i++) {
      const cut = section.subarray(0, random.below(section.length));
      expect(decodeOrRefuse(cut, registry)).toBe('refused');
    }
  });

  it('refuses every bit flip that is not resealed', () => {
    for (let i = 0; i < 3000; i++) {
      const damaged = section.slice();
      const flips = 1 + random.below(4);
      for (let f = 0; f < flips; f++) damaged[random.below(damaged.length)] ^= 1 << random.below(8);
      expect(decodeOrRefuse(damaged, registry)).toBe('refused');
    }
  });

  it('survives bit flips and byte changes behind a matching checksum', () => {
    const interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x06, 0x08];
    let refused = 0;
    for (let i = 0; i < 6000; i++) {
      const damaged = section.slice();
      const edits = 1 + random.below(3);
      for (let e = 0; e < edits; e++) {
        const at = 12 + random.below(body.length);
        if (random.below(2) === 0) damaged[at] ^= 1 << random.below(8);
        else damaged[at] = interesting[random.below(interesting.length)];
      }
      reseal(damaged);
      if (decodeOrRefuse(damaged, registry) === 'refused') refused++;
    }
    // Most damage is caught; some (a changed number) is a valid section.
    expect(refused).toBeGreaterThan(3000);
  });

  it('survives inserted and deleted bytes, and random bodies, behind a matching checksum', () => {
    for (let i = 0; i < 3000; i++) {
      const bytes = Array.from(body);
      const at = random.below(bytes.length);
      if (random.below(2) === 0) bytes.splice(at, 1 + random.below(4));
      else bytes.splice(at, 0, random.below(256));
      decodeOrRefuse(sealBody(bytes), registry);
    }
    for (let i = 0; i < 2000; i++) {
      const length = random.below(64);
      const bytes = Array.from({ length }, () =>
        random.below(2) === 0 ? random.below(10) : random.below(256),
      );
      decodeOrRefuse(sealBody(bytes), registry);
    }
  });
});
