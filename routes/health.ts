import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, noQuery } from './schemas.ts';

/** Options of {@link healthRoutes}. */
export interface HealthOptions {
  /**
   * Resolves when the instance can take jobs (the store answers, no
   * shutdown under way); rejects with the reason otherwise.
   */
  ready: () => Promise<void>;
}

/**
 * Probes: /healthz answers while the process runs (liveness), /readyz only
 * while the store answers and the instance takes jobs (readiness).
 */
export async function healthRoutes(app: FastifyInstance, opts: HealthOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        querystring: noQuery,
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' as const }),
  );
  r.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the store answers and jobs are taken',
        querystring: noQuery,
        response: { 200: z.object({ status: z.literal('ready') }), ...errors(503) },
      },
      logLevel: 'warn',
    },
    async () => {
      // A failure goes to the error handler: 503 with the store's code.
      await opts.ready();
      return { status: 'ready' as const };
    },
  );
}
