// Decision openness (决策公开, Decree 713): the 决策事项目录 (a list type of the list engine), each
// major decision's record and stages with a public timeline, public consultations with comments on
// each article, the adoption report that gates the decision, and hearings with a verifiable draw of
// participants and public attendance. See docs/architecture.md, "Decisions".
import type { GongkaiModule } from '../../platform/module.js';
import { decisionMigrations } from './schema.js';
import { decisionMessages } from './messages.js';
import './items.js';
// part: stages (imports)
import { decisionsApi } from './api/decisions.js';
import { decisionsPublic, decisionsSitemap } from './public/decisions.js';
import { decisionsConsole } from './console/decisions.js';
// part: consultations (imports)
import { consultationsApi } from './api/consultations.js';
import { consultationBackground, consultationJobs } from './service/consultations.js';
import { consultationPages, consultationsHome } from './public/consultations.js';
import { consultationConsole } from './console/consultations.js';
// part: comments (imports)
import { commentRoutes } from './api/comments.js';
import { commentsConsole } from './console/comments.js';
// part: report (imports)
import { reportApi } from './api/report.js';
import { reportPages } from './public/report.js';
import { reportConsole } from './console/report.js';
// part: hearings (imports)
import { hearingRoutes } from './api/hearings.js';
import { loadDemoDecisions } from './demo/index.js';

export const decisionsModule: GongkaiModule = {
  name: 'decisions',
  permissions: [
    { action: 'major-decision.read', zh: '查看本部门的重大行政决策（含未公开的）', en: "See one's departments' major decisions, unpublished ones included", roles: ['dept-admin', 'editor', 'reviewer', 'approver'] },
    { action: 'major-decision.edit', zh: '办理本部门的重大行政决策：阶段、征求意见、听证', en: "Run one's departments' major decisions: stages, consultations, hearings", roles: ['dept-admin', 'editor'] },
    { action: 'major-decision.approve', zh: '审核发布意见采纳情况和决策（不得审核本人提交的）', en: 'Approve and publish adoption reports and decisions (not ones own)', roles: ['approver'] },
    { action: 'consultation.moderate', zh: '审核公众意见、处理意见采纳', en: 'Moderate public comments and record their dispositions', roles: ['dept-admin', 'editor'] },
  ],
  migrations: decisionMigrations,
  messages: decisionMessages,
  apiTags: {
    'major-decisions': '重大行政决策: decisions, their stages, consultations with comments, adoption reports and hearings.',
  },
  nav: {
    public: [{ label: 'nav.decisions', href: '/decisions', order: 58 }],
    admin: [{ label: 'nav.decisions_admin', href: '/admin/decisions', permission: 'major-decision.read', order: 48 }],
  },
  // part: stages (sitemap): /decisions and every decision's timeline.
  sitemap: (p) => [decisionsSitemap(p)],
  // part: consultations — open consultations on the portal's home page; closing at the closing instant.
  home: consultationsHome,
  jobs: (p) => ({ ...consultationJobs(p) }),
  background: (p) => consultationBackground(p),
  demo: loadDemoDecisions,
  async routes(app, p) {
    // part: stages (routes)
    await decisionsApi(app, p);
    await decisionsPublic(app, p);
    await decisionsConsole(app, p);
    // part: consultations (routes)
    await consultationsApi(app, p);
    await consultationPages(app, p);
    await consultationConsole(app, p);
    // part: comments (routes)
    await commentRoutes(app, p);
    await commentsConsole(app, p);
    // part: report (routes)
    await reportApi(app, p);
    await reportPages(app, p);
    await reportConsole(app, p);
    // part: hearings (routes)
    await hearingRoutes(app, p);
  },
};
