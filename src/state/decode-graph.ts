import type { ByteReader } from './byte-reader.ts';
import { StateDecodeError } from './state-error.ts';
import type { FieldDefault, RegisteredType, TypeRegistry } from './type-registry.ts';
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
  TYPED_ARRAY_KINDS,
} from './wire.ts';

/** How the fields of one saved type map onto its registration. */
interface TypePlan {
  readonly type: RegisteredType;
  readonly savedVersion: number;
  /** Per saved field, in section order: the property to set, or null. */
  readonly slots: readonly (string | null)[];
  /** Registered fields the section lacks, with the defaults that fill them. */
  readonly missing: readonly (readonly [string, FieldDefault])[];
}

/**
 * Decodes a section body (everything between header and checksum) against a
 * registry: the type table is checked first, every object is created, then
 * filled, then the afterLoad hooks run. Throws only StateDecodeError.
 */
export function decodeGraph(reader: ByteReader, registry: TypeRegistry): unknown {
  return new GraphDecoder(reader, registry).run();
}

class GraphDecoder {
  private plans: TypePlan[] = [];
  private strings: string[] = [];
  private objects: object[] = [];
  private kinds = new Uint8Array(0);
  private planOf: (TypePlan | undefined)[] = [];

  constructor(
    private readonly r: ByteReader,
    private readonly registry: TypeRegistry,
  ) {}

  run(): unknown {
    // Types, then strings, then every object empty, then their contents.
    this.readTypeTable();
    this.readStrings();
    this.readHeaders();
    for (let index = 0; index < this.objects.length; index++) this.readBody(index);
    const root = this.readValue();
    if (this.r.remaining() !== 0) {
      throw new StateDecodeError('STATE_TRAILING_BYTES', 'bytes follow the root value');
    }

    // Rebuild unsaved fields only once every saved field holds its value.
    for (let index = this.objects.length - 1; index >= 0; index--) {
      const plan = this.planOf[index];
      if (plan?.type.afterLoad !== undefined) {
        const { type, savedVersion } = plan;
        guardHook(type, 'afterLoad', () => type.afterLoad!(this.objects[index], savedVersion));
      }
    }
    return root;
  }

