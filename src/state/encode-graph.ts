import { ByteWriter } from './byte-writer.ts';
import { describeValue, edgeToKey, edgeToMapValue } from './state-path.ts';
import { StateEncodeError, type StateEncodeErrorCode } from './state-error.ts';
import type { RegisteredType, TypeRegistry } from './type-registry.ts';
import {
  HOST_LITTLE_ENDIAN,
  KIND_ARRAY,
  KIND_ARRAY_BUFFER,
  KIND_INSTANCE,
  KIND_MAP,
  KIND_NULL_PROTO_OBJECT,
  KIND_PLAIN_OBJECT,
  KIND_SET,
  KIND_TYPED_ARRAY,
  swapElementBytes,
  TAG_FALSE,
  TAG_FLOAT64,
  TAG_NEG_INT,
  TAG_NULL,
  TAG_POS_INT,
  TAG_REF,
  TAG_SMALL_INT,
  TAG_STRING,
  TAG_TRUE,
  TAG_UNDEFINED,
  TYPED_ARRAY_KIND_BY_PROTO,
} from './wire.ts';

type AnyTypedArray = Uint8Array | Float64Array | Int32Array;

/**
 * Encodes the object graph under `root` into the parts of a section body, in
 * order: type table, string table, object count and headers, object bodies,
 * root value. The first failure is thrown as StateEncodeError with its path.
 */
export function encodeGraph(root: unknown, registry: TypeRegistry): Uint8Array[] {
  try {
    return new GraphEncoder(registry, false).run(root);
  } catch (error) {
    // Paths cost a string per object, so only a second, traced pass over the
    // same (unchanged, as encoding is synchronous) graph builds them.
    if (!(error instanceof StateEncodeError) || error.code === 'STATE_SECTION_TOO_LARGE') {
      throw error;
    }
    new GraphEncoder(registry, true).run(root);
    throw error;
  }
}

/**
 * One pass over a graph. Objects are numbered in the order they are first
 * met, breadth-first: a header is written when an object is numbered and its
 * body when the queue reaches it, so neither recursion nor a deep graph can
 * exhaust the stack.
 */
class GraphEncoder {
  private readonly ids = new Map<object, number>();
  private readonly queue: object[] = [];
  private readonly kinds: number[] = [];
  private readonly typeOf: (RegisteredType | undefined)[] = [];
  private readonly typeIds = new Map<RegisteredType, number>();
  private readonly strings = new Map<string, number>();
  private readonly stringBytes = new ByteWriter(1024);
  private readonly headers = new ByteWriter(4096);
  private readonly bodies = new ByteWriter(4096);

  // Tracing only: each object's path, the object being written, the edge.
  private readonly paths: string[] = [];
  private here = '';
  private edge = 'root';

  constructor(
    private readonly registry: TypeRegistry,
    private readonly tracing: boolean,
  ) {}

  run(root: unknown): Uint8Array[] {
    const rootWriter = new ByteWriter(16);
    this.writeValue(rootWriter, root);
    for (let index = 0; index < this.queue.length; index++) {
      if (this.tracing) {
        this.here = this.paths[index];
        this.edge = '';
      }
      this.writeBody(index);
    }

    const prefix = new ByteWriter(256);
    prefix.varuint(this.typeIds.size);
    for (const type of this.typeIds.keys()) {
      prefix.utf8(type.name);
      prefix.varuint(type.version);
      prefix.varuint(type.fields.length);
      for (const field of type.fields) prefix.utf8(field);
    }
    prefix.varuint(this.strings.size);
    const counts = new ByteWriter(8);
    counts.varuint(this.queue.length);
    return [
      prefix.finish(),
      this.stringBytes.finish(),
      counts.finish(),
      this.headers.finish(),
      this.bodies.finish(),
      rootWriter.finish(),
    ];
  }

  private fail(code: StateEncodeErrorCode, message: string): never {
    throw new StateEncodeError(code, this.tracing ? this.here + this.edge : '', message);
  }

  private writeValue(w: ByteWriter, value: unknown): void {
    switch (typeof value) {
      case 'number':
        return writeNumber(w, value);
      case 'string':
        w.u8(TAG_STRING);
        return w.varuint(this.intern(value));
      case 'boolean':
        return w.u8(value ? TAG_TRUE : TAG_FALSE);
      case 'undefined':
        return w.u8(TAG_UNDEFINED);
      case 'object':
        if (value === null) return w.u8(TAG_NULL);
        w.u8(TAG_REF);
        return w.varuint(this.ids.get(value) ?? this.discover(value));
      default:
        return this.fail('STATE_UNSUPPORTED_VALUE', `${describeValue(value)} cannot be saved`);
    }
  }

  private intern(text: string): number {
    let id = this.strings.get(text);
    if (id === undefined) {
      if (!this.stringBytes.utf8(text)) {
        this.fail('STATE_BAD_STRING', 'a string holds a lone UTF-16 surrogate');
      }
      id = this.strings.size;
      this.strings.set(text, id);
    }
    return id;
  }

