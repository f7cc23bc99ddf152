import { StateRegistryError } from './state-error.ts';
import { TYPED_ARRAY_KINDS } from './wire.ts';

/**
 * What a field that older snapshots lack is given on load: a primitive, or a
 * factory called once per object so that no two objects share a default
 * array or map.
 */
export type FieldDefault = undefined | null | boolean | number | string | (() => unknown);

/** How one class is saved and loaded; see {@link TypeRegistry.register}. */
export interface TypeOptions<T extends object> {
  /**
   * The stable name written into sections, e.g. `kernel.Task`. It outlives
   * renames of the class: change it and older snapshots stop loading.
   */
  readonly name: string;
  /** This type's layout version, 1 by default; raise it when fields change. */
  readonly version?: number;
  /** The own properties saved, in the order they are written. */
  readonly fields: readonly string[];
  /**
   * Own properties deliberately not saved (caches, TLBs, host handles); create
   * or afterLoad rebuilds them. Any own enumerable property in neither list
   * makes encoding fail, so a new field cannot be lost silently.
   */
  readonly unsaved?: readonly string[];
  /** Fields old snapshots carry that this version dropped: skipped on load. */
  readonly retired?: readonly string[];
  /** Values for saved fields that sections written by older versions lack. */
  readonly defaults?: Readonly<Record<string, FieldDefault>>;
  /**
   * Makes an empty instance to load into. Defaults to
   * `Object.create(prototype)`, which runs no constructor (constructors may
   * open host handles). For classes on hot paths, a create() that assigns
   * every field, saved or not, in constructor order keeps loaded objects on
   * the same V8 hidden class as constructed ones.
   */
  readonly create?: () => T;
  /**
   * Rebuilds unsaved fields once the whole graph is decoded and every saved
   * field of every object is assigned. Hooks run in reverse object-table
   * order: the table lists objects breadth-first from the root, so in a tree
   * an object's hook runs after the hooks of everything below it.
   * `savedVersion` is the type version the section was written with.
   */
  readonly afterLoad?: (obj: T, savedVersion: number) => void;
}

/** A registration as the encoder and decoder use it. */
export interface RegisteredType {
  readonly name: string;
  readonly version: number;
  readonly fields: readonly string[];
  /** The same saved fields, for lookups. */
  readonly saved: ReadonlySet<string>;
  /** Saved and unsaved fields together: every own property allowed on save. */
  readonly allowed: ReadonlySet<string>;
  readonly retired: ReadonlySet<string>;
  readonly defaults: ReadonlyMap<string, FieldDefault>;
  readonly create: () => object;
  readonly afterLoad: ((obj: object, savedVersion: number) => void) | undefined;
  /** The class name for messages; not part of the format. */
  readonly className: string;
}

const TYPE_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const MAX_TYPE_NAME = 200;
const MAX_VERSION = 0xffff_ffff;

/** Prototypes the codec encodes itself; registering one would shadow that. */
const BUILTIN_PROTOTYPES: ReadonlySet<object> = new Set<object>([
  Object.prototype,
  Array.prototype,
  Map.prototype,
  Set.prototype,
  ArrayBuffer.prototype,
  Function.prototype,
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  ...TYPED_ARRAY_KINDS.map((ctor) => ctor.prototype as object),
]);

/**
 * The classes a section may contain, by stable name. Build one at start-up,
 * register every saved class, and pass it to both encodeSection and
 * decodeSection; the registry itself is never saved.
 */
export class TypeRegistry {
  private readonly byName = new Map<string, RegisteredType>();
  private readonly byProto = new Map<object, RegisteredType>();

