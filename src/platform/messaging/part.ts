// Messaging as a platform part: outgoing e-mail ('mail.send', platform/mail) and citizen messages
// through channel adapters ('channel.send', platform/channels). Any module queues a message in
// its transaction with enqueueMail / sendMessage; nobody registers these jobs but this part.
import type { GongkaiModule } from '../module.js';
import { mailJobs } from '../mail/index.js';
import { channelJobs } from '../channels/index.js';

export const messagingPart: GongkaiModule = {
  name: 'messaging',
  jobs: (p) => ({ ...mailJobs(p), ...channelJobs(p) }),
};
