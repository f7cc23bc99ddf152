import { z } from 'zod';
import type { GuestLimits } from '../sandbox/worker-protocol.ts';

/** Where a job is in its life. */
export const JOB_STATUSES = ['queued', 'running', 'paused', 'exited', 'killed', 'failed'] as const;

/** One of {@link JOB_STATUSES}. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Statuses a job never leaves. A paused job is one of them: resuming its
 * snapshot makes a new job.
 */
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set([
  'paused',
  'exited',
  'killed',
  'failed',
]);

/** Limits a job runs under, as given by the client or defaulted. */
export const limitsSchema = z
  .object({
    maxInstructions: z.number().int().positive().optional(),
    maxWallMs: z.number().int().positive().optional(),
    maxMemoryBytes: z.number().int().positive().optional(),
    maxOutputBytes: z.number().int().nonnegative().optional(),
  })
  .strict();

/** When a job should pause itself and be saved as a snapshot. */
export const pauseSchema = z
  .object({
    whenIdle: z
      .boolean()
      .optional()
      .describe('pause once every task waits for something only the outside can give'),
    afterInstructions: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('pause after this many instructions (a budget; maxInstructions still kills)'),
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
    snapshotId: z.string().nullable().describe('the snapshot a paused job was saved as'),
    pausedFor: z
      .enum(['idle', 'instructions', 'request'])
      .nullable()
      .default(null)
      .describe('why a paused job paused'),
    resumedFrom: z
      .string()
      .nullable()
      .default(null)
      .describe('the snapshot this job was resumed from, null for a boot'),
    stdout: z.string(),
    stderr: z.string(),
    stdoutTruncated: z.boolean(),
    stderrTruncated: z.boolean(),
    stats: z.object({
      instructions: z.number().describe('instructions this job retired'),
      wallMs: z.number().describe('wall time the guest ran'),
      loadMs: z.number().default(0).describe('time to boot the program or load the snapshot'),
      startMs: z
        .number()
        .default(0)
        .describe('from acceptance to the first guest instruction (queue, boot or load)'),
      saveMs: z.number().describe('time to save the snapshot of a paused job'),
      bytes: z.number().describe('bytes that save wrote to the store'),
      chunksWritten: z.number().default(0).describe('chunks that save wrote'),
      chunksShared: z.number().default(0).describe('chunks it shared with earlier snapshots'),
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

/** A new job's record, queued. */
export function newJob(
  id: string,
  limits: GuestLimits,
  instance: string,
  resumedFrom: string | null,
): Job {
  return {
    id,
    status: 'queued',
    queuePosition: null,
    createdAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    signal: null,
    snapshotId: null,
    pausedFor: null,
    resumedFrom,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    stats: {
      instructions: 0,
      wallMs: 0,
      loadMs: 0,
      startMs: 0,
      saveMs: 0,
      bytes: 0,
      chunksWritten: 0,
      chunksShared: 0,
    },
    unsupportedSyscalls: [],
    error: null,
    limits,
    instance,
  };
}
