// The demo hearing (听证会) on a decision: announced through the service by the department's editor
// (<code>-editor, else the demo actor) with the notice period respected — it starts 10–20 days after
// the earliest day the notice period allows, registration closing 5–7 days before it, so the public
// can still register — the draft's materials already published, a handful of applicants with
// different viewpoints (their contacts kept from the public by the existing pages) and a couple of
// people registered to attend (列席). Deterministic from the decision's id (dates relative to today).
//
// The past hearing (demoPastHearing: drawn, held, with its record and signatures) is history, as
// the enforcement demo's past draws are: the services take every instant from the clock and refuse
// a registration closing in the past, so its rows are written with their instants in the past —
// the notice published through the spine with its historical date, the draw computed by the same
// gongkai-hearing-draw/1 code from the witnesses' secrets (its record re-runs on the public page),
// materials and the record stored as files.
import type { Platform } from '../../../platform/platform.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { actorName } from '../../../platform/auth/actor.js';
import { loadPrincipal } from '../../../platform/auth/identity.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { intWith, pickWith, sampleWith, seededRandom } from '../../../platform/random.js';
import { makeDocx } from '../../catalog/demo/samples.js';
import { addDays, addMaterials, applicantRef, applyToHearing, createHearing, hearingNoticeItem, noticeDays, type FileRef } from '../service/hearings.js';
import { computeHearingDraw, HEARING_DRAW_FORMAT, type HearingDrawRecord } from '../service/hearing-draw.js';
import { commitment } from '../../../platform/draw.js';
import { safeFileName, storeFile } from '../../../platform/files/index.js';
import { publishApproved } from '../../../platform/publication/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';
import type { HearingRow } from '../schema.js';
import { registerAttendance } from '../service/attendance.js';
import type { Viewpoint } from '../service/hearing-draw.js';

export const DEMO_HEARING_PLACES = ['示范新区政务服务中心三楼听证室', '示范新区行政中心二号楼第一会议室', '示范新区市民中心多功能厅'] as const;

/** The demo applicants: name, mobile, e-mail ('' none), viewpoint, reason. */
export const DEMO_APPLICANTS: [string, string, string, Viewpoint, string][] = [
  ['刘建华', '13801230001', 'liujh@example.cn', 'for', '我是附近小区的居民，方案回应了居民多年反映的问题，希望尽快实施，愿意在听证会上介绍居民的实际需求。'],
  ['陈秀英', '13901230002', '', 'for', '我在社区居委会工作，了解群众意见，总体赞成方案，建议实施中加强宣传解释。'],
  ['黄志明', '15001230003', 'huangzm@example.cn', 'for', '作为个体工商户，我认为方案有利于改善经营环境，赞成出台。'],
  ['周桂兰', '13501230004', '', 'against', '方案对老年人和行动不便人员考虑不够，实施后会增加我们的负担，希望听证会上当面说明理由。'],
  ['吴国强', '18601230005', 'wugq@example.cn', 'against', '我经营一家小餐馆，方案的部分规定会增加经营成本，过渡期太短，不赞成按现方案实施。'],
  ['郑丽', '13701230006', '', 'against', '我认为方案前期调研不够充分，部分数据来源没有公开，这些问题说清楚之前不赞成作出决策。'],
  ['孙浩然', '', 'sunhr@example.cn', 'other', '我是执业律师，关注方案中处罚条款与上位法的衔接，希望就条文表述提出修改建议。'],
  ['马晓燕', '15901230008', 'maxy@example.cn', 'other', '我在高校从事城市治理研究，建议增加实施后评估的安排，愿意提供相关研究资料。'],
  ['林文杰', '13601230009', '', 'other', '我对方案没有明确的赞成或反对意见，但希望了解资金来源和监督安排。'],
];

/** People registered to attend (列席): name, mobile. */
export const DEMO_ATTENDEES: [string, string][] = [
  ['何静', '13801239101'],
  ['罗振宇', '13901239102'],
  ['谢婷婷', '15001239103'],
];

async function principalOf(p: Platform, username: string): Promise<Principal | 'demo'> {
  const u = await p.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  return (u && (await loadPrincipal(p.db, u.id, 'token'))) || 'demo';
}

/** 《示范新区机动车停车管理办法》听证会 for 制定《示范新区机动车停车管理办法》; 关于…的听证会 otherwise. */
export function hearingTitle(decision: string): string {
  const named = /《([^》]+)》/.exec(decision);
  if (named) return `《${named[1]}》听证会`;
  return decision.startsWith('关于') ? `${decision}听证会` : `关于${decision}的听证会`;
}

