// Messaging as a platform part: outgoing e-mail ('mail.send', platform/mail), citizen messages
// through channel adapters ('channel.send', platform/channels; the SMS provider of GONGKAI_SMS_URL
// when set, else the development sink) and the staff inbox (inbox.ts: postNotices, the inbox page
// and API). Any module queues a message in its transaction with enqueueMail / sendMessage /
// postNotices; nobody registers these jobs but this part. Its routes include the SMS provider's
// delivery receipts.
import type { GongkaiModule } from '../module.js';
import { mailJobs } from '../mail/index.js';
import { channelJobs, type ChannelAdapter } from '../channels/index.js';
import { smsAdapterFromConfig } from '../channels/sms-http.js';
import { inboxMigrations } from './inbox.js';
import { ledgerMigrations } from '../channels/ledger.js';
import { inboxMessages } from './messages.js';
import { inboxRoutes } from './routes.js';

export const messagingPart: GongkaiModule = {
  name: 'messaging',
  migrations: [...inboxMigrations, ...ledgerMigrations],
  messages: inboxMessages,
  permissions: [{ action: 'channels.read', zh: '查看本部门信息的渠道送达台账和版本过期报告', en: "See the delivery ledger and the outdated-channels report of one's departments' items", roles: ['dept-admin', 'editor', 'approver'] }],
  nav: {
    admin: [
      { label: 'nav.inbox', href: '/admin/inbox', order: 71 },
      { label: 'nav.channels_outdated', href: '/admin/channels/outdated', permission: 'channels.read', order: 73 },
    ],
  },
  apiTags: { channels: 'Delivery channels: the SMS provider\'s delivery receipts, signed with `X-Gongkai-Signature` (docs/sms-provider.md).' },
  jobs: (p) => {
    // Per platform, from its configuration: two platforms of one process may differ.
    const sms = smsAdapterFromConfig(p.config);
    const local: Record<string, ChannelAdapter> = sms ? { sms } : {};
    return { ...mailJobs(p), ...channelJobs(p, local) };
  },
  routes: inboxRoutes,
};
