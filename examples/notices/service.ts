// What the module does, through the platform's API only: permissions (can), one transaction
// (p.tx), the publish path (publishApproved / withdrawApproved), a clock (startClock: a minimum
// display period, 'finished' when it has run, never overdue), audit (p.audit) and e-mail (enqueueMail).
import type { Platform } from '../../src/platform/platform.js';
import { can } from '../../src/platform/auth/policy.js';
import { actorName, type Actor } from '../../src/platform/auth/actor.js';
import { forbidden, notFound, validationError } from '../../src/platform/errors.js';
import { publishApproved, withdrawApproved, bumpGeneration, defaultMeta } from '../../src/platform/publication/index.js';
import { startClock, stopClock } from '../../src/platform/deadlines/index.js';
import { ensureCalendar, todayShanghai } from '../../src/platform/calendar/index.js';
import { enqueueMail } from '../../src/platform/mail/index.js';
import { cleanLine, cleanText } from '../../src/platform/text.js';
import { NOTICE } from './items.js';
import './schema.js';

/** The rule of the display-period clock: a minimum period (意见征集期 / 公示期 不少于 N 日). */
const DISPLAY_RULE = 'consultation.period';

export interface NoticeInput {
  departmentId: number;
  title: string;
  body: string;
  /** How many calendar days the notice stays displayed at least (5–90). */
  displayDays: number;
  /** Who is told by e-mail once it is published (optional). */
  notify?: string;
}

export async function postNotice(p: Platform, actor: Actor, input: NoticeInput): Promise<{ id: number; indexNo: string; closesOn: string }> {
  // The permission is checked against the target department, not only the caller's roles.
  if (typeof actor !== 'string' && !can(actor, 'notice.post', { departmentId: input.departmentId })) throw forbidden();
  const title = cleanLine(input.title ?? '').trim();
  const fields: Record<string, string> = {};
  if (!title) fields.title = 'err.field.required';
  if (!Number.isInteger(input.displayDays) || input.displayDays < 5 || input.displayDays > 90) fields.displayDays = 'notices.err.days';
  if (input.notify && !/^[^@\s]+@[^@\s]+$/.test(input.notify)) fields.notify = 'err.field.format';
  if (Object.keys(fields).length) throw validationError(fields);
  await ensureCalendar(p.db); // load the working-day calendar before the transaction (see deadlines)
  const out = await p.tx(async (t) => {
    const dept = await t.selectFrom('departments').select('id').where('id', '=', input.departmentId).executeTakeFirst();
    if (!dept) throw validationError({ departmentId: 'err.field.invalid' });
    const item = await publishApproved(p, t, actor, {
      type: NOTICE,
      departmentId: input.departmentId,
      meta: defaultMeta({ title, genre: '公告', topic: '0201', summary: cleanText(input.body).slice(0, 200) }),
      data: { body: cleanText(input.body), displayDays: input.displayDays },
    });
    const clock = await startClock(p, t, { subjectType: NOTICE, subjectId: item.id, rule: DISPLAY_RULE, start: todayShanghai(), amount: input.displayDays, unit: 'days', departmentId: input.departmentId, title, url: `/notices/${item.id}`, publicSubject: true });
    await t.insertInto('example_notices').values({ pub_item_id: item.id, department_id: input.departmentId, closes_on: clock.due, created_at: new Date().toISOString() }).execute();
    await p.audit(t, { actor: actorName(actor), action: 'notice.post', entity: 'pub_item', entityId: item.id, details: { displayDays: input.displayDays } });
    if (input.notify) await enqueueMail(p, t, { to: input.notify, subject: `已发布：${title}`, text: `索引号 ${item.indexNo}，公示至 ${clock.due}。` }, `notice:${item.id}`);
    // A catalog type: the spine always gives its items a 索引号 (null only in sections without one).
    return { id: item.id, indexNo: item.indexNo!, closesOn: clock.due };
  });
  bumpGeneration(); // this process's public cache; other processes follow within a second
  return out;
}

export async function takeDown(p: Platform, actor: Actor, id: number, reason: string): Promise<void> {
  const n = await p.db.selectFrom('example_notices').select(['department_id']).where('pub_item_id', '=', id).executeTakeFirst();
  if (!n) throw notFound();
  if (typeof actor !== 'string' && !can(actor, 'notice.post', { departmentId: n.department_id })) throw forbidden();
  if (!reason?.trim()) throw validationError({ reason: 'err.field.required' });
  await ensureCalendar(p.db);
  await p.tx(async (t) => {
    if (!(await withdrawApproved(p, t, actor, id, reason.trim()))) throw notFound();
    await stopClock(p, t, NOTICE, id, reason.trim());
  });
  bumpGeneration();
}

export async function publicNotices(p: Platform) {
  return p.db
    .selectFrom('example_notices')
    .innerJoin('pub_items', 'pub_items.id', 'example_notices.pub_item_id')
    .select(['pub_items.id', 'pub_items.title', 'pub_items.index_no', 'example_notices.closes_on'])
    .where('pub_items.public', '=', 1)
    .orderBy('pub_items.id', 'desc')
    .limit(50)
    .execute();
}
