import { StoreError } from './store-error.ts';

/** Error names an S3-compatible server or the SDK gives a passing failure. */
const TRANSIENT_NAMES = new Set([
  'InternalError',
  'ServiceUnavailable',
  'SlowDown',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'ThrottlingException',
  'TimeoutError',
  'AbortError',
  'ConditionalRequestConflict',
]);

/** Host network errors worth another attempt. */
const TRANSIENT_ERRNOS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

/** The HTTP status of an SDK error, when the server answered at all. */
export function statusOf(error: unknown): number | undefined {
  const e = error as SdkErrorShape;
  return e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
}

/** Whether another attempt at the same request may succeed. */
export function isTransient(error: unknown): boolean {
  const e = error as SdkErrorShape;
  if (typeof e !== 'object' || e === null) return false;
  // ConditionalRequestConflict is a 409 that S3 asks callers to retry.
  if (e.name !== undefined && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code !== undefined && TRANSIENT_ERRNOS.has(e.code)) return true;
  const status = statusOf(error);
  if (status !== undefined) return status >= 500 || status === 429 || status === 408;
  // No status: the request never got an answer (reset, hang-up, refused).
  return /socket hang up|ECONNRESET|EPIPE|aborted|timed? ?out/i.test(e.message ?? '');
}

/**
 * Turns an SDK error into a StoreError. `what` names the request, e.g.
 * "GET s3://bucket/prefix/key".
 */
export function toStoreError(error: unknown, what: string, attempts: number): StoreError {
  if (error instanceof StoreError) return error;
  const e = error as SdkErrorShape;
  const name = e?.name ?? 'Error';
  const status = statusOf(error);
  const http = status === undefined ? '' : ` (HTTP ${status})`;
  const detail = `${name}${http}: ${e?.message ?? String(error)}`;
  if (name === 'NoSuchBucket') {
    return new StoreError('STORE_INVALID', `${what}: the bucket does not exist`, { cause: error });
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return new StoreError('STORE_NOT_FOUND', `${what}: no such object`, { cause: error });
  }
  if (name === 'PreconditionFailed' || status === 412 || status === 409) {
    return new StoreError('STORE_CONFLICT', `${what}: the object already exists`, {
      cause: error,
    });
  }
  if (status === 401 || status === 403) {
    return new StoreError('STORE_DENIED', `${what}: access denied, ${detail}`, { cause: error });
  }
  if (isTransient(error)) {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    return new StoreError('STORE_UNAVAILABLE', `${what} failed after ${tries}: ${detail}`, {
      cause: error,
    });
  }
  return new StoreError('STORE_UNAVAILABLE', `${what} failed: ${detail}`, { cause: error });
}