  private readTypeTable(): void {
    const r = this.r;
    // A type takes at least a name byte, its length, a version, a count.
    const count = r.count(4, 'the type table');
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const name = r.utf8();
      if (seen.has(name)) throw bad(`type ${name} appears twice in the type table`);
      seen.add(name);
      const type = this.registry.lookupName(name);
      if (type === undefined) {
        throw new StateDecodeError('STATE_UNKNOWN_TYPE', `type ${name} is not registered`);
      }
      const savedVersion = r.varuint();
      if (savedVersion === 0) throw bad(`type ${name} has version 0`);
      if (savedVersion > type.version) {
        throw new StateDecodeError(
          'STATE_TYPE_TOO_NEW',
          `type ${name} was saved at version ${savedVersion}; this build knows up to ` +
            `${type.version}`,
        );
      }
      this.plans.push(this.planFields(type, savedVersion));
    }
  }

  private planFields(type: RegisteredType, savedVersion: number): TypePlan {
    const r = this.r;
    const count = r.count(2, `the field list of ${type.name}`);
    const slots: (string | null)[] = [];
    const present = new Set<string>();
    for (let i = 0; i < count; i++) {
      const field = r.utf8();
      if (present.has(field)) throw bad(`field ${type.name}.${field} is listed twice`);
      present.add(field);
      if (type.saved.has(field)) {
        slots.push(field);
      } else if (type.retired.has(field)) {
        slots.push(null);
      } else {
        throw new StateDecodeError(
          'STATE_UNKNOWN_FIELD',
          `field ${type.name}.${field} is in the section but not registered`,
        );
      }
    }
    const missing: [string, FieldDefault][] = [];
    for (const field of type.fields) {
      if (present.has(field)) continue;
      if (!type.defaults.has(field)) {
        throw new StateDecodeError(
          'STATE_MISSING_FIELD',
          `field ${type.name}.${field} is not in the section and has no default`,
        );
      }
      missing.push([field, type.defaults.get(field)]);
    }
    return { type, savedVersion, slots, missing };
  }

  private readStrings(): void {
    const r = this.r;
    const count = r.count(1, 'the string table');
    const strings: string[] = new Array(count);
    for (let i = 0; i < count; i++) strings[i] = r.utf8();
    this.strings = strings;
  }

  private readHeaders(): void {
    const r = this.r;
    const count = r.count(1, 'the object table');
    this.objects = new Array(count);
    this.kinds = new Uint8Array(count);
    this.planOf = new Array(count);
    for (let index = 0; index < count; index++) {
      const kind = r.u8();
      this.kinds[index] = kind;
      this.objects[index] = this.createObject(kind, index);
    }
  }

  private createObject(kind: number, index: number): object {
    const r = this.r;
    switch (kind) {
      case KIND_ARRAY:
        return [];
      case KIND_PLAIN_OBJECT:
        return {};
      case KIND_NULL_PROTO_OBJECT:
        return Object.create(null) as object;
      case KIND_MAP:
        return new Map();
      case KIND_SET:
        return new Set();
      case KIND_INSTANCE: {
        const typeId = r.varuint();
        if (typeId >= this.plans.length) throw badRef(`type ${typeId}`, this.plans.length);
        const plan = this.plans[typeId];
        this.planOf[index] = plan;
        const obj = guardHook(plan.type, 'create', plan.type.create);
        if (typeof obj !== 'object' || obj === null) {
          throw new StateDecodeError(
            'STATE_HOOK_FAILED',
            `create() of ${plan.type.name} made no object`,
          );
        }
        return obj;
      }
      case KIND_ARRAY_BUFFER: {
        const size = r.count(1, 'an ArrayBuffer');
        const buffer = new ArrayBuffer(size);
        new Uint8Array(buffer).set(r.bytesView(size));
        return buffer;
      }
      case KIND_TYPED_ARRAY:
        return this.createTypedArray();
      default:
        throw new StateDecodeError('STATE_BAD_TAG', `object kind ${kind} is not defined`);
    }
  }

  private createTypedArray(): object {
    const r = this.r;
    const kind = r.u8();
    if (kind >= TYPED_ARRAY_KINDS.length) {
      throw new StateDecodeError('STATE_BAD_TAG', `typed-array kind ${kind} is not defined`);
    }
    const Ctor = TYPED_ARRAY_KINDS[kind];
    const length = r.count(Ctor.BYTES_PER_ELEMENT, `a ${Ctor.name}`);
    const array = new Ctor(length);
    const bytes = new Uint8Array(array.buffer);
    bytes.set(r.bytesView(bytes.length));
    if (!HOST_LITTLE_ENDIAN) swapElementBytes(bytes, Ctor.BYTES_PER_ELEMENT);
    return array;
  }

  private readBody(index: number): void {
    const obj = this.objects[index];
    switch (this.kinds[index]) {
      case KIND_INSTANCE:
        return this.readInstance(obj, this.planOf[index]!);
      case KIND_PLAIN_OBJECT:
      case KIND_NULL_PROTO_OBJECT:
        return this.readPlain(obj as Record<string, unknown>);
      case KIND_ARRAY: {
        const array = obj as unknown[];
        const length = this.r.count(1, 'an array');
        for (let i = 0; i < length; i++) array.push(this.readValue());
        return;
      }
      case KIND_MAP:
        return this.readMap(obj as Map<unknown, unknown>);
      case KIND_SET: {
        const set = obj as Set<unknown>;
        const count = this.r.count(1, 'a set');
        for (let i = 0; i < count; i++) {
          const value = this.readValue();
          if (set.has(value)) throw bad('a set holds one value twice');
          set.add(value);
        }
        return;
      }
    }
  }

  private readInstance(obj: object, plan: TypePlan): void {
    const record = obj as Record<string, unknown>;
    const { slots, missing } = plan;
    try {
      for (let i = 0; i < slots.length; i++) {
        const value = this.readValue();
        const field = slots[i];
        if (field !== null) record[field] = value;
      }
      for (const [field, value] of missing) {
        record[field] = typeof value === 'function' ? value() : value;
      }
    } catch (cause) {
      // Assigning can run registered code (a setter, a frozen object from
      // create(), a default factory): anything but our own error is theirs.
      if (cause instanceof StateDecodeError) throw cause;
      throw hookFailed(plan.type, 'loading a field', cause);
    }
  }

  private readPlain(obj: Record<string, unknown>): void {
    const r = this.r;
    const count = r.count(2, 'an object');
    for (let i = 0; i < count; i++) {
      const keyId = r.varuint();
      if (keyId >= this.strings.length) throw badRef(`string ${keyId}`, this.strings.length);
      const key = this.strings[keyId];
      const value = this.readValue();
      if (Object.hasOwn(obj, key)) throw bad(`an object has key ${JSON.stringify(key)} twice`);
      if (key === '__proto__') {
        // A plain assignment would replace the prototype instead.
        Object.defineProperty(obj, key, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        obj[key] = value;
      }
    }
  }

  private readMap(map: Map<unknown, unknown>): void {
    const count = this.r.count(2, 'a map');
    for (let i = 0; i < count; i++) {
      const key = this.readValue();
      if (map.has(key)) throw bad('a map holds one key twice');
      map.set(key, this.readValue());
    }
  }

  private readValue(): unknown {
    const r = this.r;
    const tag = r.u8();
    if (tag >= TAG_SMALL_INT) return tag - TAG_SMALL_INT;
    switch (tag) {
      case TAG_UNDEFINED:
        return undefined;
      case TAG_NULL:
        return null;
      case TAG_FALSE:
        return false;
      case TAG_TRUE:
        return true;
      case TAG_POS_INT: {
        const value = r.varuint();
        if (value < TAG_SMALL_INT) throw bad(`integer ${value} is not in its shortest form`);
        return value;
      }
      case TAG_NEG_INT: {
        const magnitude = r.varuint();
        if (magnitude === 0) throw bad('a negative integer has magnitude 0');
        return -magnitude;
      }
      case TAG_FLOAT64: {
        const value = r.float64();
        if (Number.isSafeInteger(value) && (value !== 0 || 1 / value > 0)) {
          throw bad(`integer ${value} is stored as a float`);
        }
        return value;
      }
      case TAG_STRING: {
        const id = r.varuint();
        if (id >= this.strings.length) throw badRef(`string ${id}`, this.strings.length);
        return this.strings[id];
      }
      case TAG_REF: {
        const id = r.varuint();
        if (id >= this.objects.length) throw badRef(`object ${id}`, this.objects.length);
        return this.objects[id];
      }
      default:
        throw new StateDecodeError('STATE_BAD_TAG', `value tag ${tag} is not defined`);
    }
  }
}

function bad(message: string): StateDecodeError {
  return new StateDecodeError('STATE_BAD_VALUE', message);
}

function badRef(what: string, size: number): StateDecodeError {
  return new StateDecodeError('STATE_BAD_REFERENCE', `${what} is outside a table of ${size}`);
}

/** Runs registered code, turning whatever it throws into STATE_HOOK_FAILED. */
function guardHook<T>(type: RegisteredType, hook: string, run: () => T): T {
  try {
    return run();
  } catch (cause) {
    throw hookFailed(type, hook, cause);
  }
}

function hookFailed(type: RegisteredType, hook: string, cause: unknown): StateDecodeError {
  let why = 'a value that is not an Error';
  if (cause instanceof Error) why = cause.message;
  else if (typeof cause === 'string') why = cause;
  return new StateDecodeError('STATE_HOOK_FAILED', `${hook} of ${type.name} failed: ${why}`, {
    cause,
  });
}
