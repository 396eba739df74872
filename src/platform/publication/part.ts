// The publication spine as a platform part: its tables, its jobs (scheduled publication, the daily
// validity switch, one delivery job kind per registered channel), the validity timer, the search
// source of public items, and the actions of the review workflow every item type goes through.
import type { GongkaiModule } from '../module.js';
import { publicationMigrations, publicationJobs, registerIndexableSource, validityTimer } from './index.js';
import { publicationMessages } from './messages.js';
import { itemSitemaps } from './sitemap.js';
import '../taxonomy/index.js'; // the vocabularies (topics, genres, Art. 20 categories) and the search facets' labels

registerIndexableSource();

export const publicationPart: GongkaiModule = {
  name: 'publication',
  permissions: [
    { action: 'content.read', zh: '查看本部门的公开信息（含草稿）', en: "See one's departments' items, drafts included", roles: ['dept-admin', 'editor', 'reviewer', 'approver'] },
    { action: 'content.create', zh: '起草公开信息', en: 'Draft items', roles: ['dept-admin', 'editor'] },
    { action: 'content.edit', zh: '修改草稿', en: 'Edit drafts', roles: ['dept-admin', 'editor'] },
    { action: 'content.submit', zh: '提交审核', en: 'Submit for review', roles: ['dept-admin', 'editor'] },
    { action: 'content.secrecy', zh: '保密审查', en: 'Secrecy review', roles: ['reviewer'] },
    { action: 'content.review', zh: '审核', en: 'Review', roles: ['reviewer'] },
    { action: 'content.sign', zh: '签发', en: 'Sign off for publication', roles: ['approver'] },
    { action: 'content.withdraw', zh: '撤回已发布的信息', en: 'Withdraw published items', roles: ['approver'] },
  ],
  migrations: publicationMigrations,
  messages: publicationMessages,
  jobs: (p) => publicationJobs(p),
  background: (p) => validityTimer(p),
  sitemap: (p) => itemSitemaps(p),
};
