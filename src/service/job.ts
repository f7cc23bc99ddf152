import { z } from 'zod';

/** Where a job is in its life. */
export const JOB_STATUSES = ['queued', 'running', 'paused', 'exited', 'killed', 'failed'] as const;

/** One of {@link JOB_STATUSES}. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a job never leaves. */
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['exited', 'killed', 'failed']);

/** Limits a job runs under, as given by the client or defaulted. */
export const limitsSchema = z
  .object({
    maxInstructions: z.number().int().positive().optional(),
    maxWallMs: z.number().int().positive().optional(),
    maxMemoryBytes: z.number().int().positive().optional(),
    maxOutputBytes: z.number().int().nonnegative().optional(),
  })
  .strict();

/** When a job should pause itself (needs snapshots: refused for now). */
export const pauseSchema = z
  .object({
    whenIdle: z.boolean().optional(),
    afterInstructions: z.number().int().positive().optional(),
  })
  .strict();

const errorSchema = z.object({ code: z.string(), message: z.string() });

/**
 * A job as the API shows it and the store keeps it. `stdout` and `stderr`
 * are the output decoded as UTF-8 (invalid sequences become U+FFFD); the raw
 * bytes are at /v1/jobs/:id/stdout and /stderr.
 */
export const jobSchema = z
  .object({
    id: z.string(),
    status: z.enum(JOB_STATUSES),
    /** Position in this instance's queue, 1 being next; null unless queued. */
    queuePosition: z.number().int().positive().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    signal: z.number().int().nullable(),
    snapshotId: z.string().nullable(),
    stdout: z.string(),
    stderr: z.string(),
    stdoutTruncated: z.boolean(),
    stderrTruncated: z.boolean(),
    stats: z.object({
      instructions: z.number(),
      wallMs: z.number(),
      saveMs: z.number(),
      bytes: z.number(),
    }),
    unsupportedSyscalls: z.array(z.object({ nr: z.number(), name: z.string(), count: z.number() })),
    error: errorSchema.nullable(),
    limits: z.object({
      maxInstructions: z.number(),
      maxWallMs: z.number(),
      maxMemoryBytes: z.number(),
      maxOutputBytes: z.number(),
    }),
    instance: z.string(),
  })
  .meta({ id: 'Job' });

/** See {@link jobSchema}. */
export type Job = z.infer<typeof jobSchema>;

/** A job record in the store: the job plus who owns it. */
export const storedJobSchema = z.object({ tenant: z.string(), job: jobSchema });

/** See {@link storedJobSchema}. */
export type StoredJob = z.infer<typeof storedJobSchema>;
