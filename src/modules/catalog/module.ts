// The disclosure catalog (主动公开): the 'document' item type, its public catalog, feeds, console
// and importer. The publication spine it builds on is a platform part (platform/publication/part.ts).
import type { GongkaiModule } from '../../platform/module.js';
import { registerDocumentType } from './items.js';
import { catalogMessages } from './messages.js';
import { catalogApi } from './api.js';
import { catalogPublic, catalogHome, catalogSitemap } from './public.js';
import { catalogFeeds } from './public/feeds.js';
import { portalPages } from './public/portal.js';
import { portalConsole } from './console/portal.js';
import { CATALOG_SECTIONS } from './views.js';
import { documentConsole } from './console/documents.js';
import { importConsole } from './console/import.js';
import { disclosureGuideConsole } from './console/disclosure-guide.js';
import { catalogMigrations } from './schema.js';
import { catalogDashboard } from './console/dashboard.js';
import { catalogCli } from './cli.js';
import { catalogReportSource } from './service/report.js';

registerDocumentType();

export const catalogModule: GongkaiModule = {
  name: 'catalog',
  migrations: catalogMigrations,
  permissions: [
    { action: 'content.import', zh: '批量导入', en: 'Import in bulk', roles: ['dept-admin'] },
  ],
  messages: catalogMessages,
  nav: {
    public: [{ label: 'nav.catalog', href: '/catalog', order: 10, pages: CATALOG_SECTIONS }],
    footer: [
      { label: 'portal.sitemap', href: '/sitemap', order: 10 },
      { label: 'portal.contact', href: '/contact', order: 20 },
    ],
    admin: [{ label: 'nav.catalog_admin', href: '/admin/catalog', permission: 'content.read', order: 10 }],
  },
  apiTags: {
    feeds: 'Atom, RSS and JSON Feed of the disclosure catalog, for everything or one department, topic or search; conditional GETs answered with 304.',
  },
  async routes(app, p) {
    await catalogApi(app, p);
    await catalogPublic(app, p);
    await catalogFeeds(app, p);
    await portalPages(app, p);
    await portalConsole(app, p);
    await documentConsole(app, p);
    await importConsole(app, p);
    await disclosureGuideConsole(app, p);
    if (p.config.bench) {
      app.get('/bench/constant', { config: { permission: 'public' } }, async (_req, reply) => reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send('ok\n'));
    }
  },
  demo: async (p) => {
    await (await import('./demo.js')).loadDemoCatalog(p);
    // 政策解读 written for real demo policies (a loader of its own: see demo/interpretations.ts).
    await (await import('./demo/interpretations.js')).loadDemoInterpretations(p);
  },
  home: catalogHome,
  sitemap: catalogSitemap,
  dashboard: catalogDashboard,
  cli: catalogCli,
  // Table 二: 规章 and 行政规范性文件 (category a20-01).
  annualReport: catalogReportSource,
};
