import { describe, expect, it } from 'vitest';
import { encodeSection, StateEncodeError, TypeRegistry } from '../../src/state/index.ts';
import type { StateEncodeErrorCode } from '../../src/state/index.ts';
import { Kernel, sampleKernel, sampleRegistry, Task } from './state-fixtures.ts';

function refusal(root: unknown, registry = new TypeRegistry()): StateEncodeError {
  try {
    encodeSection(root, registry);
  } catch (error) {
    if (error instanceof StateEncodeError) return error;
    throw error;
  }
  throw new Error('encodeSection accepted the graph');
}

function expectRefusal(
  root: unknown,
  code: StateEncodeErrorCode,
  path: string,
  registry?: TypeRegistry,
): void {
  const error = refusal(root, registry);
  expect(error.code).toBe(code);
  expect(error.path).toBe(path);
  expect(error.message.startsWith(`${path}: `)).toBe(true);
}

describe('encoding refuses what it cannot save, naming the path', () => {
  it('names a function deep inside registered classes and maps', () => {
    class Cpu {
      hooks: unknown = () => undefined;
    }
    const registry = sampleRegistry();
    registry.register(Cpu, { name: 'test.Cpu', fields: ['hooks'] });
    const kernel = sampleKernel();
    const holder = { cpu: new Cpu() };
    (kernel.tasks as Map<number, unknown>).set(9, holder);
    expectRefusal(kernel, 'STATE_UNSUPPORTED_VALUE', 'root.tasks.get(9).cpu.hooks', registry);
  });

  it('refuses symbols, bigints, promises, weak maps and data views', () => {
    expectRefusal({ s: Symbol('x') }, 'STATE_UNSUPPORTED_VALUE', 'root.s');
    expectRefusal([1, 2n], 'STATE_UNSUPPORTED_VALUE', 'root[1]');
    expectRefusal(new Map([['p', Promise.resolve()]]), 'STATE_UNSUPPORTED_VALUE', 'root.get("p")');
    expectRefusal(new Set([new WeakMap()]), 'STATE_UNSUPPORTED_VALUE', 'root.values()[0]');
    expectRefusal(
      { 'a b': new DataView(new ArrayBuffer(1)) },
      'STATE_UNSUPPORTED_VALUE',
      'root["a b"]',
    );
    expectRefusal(new Map([[{}, () => 1]]), 'STATE_UNSUPPORTED_VALUE', 'root.entries()[0][1]');
    expectRefusal(() => 1, 'STATE_UNSUPPORTED_VALUE', 'root');
  });

  it('names an unregistered class, and a subclass of a registered one', () => {
    class Stranger {}
    const error = refusal({ list: [new Stranger()] });
    expect(error.code).toBe('STATE_UNREGISTERED_CLASS');
    expect(error.path).toBe('root.list[0]');
    expect(error.message).toContain('Stranger');

    class SpecialTask extends Task {}
    const kernel = new Kernel();
    kernel.root = new SpecialTask(1, 'x');
    expectRefusal(kernel, 'STATE_UNREGISTERED_CLASS', 'root.root', sampleRegistry());
  });

  it('refuses an own field that is neither saved nor declared unsaved', () => {
    const kernel = sampleKernel();
    (kernel.root as unknown as Record<string, unknown>).newField = 1;
    const error = refusal(kernel, sampleRegistry());
    expect(error.code).toBe('STATE_UNLISTED_FIELD');
    expect(error.path).toBe('root.root.newField');
    expect(error.message).toContain('test.Task');
  });

  it('refuses arrays with holes and strings with lone surrogates', () => {
    // eslint-disable-next-line no-sparse-arrays
    expectRefusal({ a: [1, , 3] }, 'STATE_SPARSE_ARRAY', 'root.a[1]');
    expectRefusal({ s: ['ok', 'bad \ud800'] }, 'STATE_BAD_STRING', 'root.s[1]');
    expectRefusal({ ['\udc00']: 1 }, 'STATE_BAD_STRING', 'root["\\udc00"]');
  });

  it('refuses symbol-keyed properties of plain objects', () => {
    expectRefusal({ inner: { [Symbol('k')]: 1 } }, 'STATE_UNSUPPORTED_VALUE', 'root.inner');
  });
});
