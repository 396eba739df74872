// Helpers of the comments tests: a decision, a consultation (open by default, from an hour ago to
// a month ahead) and its articles written directly (the consult part builds those services), and
// comments inserted in bulk with a given status.
import type { TestEnv } from '../helpers.js';

export const STAFF = ['fgj-editor', 'fgj-approver', 'scjg-editor'];

export interface Made {
  decisionId: number;
  id: number;
  articles: number[];
}

export interface ConsultationSpec {
  department?: string;
  state?: 'draft' | 'open' | 'closed';
  opensAt?: string;
  closesAt?: string;
  articles?: number;
  title?: string;
}

export async function consultation(env: TestEnv, spec: ConsultationSpec = {}): Promise<Made> {
  const dept = await env.p.db.selectFrom('departments').select('id').where('code', '=', spec.department ?? 'fgj').executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  return env.p.tx(async (t) => {
    const d = await t
      .insertInto('dec_decisions')
      .values({ department_id: dept.id, year: 2026, title: '示范新区养犬管理办法', basis: '《重大行政决策程序暂行条例》', summary: '规范养犬行为', catalogue_code: '', stage: 'consultation', status: 'open', item_id: null, evaluation_item_id: null, interpretation: '', withdrawn_at: null, submitted_by: null, submitted_at: null, decision_text: '', created_by: 'user:fgj-editor', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const c = await t
      .insertInto('dec_consultations')
      .values({
        decision_id: d.id,
        department_id: dept.id,
        title: spec.title ?? '关于《示范新区养犬管理办法（征求意见稿）》公开征求意见',
        explanation: '起草说明',
        state: spec.state ?? 'open',
        opens_at: spec.opensAt ?? new Date(Date.now() - 3600_000).toISOString(),
        closes_at: spec.closesAt ?? new Date(Date.now() + 30 * 86400_000).toISOString(),
        short_reason: '',
        item_id: null,
        clock_id: null,
        report_state: 'none',
        report_item_id: null,
        report_summary: '',
        report_by: null,
        created_by: 'user:fgj-editor',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const articles: number[] = [];
    const labels = ['第一条', '第二条', '第三条', '第四条', '第五条', '第六条'];
    for (let i = 0; i < (spec.articles ?? 3); i++) {
      const a = await t.insertInto('dec_articles').values({ consultation_id: c.id, seq: i + 1, label: labels[i] ?? `第${i + 1}条`, text: `本办法第${i + 1}条的内容。` }).returning('id').executeTakeFirstOrThrow();
      articles.push(a.id);
    }
    return { decisionId: d.id, id: c.id, articles };
  });
}

export interface CommentSpec {
  articleId?: number | null;
  name?: string;
  email?: string;
  phone?: string;
  body?: string;
  status?: 'pending' | 'published' | 'hidden';
  hideReason?: string;
  createdAt?: string;
}

/** Comments inserted directly (as submitted and moderated); returns their ids. */
export async function comments(env: TestEnv, consultationId: number, specs: CommentSpec[]): Promise<number[]> {
  const ids: number[] = [];
  for (const s of specs) {
    const r = await env.p.db
      .insertInto('dec_comments')
      .values({
        consultation_id: consultationId,
        article_id: s.articleId ?? null,
        name: s.name ?? '',
        email: s.email ?? '',
        phone: s.phone ?? '',
        verified: 0,
        body: s.body ?? '建议进一步明确相关条款的适用范围。',
        status: s.status ?? 'published',
        hide_reason: s.hideReason ?? '',
        moderated_by: s.status && s.status !== 'pending' ? 'user:fgj-editor' : null,
        moderated_at: null,
        group_id: null,
        disposition: '',
        disposition_reason: '',
        client_hash: '',
        notified_at: null,
        created_at: s.createdAt ?? new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(r.id);
  }
  return ids;
}

let client = 0;
/** A fresh client address per call: the per-address budget is not what most tests are about. */
export const fresh = () => `10.77.${Math.floor(++client / 250) % 250}.${(client % 250) + 1}`;
