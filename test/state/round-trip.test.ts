import { describe, expect, it } from 'vitest';
import { decodeSection, encodeSection, TypeRegistry } from '../../src/state/index.ts';
import {
  afterLoadLog,
  constructed,
  Kernel,
  sampleKernel,
  sampleRegistry,
  Task,
} from './state-fixtures.ts';

const empty = new TypeRegistry();

function roundTrip<T>(value: T, registry: TypeRegistry = empty): T {
  return decodeSection(encodeSection(value, registry), registry) as T;
}

describe('state codec round trips', () => {
  it('keeps every primitive, including -0, infinities and integers near 2^53', () => {
    const values = [
      undefined,
      null,
      true,
      false,
      0,
      1,
      127,
      128,
      255,
      65536,
      2 ** 31,
      2 ** 32 + 5,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 1,
      -1,
      -128,
      -(2 ** 31),
      -Number.MAX_SAFE_INTEGER,
      0.5,
      -1.25,
      1e300,
      5e-324,
      Infinity,
      -Infinity,
    ];
    expect(roundTrip(values)).toEqual(values);
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(Number.isNaN(roundTrip(NaN))).toBe(true);
    for (const v of values) expect(Object.is(roundTrip(v), v)).toBe(true);
  });

  it('keeps strings of every shape as UTF-8', () => {
    const strings = [
      '',
      'abc',
      'ünïcödé',
      '日本語',
      '😀 and 𝄞',
      '\u0000nul',
      '\uFEFFbom',
      'x'.repeat(10_000),
    ];
    expect(roundTrip(strings)).toEqual(strings);
  });

  it('keeps each typed-array kind by value, with NaN payloads bit for bit', () => {
    const f64 = new Float64Array(3);
    new Uint32Array(f64.buffer).set([0x1234_5678, 0x7ff8_0abc, 0, 0x8000_0000, 1, 0x7ff0_0001]);
    const f32 = new Float32Array(2);
    new Uint32Array(f32.buffer).set([0x7fc1_2345, 0xffa0_0001]);
    const arrays = [
      new Int8Array([-128, 0, 127]),
      new Uint8Array([0, 255]),
      new Uint8ClampedArray([0, 200]),
      new Int16Array([-32768, 32767]),
      new Uint16Array([65535]),
      new Int32Array([-(2 ** 31), 7]),
      new Uint32Array([0xffff_ffff]),
      f32,
      f64,
      new BigInt64Array([-1n, 2n ** 62n]),
      new BigUint64Array([2n ** 64n - 1n]),
      new Uint8Array(0),
    ];
    const back = roundTrip(arrays);
    for (let i = 0; i < arrays.length; i++) {
      expect(Object.getPrototypeOf(back[i])).toBe(Object.getPrototypeOf(arrays[i]));
      expect(new Uint8Array(back[i].buffer)).toEqual(new Uint8Array(arrays[i].buffer));
    }
  });

  it('saves a view by its own range, not its whole buffer', () => {
    const whole = new Uint16Array([1, 2, 3, 4, 5]);
    const part = whole.subarray(1, 3);
    const back = roundTrip(part);
    expect(Array.from(back)).toEqual([2, 3]);
    expect(back.buffer.byteLength).toBe(4);
  });

  it('loads views of one buffer as independent arrays', () => {
    const buffer = new ArrayBuffer(8);
    const back = roundTrip({ a: new Uint8Array(buffer), b: new Uint32Array(buffer), buffer });
    back.a[0] = 9;
    expect(back.b[0]).toBe(0);
    expect(new Uint8Array(back.buffer)[0]).toBe(0);
  });

  it('keeps ArrayBuffers, arrays, maps, sets, plain and null-prototype objects', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.x = 1;
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    const value = {
      buffer,
      list: [1, 'two', [3, [4]], null, undefined],
      map: new Map<unknown, unknown>([
        [1, 'one'],
        ['k', { deep: true }],
        [null, 0],
      ]),
      set: new Set([1, 'a', null]),
      bare,
      ['odd key']: 1,
      '7': 'index-like key',
    };
    const back = roundTrip(value);
    expect(back).toEqual(value);
    expect(Object.getPrototypeOf(back.bare)).toBe(null);
    expect(Object.keys(back)).toEqual(Object.keys(value));
    expect([...back.map.keys()]).toEqual([1, 'k', null]);
  });

  it('keeps an own __proto__ key as data without changing the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<
      string,
      unknown
    >;
    const back = roundTrip(value);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps shared references shared and cycles cyclic', () => {
    const shared = { n: 1 };
    const cycle: Record<string, unknown> = { name: 'c' };
    cycle.self = cycle;
    const list: unknown[] = [];
    list.push(list, shared);
    const map = new Map<unknown, unknown>();
    map.set(map, shared);
    const back = roundTrip({ a: shared, b: shared, cycle, list, map });
    expect(back.a).toBe(back.b);
    expect(back.cycle.self).toBe(back.cycle);
    expect(back.list[0]).toBe(back.list);
    expect(back.list[1]).toBe(back.a);
    expect(back.map.get(back.map)).toBe(back.a);
  });

  it('handles a linked list and array nesting 100 000 deep without recursion', () => {
    let list: { next: unknown; i: number } | null = null;
    for (let i = 0; i < 100_000; i++) list = { next: list, i };
    let nested: unknown[] = [];
    for (let i = 0; i < 100_000; i++) nested = [nested];
    const back = roundTrip({ list, nested });
    let count = 0;
    for (let node = back.list; node !== null; node = node.next as typeof node) count++;
    expect(count).toBe(100_000);
    let depth = 0;
    for (let a = back.nested; a.length > 0; a = a[0] as unknown[]) depth++;
    expect(depth).toBe(100_000);
  });

  it('writes the same bytes for the same graph', () => {
    const registry = sampleRegistry();
    expect(encodeSection(sampleKernel(), registry)).toEqual(
      encodeSection(sampleKernel(), registry),
    );
  });

  it('returns objects that do not alias the section bytes', () => {
    const section = encodeSection({ data: new Uint8Array([1, 2, 3]) }, empty);
    const back = decodeSection(section, empty) as { data: Uint8Array };
    section.fill(0);
    expect(Array.from(back.data)).toEqual([1, 2, 3]);
  });
});

