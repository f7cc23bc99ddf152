import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { z } from 'zod';
import type { GuestLimits } from '../sandbox/worker-protocol.ts';

/** Settings of one Amber service instance, read once at start. */
export interface ServiceConfig {
  host: string;
  port: number;
  /** A folder path or `s3://bucket/prefix`. */
  store: string;
  /** Endpoint of an S3-compatible server, when not AWS itself. */
  s3Endpoint: string | undefined;
  /** Largest file part (`binary`, `stdin`) a job upload may carry, in bytes. */
  maxUploadBytes: number;
  /** Largest snapshot stream POST /v1/snapshots/import takes, in bytes. */
  maxImportBytes: number;
  /** Limits a job gets when it names none; also the most it may ask for. */
  limits: GuestLimits;
  /** API key to tenant; empty when the service is open. */
  apiKeys: Map<string, string>;
  /** Sandbox worker threads, each running one guest at a time. */
  workers: number;
  /** On SIGTERM, how long running jobs may take to pause and save before they are killed. */
  shutdownGraceMs: number;
  /** Names this instance in job records and logs. */
  instanceId: string;
  logLevel: string;
}

/** The configuration could not be read; the message names the variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const MIB = 1024 * 1024;
const TENANT = /^[A-Za-z0-9_-]{1,64}$/;

const count = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);

/**
 * The `key1:tenantA,key2:tenantB` format of AMBER_API_KEYS. A key is at least
 * 16 characters so that a typo does not make a guessable key; tenant names
 * become part of store keys, hence the narrow alphabet.
 */
const apiKeys = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const keys = new Map<string, string>();
    for (const entry of text.split(',').map((e) => e.trim())) {
      if (entry === '') continue;
      const colon = entry.lastIndexOf(':');
      const key = entry.slice(0, colon);
      const tenant = entry.slice(colon + 1);
      if (colon <= 0 || key.length < 16 || !TENANT.test(tenant)) {
        ctx.addIssue({
          code: 'custom',
          message:
            'each entry must be KEY:TENANT, the key at least 16 characters, the tenant of A-Z ' +
            'a-z 0-9 _ -',
        });
        return z.NEVER;
      }
      keys.set(key, tenant);
    }
    return keys;
  });

const storeLocation = z
  .string()
  .min(1)
  .default('./data')
  .refine(
    (s) => !s.startsWith('s3://') || /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(s),
    {
      message: 'must be a folder or s3://bucket/prefix with a valid bucket name',
    },
  );

const envSchema = z.object({
  PORT: count(0, 65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  AMBER_STORE: storeLocation,
  AMBER_S3_ENDPOINT: z.url().optional(),
  AMBER_MAX_UPLOAD_BYTES: count(1).default(64 * MIB),
  AMBER_MAX_IMPORT_BYTES: count(1).default(4096 * MIB),
  AMBER_MAX_INSTRUCTIONS: count(1).default(10_000_000_000),
  AMBER_MAX_WALL_MS: count(1).default(60_000),
  AMBER_MAX_MEMORY_BYTES: count(MIB, 2 ** 32).default(1024 * MIB),
  AMBER_MAX_OUTPUT_BYTES: count(0).default(MIB),
  AMBER_API_KEYS: apiKeys,
  AMBER_WORKERS: count(1, 1024).optional(),
  AMBER_SHUTDOWN_GRACE_MS: count(0).default(30_000),
  AMBER_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/)
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * Reads and checks the service configuration from environment variables.
 * Throws a ConfigError naming every variable that is wrong and why.
 */
export function configFromEnv(env: Record<string, string | undefined>): ServiceConfig {
  // Empty variables count as unset, as shells and compose files often
  // produce them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    store: e.AMBER_STORE,
    s3Endpoint: e.AMBER_S3_ENDPOINT,
    maxUploadBytes: e.AMBER_MAX_UPLOAD_BYTES,
    maxImportBytes: e.AMBER_MAX_IMPORT_BYTES,
    limits: {
      maxInstructions: e.AMBER_MAX_INSTRUCTIONS,
      maxWallMs: e.AMBER_MAX_WALL_MS,
      maxMemoryBytes: e.AMBER_MAX_MEMORY_BYTES,
      maxOutputBytes: e.AMBER_MAX_OUTPUT_BYTES,
    },
    apiKeys: e.AMBER_API_KEYS,
    workers: e.AMBER_WORKERS ?? availableParallelism(),
    shutdownGraceMs: e.AMBER_SHUTDOWN_GRACE_MS,
    instanceId: e.AMBER_INSTANCE_ID ?? `${hostname()}-${randomBytes(3).toString('hex')}`,
    logLevel: e.LOG_LEVEL,
  };
}
