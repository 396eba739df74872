// Messaging as a platform part: outgoing e-mail ('mail.send', platform/mail), citizen messages
// through channel adapters ('channel.send', platform/channels) and the staff inbox (inbox.ts:
// postNotices, the inbox page and API). Any module queues a message in its transaction with
// enqueueMail / sendMessage / postNotices; nobody registers these jobs but this part.
import type { GongkaiModule } from '../module.js';
import { mailJobs } from '../mail/index.js';
import { channelJobs } from '../channels/index.js';
import { inboxMigrations } from './inbox.js';
import { ledgerMigrations } from '../channels/ledger.js';
import { inboxMessages } from './messages.js';
import { inboxRoutes } from './routes.js';

export const messagingPart: GongkaiModule = {
  name: 'messaging',
  migrations: [...inboxMigrations, ...ledgerMigrations],
  messages: inboxMessages,
  nav: { admin: [{ label: 'nav.inbox', href: '/admin/inbox', order: 71 }] },
  jobs: (p) => ({ ...mailJobs(p), ...channelJobs(p) }),
  routes: inboxRoutes,
};
