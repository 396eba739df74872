// The outbox: jobs commit or roll back with the change, retry with backoff, end as dead letters,
// are de-duplicated by idempotency key, and on PostgreSQL are claimed with SKIP LOCKED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, type TestEnv } from '../helpers.js';
import { Jobs, Worker, backoffMs, loopBackoffMs } from '../../src/platform/jobs/index.js';
import type { Logger } from 'pino';
import type { GongkaiModule } from '../../src/platform/module.js';
import { MODULES } from '../../src/modules/index.js';
import { demoOrg } from '../fixtures/org.js';

const seen: { kind: string; payload: any }[] = [];
let failTimes = 0;
const testModule: GongkaiModule = {
  name: 'jobs-test',
  jobs: () => ({
    'test.record': async (payload) => {
      seen.push({ kind: 'test.record', payload });
    },
    'test.flaky': async (payload) => {
      if (failTimes-- > 0) throw new Error('temporary failure');
      seen.push({ kind: 'test.flaky', payload });
    },
    'test.always-fails': async () => {
      throw new Error('permanent failure');
    },
    'test.slow': async (payload) => {
      await new Promise((r) => setTimeout(r, 20));
      seen.push({ kind: 'test.slow', payload });
    },
  }),
};

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: false, modules: [...MODULES, testModule] });
  await demoOrg(env.p, { users: ['admin'] });
});
afterAll(async () => env?.close());