  /** Numbers an object met for the first time and writes its header. */
  private discover(obj: object): number {
    const kind = this.classify(obj);
    const index = this.queue.length;
    this.ids.set(obj, index);
    this.queue.push(obj);
    this.kinds.push(kind);
    if (this.tracing) this.paths.push(this.here + this.edge);
    const h = this.headers;
    h.u8(kind);
    if (kind === KIND_INSTANCE) {
      const type = this.typeOf[index];
      let typeId = this.typeIds.get(type!);
      if (typeId === undefined) {
        typeId = this.typeIds.size;
        this.typeIds.set(type!, typeId);
      }
      h.varuint(typeId);
    } else if (kind === KIND_TYPED_ARRAY) {
      const array = obj as AnyTypedArray;
      h.u8(TYPED_ARRAY_KIND_BY_PROTO.get(Object.getPrototypeOf(obj) as object)!);
      h.varuint(array.length);
      this.writeRaw(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), array);
    } else if (kind === KIND_ARRAY_BUFFER) {
      const buffer = obj as ArrayBuffer;
      h.varuint(buffer.byteLength);
      h.raw(new Uint8Array(buffer));
    }
    return index;
  }

  private writeRaw(bytes: Uint8Array, array: AnyTypedArray): void {
    const start = this.headers.length;
    this.headers.raw(bytes);
    if (!HOST_LITTLE_ENDIAN && array.BYTES_PER_ELEMENT > 1) {
      swapElementBytes(this.headers.slice(start, this.headers.length), array.BYTES_PER_ELEMENT);
    }
  }

  /** Decides how an object is written, or refuses it. */
  private classify(obj: object): number {
    const proto = Object.getPrototypeOf(obj) as object | null;
    if (proto === Object.prototype) return KIND_PLAIN_OBJECT;
    const type = proto === null ? undefined : this.registry.lookupPrototype(proto);
    if (type !== undefined) {
      this.typeOf[this.queue.length] = type;
      return KIND_INSTANCE;
    }
    if (proto === Array.prototype && Array.isArray(obj)) return KIND_ARRAY;
    if (proto === null) return KIND_NULL_PROTO_OBJECT;
    if (proto === Map.prototype) return KIND_MAP;
    if (proto === Set.prototype) return KIND_SET;
    if (TYPED_ARRAY_KIND_BY_PROTO.has(proto) && ArrayBuffer.isView(obj)) return KIND_TYPED_ARRAY;
    if (proto === ArrayBuffer.prototype) return KIND_ARRAY_BUFFER;
    const what = describeValue(obj);
    if (what.startsWith('an instance of')) {
      this.fail(
        'STATE_UNREGISTERED_CLASS',
        `${what}: register the class or mark the field unsaved`,
      );
    }
    return this.fail('STATE_UNSUPPORTED_VALUE', `${what} cannot be saved`);
  }

  private writeBody(index: number): void {
    const obj = this.queue[index];
    switch (this.kinds[index]) {
      case KIND_INSTANCE:
        return this.writeInstance(obj, this.typeOf[index]!);
      case KIND_PLAIN_OBJECT:
      case KIND_NULL_PROTO_OBJECT:
        return this.writePlain(obj as Record<string, unknown>);
      case KIND_ARRAY:
        return this.writeArray(obj as unknown[]);
      case KIND_MAP:
        return this.writeMap(obj as Map<unknown, unknown>);
      case KIND_SET:
        return this.writeSet(obj as Set<unknown>);
    }
    // Typed arrays and buffers were written whole in their header.
  }

  private writeInstance(obj: object, type: RegisteredType): void {
    for (const key of Object.keys(obj)) {
      if (!type.allowed.has(key)) {
        if (this.tracing) this.edge = edgeToKey(key);
        this.fail(
          'STATE_UNLISTED_FIELD',
          `${type.name} (${type.className}) has field ${key}, which is neither saved nor unsaved`,
        );
      }
    }
    const record = obj as Record<string, unknown>;
    const w = this.bodies;
    for (const field of type.fields) {
      if (this.tracing) this.edge = edgeToKey(field);
      this.writeValue(w, record[field]);
    }
  }

  private writePlain(obj: Record<string, unknown>): void {
    if (Object.getOwnPropertySymbols(obj).length > 0) {
      this.fail('STATE_UNSUPPORTED_VALUE', 'an object with symbol keys cannot be saved');
    }
    const keys = Object.keys(obj);
    const w = this.bodies;
    w.varuint(keys.length);
    for (const key of keys) {
      if (this.tracing) this.edge = edgeToKey(key);
      w.varuint(this.intern(key));
      this.writeValue(w, obj[key]);
    }
  }

  private writeArray(array: unknown[]): void {
    const w = this.bodies;
    const length = array.length;
    w.varuint(length);
    for (let i = 0; i < length; i++) {
      const value = array[i];
      if (this.tracing) this.edge = `[${i}]`;
      if (value === undefined && !(i in array)) {
        this.fail('STATE_SPARSE_ARRAY', 'an array has a hole; fill it with undefined or null');
      }
      this.writeValue(w, value);
    }
  }

  private writeMap(map: Map<unknown, unknown>): void {
    const w = this.bodies;
    w.varuint(map.size);
    let i = 0;
    for (const [key, value] of map) {
      if (this.tracing) this.edge = `.entries()[${i}][0]`;
      this.writeValue(w, key);
      if (this.tracing) this.edge = edgeToMapValue(key, i);
      this.writeValue(w, value);
      i++;
    }
  }

  private writeSet(set: Set<unknown>): void {
    const w = this.bodies;
    w.varuint(set.size);
    let i = 0;
    for (const value of set) {
      if (this.tracing) this.edge = `.values()[${i++}]`;
      this.writeValue(w, value);
    }
  }
}

function writeNumber(w: ByteWriter, value: number): void {
  // -0 is an integer to Number.isSafeInteger but must keep its sign.
  if (Number.isSafeInteger(value) && (value !== 0 || 1 / value > 0)) {
    if (value < 0) {
      w.u8(TAG_NEG_INT);
      w.varuint(-value);
    } else if (value < 0x80) {
      w.u8(TAG_SMALL_INT + value);
    } else {
      w.u8(TAG_POS_INT);
      w.varuint(value);
    }
    return;
  }
  w.u8(TAG_FLOAT64);
  w.float64(value);
}
