import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jobSchema } from '../src/service/job.ts';
import { submitFormSchema } from '../src/service/job-input.ts';
import type { JobService } from '../src/service/job-service.ts';
import { requireTenant } from './auth.ts';
import { jobFormLimits, readJobForm } from './job-form.ts';
import { errors, noQuery } from './schemas.ts';

/** Options of {@link jobRoutes}. */
export interface JobRoutesOptions {
  jobs: JobService;
  /** API key to tenant; empty for an open service. */
  apiKeys: ReadonlyMap<string, string>;
  maxUploadBytes: number;
}

const jobParams = z.object({
  id: z.uuid().describe('the job id'),
});

const rawOutput = z
  .custom<Buffer>((v) => Buffer.isBuffer(v))
  .meta({ type: 'string', format: 'binary' })
  .describe('the raw bytes (application/octet-stream)');

/** The jobs resource: submit, look at, read output of, pause and kill jobs. */
export async function jobRoutes(app: FastifyInstance, opts: JobRoutesOptions): Promise<void> {
  const { jobs } = opts;
  await app.register(multipart, {
    limits: jobFormLimits(opts.maxUploadBytes),
    throwFileSizeLimit: false,
  });
  app.addHook('onRequest', requireTenant(opts.apiKeys));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = opts.apiKeys.size > 0 ? [{ apiKey: [] }] : [];

  r.post(
    '/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Submit a program to run',
        description:
          'Multipart form. Answers 201 with the job queued or running, or with `wait=true` ' +
          'once it has exited, paused (with `pause`: saved as the snapshot `snapshotId`) or ' +
          'failed.',
        consumes: ['multipart/form-data'],
        security,
        querystring: noQuery,
        body: submitFormSchema,
        response: { 201: jobSchema, ...errors(400, 401, 413, 415, 422, 503) },
      },
      preValidation: readJobForm(opts.maxUploadBytes),
    },
    async (request, reply) => {
      const job = await jobs.submit(request.tenant, request.body, request.programName);
      const answer = request.body.wait ? await jobs.waitFor(request.tenant, job.id) : job;
      return reply.code(201).send(answer);
    },
  );

  r.get(
    '/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'A job: status, exit, output as text, statistics',
        security,
        params: jobParams,
        querystring: noQuery,
        response: { 200: jobSchema, ...errors(400, 401, 404, 503) },
      },
    },
    async (request) => jobs.get(request.tenant, request.params.id),
  );

  for (const stream of ['stdout', 'stderr'] as const) {
    r.get(
      `/v1/jobs/:id/${stream}`,
      {
        schema: {
          tags: ['jobs'],
          summary: `The job's ${stream}, raw bytes (so far, while it runs)`,
          security,
          params: jobParams,
          querystring: noQuery,
          produces: ['application/octet-stream'],
          response: { 200: rawOutput, ...errors(400, 401, 404, 503) },
        },
      },
      async (request, reply) => {
        const bytes = await jobs.output(request.tenant, request.params.id, stream);
        return reply.type('application/octet-stream').send(Buffer.from(bytes));
      },
    );
  }

  r.post(
    '/v1/jobs/:id/pause',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Pause a running job now; answers with it paused, saved as `snapshotId`',
        description:
          'Only the instance running the job can pause it (409 JOB_ON_OTHER_INSTANCE ' +
          'elsewhere); a queued job has nothing to save yet (409 JOB_NOT_STARTED).',
        security,
        params: jobParams,
        querystring: noQuery,
        response: { 200: jobSchema, ...errors(400, 401, 404, 409, 503) },
      },
    },
    async (request) => jobs.pause(request.tenant, request.params.id),
  );

  r.delete(
    '/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Kill a queued or running job; answers with it ended',
        security,
        params: jobParams,
        querystring: noQuery,
        response: { 200: jobSchema, ...errors(400, 401, 404, 409, 503) },
      },
    },
    async (request) => jobs.kill(request.tenant, request.params.id),
  );
}
