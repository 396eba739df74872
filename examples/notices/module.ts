// An example capability module, kept true by test/platform/example-module.test.ts, which mounts
// it beside the real modules. docs/extending.md walks through it file by file.
import type { GongkaiModule } from '../../src/platform/module.js';
import { noticeMigrations } from './schema.js';
import { noticeMessages } from './messages.js';
import { noticesApi } from './api.js';
import { noticesPublic } from './public.js';
import { NOTICE } from './items.js';
import { listSource } from '../../src/platform/sitemap.js';
import { lastListChange } from '../../src/platform/publication/index.js';

export const noticesModule: GongkaiModule = {
  name: 'notices',
  // The actions this module checks, with labels and the roles that get them by default. Admins get
  // every declared action, supervisors every '.read'; the console's role page lists them.
  permissions: [{ action: 'notice.post', zh: '发布和撤下本部门的通知公告', en: "Publish and take down one's departments' notices", roles: ['dept-admin', 'editor'] }],
  migrations: noticeMigrations,
  messages: noticeMessages,
  nav: { public: [{ label: 'nav.notices', href: '/notices', order: 80 }] },
  apiTags: { notices: '通知公告: notices that stay on display for at least their period.' },
  async routes(app, p) {
    await noticesApi(app, p);
    await noticesPublic(app, p);
  },
  // Its pages in the XML sitemap (/sitemap-notices-1.xml). The notices themselves are spine items:
  // the spine lists them at the type's url, in its catalog-items sitemap.
  sitemap: (p) => [listSource('notices', async () => [{ path: '/notices', lastmod: await lastListChange(p.db, [NOTICE]) }])],
};
