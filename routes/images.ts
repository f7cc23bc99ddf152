import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IMAGE_NAME, imageSchema, type ImageService } from '../src/service/image-service.ts';
import { jobSchema } from '../src/service/job.ts';
import { invokeBodySchema } from '../src/service/job-input.ts';
import { requireTenant } from './auth.ts';
import { errors, noQuery } from './schemas.ts';

/** Options of {@link imageRoutes}. */
export interface ImageRoutesOptions {
  images: ImageService;
  apiKeys: ReadonlyMap<string, string>;
}

const imageParams = z.object({
  name: z
    .string()
    .regex(IMAGE_NAME, 'use 1 to 63 of a-z, 0-9, ".", "_", "-", starting with a letter or digit')
    .describe('the image name'),
});

/**
 * The images resource: name a snapshot, list, look at and delete names,
 * and invoke an image (resume its snapshot with a request as input).
 */
export async function imageRoutes(app: FastifyInstance, opts: ImageRoutesOptions): Promise<void> {
  const { images } = opts;
  app.addHook('onRequest', requireTenant(opts.apiKeys));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = opts.apiKeys.size > 0 ? [{ apiKey: [] }] : [];

  r.put(
    '/v1/images/:name',
    {
      schema: {
        tags: ['images'],
        summary: 'Name a snapshot as an image (create, or repoint an existing name)',
        security,
        params: imageParams,
        querystring: noQuery,
        body: z.object({ snapshotId: z.string().min(1) }).strict(),
        response: { 200: imageSchema, 201: imageSchema, ...errors(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const { tenant, params, body } = request;
      const { image, created } = await images.put(tenant, params.name, body.snapshotId);
      return reply.code(created ? 201 : 200).send(image);
    },
  );

  r.get(
    '/v1/images',
    {
      schema: {
        tags: ['images'],
        summary: "The tenant's images",
        security,
        querystring: noQuery,
        response: { 200: z.object({ images: z.array(imageSchema) }), ...errors(401, 503) },
      },
    },
    async (request) => ({ images: await images.list(request.tenant) }),
  );

  r.get(
    '/v1/images/:name',
    {
      schema: {
        tags: ['images'],
        summary: 'An image',
        security,
        params: imageParams,
        querystring: noQuery,
        response: { 200: imageSchema, ...errors(400, 401, 404, 503) },
      },
    },
    async (request) => images.get(request.tenant, request.params.name),
  );

  r.delete(
    '/v1/images/:name',
    {
      schema: {
        tags: ['images'],
        summary: 'Delete an image; its snapshot stays',
        security,
        params: imageParams,
        querystring: noQuery,
        response: { 200: imageSchema, ...errors(400, 401, 404, 503) },
      },
    },
    async (request) => images.delete(request.tenant, request.params.name),
  );

  r.post(
    '/v1/images/:name/invoke',
    {
      schema: {
        tags: ['images'],
        summary: "Resume the image's snapshot with a request; answer with the job",
        description:
          'Feeds `stdin` to the restored program (closing standard input after it unless ' +
          '`closeStdin` is false) and answers once the job exits, pauses again or fails. ' +
          'Its `stdout` holds what the program wrote since the restore. The image is not ' +
          'changed: invocations may run at once, on any instance.',
        security,
        params: imageParams,
        querystring: noQuery,
        body: invokeBodySchema.optional(),
        response: { 200: jobSchema, ...errors(400, 401, 404, 503) },
      },
    },
    async (request) => images.invoke(request.tenant, request.params.name, request.body ?? {}),
  );
}
