/**
 * Words for encoder errors: how a value is named, and how each step from a
 * container to its contents reads in a path such as
 * `root.tasks.get(1).cpu.hooks`.
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The step to a property: `.name`, or `["odd key"]` when not an identifier. */
export function edgeToKey(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** The step to a map value: `.get(key)` for primitive keys, else by place. */
export function edgeToMapValue(key: unknown, position: number): string {
  switch (typeof key) {
    case 'string':
      return `.get(${JSON.stringify(key)})`;
    case 'number':
    case 'boolean':
    case 'undefined':
      return `.get(${String(key)})`;
    default:
      return key === null ? '.get(null)' : `.entries()[${position}][1]`;
  }
}

/** Host objects worth naming when refused, by their constructor. */
const HOST_KINDS: readonly (readonly [string, unknown])[] = [
  ['a Promise', globalThis.Promise],
  ['a WeakMap', globalThis.WeakMap],
  ['a WeakSet', globalThis.WeakSet],
  ['a WeakRef', globalThis.WeakRef],
  ['a DataView (rebuild it in afterLoad)', globalThis.DataView],
  ['a SharedArrayBuffer', globalThis.SharedArrayBuffer],
  ['a Date (save the time as a number)', globalThis.Date],
  ['a RegExp', globalThis.RegExp],
  ['an Error', globalThis.Error],
];

/** A short name for a value the codec refuses, e.g. `a function (onExit)`. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'function':
      return value.name === '' ? 'a function' : `a function (${value.name})`;
    case 'symbol':
      return `a symbol (${String(value.description)})`;
    case 'bigint':
      return 'a bigint (state holds numbers, or pairs of 32-bit halves)';
    case 'object':
      return describeObject(value);
    default:
      return `a ${typeof value}`;
  }
}

function describeObject(value: object | null): string {
  if (value === null) return 'null';
  for (const [words, ctor] of HOST_KINDS) {
    if (typeof ctor === 'function' && value instanceof ctor) return words;
  }
  if (typeof WebAssembly === 'object' && value instanceof WebAssembly.Memory) {
    return 'a WebAssembly.Memory (the memory file is saved apart from the state)';
  }
  const proto = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  const ctor = proto?.constructor;
  const name = typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'an anonymous class';
  return `an instance of unregistered class ${name}`;
}