/** A Beijing wall time on a Shanghai date, as a stored instant. */
const beijing = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`).toISOString();

/**
 * Announces a hearing on decision `decisionId` (open: the service refuses others) with applicants,
 * materials and attendees; returns the hearing's id.
 */
export async function demoHearing(p: Platform, decisionId: number): Promise<number> {
  const d = await p.db
    .selectFrom('dec_decisions')
    .innerJoin('departments', 'departments.id', 'dec_decisions.department_id')
    .select(['dec_decisions.title', 'dec_decisions.basis', 'dec_decisions.summary', 'departments.code', 'departments.name as department'])
    .where('dec_decisions.id', '=', decisionId)
    .executeTakeFirstOrThrow();
  const editor = await principalOf(p, `${d.code}-editor`);
  const r = seededRandom(19_500 + decisionId);
  const day = addDays(todayShanghai(), (await noticeDays(p.db)) + intWith(r, 10, 20));
  const startsAt = beijing(day, pickWith(r, ['09:00', '09:30', '14:30']));
  const registrationClosesAt = beijing(addDays(day, -intWith(r, 5, 7)), '17:00');
  const title = hearingTitle(d.title);
  const h = await createHearing(p, editor, decisionId, {
    title: title.slice(0, 200),
    startsAt,
    place: pickWith(r, DEMO_HEARING_PLACES),
    selectionMethod:
      '在报名人员中公开随机抽选听证参加人，按赞成、反对、其他意见三类分层抽选，各类名额按报名人数比例确定。抽选前由两名见证人提交密码承诺，抽选时当场公开密码，抽选记录在本页公布，任何人可以复核。\n报名人数不超过参加人名额的，报名人员均为听证参加人。',
    participants: 5,
    stratified: true,
    registrationClosesAt,
    attendanceCapacity: 20,
  });
  // The draft and its explanation, published well before the 7 days' minimum.
  const material = makeDocx([`${d.title}`, '听证材料：决策草案及起草说明', `决策承办单位：${d.department}`, `决策依据：${d.basis}`, `主要内容：${d.summary}`, `听证会时间、地点见听证公告。听证参加人应当在听证会前认真阅读本材料。`]);
  await addMaterials(p, editor, h.id, { files: [{ filename: '听证材料：决策草案及起草说明.docx', content: material.toString('base64') }] });
  // Six to eight applicants, each viewpoint present.
  const byView = (v: Viewpoint) => DEMO_APPLICANTS.filter((a) => a[3] === v);
  const some = [...(['for', 'against', 'other'] as const).flatMap((v) => sampleWith(r, byView(v), 2)), ...sampleWith(r, DEMO_APPLICANTS, intWith(r, 0, 2))];
  const unique = [...new Map(some.map((a) => [a[0], a])).values()];
  // In the order they registered (not by viewpoint).
  for (const [i, [name, phone, email, viewpoint, reason]] of sampleWith(r, unique, unique.length).entries()) {
    await applyToHearing(p, h.id, { name, phone, email, viewpoint, reason }, `198.51.100.${10 + i}`);
  }
  for (const [k, [name, phone]] of sampleWith(r, DEMO_ATTENDEES, 2).entries()) {
    await registerAttendance(p, h.id, { name, phone }, `198.51.100.${100 + k}`);
  }
  return h.id;
}

/** A stored demo file as the hearing pages name it. */
async function demoFile(p: Platform, lines: string[], name: string): Promise<FileRef> {
  const f = await storeFile(p, makeDocx(lines), name);
  return { fileId: f.hash, name: safeFileName(name, f.ext), size: f.size, mime: f.mime };
}

/** Beijing wall time of an instant, as the draw record writes it. */
const beijingOf = (iso: string): string => `${shanghaiDateTime(iso, true).replace(' ', 'T')}+08:00`;

/**
 * A hearing held 15–30 days ago on decision `decisionId` (history, see the header): announced
 * well ahead, 7–9 applicants, 5 participants drawn (stratified) with two witnesses, materials
 * published 9 days before, the record (听证笔录) uploaded the day after and signed by every
 * participant but one, and three people who attended (列席). Returns the hearing's id.
 */
export async function demoPastHearing(p: Platform, decisionId: number): Promise<number> {
  const d = await p.db
    .selectFrom('dec_decisions')
    .innerJoin('departments', 'departments.id', 'dec_decisions.department_id')
    .select(['dec_decisions.title', 'dec_decisions.basis', 'dec_decisions.summary', 'dec_decisions.department_id', 'departments.code', 'departments.name as department'])
    .where('dec_decisions.id', '=', decisionId)
    .executeTakeFirstOrThrow();
  const editor = await principalOf(p, `${d.code}-editor`);
  const r = seededRandom(29_700 + decisionId);
  const notice = await noticeDays(p.db);
  const day = addDays(todayShanghai(), -intWith(r, 15, 30));
  const startsAt = beijing(day, pickWith(r, ['09:00', '09:30', '14:30']));
  const closesDay = addDays(day, -intWith(r, 5, 7));
  const registrationClosesAt = beijing(closesDay, '17:00');
  const announcedAt = beijing(addDays(closesDay, -notice - intWith(r, 3, 8)), '10:00');
  const materialsAt = beijing(addDays(day, -9), '15:00');
  const preparedAt = beijing(addDays(closesDay, 1), '09:30');
  const drawnAt = beijing(addDays(closesDay, 1), '10:00');
  const recordAt = beijing(addDays(day, 1), '16:00');
  const title = hearingTitle(d.title);
  const materials = [await demoFile(p, [d.title, '听证材料：决策草案及起草说明', `决策承办单位：${d.department}`, `决策依据：${d.basis}`, `主要内容：${d.summary}`], '听证材料：决策草案及起草说明.docx')];
  const applicants = sampleWith(r, DEMO_APPLICANTS, intWith(r, 7, 9));
  const witnesses = [
    { name: pickWith(r, ['王立新（区人大代表）', '赵敏（区政协委员）']), secret: `demo-witness-a-${decisionId}-${intWith(r, 1000, 9999)}` },
    { name: pickWith(r, ['钱卫东（社区居民代表）', '冯晓丽（法律顾问）']), secret: `demo-witness-b-${decisionId}-${intWith(r, 1000, 9999)}` },
  ];
  const attendees = DEMO_ATTENDEES;
  const place = pickWith(r, DEMO_HEARING_PLACES);
  // Files first: they are stored outside the transaction.
  const recordFile = await demoFile(
      p,
    [`${title}笔录`, `时间：${shanghaiDateTime(startsAt)}`, `地点：${place}`, `主持人：${d.department}法制机构负责人`, '听证参加人依次发言，围绕决策草案的必要性、可行性和具体条款发表意见。', '承办单位对参加人提出的问题逐一作了说明。', '听证参加人核对笔录无误后签字。'],
    '听证笔录.docx',
  );
  return p.tx(async (t) => {
    const h = (await t
      .insertInto('dec_hearings')
      .values({
        decision_id: decisionId,
        department_id: d.department_id,
        title: title.slice(0, 200),
        starts_at: startsAt,
        place,
        selection_method: '在报名人员中公开随机抽选听证参加人，按赞成、反对、其他意见三类分层抽选，各类名额按报名人数比例确定。抽选前由两名见证人提交密码承诺，抽选时当场公开密码，抽选记录在本页公布，任何人可以复核。',
        participants: 5,
        stratified: 1,
        registration_closes_at: registrationClosesAt,
        attendance_capacity: 20,
        state: 'held',
        item_id: null,
        draw: '',
        materials: JSON.stringify(materials),
        materials_published_at: materialsAt,
        record_file_id: null,
        announced_at: announcedAt,
        created_by: actorName(editor),
        created_at: announcedAt,
        updated_at: recordAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow()) as HearingRow;
    const item = await publishApproved(p, t, editor, { ...(await hearingNoticeItem(t, h)), publishedAt: new Date(announcedAt) });
    // Registrations between the announcement and the closing.
    const span = Date.parse(registrationClosesAt) - Date.parse(announcedAt);
    const ids: number[] = [];
    for (const [i, [name, phone, email, viewpoint, reason]] of applicants.entries()) {
      const at = new Date(Date.parse(announcedAt) + Math.floor((span * (i + 1)) / (applicants.length + 2))).toISOString();
      const row = await t.insertInto('dec_hearing_applicants').values({ hearing_id: h.id, name, phone, email, viewpoint, reason, selected: 0, client_hash: '', created_at: at }).returning('id').executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    const refs = ids.map((id, i) => ({ ref: applicantRef(id), viewpoint: applicants[i][3] }));
    const result = computeHearingDraw({ hearing: h.id, applicants: refs, participants: 5, stratified: true, secrets: witnesses.map((w) => w.secret), beacon: '' });
    const record: HearingDrawRecord = {
      format: HEARING_DRAW_FORMAT,
      hearing: h.id,
      status: 'done',
      applicants: refs,
      participants: 5,
      stratified: true,
      witnesses: witnesses.map((w) => ({ name: w.name, commitment: commitment(w.secret) })),
      secrets: witnesses.map((w) => w.secret),
      beacon: '',
      seed: result.seed,
      quotas: result.quotas,
      selection: result.selection,
      preparedAt: beijingOf(preparedAt),
      drawnAt: beijingOf(drawnAt),
    };
    const selected = result.selection.map((ref) => Number(ref));
    await t.updateTable('dec_hearings').set({ item_id: item.id, draw: JSON.stringify(record), record_file: JSON.stringify(recordFile), record_uploaded_at: recordAt }).where('id', '=', h.id).execute();
    if (selected.length) {
      await t.updateTable('dec_hearing_applicants').set({ selected: 1 }).where('id', 'in', selected).execute();
      // Every participant signed the record but the last drawn, who left early.
      const signed = selected.slice(0, -1);
      if (signed.length) await t.updateTable('dec_hearing_applicants').set({ signed_at: recordAt }).where('id', 'in', signed).execute();
    }
    for (const [k, [name, phone]] of attendees.entries()) {
      await t.insertInto('dec_hearing_attendance').values({ hearing_id: h.id, name, phone, email: '', status: 'confirmed', client_hash: '', created_at: new Date(Date.parse(announcedAt) + (k + 1) * 86_400_000).toISOString() }).execute();
    }
    return h.id;
  });
}
