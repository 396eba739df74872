// Lists: one list engine and four list types (权责清单, 办事指南, 市场准入负面清单, 外商投资准入
// 负面清单), the negative-list lookup, 好差评 on guides, and the economic policy library.
import type { GongkaiModule } from '../../platform/module.js';
import { clientLimit } from '../../platform/http/limit.js';
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
  permissions: [
    { action: 'list.read', zh: '查看本部门的清单（含草稿）', en: "See one's departments' lists, drafts included", roles: ['dept-admin', 'editor', 'reviewer', 'approver'] },
    { action: 'list.edit', zh: '编辑清单和办事指南', en: 'Edit lists and service guides', roles: ['dept-admin', 'editor'] },
    { action: 'list.approve', zh: '审定并发布清单', en: 'Approve and publish lists', roles: ['approver'] },
  ],
  migrations: listMigrations,
  messages,
  nav: {
    public: [{ label: 'nav.lists', href: '/lists', order: 40 }],
    admin: [{ label: 'nav.lists_admin', href: '/admin/lists', permission: 'list.read', order: 40 }],
  },
  async routes(app, p) {
    // Public writes (ratings, subscriptions): one per-address budget, counted in the database.
    const writeLimit = clientLimit(p.db, { bucket: 'lists.write', max: p.config.listsRateLimit, message: 'err.lists.rate_limited' });
    await listsApi(app, p, writeLimit);
    await listsPages(app, p, writeLimit);
  },
  demo: loadDemoLists,
  dashboard: listsDashboard,
  cli: listsCli,
  async home(_p, c) {
    return homeSection(c);
  },
};
