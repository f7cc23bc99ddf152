/**
 * Errors of the job service. Each has a stable `code` (listed in README.md,
 * never reused) and the HTTP status the API answers with; routes turn them
 * into `{ code, message }` bodies.
 */
export class ServiceError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: string;
  /** HTTP status the API answers with. */
  readonly statusCode: number;

  constructor(code: string, statusCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceError';
    this.code = code;
    this.statusCode = statusCode;
  }
}

/**
 * A job could not be submitted: a bad field (400, the message names it), an
 * upload over the limit (413), a program the loader refuses (422), or an
 * instance that no longer takes jobs (503).
 */
export class JobSubmitError extends ServiceError {
  constructor(code: string, statusCode: number, message: string, options?: { cause?: unknown }) {
    super(code, statusCode, message, options);
    this.name = 'JobSubmitError';
  }
}

/**
 * An operation on an existing job failed: unknown job (404, also for
 * another tenant's job), or a state that does not allow it (409: ended,
 * not started yet, or running on another instance).
 */
export class JobActionError extends ServiceError {
  constructor(code: string, statusCode: number, message: string, options?: { cause?: unknown }) {
    super(code, statusCode, message, options);
    this.name = 'JobActionError';
  }
}

/** A request without a valid API key while keys are configured (401). */
export class AuthError extends ServiceError {
  constructor(message: string) {
    super('UNAUTHORIZED', 401, message);
    this.name = 'AuthError';
  }
}

/** The 400 for one bad request field, named in `field`. */
export function invalidField(field: string, why: string): JobSubmitError {
  return new JobSubmitError('INVALID_FIELD', 400, `${field}: ${why}`);
}

/**
 * An operation on a snapshot failed: unknown snapshot (404, also for another
 * tenant's), one an image still names (409), or an import that is corrupt
 * (422), too large (413) or whose id is taken (409).
 */
export class SnapshotActionError extends ServiceError {
  constructor(code: string, statusCode: number, message: string, options?: { cause?: unknown }) {
    super(code, statusCode, message, options);
    this.name = 'SnapshotActionError';
  }
}

/** An operation on an image failed: unknown image (404). */
export class ImageActionError extends ServiceError {
  constructor(code: string, statusCode: number, message: string, options?: { cause?: unknown }) {
    super(code, statusCode, message, options);
    this.name = 'ImageActionError';
  }
}

/** The 404 for a snapshot this tenant does not have. */
export function snapshotNotFound(id: string, cause?: unknown): SnapshotActionError {
  return new SnapshotActionError('SNAPSHOT_NOT_FOUND', 404, `no snapshot ${id}`, { cause });
}
