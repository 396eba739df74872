// The demo adoption report (意见采纳情况) of a closed consultation whose comments are all moderated:
// similar published comments grouped as the console suggests them (service/dispositions.ts
// suggestGroups), a disposition for every group and every other published comment — 采纳, 部分采纳
// or 未采纳, the last two with a plausible reason — a general text (总体说明) with the counts, then
// submitted by the department's editor (<code>-editor) and published by its approver
// (<code>-approver), the demo actor standing in for an account the department lacks. Deterministic:
// the same consultation and comments give the same report.
import type { Platform } from '../../../platform/platform.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { loadPrincipal } from '../../../platform/auth/identity.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { seededRandom } from '../../../platform/random.js';
import { createGroup, missingDispositions, setCommentDisposition, suggestGroups, updateGroup, type Disposition } from '../service/dispositions.js';
import { publishReport, saveSummary, submitReport } from '../service/report.js';

/** Reasons of 部分采纳: what was taken up and what not, and why (fit for any comment). */
export const PARTLY_REASONS = [
  '意见的合理部分已吸收，相关条款的表述作了相应完善；其余内容涉及具体执行，将在配套实施细则中研究明确。',
  '意见所提问题确实存在，已对相关条款作了细化；具体标准将由主管部门另行制定并向社会公布。',
  '采纳了意见的基本思路，修改稿中作了原则性规定；具体措施需结合年度财政预算统筹安排，将在实施中逐步落实。',
  '意见中可操作的部分已在修改稿中体现；其余建议涉及其他部门职责，已转送相关部门研究。',
] as const;

/** Reasons of 未采纳. */
export const REJECTED_REASONS = [
  '该事项上位法已有明确规定，本办法不再重复规定。',
  '意见所提事项不属于本办法的调整范围，已转交相关部门研究处理。',
  '经评估，该建议将明显增加基层执行成本，现阶段不具备实施条件，暂不采纳。',
  '征求意见稿现有条款已能涵盖意见所提情形，无需另行规定。',
  '该建议与上位法的规定不一致，依法不予采纳。',
] as const;

/** Notes kept with some 采纳 (a reason is optional there). */
const ADOPTED_NOTES = ['已根据该意见修改相关条款。', '已在修改稿中采纳。', ''] as const;

/** The similarity from which comments are grouped when none reach the console's threshold. */
const LOOSE_THRESHOLD = 0.35;

