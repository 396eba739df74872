// The disclosure catalog (主动公开): the 'document' item type, its public catalog, feeds, console
// and importer. The publication spine it builds on is a platform part (platform/publication/part.ts).
import type { GongkaiModule } from '../../platform/module.js';
import { registerDocumentType } from './document.js';
import { catalogMessages } from './messages.js';
import { catalogApi } from './api.js';
import { catalogPublic, catalogHome } from './public.js';
import { catalogFeeds } from './feeds.js';
import { catalogAdmin, catalogDashboard } from './admin.js';

registerDocumentType();

export const catalogModule: GongkaiModule = {
  name: 'catalog',
  permissions: [
    { action: 'content.import', zh: '批量导入', en: 'Import in bulk', roles: ['dept-admin'] },
  ],
  messages: catalogMessages,
  nav: {
    public: [{ label: 'nav.catalog', href: '/catalog', order: 10 }],
    admin: [{ label: 'nav.catalog_admin', href: '/admin/catalog', permission: 'content.read', order: 10 }],
  },
  async routes(app, p) {
    await catalogApi(app, p);
    await catalogPublic(app, p);
    await catalogFeeds(app, p);
    await catalogAdmin(app, p);
    if (p.config.bench) {
      app.get('/bench/constant', { config: { permission: 'public' } }, async (_req, reply) => reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send('ok\n'));
    }
  },
  demo: async (p) => (await import('./demo.js')).loadDemoCatalog(p),
  home: catalogHome,
  dashboard: catalogDashboard,
  cli: {
    'catalog index-prefix': {
      usage: 'catalog index-prefix government|department   索引号 prefix: the government\'s code, or each department\'s own code when it has one',
      async run(args, p) {
        const mode = args[0];
        if (mode !== 'government' && mode !== 'department') {
          process.stderr.write('usage: gongkai catalog index-prefix government|department\n');
          return 2;
        }
        const { setIndexPrefixMode } = await import('../../platform/publication/index.js');
        await setIndexPrefixMode(p, 'cli', mode);
        process.stdout.write(`索引号 prefix: ${mode}\n`);
        return 0;
      },
    },
    demo: {
      usage: 'demo --documents N [--seed S]   add N reproducible synthetic published documents',
      async run(args, p) {
        const i = args.indexOf('--documents');
        const n = Number(args[i + 1]);
        if (i < 0 || !Number.isInteger(n) || n < 1) {
          process.stderr.write('usage: gongkai demo --documents N [--seed S]\n');
          return 2;
        }
        const s = args.indexOf('--seed');
        const seed = s >= 0 ? Number(args[s + 1]) || 42 : 42;
        const t0 = Date.now();
        const done = await (await import('./demo.js')).demoDocuments(p, n, seed);
        process.stdout.write(`added ${done} documents in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
        return 0;
      },
    },
  },
};
