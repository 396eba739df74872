// Consultations for the report part's tests, written straight into the tables (the consult and
// comments parts that make them are built in parallel): a decision, a consultation in the given
// state with three articles, and comments.
import type { Platform } from '../../src/platform/platform.js';

export interface CommentSpec {
  /** Index into the three articles, or null for the whole draft. */
  article: number | null;
  body: string;
  name?: string;
  email?: string;
  phone?: string;
  status?: 'pending' | 'published' | 'hidden';
  hideReason?: string;
}

export interface Made {
  decisionId: number;
  cid: number;
  departmentId: number;
  articles: number[];
  comments: number[];
}

export async function deptId(p: Platform, code: string): Promise<number> {
  return (await p.db.selectFrom('departments').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

export async function makeConsultation(p: Platform, opts: { dept?: string; state?: string; title?: string; comments?: CommentSpec[] } = {}): Promise<Made> {
  const departmentId = await deptId(p, opts.dept ?? 'fgj');
  const now = new Date();
  const iso = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();
  return p.tx(async (t) => {
    const d = await t
      .insertInto('dec_decisions')
      .values({ department_id: departmentId, year: now.getUTCFullYear(), title: '关于公共自行车系统调整的决定', basis: '《重大行政决策程序暂行条例》', summary: '调整公共自行车免费时长和站点布局', catalogue_code: '', stage: 'consultation', status: 'open', item_id: null, evaluation_item_id: null, interpretation: '', withdrawn_at: null, submitted_by: null, submitted_at: null, decision_text: '', created_by: 'test', created_at: now.toISOString(), updated_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const c = await t
      .insertInto('dec_consultations')
      .values({ decision_id: d.id, department_id: departmentId, title: opts.title ?? '公共自行车系统调整方案（征求意见稿）', explanation: '起草说明', state: opts.state ?? 'closed', opens_at: iso(-40), closes_at: iso(-5), short_reason: '', item_id: null, clock_id: null, report_state: 'none', report_item_id: null, report_summary: '', report_by: null, created_by: 'test', created_at: iso(-41), updated_at: iso(-5) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const articles: number[] = [];
    for (const [i, text] of ['本方案适用于本区公共自行车系统。', '公共自行车每次免费骑行时间为一小时。', '新增站点由区交通部门统一规划。'].entries()) {
      const a = await t.insertInto('dec_articles').values({ consultation_id: c.id, seq: i + 1, label: `第${'一二三'[i]}条`, text }).returning('id').executeTakeFirstOrThrow();
      articles.push(a.id);
    }
    const comments: number[] = [];
    for (const x of opts.comments ?? []) {
      const r = await t
        .insertInto('dec_comments')
        .values({ consultation_id: c.id, article_id: x.article === null ? null : articles[x.article], name: x.name ?? '', email: x.email ?? '', phone: x.phone ?? '', verified: 0, body: x.body, status: x.status ?? 'published', hide_reason: x.hideReason ?? '', moderated_by: x.status === 'pending' ? null : 'test', moderated_at: x.status === 'pending' ? null : iso(-4), group_id: null, disposition: '', disposition_reason: '', client_hash: '', notified_at: null, created_at: iso(-10) })
        .returning('id')
        .executeTakeFirstOrThrow();
      comments.push(r.id);
    }
    return { decisionId: d.id, cid: c.id, departmentId, articles, comments };
  });
}
