import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Worker } from 'node:worker_threads';
import { healthRoutes } from '../routes/health.ts';
import { imageRoutes } from '../routes/images.ts';
import { jobRoutes } from '../routes/jobs.ts';
import { metricsRoutes } from '../routes/metrics.ts';
import { snapshotRoutes } from '../routes/snapshots.ts';
import { ConfigError, configFromEnv, type ServiceConfig } from './service/config.ts';
import { ServiceError } from './service/errors.ts';
import { ImageService } from './service/image-service.ts';
import { BlobJobStore } from './service/job-store.ts';
import { JobService } from './service/job-service.ts';
import { ServiceMetrics } from './service/metrics.ts';
import { SnapshotService } from './service/snapshot-service.ts';
import { TenantSnapshots } from './service/tenant-snapshots.ts';
import { WorkerPool } from './service/worker-pool.ts';
import { openStore, StoreError, type BlobStore } from './store/index.ts';

/** What tests (and embedders) may substitute when building a server. */
export interface ServerDeps {
  /** The store behind job records; default: openStore(config.store). */
  store?: BlobStore;
  /** Starts a sandbox worker thread; default: spawnSandboxWorker. */
  spawnWorker?: () => Worker;
  /** Environment the S3 store reads its credentials from. */
  env?: Record<string, string | undefined>;
  /**
   * Whether snapshots in a folder store are synced to disk as they are
   * written (default true; tests on throwaway folders turn it off).
   */
  durableSnapshots?: boolean;
}

/** A built service: the fastify app and the services behind it. */
export interface AmberServer {
  app: FastifyInstance;
  jobs: JobService;
  snapshots: SnapshotService;
  images: ImageService;
  /** Stops taking jobs, pauses running ones into snapshots, closes. */
  shutdown(): Promise<void>;
}

/**
 * Builds the fastify application with its worker pool started: zod
 * validation and serialization on every route, the OpenAPI document at
 * /docs (JSON at /docs/json), errors as `{ code, message }`.
 */
export async function buildServer(
  config: ServiceConfig,
  deps: ServerDeps = {},
): Promise<AmberServer> {
  const app = Fastify({ logger: { level: config.logLevel } });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // The service: store, workers, metrics, jobs.
  const env = { ...(deps.env ?? process.env), AMBER_S3_ENDPOINT: config.s3Endpoint };
  const blobs = deps.store ?? openStore(config.store, env);
  const pool = new WorkerPool({
    size: config.workers,
    logger: app.log,
    ...(deps.spawnWorker ? { spawn: deps.spawnWorker } : {}),
  });
  const metrics = new ServiceMetrics(() => ({ queued: pool.queueLength, running: pool.running }));
  const tenantSnapshots = new TenantSnapshots(config.store, env, deps.durableSnapshots ?? true);
  const service = new JobService({
    store: new BlobJobStore(blobs, config.instanceId),
    pool,
    logger: app.log,
    metrics,
    limits: config.limits,
    instanceId: config.instanceId,
    snapshots: tenantSnapshots,
  });
  const snapshots = new SnapshotService(tenantSnapshots);
  const images = new ImageService(blobs, service, snapshots);
  snapshots.images = images;
  await pool.start();
  app.log.info(
    { workers: pool.size, store: blobs.location, instance: config.instanceId },
    'amber service ready',
  );

  // Errors and the OpenAPI document, before the routes they cover.
  installErrorHandlers(app, metrics);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Amber', version: '0.1.0', description: 'Run x86-64 Linux programs as jobs' },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // Routes, one plugin per resource.
  await app.register(healthRoutes, { ready: () => service.ready() });
  await app.register(metricsRoutes, { registry: metrics.registry });
  await app.register(jobRoutes, {
    jobs: service,
    apiKeys: config.apiKeys,
    maxUploadBytes: config.maxUploadBytes,
  });
  await app.register(snapshotRoutes, {
    jobs: service,
    snapshots,
    apiKeys: config.apiKeys,
    maxImportBytes: config.maxImportBytes,
  });
  await app.register(imageRoutes, { images, apiKeys: config.apiKeys });

  // Closing the app (tests, or after the grace on SIGTERM) ends the jobs.
  app.addHook('onClose', () => service.shutdown(0));
  return {
    app,
    jobs: service,
    snapshots,
    images,
    async shutdown() {
      await service.shutdown(config.shutdownGraceMs);
      await app.close();
    },
  };
}

/** Every error answers `{ code, message }` with its status. */
function installErrorHandlers(app: FastifyInstance, metrics: ServiceMetrics): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, code, message } = describeError(error);
    if (error instanceof StoreError && error.code !== 'STORE_NOT_FOUND') {
      metrics.storeErrors.inc({ operation: 'request' });
    }
    if (status >= 500 && status !== 501 && status !== 503) {
      request.log.error({ err: error, code }, 'request failed');
    } else {
      request.log.info({ code, status }, message);
    }
    return reply.code(status).send({ code, message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      code: 'ROUTE_NOT_FOUND',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}

function describeError(error: FastifyError): { status: number; code: string; message: string } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const lines = error.validation.map((v) => {
      const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return `${field === '' ? where : field}: ${v.message}`;
    });
    return { status: 400, code: 'INVALID_FIELD', message: lines.join('; ') };
  }
  if (error instanceof ServiceError || error instanceof StoreError) {
    return { status: error.statusCode, code: error.code, message: error.message };
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return { status, code: 'UPLOAD_TOO_LARGE', message: error.message };
  if (status === 415) return { status, code: 'UNSUPPORTED_MEDIA_TYPE', message: error.message };
  if (status >= 400 && status < 500) return { status, code: 'BAD_REQUEST', message: error.message };
  return { status: 500, code: 'INTERNAL_ERROR', message: 'internal error; see the server log' };
}

/**
 * `amber serve`: reads the configuration (a bad value ends the start with
 * exit status 2 and a message naming it), listens, and on SIGTERM or SIGINT
 * stops taking jobs, pauses every running job into a snapshot (killing what
 * has not paused within AMBER_SHUTDOWN_GRACE_MS) and exits. Resolves with
 * -1 while serving.
 */
export async function serveCommand(env: Record<string, string | undefined>): Promise<number> {
  let config: ServiceConfig;
  let store: BlobStore;
  try {
    config = configFromEnv(env);
    store = openStore(config.store, { ...env, AMBER_S3_ENDPOINT: config.s3Endpoint });
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof StoreError)) throw error;
    process.stderr.write(`amber: ${error.message}\n`);
    return 2;
  }
  const server = await buildServer(config, { store, env });
  await server.app.listen({ host: config.host, port: config.port });
  const stop = (signal: string) => {
    server.app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
    void server.shutdown().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return -1;
}
