// Runs the whole suite against PostgreSQL: each test file creates its own fresh database
// on the server named by DATABASE_URL (default: the local server, user postgres).
import { spawnSync } from 'node:child_process';
const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const r = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url } });
process.exit(r.status ?? 1);