/** 2026-05-01 → 2026年5月1日. */
const zhDate = (d: string) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** A group's label: the first comment's text (the page says how many comments it holds). */
function groupLabel(sample: string): string {
  const s = sample.trim().replace(/[。；，、\s]+$/, '');
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** A comment that only supports the draft (赞成本方案…, no 但 / 建议): adopted, with a thank-you. */
const supports = (body: string) => /^[^。！？!?不]{0,6}(赞成|支持|同意|拥护)/.test(body) && !/不赞成|不支持|不同意|但|不过|建议/.test(body);
const SUPPORTED = { disposition: 'adopted' as const, reason: '感谢对本项决策的支持，将在实施中认真落实。' };

/** The i-th disposition of the report: varied, about half 采纳, the rest 部分采纳 and 未采纳, every kind among the first three. */
function dispositionAt(r: () => number, i: number): { disposition: Disposition; reason: string } {
  const kinds: Disposition[] = ['adopted', 'partly', 'rejected'];
  const kind = i < kinds.length ? kinds[i] : r() < 0.5 ? 'adopted' : r() < 0.5 ? 'partly' : 'rejected';
  const pool = kind === 'adopted' ? ADOPTED_NOTES : kind === 'partly' ? PARTLY_REASONS : REJECTED_REASONS;
  return { disposition: kind, reason: pool[Math.floor(r() * pool.length)] };
}

async function principalOf(p: Platform, username: string): Promise<Principal | 'demo'> {
  const u = await p.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  return (u && (await loadPrincipal(p.db, u.id, 'token'))) || 'demo';
}

/**
 * Writes and publishes the adoption report of consultation `cid`. Null when that is not possible:
 * no such consultation, not closed, or a comment still pending moderation. A report already
 * published is left as it is ({ published: true }); a report half done (some dispositions, or
 * submitted) is completed.
 */
export async function demoAdoptionReport(p: Platform, cid: number): Promise<{ published: boolean } | null> {
  const c = await p.db.selectFrom('dec_consultations').selectAll().where('id', '=', cid).executeTakeFirst();
  if (!c || c.state !== 'closed') return null;
  if (c.report_state === 'published') return { published: true };
  if ((await missingDispositions(p.db, cid)).pending) return null;
  const dept = await p.db.selectFrom('departments').select('code').where('id', '=', c.department_id).executeTakeFirstOrThrow();
  const editor = await principalOf(p, `${dept.code}-editor`);
  const approver = await principalOf(p, `${dept.code}-approver`);
  const r = seededRandom(19_000 + cid);
  let n = 0;

  if (c.report_state !== 'submitted') {
    // Groups first (a grouped comment takes its group's disposition), then every comment left alone.
    // Suggested at the console's threshold; somewhat looser when that finds no pair.
    let suggested = await suggestGroups(p.db, cid);
    if (!suggested.length) suggested = await suggestGroups(p.db, cid, LOOSE_THRESHOLD);
    for (const s of suggested) {
      await createGroup(p, editor, cid, { label: groupLabel(s.sample), commentIds: s.commentIds, ...(supports(s.sample) ? SUPPORTED : dispositionAt(r, n++)) });
    }
    const groups = await p.db.selectFrom('dec_comment_groups').select('id').where('consultation_id', '=', cid).where('disposition', '=', '').orderBy('id').execute();
    for (const g of groups) await updateGroup(p, editor, cid, g.id, dispositionAt(r, n++));
    const loose = await p.db.selectFrom('dec_comments').select(['id', 'body']).where('consultation_id', '=', cid).where('status', '=', 'published').where('group_id', 'is', null).where('disposition', '=', '').orderBy('id').execute();
    for (const x of loose) await setCommentDisposition(p, editor, cid, x.id, supports(x.body) ? SUPPORTED : dispositionAt(r, n++));
    await saveSummary(p, editor, cid, await summaryOf(p, cid));
    await submitReport(p, editor, cid);
  }
  await publishReport(p, approver, cid);
  return { published: true };
}

/** The general text: the period, the counts, how the opinions were handled. */
async function summaryOf(p: Platform, cid: number): Promise<string> {
  const c = await p.db.selectFrom('dec_consultations').select(['opens_at', 'closes_at']).where('id', '=', cid).executeTakeFirstOrThrow();
  const rows = await p.db
    .selectFrom('dec_comments')
    .leftJoin('dec_comment_groups', 'dec_comment_groups.id', 'dec_comments.group_id')
    .select(['dec_comments.status', 'dec_comments.group_id', 'dec_comments.disposition', 'dec_comment_groups.disposition as group_disposition'])
    .where('dec_comments.consultation_id', '=', cid)
    .execute();
  const n = { received: rows.length, published: 0, hidden: 0, adopted: 0, partly: 0, rejected: 0 };
  for (const x of rows) {
    if (x.status === 'hidden') {
      n.hidden++;
      continue;
    }
    n.published++;
    const d = x.group_id !== null ? x.group_disposition ?? '' : x.disposition;
    if (d === 'adopted' || d === 'partly' || d === 'rejected') n[d]++;
  }
  const groups = new Set(rows.filter((x) => x.group_id !== null).map((x) => x.group_id)).size;
  const period = `${zhDate(shanghaiDate(c.opens_at))}至${zhDate(shanghaiDate(c.closes_at))}，我们就征求意见稿向社会公开征求意见`;
  const lines = [
    n.received
      ? `${period}，共收到意见${n.received}条，经审核公开${n.published}条${n.hidden ? `，另有${n.hidden}条因含有辱骂、个人信息、与征求意见稿无关或重复等原因未予公开` : ''}。`
      : `${period}，征求意见期间未收到意见。`,
    ...(n.published
      ? [`对公开的意见，我们逐条进行了研究${groups ? `，并将内容相近的意见合并为${groups}组一并答复` : ''}。其中采纳${n.adopted}条，部分采纳${n.partly}条，未采纳${n.rejected}条${n.partly + n.rejected ? '；对部分采纳和未采纳的意见，均逐条说明了理由' : ''}。`]
      : []),
    '感谢社会各界对本项决策的关心和支持。根据公众意见修改完善后的文本，将按程序提请集体讨论决定。',
  ];
  return lines.join('\n');
}
