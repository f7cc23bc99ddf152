/**
 * The state codec: a typed object-graph encoder and decoder that kernel
 * state is saved with. The lowest layer; it imports nothing else from src/.
 *
 * Each saved class is registered in a {@link TypeRegistry} under a stable
 * name with its saved fields, its deliberately unsaved ones (caches, TLBs,
 * host handles, rebuilt by `create` or `afterLoad`), and defaults for fields
 * that older snapshots lack. {@link encodeSection} writes the graph under a
 * root as one compact, versioned binary section with a SHA-256 trailer;
 * {@link decodeSection} reads it back with shared references and cycles
 * intact. Plain data (numbers, strings, booleans, null, undefined, arrays,
 * plain objects, Map, Set, ArrayBuffer and typed arrays) needs no
 * registration; anything else (functions, symbols, bigints, promises, weak
 * collections, unregistered classes) is refused with its path from the root.
 *
 * Decoding trusts nothing: every length, count, index, tag and string is
 * checked against the bytes before use, and any fault is a StateDecodeError
 * with a stable code. No code is ever evaluated; the only code that runs is
 * what the registry names (create, afterLoad, default factories).
 *
 * Everything here is synchronous: no function awaits, so async steps touch
 * none of this layer's state and there is no lock order to state. A graph
 * must not change while encodeSection runs; being synchronous, it cannot
 * unless a registered getter changes it.
 */
export { decodeSection, encodeSection, sectionLength } from './section.ts';
export { StateDecodeError, StateEncodeError, StateRegistryError } from './state-error.ts';
export type { StateDecodeErrorCode, StateEncodeErrorCode } from './state-error.ts';
export { TypeRegistry } from './type-registry.ts';
export type { FieldDefault, RegisteredType, TypeOptions } from './type-registry.ts';
export { SECTION_HEADER_SIZE, STATE_FORMAT_VERSION } from './wire.ts';
