// Starting and stopping the whole product: platform, HTTP server, in-process worker, timers.
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { buildApp } from './app.js';
import { createPlatform, startWorker, type Platform } from './platform/platform.js';
import { lifecycle } from './platform/http/system.js';
import { loadGovernment } from './modules/org/service.js';
import { MODULES } from './modules/index.js';
import { DEMO_PASSWORD, DEMO_USERS } from './modules/org/demo.js';
import type { GongkaiModule } from './platform/module.js';

/** Opens the platform (migrations run) and, with GONGKAI_DEMO, loads the demo into an empty database. */
export async function openPlatform(config: Config, modules: GongkaiModule[] = MODULES, log?: Logger, opts: { loadDemo?: boolean } = {}): Promise<Platform> {
  const p = await createPlatform(config, { modules, log });
  if (config.demo && opts.loadDemo !== false) await loadDemoIfEmpty(p);
  await loadGovernment(p.db);
  return p;
}

/** Loads every module's demo data when the database has no departments yet. Returns true if it did. */
export async function loadDemoIfEmpty(p: Platform): Promise<boolean> {
  const any = await p.db.selectFrom('departments').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  for (const m of p.modules) if (m.demo) await m.demo(p);
  await loadGovernment(p.db);
  p.log.info(
    { users: DEMO_USERS.map((u) => u[0]), password: DEMO_PASSWORD },
    'DEMO district loaded. Demo logins (demo only, refused when GONGKAI_DEMO is off): ' + DEMO_USERS.map((u) => u[0]).join(', ') + ` — password ${DEMO_PASSWORD}`,
  );
  return true;
}

export interface Running {
  p: Platform;
  app: FastifyInstance;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** false: do not load the demo (a cluster worker; the primary did). Default true. */
  loadDemo?: boolean;
  /** false: neither the in-process job worker nor the modules' background tasks run here
   *  (cluster workers other than the first; everyProcess tasks still do). Default true. */
  jobs?: boolean;
  /** Where the platform's and the access log's lines go (a terminal's readable form); default stdout. */
  logStream?: { write(line: string): void };
}

export async function startServer(config: Config, opts: ServerOptions = {}): Promise<Running> {
  const log = opts.logStream ? pino({ level: config.logLevel }, opts.logStream) : undefined;
  const p = await openPlatform(config, MODULES, log, { loadDemo: opts.loadDemo });
  const app = await buildApp(p, { logStream: opts.logStream });
  const stops: (() => Promise<void> | void)[] = [];
  if (opts.jobs !== false) {
    if (config.worker === 'inline') startWorker(p);
    for (const m of p.modules) if (m.background) stops.push(m.background(p));
  }
  for (const m of p.modules) if (m.everyProcess) stops.push(m.everyProcess(p));
  await app.listen({ port: config.port, host: config.host });
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      lifecycle.ready = false;
      for (const s of stops) await s();
      await app.close(); // finishes in-flight requests
      await p.close(); // waits for running jobs, closes the database
    })());
  return { p, app, stop };
}
