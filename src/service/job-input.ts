import { z } from 'zod';
import { parseSignal } from '../linux/signal.ts';
import { ElfError, parseElf } from '../loader/index.ts';
import type { PauseRule } from '../sandbox/worker-protocol.ts';
import { invalidField, JobSubmitError } from './errors.ts';
import { limitsSchema, pauseSchema } from './job.ts';

/**
 * What a client sends to create a job, as the multipart form of
 * POST /v1/jobs carries it: file parts arrive as Buffers, other fields as
 * text, JSON fields parsed and checked here. The route validates the form
 * against {@link submitFormSchema}, so a bad field is a 400 that names it.
 */

/** An uploaded file part. */
export const filePartSchema = z
  .custom<Buffer>((v) => Buffer.isBuffer(v), { message: 'must be a file part' })
  .meta({ type: 'string', format: 'binary' });

/** A text field holding JSON that must match `schema`. */
function jsonField<T extends z.ZodType>(schema: T, example: string) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON, for example ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** A text field holding `true` or `false`. */
const booleanField = z.enum(['true', 'false']).transform((v) => v === 'true');

// eslint-disable-next-line no-control-regex
const noNul = (s: string) => !/\x00/.test(s);

/** The multipart form of POST /v1/jobs, after validation. */
export const submitFormSchema = z
  .object({
    binary: filePartSchema.describe('the static x86-64 ELF program'),
    stdin: filePartSchema.optional().describe('bytes fed to standard input'),
    args: jsonField(z.array(z.string().refine(noNul, 'must not contain NUL')), '["-v","file"]')
      .optional()
      .describe('JSON array of arguments after argv[0]'),
    env: jsonField(
      z.record(
        // eslint-disable-next-line no-control-regex
        z.string().regex(/^[^=\x00]+$/, 'names must not be empty or hold "=" or NUL'),
        z.string().refine(noNul, 'must not contain NUL'),
      ),
      '{"LANG":"C"}',
    )
      .optional()
      .describe('JSON object of environment variables'),
    closeStdin: booleanField.optional().describe('end standard input after `stdin` (default true)'),
    limits: jsonField(limitsSchema, '{"maxInstructions":1000000}')
      .optional()
      .describe('JSON: maxInstructions, maxWallMs, maxMemoryBytes, maxOutputBytes'),
    pause: jsonField(pauseSchema, '{"whenIdle":true}')
      .optional()
      .describe('JSON: whenIdle, afterInstructions; a paused job is saved as a snapshot'),
    wait: booleanField.optional().describe('answer once the job has ended (default false)'),
  })
  .strict();

/** A validated job submission. */
export type SubmitForm = z.output<typeof submitFormSchema>;

/** Input for a guest that continues: text, or bytes in base64. */
const stdinFields = {
  stdin: z
    .string()
    .optional()
    .describe('bytes appended to standard input: text, or base64 with stdinEncoding'),
  stdinEncoding: z
    .enum(['text', 'base64'])
    .optional()
    .describe('how `stdin` is written (default text, sent as UTF-8)'),
};

/** A signal by number (1 to 64) or name (`SIGTERM`, `TERM`). */
const signalField = z
  .union([z.number().int().min(1).max(64), z.string().regex(/^(SIG)?[A-Z0-9+-]{2,12}$/i)])
  .optional()
  .describe('a signal delivered before the guest continues, by number or name');

/** The JSON body of POST /v1/snapshots/:id/resume. */
export const resumeBodySchema = z
  .object({
    ...stdinFields,
    closeStdin: z.boolean().optional().describe('end standard input after `stdin` (default false)'),
    signal: signalField,
    limits: limitsSchema.optional(),
    pause: pauseSchema
      .optional()
      .describe('when the new job pauses again (default: whenIdle, as nothing else could wake it)'),
    wait: z
      .boolean()
      .optional()
      .describe('answer once the job has ended or paused (default false)'),
  })
  .strict();

/** A validated resume request. */
export type ResumeBody = z.output<typeof resumeBodySchema>;

/** The JSON body of POST /v1/images/:name/invoke. */
export const invokeBodySchema = z
  .object({
    ...stdinFields,
    closeStdin: z.boolean().optional().describe('end standard input after `stdin` (default true)'),
    limits: limitsSchema.optional(),
  })
  .strict();

/** A validated invocation. */
export type InvokeBody = z.output<typeof invokeBodySchema>;

/** The bytes of a `stdin` field in its encoding. */
export function stdinBytes(body: { stdin?: string; stdinEncoding?: 'text' | 'base64' }): Buffer {
  if (body.stdin === undefined) return Buffer.alloc(0);
  if (body.stdinEncoding !== 'base64') return Buffer.from(body.stdin, 'utf8');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.stdin) || body.stdin.length % 4 === 1) {
    throw invalidField('stdin', 'is not base64');
  }
  return Buffer.from(body.stdin, 'base64');
}

/** Refuses, with the loader's code and reason, a program it cannot load. */
export function checkProgram(bytes: Uint8Array): void {
  try {
    parseElf(bytes);
  } catch (error) {
    if (error instanceof ElfError) {
      throw new JobSubmitError(error.code, 422, `binary: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** The program's argv[0]: the upload's base name when it is a plain one. */
export function argv0(name: string | undefined): string {
  const base = name?.split('/').pop() ?? '';
  return /^[A-Za-z0-9._+-]{1,64}$/.test(base) && !base.startsWith('.') ? base : 'program';
}

/** Refuses an instruction budget that is not a budget. */
export function checkPause(pause: PauseRule): void {
  if (pause.afterInstructions !== undefined && !(pause.afterInstructions > 0)) {
    throw invalidField('pause.afterInstructions', 'must be positive');
  }
}

/** A signal given by number or name, as a number (0 for none). */
export function signalNumber(signal: number | string | undefined): number {
  if (signal === undefined) return 0;
  const n = parseSignal(String(signal));
  if (n === 0) throw invalidField('signal', `${JSON.stringify(signal)} is not a signal`);
  return n;
}
