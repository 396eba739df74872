// The `gongkai` command. It reads the same environment settings as the server.
import { parseArgs } from 'node:util';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import SqliteDatabase from 'better-sqlite3';
import pino from 'pino';
import { configFromEnv, SETTINGS, ConfigError, type Config } from '../config.js';
import { createPlatform, migrate, startWorker, type Platform } from '../platform/platform.js';
import { MODULES } from '../modules/index.js';
import { loadDemoIfEmpty, openPlatform, startServer } from '../server.js';
import { serveCluster } from '../cluster.js';
import { banner, readableLog } from './terminal.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../modules/org/demo.js';
import { createUser, setPassword, setRoles, getUser } from '../modules/org/service.js';
import { createApiToken } from '../platform/auth/identity.js';
import { verifyAudit } from '../platform/audit/index.js';
import { HttpError } from '../platform/errors.js';
import { t } from '../platform/i18n/index.js';
import { sqliteFile } from '../platform/db/index.js';
import { SHARDS, shardFile } from '../platform/search/shards.js';
import { sm3 } from '../platform/hash.js';

const USAGE = `gongkai — open-government platform

Usage: gongkai <command> [options]

  serve [--demo]                 start the web server (and an in-process worker)
  worker                         run job workers only (several may run against PostgreSQL)
  migrate                        apply database migrations
  demo                           load the demo district into an empty database
  user add --username U --password P --department CODE --role ROLE [--role ROLE…] [--name NAME]
  user passwd --username U --password P
  user roles --username U --role ROLE[@DEPT][+] [--role …]   replace roles ('+' = with sub-departments)
  token create --username U [--name NAME]     prints only the token
  token revoke --id N | --token TOKEN
  audit verify                   recompute the audit chain; exit 1 naming the first broken event
  audit head                     print the last event's number and hash (to anchor elsewhere)
  backup FILE                    consistent online backup of the SQLite database
  restore FILE                   replace the SQLite database with a backup (server stopped)
  config                         list every setting with its default
`;

export const cliActor = (): 'cli' => 'cli';

function fail(message: string, code = 2): number {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  return code;
}

