// Lists: one list engine and four list types (权责清单, 办事指南, 市场准入负面清单, 外商投资准入
// 负面清单), the negative-list lookup, 好差评 on guides, and the economic policy library.
import type { GongkaiModule } from '../../platform/module.js';
import { clientLimit } from '../../platform/http/limit.js';
import { listMigrations } from './schema.js';
import { listsApi } from './api.js';
import { industriesApi } from './api/industries.js';
import { industryPages } from './public/industries.js';
import { industryConsole } from './console/industries.js';
import { listPages } from './public/lists.js';
import { itemPages } from './public/items.js';
import { lookupPages } from './public/lookup.js';
import { policyPages } from './public/policies.js';
import { listConsole } from './console/lists.js';
import { followupConsole } from './console/followups.js';
import { policyTagConsole } from './console/policies.js';
import { listsDashboard } from './console/dashboard.js';
import { loadDemoLists } from './demo.js';
import { messages } from './messages.js';
import './items.js';
import { homeSection } from './public/home.js';
import { listsSitemap } from './public/sitemap.js';
import { listsCli } from './cli.js';
import './service/types/index.js';

export const listsModule: GongkaiModule = {
  name: 'lists',
  permissions: [
    { action: 'list.read', zh: '查看本部门的清单（含草稿）', en: "See one's departments' lists, drafts included", roles: ['dept-admin', 'editor', 'reviewer', 'approver'] },
    { action: 'list.edit', zh: '编辑清单和办事指南', en: 'Edit lists and service guides', roles: ['dept-admin', 'editor'] },
    { action: 'list.approve', zh: '审定并发布清单', en: 'Approve and publish lists', roles: ['approver'] },
    { action: 'industry.edit', zh: '编辑行业分类的常用叫法（负面清单牵头部门）', en: 'Edit the everyday names of industries (department keeping the negative lists)', roles: ['dept-admin', 'editor'] },
  ],
  migrations: listMigrations,
  messages,
  nav: {
    public: [{ label: 'nav.lists', href: '/lists', order: 40 }],
    admin: [{ label: 'nav.lists_admin', href: '/admin/lists', permission: 'list.read', order: 40 }],
  },
  apiTags: { lists: '权责清单, 办事指南, the negative lists and policies: lists and their editions, the industry picker, the negative-list lookup, policy matching and ratings of service guides.' },
  async routes(app, p) {
    // Public writes (ratings, subscriptions): one per-address budget, counted in the database.
    const writeLimit = clientLimit(p.db, { bucket: 'lists.write', max: p.config.listsRateLimit, message: 'err.lists.rate_limited' });
    await listsApi(app, p, writeLimit);
    await industriesApi(app, p);
    await industryPages(app, p);
    await listPages(app, p);
    await itemPages(app, p, writeLimit);
    await lookupPages(app, p);
    await policyPages(app, p, writeLimit);
    await listConsole(app, p);
    await followupConsole(app, p);
    await policyTagConsole(app, p);
    await industryConsole(app, p);
  },
  demo: loadDemoLists,
  sitemap: listsSitemap,
  dashboard: listsDashboard,
  cli: listsCli,
  async home(_p, c) {
    return homeSection(c);
  },
};
