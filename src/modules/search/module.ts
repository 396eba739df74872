// Search: the site's full-text search over everything published through the spine.
import type { GongkaiModule } from '../../platform/module.js';
import { searchMigrations } from './schema.js';
import { searchApi } from './api.js';
import { searchPages } from './public.js';
import { searchMessages } from './messages.js';
import { searchCli } from './cli.js';
import { searchJobs, startCatchUp } from './service.js';

export const searchModule: GongkaiModule = {
  name: 'search',
  migrations: searchMigrations,
  messages: searchMessages,
  searchPath: '/search',
  jobs: searchJobs,
  async routes(app, p) {
    await searchApi(app, p);
    await searchPages(app, p);
  },
  cli: searchCli,
  background(p) {
    // After a crash or a restore the index may lag the spine: compare and catch up (as jobs).
    startCatchUp(p).catch((err) => p.log.warn({ err }, 'search: could not start catch-up'));
    return () => {};
  },
};
