// Lists: one list engine and four list types (权责清单, 办事指南, 市场准入负面清单, 外商投资准入
// 负面清单), the negative-list lookup, 好差评 on guides, and the economic policy library.
import type { GongkaiModule } from '../../platform/module.js';
import { listMigrations } from './schema.js';
import { listsApi } from './api.js';
import { listsDashboard, listsPages } from './pages.js';
import { loadDemoLists } from './demo.js';
import { messages } from './messages.js';
import './edition-item.js';
import { homeSection } from './home.js';
import { listsCli } from './cli.js';
import './types/index.js';

export const listsModule: GongkaiModule = {
  name: 'lists',
  migrations: listMigrations,
  messages,
  nav: {
    public: [{ label: 'nav.lists', href: '/lists', order: 40 }],
    admin: [{ label: 'nav.lists_admin', href: '/admin/lists', permission: 'list.read', order: 40 }],
  },
  async routes(app, p) {
    await listsApi(app, p);
    await listsPages(app, p);
  },
  demo: loadDemoLists,
  dashboard: listsDashboard,
  cli: listsCli,
  async home(_p, c) {
    return homeSection(c);
  },
};
