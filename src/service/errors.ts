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
 * another tenant's job), a state that does not allow it (409), or a feature
 * not built yet (501).
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

/** The 501 every pause request gets until snapshots can be taken. */
export function pauseUnavailable(): JobActionError {
  return new JobActionError(
    'PAUSE_UNAVAILABLE',
    501,
    'pausing a job needs snapshots, which this version of Amber cannot take yet',
  );
}
