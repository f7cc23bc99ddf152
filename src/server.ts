import { mkdir, access, constants } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { healthRoutes } from '../routes/health.ts';

/** Settings the HTTP service starts with. */
export interface ServerConfig {
  host: string;
  port: number;
  /** A local folder (the embedded default) that holds jobs and snapshots. */
  store: string;
}

/** Reads the configuration from the environment, with embedded defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
  const port = Number(env.PORT ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, not ${JSON.stringify(env.PORT)}`);
  }
  return { host: env.HOST ?? '127.0.0.1', port, store: env.AMBER_STORE ?? './data' };
}

/**
 * Builds the fastify application.
 * TODO: the job, snapshot and image APIs are not built yet; the service
 * answers only its health probes.
 */
export async function buildServer(config: ServerConfig): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info' } });
  await mkdir(config.store, { recursive: true });
  await app.register(healthRoutes, {
    checkStore: () => access(config.store, constants.W_OK),
  });
  return app;
}
