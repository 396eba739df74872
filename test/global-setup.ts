// Builds two templates once per test run, which makeEnv() copies instead of building a platform
// from nothing in every test file:
// - 'demo': the demo district with its outbox worked off (search index built, feeds delivered),
//   as a running server has it a moment after `npm start`;
// - 'empty': every module's migrations applied, no data (makeEnv({ demo: false })).
// On SQLite a template is a data directory (database, search shards, files, secrets); on
// PostgreSQL a database that fresh test databases are created from (CREATE DATABASE … TEMPLATE).
// Loading the demo took 2–5 s on SQLite and 3–9 s on PostgreSQL per test file, indexing it for
// search another 2 s (SQLite) to 13 s (PostgreSQL); copying a template takes a fraction of that.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openPlatform } from '../src/server.js';
import { MODULES } from '../src/modules/index.js';
import { Worker } from '../src/platform/jobs/index.js';

interface Template {
  dataDir: string;
  dbName: string | null;
  drop(): Promise<void>;
}

async function buildTemplate(kind: 'demo' | 'empty', base: string | null): Promise<Template> {
  const dataDir = mkdtempSync(join(tmpdir(), `gongkai-template-${kind}-`));
  let dbName: string | null = null;
  let url: string | null = null;
  if (base) {
    dbName = `gk_template_${kind}_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const demo = kind === 'demo';
  const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off' }, { dataDir, databaseUrl: url, demo, logLevel: 'silent' });
  const p = await openPlatform(config, MODULES);
  if (demo) await new Worker(p.jobs, p.db, p.log, 50, 50).drain();
  await p.close();
  return {
    dataDir,
    dbName,
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      if (dbName && base) {
        const admin = new pg.Client({ connectionString: base });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
    },
  };
}

export default async function setup(): Promise<() => Promise<void>> {
  // GONGKAI_TEST_NO_TEMPLATE=1: every test file builds its platform itself (to measure what this saves).
  if (process.env.GONGKAI_TEST_NO_TEMPLATE === '1') return async () => {};
  const base = process.env.DATABASE_URL || null;
  // One after the other: some module caches (departments, the indexable source) are per process.
  const empty = await buildTemplate('empty', base);
  const demo = await buildTemplate('demo', base);
  // The data directory holds the stored files (and on SQLite the database); the PostgreSQL
  // template database the rows.
  process.env.GONGKAI_TEST_TEMPLATE_DIR = demo.dataDir;
  process.env.GONGKAI_TEST_EMPTY_TEMPLATE_DIR = empty.dataDir;
  if (demo.dbName) process.env.GONGKAI_TEST_TEMPLATE_DB = demo.dbName;
  if (empty.dbName) process.env.GONGKAI_TEST_EMPTY_TEMPLATE_DB = empty.dbName;
  return async () => {
    await demo.drop();
    await empty.drop();
  };
}