  /**
   * Registers a class. Instances are recognised by their exact prototype, so
   * a subclass needs a registration of its own.
   *
   * Preconditions:
   * - neither the name nor the class is registered yet;
   * - no name repeats within or across fields, unsaved and retired, except
   *   that a retired field may also be unsaved;
   * - every key of defaults is a saved field.
   *
   * @throws StateRegistryError when a precondition does not hold.
   */
  register<T extends object>(ctor: { readonly prototype: T }, options: TypeOptions<T>): void {
    const proto: unknown = ctor.prototype;
    const ctorName = (ctor as { readonly name?: unknown }).name;
    const className = typeof ctorName === 'string' && ctorName !== '' ? ctorName : options.name;
    if (typeof proto !== 'object' || proto === null || BUILTIN_PROTOTYPES.has(proto)) {
      throw new StateRegistryError(`${className}: only classes with their own prototype register`);
    }
    checkName(options.name);
    if (this.byName.has(options.name)) {
      throw new StateRegistryError(`type name ${options.name} is already registered`);
    }
    const previous = this.byProto.get(proto);
    if (previous !== undefined) {
      throw new StateRegistryError(`${className} is already registered as ${previous.name}`);
    }
    const type = buildType(proto, options, className);
    this.byName.set(type.name, type);
    this.byProto.set(proto, type);
  }

  /** The registration for a stable name, if any. */
  lookupName(name: string): RegisteredType | undefined {
    return this.byName.get(name);
  }

  /** The registration whose class has exactly this prototype, if any. */
  lookupPrototype(proto: object): RegisteredType | undefined {
    return this.byProto.get(proto);
  }

  /** Every registered stable name, in registration order. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length > MAX_TYPE_NAME || !TYPE_NAME.test(name)) {
    throw new StateRegistryError(
      `type name ${JSON.stringify(name)} must be dotted identifiers, at most ${MAX_TYPE_NAME} ` +
        `characters`,
    );
  }
}

function buildType<T extends object>(
  proto: object,
  options: TypeOptions<T>,
  className: string,
): RegisteredType {
  const where = `${options.name} (${className})`;
  const version = options.version ?? 1;
  if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION) {
    throw new StateRegistryError(`${where}: version must be an integer from 1 to ${MAX_VERSION}`);
  }

  // A saved field is neither unsaved nor retired. A retired field may still
  // exist unsaved: it was saved once and is now rebuilt on load instead.
  const fields = checkFields(where, 'fields', options.fields, new Set());
  const unsaved = checkFields(where, 'unsaved', options.unsaved ?? [], fields);
  const retired = checkFields(where, 'retired', options.retired ?? [], fields);

  for (const hook of ['create', 'afterLoad'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw new StateRegistryError(`${where}: ${hook} must be a function`);
    }
  }

  // Defaults only make sense for saved fields, and must not be shared objects.
  const defaults = new Map<string, FieldDefault>();
  for (const [field, value] of Object.entries(options.defaults ?? {})) {
    if (!fields.has(field)) {
      throw new StateRegistryError(`${where}: default for ${field}, which is not a saved field`);
    }
    if (typeof value === 'object' && value !== null) {
      throw new StateRegistryError(
        `${where}: default for ${field} must be a primitive or a factory`,
      );
    }
    defaults.set(field, value);
  }

  return {
    name: options.name,
    version,
    fields: [...fields],
    saved: fields,
    allowed: new Set([...fields, ...unsaved]),
    retired,
    defaults,
    create: options.create ?? (() => Object.create(proto) as object),
    afterLoad: options.afterLoad as RegisteredType['afterLoad'],
    className,
  };
}

function checkFields(
  where: string,
  list: string,
  names: readonly string[],
  saved: ReadonlySet<string>,
): Set<string> {
  if (!Array.isArray(names)) throw new StateRegistryError(`${where}: ${list} must be an array`);
  const result = new Set<string>();
  for (const field of names) {
    if (typeof field !== 'string' || field === '' || field === '__proto__') {
      throw new StateRegistryError(`${where}: ${JSON.stringify(field)} is not a usable field name`);
    }
    if (result.has(field) || saved.has(field)) {
      throw new StateRegistryError(`${where}: field ${field} is listed twice`);
    }
    result.add(field);
  }
  return result;
}