describe('registered classes', () => {
  it('load with their prototypes, saved fields and identities, without a constructor call', () => {
    const registry = sampleRegistry();
    const kernel = sampleKernel();
    const before = constructed.count;
    const back = decodeSection(encodeSection(kernel, registry), registry) as Kernel;
    expect(constructed.count).toBe(before);
    expect(back).toBeInstanceOf(Kernel);
    expect(back.clock).toBe(kernel.clock);
    const root = back.tasks.get(1)!;
    expect(root).toBeInstanceOf(Task);
    expect(back.root).toBe(root);
    expect(root.children.map((t) => t.name)).toEqual(['sh', 'cat']);
    expect(root.children[0].parent).toBe(root);
    expect(back.tasks.get(4)!.parent).toBe(root.children[0]);
    expect(Array.from(back.tasks.get(3)!.regs)).toEqual([3, 10, 20, 30]);
  });

  it('rebuild unsaved fields in afterLoad, children before the objects above them', () => {
    const registry = sampleRegistry();
    const section = encodeSection(sampleKernel(), registry);
    afterLoadLog.length = 0;
    const back = decodeSection(section, registry) as Kernel;
    expect(back.tasks.get(2)!.regSum).toBe(62);
    expect(typeof back.tasks.get(2)!.onExit).toBe('function');
    // Breadth-first from the kernel: kernel, its map, the root task, ...
    // reversed, so the grandchild's hook runs first and the kernel's last.
    expect(afterLoadLog[0]).toBe('task 4');
    expect(afterLoadLog.at(-1)).toBe('kernel');
  });

  it('are made by create() when one is registered', () => {
    class Cache {
      entries = new Map<string, number>();
      hits = 0;
      made = 'constructor';
    }
    const registry = new TypeRegistry();
    registry.register(Cache, {
      name: 'test.Cache',
      fields: ['hits'],
      unsaved: ['entries', 'made'],
      create: () => Object.assign(Object.create(Cache.prototype) as Cache, { made: 'create' }),
    });
    const cache = new Cache();
    cache.hits = 3;
    const back = roundTrip(cache, registry);
    expect(back.made).toBe('create');
    expect(back.hits).toBe(3);
  });

  it('load old sections through defaults and retired fields, told the saved version', () => {
    class Timer {
      deadline = 0;
      interval = 0;
      legacy = 0;
    }
    const old = new TypeRegistry();
    old.register(Timer, {
      name: 'test.Timer',
      fields: ['deadline', 'legacy'],
      unsaved: ['interval'],
    });
    const timer = new Timer();
    timer.deadline = 50;
    const section = encodeSection([timer, timer], old);

    const versions: number[] = [];
    const current = new TypeRegistry();
    current.register(Timer, {
      name: 'test.Timer',
      version: 2,
      fields: ['deadline', 'interval', 'queue'],
      unsaved: ['legacy'],
      retired: ['legacy'],
      defaults: { interval: 7, queue: () => [] },
      afterLoad: (_t, version) => versions.push(version),
    });
    const [a, b] = decodeSection(section, current) as (Timer & { queue: unknown[] })[];
    expect(a).toBe(b);
    expect(a.deadline).toBe(50);
    expect(a.interval).toBe(7);
    expect(a.queue).toEqual([]);
    expect(Object.hasOwn(a, 'legacy')).toBe(false);
    expect(versions).toEqual([1]);
  });

  it('encode a graph of 100 000 instances and plain objects', () => {
    const registry = sampleRegistry();
    const kernel = new Kernel();
    for (let tid = 1; tid <= 50_000; tid++) kernel.tasks.set(tid, new Task(tid, `t${tid % 64}`));
    const side = Array.from({ length: 50_000 }, (_, i) => ({ i, task: kernel.tasks.get(i + 1) }));
    const back = roundTrip({ kernel, side }, registry);
    expect(back.kernel.tasks.size).toBe(50_000);
    expect(back.side[49_999].task).toBe(back.kernel.tasks.get(50_000));
  });
});
