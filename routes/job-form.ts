import type { FastifyRequest } from 'fastify';
import { invalidField, JobSubmitError } from '../src/service/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The filename of the `binary` part: the program's argv[0]. */
    programName?: string;
  }
}

const FILE_PARTS = new Set(['binary', 'stdin']);

/**
 * A preValidation hook for POST /v1/jobs: reads the multipart form as a
 * stream into `request.body` (file parts as Buffers, fields as text), so
 * that the route's zod schema then validates it like any body. Nothing is
 * stored while reading: a form refused here or by the schema leaves nothing
 * behind.
 *
 * @fastify/multipart's streaming API does not fail when a part passes its
 * size limit; it cuts the part short and sets `truncated`. So each part is
 * checked after it is read, and a cut one is a 413.
 */
export function readJobForm(maxUploadBytes: number) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!request.isMultipart()) {
      throw new JobSubmitError(
        'UNSUPPORTED_MEDIA_TYPE',
        415,
        'POST /v1/jobs takes multipart/form-data with a file part "binary"',
      );
    }
    const form: Record<string, Buffer | string> = {};
    for await (const part of request.parts()) {
      if (part.fieldname in form) throw invalidField(part.fieldname, 'given more than once');
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        if (part.file.truncated) throw tooLarge(part.fieldname, maxUploadBytes);
        form[part.fieldname] = Buffer.concat(chunks);
        if (part.fieldname === 'binary') request.programName = part.filename;
      } else {
        if (part.valueTruncated) throw tooLarge(part.fieldname, FIELD_MAX_BYTES);
        if (FILE_PARTS.has(part.fieldname)) {
          throw invalidField(part.fieldname, 'must be a file part (with a filename)');
        }
        form[part.fieldname] = String(part.value);
      }
    }
    request.body = form;
  };
}

/** Largest non-file field (args, env...), in bytes. */
export const FIELD_MAX_BYTES = 1024 * 1024;

/** Limits @fastify/multipart enforces on a job form. */
export function jobFormLimits(maxUploadBytes: number) {
  return {
    fileSize: maxUploadBytes,
    files: 2,
    fields: 10,
    parts: 12,
    fieldSize: FIELD_MAX_BYTES,
  };
}

function tooLarge(field: string, limit: number): JobSubmitError {
  return new JobSubmitError('UPLOAD_TOO_LARGE', 413, `${field}: larger than ${limit} bytes`);
}
