import http from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/*
 * A small HTTP proxy in front of s3rver that makes true what our S3 store
 * relies on and s3rver gets wrong, and injects failures for tests:
 *
 * - PUT honours If-None-Match: * and If-Match (s3rver ignores both); all
 *   writes to one key are serialised so the check and the write are atomic;
 * - GET with a suffix range (bytes=-N) returns the last N bytes;
 * - any access key is accepted (s3rver knows only its own);
 * - a fault plan fails requests from the Nth on: refused with 503, hung up
 *   on, stalled, or carried out with the reply lost.
 *
 * Control requests live under /_amber/ (no bucket name can start with '_'):
 *   POST /_amber/faults {"after":N,"mode":M,"times":T}  arm a fault plan
 *   DELETE /_amber/faults                               disarm it
 *   GET /_amber/stats                                   {"requests":N}
 */

/** How a failed request fails. */
export type FaultMode = 'refuse' | 'hangup' | 'stall' | 'lost-reply';

/** Fail `times` requests (default: all) once `after` more have passed. */
export interface FaultPlan {
  after: number;
  mode: FaultMode;
  times?: number;
}

interface ArmedPlan {
  failFrom: number;
  mode: FaultMode;
  remaining: number;
}

const FAULT_MODES: FaultMode[] = ['refuse', 'hangup', 'stall', 'lost-reply'];

/** Lets s3rver accept an access key it has never seen. */
function acceptAccessKey(req: http.IncomingMessage): void {
  const auth = req.headers.authorization ?? '';
  const query = new URL(req.url ?? '/', 'http://x').searchParams;
  const key =
    /Credential=([^/,\s]+)/.exec(auth)?.[1] ??
    /^AWS ([^:\s]+):/.exec(auth)?.[1] ??
    query.get('X-Amz-Credential')?.split('/')[0] ??
    query.get('AWSAccessKeyId') ??
    undefined;
  if (!key) return;
  const require = createRequire(import.meta.url);
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  // s3rver does not check version 4 signatures, only that the key exists.
  DUMMY_ACCOUNT.createKeyPair(key, key);
}

function s3Error(res: http.ServerResponse, status: number, code: string, message: string): void {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': body.length });
  res.end(body);
}

/** The proxy; `upstream` is s3rver's port on 127.0.0.1. */
export class S3Front {
  /** Requests seen (control requests excluded). */
  requests = 0;
  private plan: ArmedPlan | undefined;
  private readonly locks = new Map<string, Promise<void>>();
  private readonly stalled = new Set<Socket>();
  readonly server: http.Server;