describe('jobs', () => {
  it('a job enqueued in a rolled-back transaction never exists', async () => {
    await expect(
      env.p.tx(async (t) => {
        await env.p.jobs.enqueue(t, 'test.record', { n: 'rolled-back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await env.drain();
    expect(seen.find((s) => s.payload.n === 'rolled-back')).toBeUndefined();
  });

  it('a committed job runs once', async () => {
    await env.p.tx((t) => env.p.jobs.enqueue(t, 'test.record', { n: 'committed' }));
    await env.drain();
    await env.drain();
    expect(seen.filter((s) => s.payload.n === 'committed')).toHaveLength(1);
  });

  it('the same idempotency key enqueues one job', async () => {
    await env.p.tx((t) => env.p.jobs.enqueue(t, 'test.record', { n: 'idem' }, { key: 'idem-1' }));
    await env.p.tx((t) => env.p.jobs.enqueue(t, 'test.record', { n: 'idem' }, { key: 'idem-1' }));
    await env.drain();
    expect(seen.filter((s) => s.payload.n === 'idem')).toHaveLength(1);
  });

  it('a failing job is retried later with growing backoff, then succeeds', async () => {
    expect(backoffMs(1)).toBeLessThan(backoffMs(4));
    failTimes = 2;
    await env.p.tx((t) => env.p.jobs.enqueue(t, 'test.flaky', { n: 'flaky' }));
    await env.drain();
    const row = await env.p.db.selectFrom('jobs').selectAll().where('kind', '=', 'test.flaky').executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('temporary failure');
    expect(Date.parse(row.run_at)).toBeGreaterThan(Date.now());
    for (let i = 0; i < 3; i++) {
      await env.p.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('id', '=', row.id).where('status', '=', 'pending').execute();
      await env.drain();
    }
    const done = await env.p.db.selectFrom('jobs').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(done.status).toBe('done');
    expect(seen.filter((s) => s.payload.n === 'flaky')).toHaveLength(1);
  });

  it('after max attempts a job is dead, shown to admins, and can be retried', async () => {
    await env.p.tx((t) => env.p.jobs.enqueue(t, 'test.always-fails', {}, { maxAttempts: 2 }));
    for (let i = 0; i < 3; i++) {
      await env.p.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('kind', '=', 'test.always-fails').where('status', '=', 'pending').execute();
      await env.drain();
    }
    const dead = await env.p.db.selectFrom('jobs').selectAll().where('kind', '=', 'test.always-fails').executeTakeFirstOrThrow();
    expect(dead.status).toBe('dead');
    expect(dead.attempts).toBe(2);
    const s = await login(env.app, 'admin');
    const page = await env.app.inject({ url: '/admin/jobs?status=dead', headers: { cookie: s.cookie } });
    expect(page.body).toContain('test.always-fails');
    expect(page.body).toContain('permanent failure');
    expect(await env.p.jobs.retry(env.p.db, dead.id)).toBe(true);
    expect((await env.p.db.selectFrom('jobs').select('status').where('id', '=', dead.id).executeTakeFirstOrThrow()).status).toBe('pending');
  });

  it('a job whose worker died (lease expired) is claimed again', async () => {
    await env.p.tx((t) => env.p.jobs.enqueue(t, 'test.record', { n: 'orphan' }));
    const claimed = await env.p.jobs.claim(env.p.db, 'dead-worker', 10);
    expect(claimed.some((j) => (j.payload as { n?: string }).n === 'orphan')).toBe(true);
    await env.p.db.updateTable('jobs').set({ locked_until: new Date(0).toISOString() }).where('locked_by', '=', 'dead-worker').execute();
    await env.drain();
    expect(seen.filter((s) => s.payload.n === 'orphan')).toHaveLength(1);
  });

  it('several workers draining concurrently run every job exactly once', async () => {
    await env.p.tx(async (t) => {
      for (let i = 0; i < 60; i++) await env.p.jobs.enqueue(t, 'test.slow', { n: `c${i}` });
    });
    const workers = [0, 1, 2].map(() => new Worker(env.p.jobs, env.p.db, env.p.log, 10, 5));
    await Promise.all(workers.map((w) => w.drain()));
    const runs = seen.filter((s) => s.kind === 'test.slow');
    expect(runs).toHaveLength(60);
    expect(new Set(runs.map((r) => r.payload.n)).size).toBe(60);
  });

  it('a worker whose database is unavailable backs off, then returns its interrupted claims and runs them', async () => {
    expect([1, 2, 3, 10].map((n) => loopBackoffMs(500, n))).toEqual([1000, 2000, 4000, 10_000]);
    // The database refuses the first three claims; before that, a claim of this worker's was
    // committed but its answer lost with the connection (the job is 'running', locked by it).
    let refusals = 3;
    const jobs = Object.create(env.p.jobs) as Jobs;
    jobs.claim = async (...args) => {
      if (refusals-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return env.p.jobs.claim(...args);
    };
    const logged: [string, string, any][] = [];
    const log = Object.fromEntries(['error', 'warn', 'info', 'debug'].map((level) => [level, (obj: any, msg: string) => void logged.push([level, msg, obj])])) as unknown as Logger;
    const worker = new Worker(jobs, env.p.db, log, 10);
    await env.p.tx((t) => env.p.jobs.enqueue(t, 'test.record', { n: 'interrupted' }));
    await env.p.db.updateTable('jobs').set({ status: 'running', locked_by: worker.id, locked_until: new Date(Date.now() + 300_000).toISOString() }).where('payload', 'like', '%interrupted%').execute();
    worker.start();
    try {
      for (let i = 0; i < 100 && !seen.some((s) => s.payload?.n === 'interrupted'); i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }
    expect(seen.filter((s) => s.payload?.n === 'interrupted')).toHaveLength(1);
    // The outage is logged once (then quietly), the recovery once; nothing at error level.
    expect(logged.filter(([level]) => level === 'warn').map(([, msg]) => msg)).toEqual(['database unavailable; worker backing off']);
    expect(logged.filter(([level]) => level === 'debug')).toHaveLength(2);
    expect(logged.filter(([level]) => level === 'error')).toEqual([]);
    expect(logged.filter(([, msg]) => msg === 'worker resumed').map(([, , obj]) => obj)).toEqual([{ failures: 3, released: 1 }]);
  });

  it('the queue depth appears in /metrics', async () => {
    const m = await env.app.inject('/metrics');
    expect(m.statusCode).toBe(200);
    expect(m.body).toMatch(/gongkai_jobs\{status="dead"\} \d/);
    expect(m.body).toContain('gongkai_http_request_duration_seconds');
  });
});
