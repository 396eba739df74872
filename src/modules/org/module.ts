// Organisation: the government, departments and staff users.
import type { GongkaiModule } from '../../platform/module.js';
import { orgApi } from './api.js';
import { orgPages } from './console.js';
import { loadDemoOrg } from './demo.js';
import { loadGovernment } from './service.js';

export const orgModule: GongkaiModule = {
  name: 'org',
  permissions: [
    { action: 'user.read', zh: '查看本部门用户', en: "See the users of one's departments", roles: ['dept-admin'] },
    { action: 'user.manage', zh: '新建用户、重置密码、停用、改名和授权（限于自己可授予的角色）', en: 'Create users, reset passwords, deactivate, rename and grant roles (only roles one may grant)', roles: ['dept-admin'] },
    { action: 'department.read', zh: '查看部门信息', en: 'See department details', roles: ['dept-admin'] },
    { action: 'department.edit', zh: '编辑部门信息、新建下级部门', en: 'Edit department details, add sub-departments', roles: ['dept-admin'] },
    { action: 'government.edit', zh: '编辑本级政府信息和全局设置', en: 'Edit the government and platform-wide settings', roles: [] },
  ],
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
