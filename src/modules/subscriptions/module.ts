// Subscriptions (订阅, issue 20): the public follows departments, topics, genres, types, saved
// searches or one item by e-mail or SMS, immediately or in digests, with double opt-in, a
// preference centre and one-click unsubscribe; every publication event of the spine reaches them
// through the `subscriptions` delivery channel and the platform's delivery ledger, and a
// correction or withdrawal reaches exactly those who got the earlier version. See
// docs/architecture.md, "Channels and subscriptions".
import type { GongkaiModule } from '../../platform/module.js';
import { subscriptionMigrations } from './schema.js';
import { subscriptionMessages } from './messages.js';
import { fanOut, SEND_JOB } from './service/fanout.js';
import { ledgerIdOfSms, sendBatch } from './service/send.js';
import { DIGEST_JOB, enqueueDueDigests, runDigest } from './service/digests.js';
import { onSmsReceipt } from '../../platform/channels/sms-http.js';
import { ANNOUNCE_JOB, type Announcement } from '../../platform/channels/announce.js';
import { deliverAnnouncement } from './service/progress.js';
import { markDeliveries } from '../../platform/channels/ledger.js';
import { subscriptionPages } from './public/pages.js';
import { subscriptionsApi } from './api/subscriptions.js';
import { subscriptionConsole } from './console/lists.js';
import { loadDemoSubscriptions } from './demo.js';

// The SMS provider's receipts name our message id (gk-d<ledger id>): the ledger row is delivered or failed.
onSmsReceipt(async (p, receipts) => {
  for (const r of receipts) {
    const id = ledgerIdOfSms(r.id);
    if (id !== null) await p.tx((t) => markDeliveries(t, [id], r.status === 'delivered' ? 'delivered' : 'failed', { ref: r.ref.slice(0, 100), ...(r.error ? { reason: r.error.slice(0, 200) } : {}) }));
  }
});

export const subscriptionsModule: GongkaiModule = {
  name: 'subscriptions',
  migrations: subscriptionMigrations,
  messages: subscriptionMessages,
  permissions: [
    { action: 'subscriptions.read', zh: '查看订阅统计（各订阅目标的人数）', en: 'See subscription counts per target', roles: ['dept-admin', 'editor'] },
    { action: 'subscriptions.addresses', zh: '查看本部门订阅目标的订阅者地址', en: "See the subscribers' addresses of one's departments' targets", roles: ['dept-admin'] },
  ],
  apiTags: { subscriptions: 'Subscriptions: subscribe by e-mail or SMS with double opt-in; staff counts.' },
  nav: {
    footer: [{ label: 'nav.subscriptions', href: '/subscriptions', order: 30 }],
    admin: [{ label: 'nav.subscriptions_admin', href: '/admin/subscriptions', permission: 'subscriptions.read', order: 72 }],
  },
  channels: (p) => ({
    subscriptions: async (payload) => {
      await fanOut(p, payload);
    },
  }),
  jobs: (p) => ({
    [SEND_JOB]: async (payload: { ids: number[] }) => {
      await sendBatch(p, Array.isArray(payload?.ids) ? payload.ids.filter((x) => Number.isInteger(x)) : []);
    },
    // Progress that is not published (an appeal's steps), announced by its module.
    [ANNOUNCE_JOB]: async (a: Announcement) => {
      await deliverAnnouncement(p, a);
    },
    [DIGEST_JOB]: async (x: { frequency: 'daily' | 'weekly'; period: string; startsAt: string; endsAt: string }) => {
      await runDigest(p, x.frequency, x.period, x.startsAt, x.endsAt);
    },
  }),
  // Every instance ticks; the job key per period makes one run per digest.
  background(p) {
    const run = () => void enqueueDueDigests(p).catch((err) => p.log.warn({ err }, 'digest tick failed'));
    run();
    const timer = setInterval(run, 5 * 60_000);
    timer.unref();
    return () => clearInterval(timer);
  },
  demo: loadDemoSubscriptions,
  routes(app, p) {
    subscriptionPages(app, p);
    subscriptionsApi(app, p);
    subscriptionConsole(app, p);
  },
};
