// Webhooks (issue 20): signed deliveries of publication events to new-media accounts and other
// systems. Endpoints are registered per department in the console; the spine's `webhooks` channel
// records one ledger row per matching endpoint and event, and the job `webhooks.deliver` posts it
// (outbound guard, signature, retries with the outbox's backoff, every try recorded).
// See docs/architecture.md, "Webhooks", and docs/api.md for the delivery format.
import type { GongkaiModule } from '../../platform/module.js';
import { webhookMigrations } from './schema.js';
import { webhookMessages } from './messages.js';
import { webhookChannel, DELIVER_JOB } from './service/channel.js';
import { deliverJob } from './service/post.js';
import { webhooksConsole } from './console.js';
import { webhooksApi } from './api.js';
import { loadDemoWebhooks } from './demo/index.js';
import { demoReceiver } from './demo/receiver.js';

export const webhooksModule: GongkaiModule = {
  name: 'webhooks',
  permissions: [{ action: 'channels.webhooks', zh: '登记和管理本部门的推送接口（Webhook）', en: "Register and manage one's departments' webhook endpoints", roles: ['dept-admin'] }],
  migrations: webhookMigrations,
  messages: webhookMessages,
  apiTags: { webhooks: 'Webhook endpoints: registration, delivery history and replay (the delivery format: docs/api.md, "Webhooks").' },
  nav: { admin: [{ label: 'nav.webhooks', href: '/admin/channels/webhooks', permission: 'channels.webhooks', order: 78 }] },
  channels: (p) => ({ webhooks: webhookChannel(p) }),
  jobs: (p) => ({ [DELIVER_JOB]: deliverJob(p) }),
  demo: loadDemoWebhooks,
  async routes(app, p) {
    await webhooksConsole(app, p);
    await webhooksApi(app, p);
    await demoReceiver(app, p);
  },
};
