import { describe, expect, it } from 'vitest';
import {
  decodeSection,
  encodeSection,
  sectionLength,
  StateDecodeError,
  TypeRegistry,
} from '../../src/state/index.ts';
import type { StateDecodeErrorCode } from '../../src/state/index.ts';
import { reseal, sampleKernel, sampleRegistry, sealBody, Task } from './state-fixtures.ts';

const empty = new TypeRegistry();

function codeOf(bytes: Uint8Array, registry: TypeRegistry = empty): StateDecodeErrorCode {
  try {
    decodeSection(bytes, registry);
  } catch (error) {
    if (error instanceof StateDecodeError) return error.code;
    throw error;
  }
  throw new Error('decodeSection accepted the bytes');
}

function messageOf(bytes: Uint8Array, registry: TypeRegistry): string {
  try {
    decodeSection(bytes, registry);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

/** A string as the body writes it: its byte length, then its UTF-8. */
function str(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  return [bytes.length, ...bytes];
}

// Tags and kinds, as wire.ts numbers them.
const REF = 0x08;
const STRING = 0x07;
const POS_INT = 0x04;
const FLOAT64 = 0x06;
const ARRAY = 0x01;
const MAP = 0x04;
const PLAIN = 0x02;
const SMALL = (n: number) => 0x80 + n;

describe('decoding checks the section frame', () => {
  const good = encodeSection({ a: [1, 2, 3] }, empty);

  it('accepts a hand-made body that follows the layout', () => {
    // No types, no strings, no objects; the root is the integer 5.
    expect(decodeSection(sealBody([0, 0, 0, SMALL(5)]), empty)).toBe(5);
    expect(sectionLength(good)).toBe(good.length);
  });

  it('refuses a wrong magic, version or flags before anything else', () => {
    const magic = good.slice();
    magic[0] ^= 1;
    expect(codeOf(magic)).toBe('STATE_BAD_MAGIC');
    expect(codeOf(new Uint8Array([0x41, 0x6d, 0x53, 0x00]))).toBe('STATE_BAD_MAGIC');
    const version = good.slice();
    version[4] = 2;
    expect(codeOf(version)).toBe('STATE_BAD_VERSION');
    expect(messageOf(version, empty)).toContain('version 2');
    const flags = good.slice();
    flags[6] = 1;
    expect(codeOf(flags)).toBe('STATE_BAD_VERSION');
  });

  it('refuses truncation, trailing bytes and a wrong checksum', () => {
    expect(codeOf(good.subarray(0, 6))).toBe('STATE_TRUNCATED');
    expect(codeOf(good.subarray(0, good.length - 1))).toBe('STATE_TRUNCATED');
    expect(codeOf(new Uint8Array([...good, 0]))).toBe('STATE_TRAILING_BYTES');
    const flipped = good.slice();
    flipped[14] ^= 0x10;
    expect(codeOf(flipped)).toBe('STATE_CHECKSUM');
  });
});

describe('decoding checks types against the registry', () => {
  const section = encodeSection(sampleKernel(), sampleRegistry());

  it('names a type the registry lacks', () => {
    expect(codeOf(section)).toBe('STATE_UNKNOWN_TYPE');
    expect(messageOf(section, empty)).toContain('test.Kernel');
  });

  it('refuses a type saved by a newer version than registered', () => {
    class Box {
      v = 1;
    }
    const newer = new TypeRegistry();
    newer.register(Box, { name: 'test.Box', version: 3, fields: ['v'] });
    const older = new TypeRegistry();
    older.register(Box, { name: 'test.Box', version: 2, fields: ['v'] });
    expect(codeOf(encodeSection(new Box(), newer), older)).toBe('STATE_TYPE_TOO_NEW');
  });

  it('names a saved field the registry does not know, and a registered one the section lacks', () => {
    class Box {
      a = 1;
      b = 2;
    }
    const both = new TypeRegistry();
    both.register(Box, { name: 'test.Box', fields: ['a', 'b'] });
    const onlyA = new TypeRegistry();
    onlyA.register(Box, { name: 'test.Box', fields: ['a'], unsaved: ['b'] });
    expect(codeOf(encodeSection(new Box(), both), onlyA)).toBe('STATE_UNKNOWN_FIELD');
    expect(messageOf(encodeSection(new Box(), both), onlyA)).toContain('test.Box.b');
    expect(codeOf(encodeSection(new Box(), onlyA), both)).toBe('STATE_MISSING_FIELD');
    expect(messageOf(encodeSection(new Box(), onlyA), both)).toContain('test.Box.b');
  });
});

describe('decoding checks every record behind the checksum', () => {
  const cases: [string, number[], StateDecodeErrorCode][] = [
    ['a reference past the object table', [0, 0, 0, REF, 0], 'STATE_BAD_REFERENCE'],
    [
      'a string index past the string table',
      [0, 1, ...str('a'), 0, STRING, 1],
      'STATE_BAD_REFERENCE',
    ],
    ['an undefined value tag', [0, 0, 0, 0x40], 'STATE_BAD_TAG'],
    ['an undefined object kind', [0, 0, 1, 0x33, SMALL(0)], 'STATE_BAD_TAG'],
    ['an undefined typed-array kind', [0, 0, 1, 0x08, 11, 0, REF, 0], 'STATE_BAD_TAG'],
    ['an object count larger than the bytes', [0, 0, 0xff, 0xff, 0x03, ARRAY], 'STATE_TOO_LARGE'],
    ['an array longer than the bytes', [0, 0, 1, ARRAY, 0xff, 0x01, SMALL(0)], 'STATE_TOO_LARGE'],
    [
      'a typed array longer than the bytes',
      [0, 0, 1, 0x08, 8, 2, 1, 2, 3, 4, 5, 6, 7, 8],
      'STATE_TOO_LARGE',
    ],
    [
      'a varint of nine bytes',
      [0, 0, 0, POS_INT, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1],
      'STATE_TOO_LARGE',
    ],
    ['a varint with a trailing zero group', [0x80, 0x00, 0, 0, SMALL(0)], 'STATE_BAD_VALUE'],
    ['an integer not in its shortest form', [0, 0, 0, POS_INT, 5], 'STATE_BAD_VALUE'],
    [
      'an integer stored as a float',
      [0, 0, 0, FLOAT64, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f],
      'STATE_BAD_VALUE',
    ],
    ['a string that is not UTF-8', [0, 1, 2, 0xc3, 0x28, 0, SMALL(0)], 'STATE_BAD_STRING'],
    ['a string longer than the bytes', [0, 1, 9, 0x61], 'STATE_TOO_LARGE'],
    ['a record cut short', [0, 0, 0, FLOAT64, 0, 0], 'STATE_TRUNCATED'],
    ['bytes after the root', [0, 0, 0, SMALL(1), SMALL(2)], 'STATE_TRAILING_BYTES'],
    [
      'a map with one key twice',
      [0, 0, 1, MAP, 2, SMALL(1), SMALL(2), SMALL(1), SMALL(3), REF, 0],
      'STATE_BAD_VALUE',
    ],
    [
      'an object with one key twice',
      [0, 1, ...str('k'), 1, PLAIN, 2, 0, SMALL(1), 0, SMALL(2), REF, 0],
      'STATE_BAD_VALUE',
    ],
    ['an instance of a type not in the table', [0, 0, 1, 0x06, 0, REF, 0], 'STATE_BAD_REFERENCE'],
    [
      'a type named twice',
      [2, ...str('a.A'), 1, 0, ...str('a.A'), 1, 0, 0, 0, SMALL(0)],
      'STATE_UNKNOWN_TYPE',
    ],
  ];
  for (const [what, body, code] of cases) {
    it(`refuses ${what} with ${code}`, () => {
      expect(codeOf(sealBody(body))).toBe(code);
    });
  }

  it('refuses a type table naming one type twice', () => {
    class Box {}
    const registry = new TypeRegistry();
    registry.register(Box, { name: 'a.A', fields: [] });
    const body = [2, ...str('a.A'), 1, 0, ...str('a.A'), 1, 0, 0, 0, SMALL(0)];
    expect(codeOf(sealBody(body), registry)).toBe('STATE_BAD_VALUE');
  });

  it('checks records even when a change came with a matching checksum', () => {
    const section = encodeSection([1, 2, 3], empty);
    // The last body byte is the root's object number.
    section[section.length - 33] = 0x40;
    reseal(section);
    expect(codeOf(section)).toBe('STATE_BAD_REFERENCE');
  });
});

describe('decoding reports failing hooks as its own error', () => {
  it('wraps a throwing afterLoad, create or setter in STATE_HOOK_FAILED', () => {
    const task = new Task(1, 'x');
    const throwing = new TypeRegistry();
    throwing.register(Task, {
      name: 'test.Task',
      fields: ['tid', 'name', 'parent', 'children', 'regs'],
      unsaved: ['onExit', 'regSum'],
      afterLoad: () => {
        throw new TypeError('no');
      },
    });
    const section = encodeSection(task, throwing);
    expect(codeOf(section, throwing)).toBe('STATE_HOOK_FAILED');
    expect(messageOf(section, throwing)).toContain('afterLoad of test.Task failed: no');

    const frozen = new TypeRegistry();
    frozen.register(Task, {
      name: 'test.Task',
      fields: ['tid', 'name', 'parent', 'children', 'regs'],
      unsaved: ['onExit', 'regSum'],
      create: () => Object.freeze(Object.create(Task.prototype) as Task),
    });
    expect(codeOf(section, frozen)).toBe('STATE_HOOK_FAILED');

    const failing = new TypeRegistry();
    failing.register(Task, {
      name: 'test.Task',
      fields: ['tid', 'name', 'parent', 'children', 'regs'],
      unsaved: ['onExit', 'regSum'],
      create: () => {
        throw 'plain string';
      },
    });
    expect(codeOf(section, failing)).toBe('STATE_HOOK_FAILED');
  });
});
