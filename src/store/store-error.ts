/**
 * Stable codes for every way a store operation can fail. Callers (the
 * snapshot layer, `amber run --store`, the job service) match on them; a code
 * is never reused for a different problem.
 */
export type StoreErrorCode =
  /** The store could not be reached or kept failing after every retry. */
  | 'STORE_UNAVAILABLE'
  /** The object or snapshot asked for does not exist. */
  | 'STORE_NOT_FOUND'
  /** A create-only write found the name taken. */
  | 'STORE_CONFLICT'
  /** Stored bytes do not match their checksum or cannot be decoded. */
  | 'STORE_CORRUPT'
  /** The store refused our credentials or permissions. */
  | 'STORE_DENIED'
  /** The location, a key, an id or an argument is malformed, or the bucket
   *  does not exist. */
  | 'STORE_INVALID';

/** HTTP status a service answers with for each code. */
const STATUS: Record<StoreErrorCode, number> = {
  STORE_UNAVAILABLE: 503,
  STORE_NOT_FOUND: 404,
  STORE_CONFLICT: 409,
  STORE_CORRUPT: 422,
  STORE_DENIED: 502,
  STORE_INVALID: 400,
};

/**
 * A failed store operation. The message names the object and what went
 * wrong; `cause` keeps the underlying error (an SDK or file system error).
 */
export class StoreError extends Error {
  /** Stable, machine-readable reason; see {@link StoreErrorCode}. */
  readonly code: StoreErrorCode;
  /** HTTP status a service should answer with. */
  readonly statusCode: number;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.statusCode = STATUS[code];
  }
}

/** Whether `error` is a {@link StoreError} with the given code. */
export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}
