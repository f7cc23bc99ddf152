/**
 * Stable codes for every way a state section can be refused on load. Callers
 * (snapshot load, `amber resume`) may match on them; a code is never reused
 * for a different problem.
 */
export type StateDecodeErrorCode =
  /** The section does not start with the state magic. */
  | 'STATE_BAD_MAGIC'
  /** The format version, or a flag, is one this build does not know. */
  | 'STATE_BAD_VERSION'
  /** The SHA-256 at the end of the section does not match its bytes. */
  | 'STATE_CHECKSUM'
  /** The bytes end before the section, or a read runs past its end. */
  | 'STATE_TRUNCATED'
  /** Bytes remain after the section or after its last record. */
  | 'STATE_TRAILING_BYTES'
  /** A length or count is larger than the bytes left could hold. */
  | 'STATE_TOO_LARGE'
  /** A type name in the section is not registered in this build. */
  | 'STATE_UNKNOWN_TYPE'
  /** A type was saved by a newer version of its class than this build has. */
  | 'STATE_TYPE_TOO_NEW'
  /** A saved field is neither registered nor retired for its type. */
  | 'STATE_UNKNOWN_FIELD'
  /** A registered field is absent from the section and has no default. */
  | 'STATE_MISSING_FIELD'
  /** An object, string or type index points outside its table. */
  | 'STATE_BAD_REFERENCE'
  /** A value or record tag is not one the format defines. */
  | 'STATE_BAD_TAG'
  /** A string is not well-formed UTF-8. */
  | 'STATE_BAD_STRING'
  /** A value breaks a rule of its container (duplicate key, overlong int). */
  | 'STATE_BAD_VALUE'
  /** A registered create() or afterLoad() hook threw while rebuilding. */
  | 'STATE_HOOK_FAILED';

/**
 * A state section that cannot be loaded. decodeSection throws nothing else:
 * whatever the bytes, a caller sees either the decoded graph or this error.
 */
export class StateDecodeError extends Error {
  /** Stable, machine-readable reason; see {@link StateDecodeErrorCode}. */
  readonly code: StateDecodeErrorCode;

  constructor(code: StateDecodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateDecodeError';
    this.code = code;
  }
}

/** Stable codes for every way a graph can be refused on save. */
export type StateEncodeErrorCode =
  /** A function, symbol, bigint, promise, weak collection or host object. */
  | 'STATE_UNSUPPORTED_VALUE'
  /** An instance of a class that was never registered. */
  | 'STATE_UNREGISTERED_CLASS'
  /** An instance has an own property its type neither saves nor leaves out. */
  | 'STATE_UNLISTED_FIELD'
  /** An array with holes (never assigned indices). */
  | 'STATE_SPARSE_ARRAY'
  /** A string with a lone UTF-16 surrogate, which UTF-8 cannot carry. */
  | 'STATE_BAD_STRING'
  /** The section would exceed the format's 4 GiB body limit. */
  | 'STATE_SECTION_TOO_LARGE';

/**
 * A graph that cannot be saved. The message and {@link path} name the value
 * at fault from the root, e.g. `root.tasks.get(1).cpu.hooks`, so the class
 * that needs a registration or an `unsaved` entry is easy to find.
 */
export class StateEncodeError extends Error {
  /** Stable, machine-readable reason; see {@link StateEncodeErrorCode}. */
  readonly code: StateEncodeErrorCode;
  /** Where the value sits, from `root`; empty for errors of the whole graph. */
  readonly path: string;

  constructor(code: StateEncodeErrorCode, path: string, message: string) {
    super(path === '' ? message : `${path}: ${message}`);
    this.name = 'StateEncodeError';
    this.code = code;
    this.path = path;
  }
}

/**
 * A registration that the codec cannot honour: a name or class registered
 * twice, a field listed twice, a default for a field that is not saved. These
 * are programming errors, raised when the registry is built at start-up.
 */
export class StateRegistryError extends Error {
  /** Always the same: registrations fail for one reason, a bad declaration. */
  readonly code = 'STATE_BAD_REGISTRATION';

  constructor(message: string) {
    super(message);
    this.name = 'StateRegistryError';
  }
}