  constructor(private readonly upstream: number) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) s3Error(res, 500, 'InternalError', String(error));
        else res.destroy();
      });
    });
  }

  /** Arms a fault plan, counting from now. */
  arm(plan: FaultPlan): void {
    if (!FAULT_MODES.includes(plan.mode)) throw new Error(`unknown fault mode ${plan.mode}`);
    const remaining = plan.times ?? Number.POSITIVE_INFINITY;
    this.plan = { failFrom: this.requests + plan.after + 1, mode: plan.mode, remaining };
  }

  /** Disarms the plan and hangs up on stalled requests. */
  disarm(): void {
    this.plan = undefined;
    for (const socket of this.stalled) socket.destroy();
    this.stalled.clear();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/_amber/')) return this.control(req, res, url.pathname);
    acceptAccessKey(req);
    const n = ++this.requests;
    const plan = this.plan;
    let loseReply = false;
    if (plan && n >= plan.failFrom && plan.remaining > 0) {
      plan.remaining--;
      if (plan.mode === 'refuse') {
        req.resume();
        return s3Error(res, 503, 'ServiceUnavailable', `fault injected at request ${n}`);
      }
      if (plan.mode === 'hangup') return void req.socket.destroy();
      if (plan.mode === 'stall') return void this.stalled.add(req.socket);
      loseReply = true;
    }
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const isObject = segments.length >= 2;
    if (isObject && (req.method === 'PUT' || req.method === 'DELETE')) {
      await this.serialised(url.pathname, () => this.write(req, res, url, loseReply));
    } else if (isObject && req.method === 'GET' && /^bytes=-\d+$/.test(req.headers.range ?? '')) {
      await this.suffixRange(req, res, url, loseReply);
    } else {
      await this.forward(req, res, loseReply);
    }
  }

  /** A PUT or DELETE, with the preconditions s3rver ignores checked first. */
  private async write(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    loseReply: boolean,
  ): Promise<void> {
    const ifNoneMatch = req.headers['if-none-match'];
    const ifMatch = req.headers['if-match'];
    delete req.headers['if-none-match'];
    delete req.headers['if-match'];
    if (req.method === 'PUT' && (ifNoneMatch !== undefined || ifMatch !== undefined)) {
      const current = await this.head(req, url.pathname);
      const etag = current.etag?.replace(/"/g, '');
      if (ifNoneMatch !== undefined && current.exists) {
        req.resume();
        return s3Error(
          res,
          412,
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
        );
      }
      if (ifMatch !== undefined && !current.exists) {
        req.resume();
        return s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      }
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch.replace(/"/g, '') !== etag) {
        req.resume();
        return s3Error(
          res,
          412,
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
        );
      }
    }
    await this.forward(req, res, loseReply);
  }

  /** A GET of the last N bytes, asked of s3rver as an explicit range. */
  private async suffixRange(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    loseReply: boolean,
  ): Promise<void> {
    const current = await this.head(req, url.pathname);
    if (!current.exists) return s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    const want = Number((req.headers.range ?? '').slice('bytes=-'.length));
    if (want === 0 || current.size === 0) {
      return s3Error(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
    }
    req.headers.range = `bytes=${Math.max(0, current.size - want)}-${current.size - 1}`;
    await this.forward(req, res, loseReply);
  }

  /** Passes a request to s3rver and its answer back (or loses the answer). */
  private forward(req: http.IncomingMessage, res: http.ServerResponse, loseReply: boolean) {
    const headers = { ...req.headers };
    // Node already answered 100-continue to the client; s3rver needs no wait.
    delete headers.expect;
    return new Promise<void>((resolve, reject) => {
      const up = http.request(
        { host: '127.0.0.1', port: this.upstream, method: req.method, path: req.url, headers },
        (answer) => {
          if (loseReply) {
            answer.resume();
            answer.on('end', () => {
              req.socket.destroy();
              resolve();
            });
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', resolve);
          answer.on('error', reject);
        },
      );
      up.on('error', reject);
      req.pipe(up);
    });
  }

  /** Whether the object exists upstream, with its ETag and size. */
  private head(req: http.IncomingMessage, path: string) {
    const headers = { ...req.headers };
    for (const name of ['content-length', 'content-type', 'expect', 'range', 'content-md5']) {
      delete headers[name];
    }
    return new Promise<{ exists: boolean; etag?: string; size: number }>((resolve, reject) => {
      const up = http.request(
        { host: '127.0.0.1', port: this.upstream, method: 'HEAD', path, headers },
        (answer) => {
          answer.resume();
          const exists = answer.statusCode === 200;
          const size = Number(answer.headers['content-length'] ?? 0);
          resolve({ exists, etag: answer.headers.etag, size });
        },
      );
      up.on('error', reject);
      up.end();
    });
  }

  /** Runs `work` after every earlier write to the same key has finished. */
  private async serialised(key: string, work: () => Promise<void>): Promise<void> {
    const before = this.locks.get(key) ?? Promise.resolve();
    const mine = before.then(work, work);
    const tail = mine.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      await mine;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  private async control(req: http.IncomingMessage, res: http.ServerResponse, path: string) {
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (part: string) => (text += part));
      req.on('end', () => resolve(text));
    });
    const reply = (status: number, value: unknown): void => {
      const json = JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(json);
    };
    if (path === '/_amber/stats' && req.method === 'GET')
      return reply(200, { requests: this.requests });
    if (path === '/_amber/faults' && req.method === 'DELETE') {
      this.disarm();
      return reply(200, { ok: true });
    }
    if (path === '/_amber/faults' && req.method === 'POST') {
      try {
        this.arm(JSON.parse(body) as FaultPlan);
        return reply(200, { ok: true, requests: this.requests });
      } catch (error) {
        return reply(400, { error: String(error) });
      }
    }
    reply(404, { error: `no control endpoint ${req.method} ${path}` });
  }
}
