import { z } from 'zod';
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
      .describe('JSON: whenIdle, afterInstructions (not available yet: 501)'),
    wait: booleanField.optional().describe('answer once the job has ended (default false)'),
  })
  .strict();

/** A validated job submission. */
export type SubmitForm = z.output<typeof submitFormSchema>;
