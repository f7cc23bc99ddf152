import { z } from 'zod';

/** The body of every error answer: a stable code and a message for people. */
export const errorSchema = z
  .object({
    code: z.string().describe('stable, machine-readable; listed in README.md'),
    message: z.string(),
  })
  .meta({ id: 'Error' });

/** Error answers a route may give, by status, for its response schema. */
export function errors(...statuses: number[]): Record<number, typeof errorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorSchema]));
}

/** A route without query parameters still declares (and strips) them. */
export const noQuery = z.object({});
