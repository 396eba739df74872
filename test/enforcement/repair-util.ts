// Helpers of the display and credit-repair tests: decisions on display written directly (the
// decisions part publishes them in the product), each with a spine item of the catalog's
// `document` type standing for its published text, and the outboxes of SMS and e-mail.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { TestEnv } from '../helpers.js';
import { defaultMeta, publishApproved, bumpGeneration } from '../../src/platform/publication/index.js';
import { displayPeriod } from '../../src/modules/enforcement/service/period.js';
import type { Severity } from '../../src/modules/enforcement/service/codes.js';

export const STAFF = ['scjg-editor', 'scjg-approver', 'fgj-approver'];

let seq = 0;
/** A credit code of the right form (check character not computed). */
export const creditCode = (n: number) => `91210213MA${String(n).padStart(7, '0')}X`;

export interface DecisionSpec {
  kind?: 'penalty' | 'licensing';
  severity?: Severity | '';
  decisionDate: string;
  department?: string;
  subjectType?: 'legal' | 'natural';
  idNumber?: string;
  status?: string;
  /** No spine item (the job and repair must cope). */
  noItem?: boolean;
}

export interface Made {
  id: number;
  itemId: number | null;
  docNo: string;
  creditCode: string;
  title: string;
}

/** A decision as the decisions part leaves it once approved: status 'published', its period set, its spine item public. */
export async function decision(env: TestEnv, spec: DecisionSpec): Promise<Made> {
  const n = ++seq;
  const kind = spec.kind ?? 'penalty';
  const severity = spec.severity ?? (kind === 'penalty' ? 'ordinary' : '');
  const period = displayPeriod(kind, severity as Severity | '', spec.decisionDate);
  const dept = await env.p.db.selectFrom('departments').select('id').where('code', '=', spec.department ?? 'scjg').executeTakeFirstOrThrow();
  const natural = spec.subjectType === 'natural';
  const code = natural ? '' : creditCode(n + Math.floor(Math.random() * 1000) * 1000);
  const docNo = `示范新区市监罚〔${spec.decisionDate.slice(0, 4)}〕${n}号`;
  const title = `${natural ? '张**' : `示范新区测试${n}号商贸有限公司`}行政处罚决定公示 编号${n}${Math.random().toString(36).slice(2, 7)}`;
  const now = new Date().toISOString();
  return env.p.tx(async (t) => {
    const item = spec.noItem
      ? null
      : await publishApproved(env.p, t, 'cli', { type: 'document', departmentId: dept.id, meta: defaultMeta({ title, topic: '0301', genre: '公告', writtenAt: spec.decisionDate }), data: { body: `<p>${title}</p>`, attachments: [], related: [] } });
    const row = await t
      .insertInto('enf_decisions')
      .values({
        kind,
        department_id: dept.id,
        doc_no: docNo,
        subject_type: natural ? 'natural' : 'legal',
        subject_name: natural ? '张建国' : `示范新区测试${n}号商贸有限公司`,
        credit_code: code,
        legal_rep: natural ? '' : '李明',
        address: '示范新区海滨路1号',
        id_number: spec.idNumber ?? '',
        facts: '销售不合格产品',
        category: '罚款',
        basis: '《中华人民共和国产品质量法》第四十九条',
        content: '罚款人民币五千元',
        result: '',
        valid_from: null,
        valid_to: null,
        licence_name: '',
        licence_no: '',
        decision_date: spec.decisionDate,
        domain: 'quality',
        severity,
        display_min_until: period?.minUntil ?? null,
        display_until: period?.until ?? null,
        status: spec.status ?? (period ? 'published' : 'not-shown'),
        end_reason: null,
        end_note: '',
        ended_at: null,
        pub_item_id: item?.id ?? null,
        author_id: 'user:scjg-editor',
        approver_id: 'user:scjg-approver',
        published_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    bumpGeneration();
    return { id: row.id, itemId: item?.id ?? null, docNo, creditCode: code, title };
  });
}

export const row = (env: TestEnv, id: number) => env.p.db.selectFrom('enf_decisions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
export const item = (env: TestEnv, id: number) => env.p.db.selectFrom('pub_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
export const audits = (env: TestEnv, action: string, entityId?: number) => {
  let q = env.p.db.selectFrom('audit_events').selectAll().where('action', '=', action);
  if (entityId !== undefined) q = q.where('entity_id', '=', String(entityId));
  return q.orderBy('seq').execute();
};

/** The text messages sent to `to` (the development sink). */
export function sms(env: TestEnv, to: string): string[] {
  const dir = join(env.dataDir, 'outbox-sms');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .filter((m) => m.to === to)
    .map((m) => m.text as string);
}

/** The body of a one-part .eml (base64 or quoted-printable), as text. */
function bodyOf(eml: string): string {
  const at = eml.indexOf('\n\n');
  const head = eml.slice(0, at);
  const body = eml.slice(at + 2);
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  return body;
}

/** The texts of the e-mails sent to `to`. */
export function mails(env: TestEnv, to: string): string[] {
  const dir = join(env.dataDir, 'outbox-mail');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .filter((m) => m.includes(`To: ${to}`))
    .map(bodyOf);
}

/** Moves the clock (Date only) to noon of a Shanghai day; the real clock still runs in between. */
export function onDay(day: string): void {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(new Date(`${day}T04:00:00Z`));
}
