import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { noQuery } from './schemas.ts';

/** Options of {@link metricsRoutes}. */
export interface MetricsOptions {
  registry: Registry;
}

/** GET /metrics: the Prometheus text exposition of the service's metrics. */
export async function metricsRoutes(app: FastifyInstance, opts: MetricsOptions): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics',
        querystring: noQuery,
        response: { 200: z.string().describe('Prometheus text format') },
      },
      logLevel: 'warn',
    },
    async (_req, reply) => {
      const text = await opts.registry.metrics();
      return reply.type(opts.registry.contentType).send(text);
    },
  );
}
