import type { FastifyInstance } from 'fastify';

/** Health probes: /healthz answers while the process runs, /readyz when the store answers. */
export interface HealthOptions {
  /** Resolves when the store is reachable; rejects with the reason otherwise. */
  checkStore: () => Promise<void>;
}

/** Registers /healthz and /readyz. */
export async function healthRoutes(app: FastifyInstance, opts: HealthOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await opts.checkStore();
      return { status: 'ready' };
    } catch (err) {
      app.log.error({ err }, 'store is not reachable');
      return reply.code(503).send({ code: 'STORE_UNAVAILABLE', message: String(err) });
    }
  });
}