function describe(err: unknown): string {
  if (err instanceof HttpError) {
    const fields = err.fields ? Object.entries(err.fields).map(([k, v]) => `  ${k}: ${t('en', v, err.params)}`).join('\n') : '';
    return `${t('en', err.message, err.params)}${fields ? '\n' + fields : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** CLI diagnostics go to stderr so that stdout carries only the command's answer. */
const stderrLog = () => pino({ level: 'warn' }, pino.destination(2));

async function withPlatform<T>(config: Config, fn: (p: Platform) => Promise<T>): Promise<T> {
  const p = await openPlatform({ ...config, logLevel: 'warn' } as Config, MODULES, stderrLog());
  try {
    return await fn(p);
  } finally {
    await p.close();
  }
}

function parseRole(spec: string) {
  const plus = spec.endsWith('+');
  const [role, department] = spec.replace(/\+$/, '').split('@');
  return { role, department: department || undefined, includeChildren: plus };
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  let config: Config;
  try {
    config = configFromEnv(cmd === 'serve' && argv.includes('--demo') ? { demo: true } : {});
  } catch (err) {
    if (err instanceof ConfigError) return fail(`configuration error: ${err.message}`);
    throw err;
  }
  const opts = (args: string[], spec: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>) =>
    parseArgs({ args, options: spec, allowPositionals: true, strict: true }) as { values: Record<string, any>; positionals: string[] };

  try {
    switch (cmd) {
      case 'serve': {
        if (config.processes > 1) {
          await serveCluster(config); // src/cluster.ts: primary and workers
          return -1;
        }
        // At a terminal: a banner and readable warnings instead of JSON lines, unless a log level
        // was asked for explicitly — whether GONGKAI_LOG_LEVEL is set at all is not a setting.
        const tty = process.stdout.isTTY === true && !process.env.GONGKAI_LOG_LEVEL;
        const running = await startServer(tty ? { ...config, logLevel: 'warn' } : config, tty ? { logStream: readableLog() } : {});
        running.app.log.info(`gongkai serving ${config.publicUrl} (${running.p.dialect})`);
        if (tty) process.stdout.write(banner(config, config.demo ? { password: DEMO_PASSWORD, users: DEMO_USERS.map(([username, name]) => ({ username, name })) } : null));
        const shutdown = async (signal: string) => {
          running.app.log.info({ signal }, 'shutting down');
          const force = setTimeout(() => process.exit(1), 30_000);
          force.unref();
          await running.stop();
          process.exit(0);
        };
        process.once('SIGTERM', () => void shutdown('SIGTERM'));
        process.once('SIGINT', () => void shutdown('SIGINT'));
        return -1; // keep running
      }
      case 'worker': {
        const p = await openPlatform({ ...config, worker: 'inline' });
        const w = startWorker(p);
        p.log.info({ worker: w.id, dialect: p.dialect }, 'worker started');
        const stop = async () => {
          await p.close();
          process.exit(0);
        };
        process.once('SIGTERM', () => void stop());
        process.once('SIGINT', () => void stop());
        return -1;
      }
      case 'migrate': {
        const p = await createPlatform({ ...config, logLevel: 'warn' } as Config, { modules: MODULES, migrate: false, log: stderrLog() });
        try {
          const done = await migrate(p);
          process.stdout.write(done.length ? `applied: ${done.join(', ')}\n` : 'database is up to date\n');
        } finally {
          await p.close();
        }
        return 0;
      }
      case 'demo': {
        // Not withPlatform: opening with demo on would already load it.
        const p = await createPlatform({ ...config, demo: true, logLevel: 'warn' } as Config, { modules: MODULES, log: stderrLog() });
        try {
          // Modules may add options (e.g. --documents N) through their own demo commands.
          const extra = p.modules.flatMap((m) => Object.entries(m.cli ?? {})).find(([k]) => k === 'demo');
          if (sub || rest.length) {
            if (!extra) return fail(`unknown demo option ${[sub, ...rest].join(' ')}`);
            return await extra[1].run([sub, ...rest].filter(Boolean) as string[], p);
          }
          const loaded = await loadDemoIfEmpty(p);
          process.stdout.write(loaded ? 'demo district loaded\n' : 'database not empty: demo district not loaded\n');
          return 0;
        } finally {
          await p.close();
        }
      }
      case 'user': {
        if (sub === 'add') {
          const { values } = opts(rest, { username: { type: 'string' }, password: { type: 'string' }, department: { type: 'string' }, role: { type: 'string', multiple: true }, name: { type: 'string' }, email: { type: 'string' } });
          if (!values.username || !values.password || !values.department || !values.role?.length) return fail('user add needs --username, --password, --department and at least one --role');
          return withPlatform(config, async (p) => {
            const u = await createUser(p, 'cli', { username: values.username!, password: values.password!, department: values.department!, roles: (values.role as string[]).map(parseRole), displayName: values.name, email: values.email });
            process.stdout.write(`created user ${u.username} (${u.department}: ${u.roles.map((r) => r.role).join(', ')})\n`);
            return 0;
          });
        }
        if (sub === 'passwd') {
          const { values } = opts(rest, { username: { type: 'string' }, password: { type: 'string' } });
          if (!values.username || !values.password) return fail('user passwd needs --username and --password');
          return withPlatform(config, async (p) => {
            await setPassword(p, 'cli', values.username!, values.password!);
            process.stdout.write(`password changed for ${values.username}; their sessions were ended\n`);
            return 0;
          });
        }
        if (sub === 'roles') {
          const { values } = opts(rest, { username: { type: 'string' }, role: { type: 'string', multiple: true } });
          if (!values.username) return fail('user roles needs --username');
          return withPlatform(config, async (p) => {
            if (!values.role?.length) {
              const u = await getUser(p.db, values.username!);
              if (!u) return fail(`no user ${values.username}`);
              process.stdout.write(u.roles.map((r) => `${r.role}@${r.department}${r.includeChildren ? '+' : ''}`).join('\n') + '\n');
              return 0;
            }
            const u = await setRoles(p, 'cli', values.username!, (values.role as string[]).map(parseRole));
            process.stdout.write(`roles of ${u.username}: ${u.roles.map((r) => `${r.role}@${r.department}${r.includeChildren ? '+' : ''}`).join(', ')}\n`);
            return 0;
          });
        }
        return fail(USAGE);
      }
      case 'token': {
        if (sub === 'create') {
          const { values } = opts(rest, { username: { type: 'string' }, name: { type: 'string' } });
          if (!values.username) return fail('token create needs --username');
          return withPlatform(config, async (p) => {
            const user = await p.db.selectFrom('users').select(['id', 'username', 'active']).where('username', '=', values.username!.toLowerCase()).executeTakeFirst();
            if (!user || !user.active) return fail(`no active user ${values.username}`);
            const tok = await p.tx(async (tx) => {
              const created = await createApiToken(tx, user.id, values.name ?? 'cli');
              await p.audit(tx, { actor: `cli:${userInfo().username}`, action: 'token.create', entity: 'api_token', entityId: created.id, details: { username: user.username, name: values.name ?? 'cli' } });
              return created;
            });
            process.stdout.write(tok.token + '\n');
            return 0;
          });
        }
        if (sub === 'revoke') {
          const { values } = opts(rest, { id: { type: 'string' }, token: { type: 'string' } });
          if (!values.id && !values.token) return fail('token revoke needs --id or --token');
          return withPlatform(config, async (p) => {
            const n = await p.tx(async (tx) => {
              let q = tx.updateTable('api_tokens').set({ revoked_at: new Date().toISOString() }).where('revoked_at', 'is', null);
              q = values.id ? q.where('id', '=', Number(values.id)) : q.where('token_hash', '=', sm3(values.token!));
              const r = await q.returning('id').execute();
              for (const row of r) await p.audit(tx, { actor: `cli:${userInfo().username}`, action: 'token.revoke', entity: 'api_token', entityId: row.id });
              return r.length;
            });
            if (n === 0) return fail('no such active token', 1);
            process.stdout.write('token revoked\n');
            return 0;
          });
        }
        return fail(USAGE);
      }
      case 'audit': {
        if (sub === 'verify') {
          return withPlatform(config, async (p) => {
            const r = await verifyAudit(p.db);
            if (r.ok) {
              process.stdout.write(`audit chain intact: ${r.checked} events verified\n`);
              return 0;
            }
            process.stderr.write(`audit chain BROKEN at event ${r.firstBroken!.seq}: ${r.firstBroken!.reason} (${r.checked} events verified before it)\n`);
            return 1;
          });
        }
        if (sub === 'head') {
          return withPlatform(config, async (p) => {
            const last = await p.db.selectFrom('audit_events').select(['seq', 'hash', 'at']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
            process.stdout.write(last ? `${last.seq} ${last.hash} ${last.at}\n` : '0 (empty)\n');
            return 0;
          });
        }
        return fail(USAGE);
      }
      case 'backup': {
        if (!sub) return fail('backup needs a FILE');
        if (config.databaseUrl) return fail('On PostgreSQL use pg_dump: pg_dump --format=custom --file=FILE "$DATABASE_URL" (see docs/operations.md)');
        const file = sqliteFile(config);
        if (!existsSync(file)) return fail(`no database at ${file}`);
        const db = new SqliteDatabase(file, { readonly: true });
        try {
          await db.backup(sub);
        } finally {
          db.close();
        }
        process.stdout.write(`backup written to ${sub}\n`);
        return 0;
      }
      case 'restore': {
        if (!sub) return fail('restore needs a FILE');
        if (config.databaseUrl) return fail('On PostgreSQL use pg_restore: pg_restore --clean --dbname "$DATABASE_URL" FILE (see docs/operations.md)');
        if (!existsSync(sub)) return fail(`no file ${sub}`);
        const check = new SqliteDatabase(sub, { readonly: true });
        try {
          const ok = check.prepare("select name from sqlite_master where type='table' and name='gk_migrations'").get();
          if (!ok) return fail(`${sub} is not a gongkai database backup`);
          const integrity = check.pragma('integrity_check', { simple: true });
          if (integrity !== 'ok') return fail(`${sub} fails the integrity check: ${integrity}`);
        } finally {
          check.close();
        }
        const file = sqliteFile(config);
        if (existsSync(file)) {
          const keep = `${file}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
          renameSync(file, keep);
          for (const ext of ['-wal', '-shm']) rmSync(file + ext, { force: true });
          process.stdout.write(`previous database kept as ${keep}\n`);
        }
        copyFileSync(sub, file);
        // The search shards are not in a backup: removed here, they are rebuilt from the restored
        // database (their epoch no longer matches, the catch-up at start-up reindexes).
        for (let k = 0; k < SHARDS; k++) for (const ext of ['', '-wal', '-shm']) rmSync(shardFile(file, k) + ext, { force: true });
        const p = await createPlatform({ ...config, logLevel: 'warn' } as Config, { modules: MODULES });
        const r = await verifyAudit(p.db);
        await p.close();
        process.stdout.write(`restored ${sub}; audit chain ${r.ok ? `intact (${r.checked} events)` : `BROKEN at ${r.firstBroken!.seq}`}\n`);
        return r.ok ? 0 : 1;
      }
      case 'config': {
        for (const s of SETTINGS) process.stdout.write(`${s.env}=${s.default}\t# ${s.doc}\n`);
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(USAGE);
        return cmd ? 0 : 2;
      default: {
        // Module commands: 'calendar import', 'search reindex', 'open311 key create', …
        const words = argv.join(' ');
        const p = await openPlatform({ ...config, logLevel: 'warn' } as Config, MODULES, stderrLog());
        try {
          const entry = p.modules
            .flatMap((m) => Object.entries(m.cli ?? {}))
            .filter(([k]) => words === k || words.startsWith(k + ' '))
            .sort((a, b) => b[0].length - a[0].length)[0];
          if (!entry) return fail(`unknown command: ${words}\n\n${USAGE}`);
          const args = argv.slice(entry[0].split(' ').length);
          return await entry[1].run(args, p);
        } finally {
          await p.close();
        }
      }
    }
  } catch (err) {
    return fail(describe(err), 1);
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) {
  process.exitCode = code;
}
