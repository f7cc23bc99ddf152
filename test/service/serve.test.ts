import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guestBinary } from '../support/guest.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Starts `amber serve` in a child process with the given environment. */
function serve(env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/amber.js', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = async (): Promise<string> => {
    for (let i = 0; i < 300; i++) {
      const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (m) return m[1];
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`amber serve did not start: ${stdout}${stderr}`);
  };
  return { child, exited, listening, output: () => stdout + stderr };
}

describe('amber serve', () => {
  it('refuses to start with an invalid setting, naming it', async () => {
    const s = serve({ PORT: 'eighty' });
    expect(await s.exited).toBe(2);
    expect(s.output()).toMatch(/amber: invalid configuration: PORT: /);
  });

  it('on SIGTERM pauses a running job into a snapshot, records it, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amber-serve-'));
    try {
      const s = serve({
        PORT: '0',
        AMBER_STORE: dir,
        AMBER_WORKERS: '1',
        AMBER_SHUTDOWN_GRACE_MS: '30000',
      });
      const base = await s.listening();
      const form = new FormData();
      form.append('binary', new Blob([readFileSync(guestBinary('bench-sieve', 'musl'))]), 'sieve');
      const res = await fetch(`${base}/v1/jobs`, { method: 'POST', body: form });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(0);
      const record = JSON.parse(readFileSync(join(dir, 'jobs', 'default', `${id}.json`), 'utf8'));
      expect(record.job).toMatchObject({ status: 'paused', pausedFor: 'request' });
      expect(existsSync(join(dir, 'snapshots', `${record.job.snapshotId}.json`))).toBe(true);
      expect(readdirSync(join(dir, 'jobs', 'default', id)).sort()).toEqual(['stderr', 'stdout']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
