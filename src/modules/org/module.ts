// Organisation: the government, departments and staff users.
import type { GongkaiModule } from '../../platform/module.js';
import { orgApi } from './api.js';
import { orgPages } from './console.js';
import { loadDemoOrg } from './demo.js';
import { loadGovernment } from './service.js';

export const orgModule: GongkaiModule = {
  name: 'org',
  nav: {
    admin: [
      { label: 'nav.users', href: '/admin/users', permission: 'user.read', order: 80 },
      { label: 'nav.departments', href: '/admin/departments', permission: 'department.read', order: 85 },
    ],
  },
  async routes(app, p) {
    await orgApi(app, p);
    await orgPages(app, p);
  },
  demo: loadDemoOrg,
  everyProcess(p) {
    // The government's name and codes are kept in memory; another process may have edited them.
    const timer = setInterval(() => void loadGovernment(p.db).catch((err) => p.log.warn({ err }, 'government refresh failed')), 60_000);
    timer.unref();
    return () => clearInterval(timer);
  },
};
