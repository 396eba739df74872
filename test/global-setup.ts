// Builds the demo district once per test run, as a template that makeEnv() copies: the SQLite
// data directory (database, search shards, files, secrets), or a PostgreSQL database that fresh
// test databases are created from (CREATE DATABASE … TEMPLATE). Loading the demo took 2–5 s on
// SQLite and 3–9 s on PostgreSQL per test file; copying it takes a fraction of that.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openPlatform } from '../src/server.js';
import { MODULES } from '../src/modules/index.js';

export default async function setup(): Promise<() => Promise<void>> {
  // GONGKAI_TEST_NO_TEMPLATE=1: every test file loads the demo itself (to measure what this saves).
  if (process.env.GONGKAI_TEST_NO_TEMPLATE === '1') return async () => {};
  const base = process.env.DATABASE_URL || null;
  const dataDir = mkdtempSync(join(tmpdir(), 'gongkai-template-'));
  let dbName: string | null = null;
  let url: string | null = null;
  if (base) {
    dbName = `gk_template_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off' }, { dataDir, databaseUrl: url, demo: true, logLevel: 'silent' });
  const p = await openPlatform(config, MODULES);
  await p.close();
  // The data directory holds the stored files (and on SQLite the database); the PostgreSQL
  // template database the rows.
  process.env.GONGKAI_TEST_TEMPLATE_DIR = dataDir;
  if (dbName) process.env.GONGKAI_TEST_TEMPLATE_DB = dbName;
  return async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName && base) {
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  };
}
