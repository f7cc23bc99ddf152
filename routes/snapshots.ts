import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SnapshotActionError } from '../src/service/errors.ts';
import { jobSchema } from '../src/service/job.ts';
import { resumeBodySchema, stdinBytes } from '../src/service/job-input.ts';
import type { JobService } from '../src/service/job-service.ts';
import { snapshotInfoSchema, type SnapshotService } from '../src/service/snapshot-service.ts';
import { requireTenant } from './auth.ts';
import { errors, noQuery } from './schemas.ts';

/** Options of {@link snapshotRoutes}. */
export interface SnapshotRoutesOptions {
  jobs: JobService;
  snapshots: SnapshotService;
  apiKeys: ReadonlyMap<string, string>;
  /** Largest snapshot stream POST /v1/snapshots/import takes, in bytes. */
  maxImportBytes: number;
}

/** Snapshot ids as the store makes them (see src/store/manifest.ts). */
export const snapshotParams = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'not a snapshot id')
    .describe('the snapshot id'),
});

const rawStream = z
  .custom<Readable>((v) => v instanceof Readable)
  .meta({ type: 'string', format: 'binary' })
  .describe('the snapshot as one stream (application/octet-stream)');

/**
 * The snapshots resource: describe, resume (a new job on this instance),
 * delete, export as one stream and import one.
 */
export async function snapshotRoutes(
  app: FastifyInstance,
  opts: SnapshotRoutesOptions,
): Promise<void> {
  const { jobs, snapshots } = opts;
  app.addHook('onRequest', requireTenant(opts.apiKeys));
  // The import body is a stream handed to the store as it arrives.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => {
    done(null, payload);
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = opts.apiKeys.size > 0 ? [{ apiKey: [] }] : [];

  r.get(
    '/v1/snapshots/:id',
    {
      schema: {
        tags: ['snapshots'],
        summary: 'A snapshot: parent, sizes, chunks written and shared, feature set, created',
        security,
        params: snapshotParams,
        querystring: noQuery,
        response: { 200: snapshotInfoSchema, ...errors(400, 401, 404, 503) },
      },
    },
    async (request) => snapshots.info(request.tenant, request.params.id),
  );

  r.post(
    '/v1/snapshots/:id/resume',
    {
      schema: {
        tags: ['snapshots'],
        summary: 'Resume a snapshot as a new job on this instance',
        description:
          'The snapshot is not changed: it can be resumed any number of times, anywhere. ' +
          'Answers 201 with the job queued or running, or with `wait: true` once it has ' +
          'exited, paused again or failed.',
        security,
        params: snapshotParams,
        querystring: noQuery,
        body: resumeBodySchema,
        response: { 201: jobSchema, ...errors(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const job = await jobs.resume(request.tenant, request.params.id, {
        stdin: stdinBytes(body),
        closeStdin: body.closeStdin ?? false,
        ...(body.signal !== undefined ? { signal: body.signal } : {}),
        ...(body.limits ? { limits: body.limits } : {}),
        pause: body.pause ?? { whenIdle: true },
      });
      const answer = body.wait ? await jobs.waitFor(request.tenant, job.id) : job;
      return reply.code(201).send(answer);
    },
  );

  r.delete(
    '/v1/snapshots/:id',
    {
      schema: {
        tags: ['snapshots'],
        summary: 'Delete a snapshot and the chunks no other snapshot uses',
        security,
        params: snapshotParams,
        querystring: noQuery,
        response: {
          200: z.object({ id: z.string(), chunksDeleted: z.number() }),
          ...errors(400, 401, 404, 409, 503),
        },
      },
    },
    async (request) => snapshots.delete(request.tenant, request.params.id),
  );

  r.get(
    '/v1/snapshots/:id/export',
    {
      schema: {
        tags: ['snapshots'],
        summary: 'The snapshot as one stream: header, kernel state, memory',
        security,
        params: snapshotParams,
        querystring: noQuery,
        produces: ['application/octet-stream'],
        response: { 200: rawStream, ...errors(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const stream = await snapshots.export(request.tenant, request.params.id);
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="${request.params.id}.amber"`)
        .send(Readable.from(stream, { objectMode: false }));
    },
  );

  r.post(
    '/v1/snapshots/import',
    {
      schema: {
        tags: ['snapshots'],
        summary: 'Import a snapshot stream (from /export) under its own id',
        description:
          'Body: application/octet-stream. A corrupt or truncated stream is refused (422) ' +
          'and leaves no snapshot.',
        security,
        querystring: noQuery,
        consumes: ['application/octet-stream'],
        response: { 201: snapshotInfoSchema, ...errors(400, 401, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const source = request.body as AsyncIterable<Uint8Array> | undefined;
      if (source === undefined || typeof source[Symbol.asyncIterator] !== 'function') {
        throw new SnapshotActionError(
          'UNSUPPORTED_MEDIA_TYPE',
          415,
          'POST /v1/snapshots/import takes an application/octet-stream body',
        );
      }
      const info = await snapshots.import(request.tenant, source, opts.maxImportBytes);
      return reply.code(201).send(info);
    },
  );
}
