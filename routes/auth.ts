import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from '../src/service/errors.ts';
import { OPEN_TENANT } from '../src/service/tenant-snapshots.ts';

export { OPEN_TENANT };

declare module 'fastify' {
  interface FastifyRequest {
    /** Whose jobs this request may see; set by the API key check. */
    tenant: string;
  }
}

/**
 * An onRequest hook that finds the request's tenant from its API key
 * (`Authorization: Bearer KEY` or `X-Api-Key: KEY`). With no keys
 * configured every request is the open tenant; with keys, a request without
 * a valid one is refused with 401.
 */
export function requireTenant(keys: ReadonlyMap<string, string>) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (keys.size === 0) {
      request.tenant = OPEN_TENANT;
      return;
    }
    const key = presentedKey(request);
    if (key === undefined)
      throw new AuthError('an API key is required (Authorization: Bearer KEY)');
    const tenant = keys.get(key);
    if (tenant === undefined) throw new AuthError('the API key is not valid');
    request.tenant = tenant;
  };
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}
