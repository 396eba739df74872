// Screens (电子显示屏) and notice boards (公开栏): kiosk pages with a JSON playlist, printed notices
// with a QR code to the exact version, and the console where staff keep them. What each outlet
// carries is written to the delivery ledger. See docs/architecture.md, "Screens and notice boards".
import type { GongkaiModule } from '../../platform/module.js';
import { outletMigrations } from './schema.js';
import { outletMessages } from './messages.js';
import { screenPages } from './public/screens.js';
import { printPages } from './public/print.js';
import { outletsConsole } from './console/outlets.js';
import { boardsConsole } from './console/boards.js';
import { unpinGone } from './service/outlets.js';
import { loadDemoOutlets } from './demo.js';

export const outletsModule: GongkaiModule = {
  name: 'outlets',
  permissions: [{ action: 'channels.outlets', zh: '管理本部门的电子显示屏和公开栏', en: "Manage one's departments' screens and notice boards", roles: ['dept-admin'] }],
  migrations: outletMigrations,
  messages: outletMessages,
  nav: { admin: [{ label: 'nav.outlets', href: '/admin/channels/outlets', permission: 'channels.outlets', order: 86 }] },
  // The spine already bumped the public generation (the next playlist drops or replaces the
  // item); a withdrawn or no longer valid item also leaves the pins.
  channels: (p) => ({
    screens: async (payload) => {
      if (payload.event !== 'published') await unpinGone(p, payload.id);
    },
  }),
  demo: loadDemoOutlets,
  async routes(app, p) {
    await screenPages(app, p);
    await printPages(app, p);
    await outletsConsole(app, p);
    await boardsConsole(app, p);
  },
};
