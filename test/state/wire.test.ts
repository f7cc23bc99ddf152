import { describe, expect, it } from 'vitest';
import { swapElementBytes, TYPED_ARRAY_KINDS } from '../../src/state/wire.ts';

describe('state wire format', () => {
  it('reverses the bytes of each element, as a big-endian host needs', () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    swapElementBytes(bytes, 4);
    expect(Array.from(bytes)).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    swapElementBytes(bytes, 2);
    expect(Array.from(bytes)).toEqual([3, 4, 1, 2, 7, 8, 5, 6]);
  });

  it('numbers typed-array kinds in a fixed order that sections depend on', () => {
    expect(TYPED_ARRAY_KINDS.map((ctor) => ctor.name)).toEqual([
      'Int8Array',
      'Uint8Array',
      'Uint8ClampedArray',
      'Int16Array',
      'Uint16Array',
      'Int32Array',
      'Uint32Array',
      'Float32Array',
      'Float64Array',
      'BigInt64Array',
      'BigUint64Array',
    ]);
  });
});
