// The HTTP server for the search benchmark: the platform with only the search module, on
// 127.0.0.1 and a free port (printed as "PORT n" on stdout).
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';
import { createPlatform } from '../src/platform/platform.js';
import { platformModule } from '../src/platform/core/module.js';
import { searchModule } from '../src/modules/search/module.js';
import { searchIndexFor } from '../src/platform/search/index.js';

const dataDir = process.env.BENCH_DIR!;
const databaseUrl = process.env.BENCH_PG || null;
const config = loadConfig({ GONGKAI_LOG_LEVEL: 'silent', GONGKAI_WORKER: 'off' }, { dataDir, databaseUrl, demo: false, logLevel: 'silent' });
const p = await createPlatform(config, { modules: [platformModule, searchModule] });
// BENCH_CACHE=0: every request runs the query (no result cache).
if (process.env.BENCH_CACHE === '0') (searchIndexFor(p.dbh) as unknown as { resultCacheSize: number }).resultCacheSize = 0;
const app = await buildApp(p, { logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await p.close();
  process.exit(0);
});
