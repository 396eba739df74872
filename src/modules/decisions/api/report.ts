// The JSON API of the adoption report (意见采纳情况). Public: the published report of a consultation
// (GET /api/v1/consultations/{cid}/report, from its spine item; names masked, no contacts).
// Staff: the report as it stands with what is missing (GET .../staff/consultations/{cid}/report),
// dispositions of comments and groups, groups of similar comments (with suggestions), the summary,
// submission (editor) and publication (an approver who did not submit it).
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Platform } from '../../../platform/platform.js';
import { ErrorSchema } from '../../../platform/http/schemas.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { badRequest } from '../../../platform/errors.js';
import { cachedPublic } from '../../../platform/publication/cache.js';
import { DISPOSITION_LIMITS, DISPOSITIONS, createGroup, deleteGroup, missingDispositions, setCommentDisposition, suggestGroups, updateGroup } from '../service/dispositions.js';
import { buildReport, consultationForReport, publishReport, publishedReport, REPORT_LIMITS, reportRights, saveSummary, submitReport } from '../service/report.js';

const TAGS = ['major-decisions'];
const IdInt = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Cid = Type.Object({ cid: IdInt });
const CidGid = Type.Object({ cid: IdInt, gid: IdInt });
const Ids = Type.Array(IdInt, { maxItems: DISPOSITION_LIMITS.comments });
const DispositionCode = Type.String({ enum: [...DISPOSITIONS], description: 'adopted 采纳 | partly 部分采纳 | rejected 未采纳' });
const Reason = Type.String({ maxLength: DISPOSITION_LIMITS.reason, description: 'Required for partly and rejected' });

const Comment = Type.Object({
  id: Type.Integer(),
  name: Type.String({ description: "Masked (张*); '' for anonymous" }),
  body: Type.String({ description: 'Personal data masked' }),
  date: Type.String({ description: 'YYYY-MM-DD (Asia/Shanghai)' }),
  disposition: Type.Optional(Type.String({ description: "Ungrouped comments: adopted | partly | rejected | '' (none yet)" })),
  reason: Type.Optional(Type.String()),
});
const Group = Type.Object({ id: Type.Integer(), label: Type.String(), disposition: Type.String(), reason: Type.String(), comments: Type.Array(Comment) });
const Section = Type.Object({ articleId: Type.Union([Type.Integer(), Type.Null()], { description: 'null: the whole draft' }), label: Type.String(), seq: Type.Integer(), groups: Type.Array(Group), comments: Type.Array(Comment) });
const Counts = Type.Object({
  received: Type.Integer(),
  published: Type.Integer(),
  pending: Type.Integer(),
  hidden: Type.Record(Type.String(), Type.Integer(), { description: 'By reason: abuse, personal_data, off_topic, duplicate' }),
  adopted: Type.Integer(),
  partly: Type.Integer(),
  rejected: Type.Integer(),
  undisposed: Type.Integer(),
  groups: Type.Integer(),
});
const Report = Type.Object({
  consultationId: Type.Integer(),
  decisionId: Type.Integer(),
  title: Type.String(),
  department: Type.String(),
  summary: Type.String(),
  opensAt: Type.String(),
  closesAt: Type.String(),
  counts: Counts,
  sections: Type.Array(Section),
});
const PublicReport = Type.Composite([Report, Type.Object({ itemId: Type.Integer(), indexNo: Type.Union([Type.String(), Type.Null()]), publishedAt: Type.String(), url: Type.String() })]);
const Suggestion = Type.Object({ articleId: Type.Union([Type.Integer(), Type.Null()]), commentIds: Type.Array(Type.Integer()), sample: Type.String() });
const StaffReport = Type.Object({
  reportState: Type.String({ enum: ['none', 'draft', 'submitted', 'published'] }),
  consultationState: Type.String(),
  submittedBy: Type.Union([Type.String(), Type.Null()]),
  itemId: Type.Union([Type.Integer(), Type.Null()]),
  missing: Type.Integer({ description: 'Non-hidden comments without a disposition (directly or via their group)' }),
  pending: Type.Integer({ description: 'Comments still awaiting moderation' }),
  may: Type.Object({ edit: Type.Boolean(), submit: Type.Boolean(), publish: Type.Boolean() }),
  report: Report,
});
const DispositionBody = Type.Object(
  {
    commentId: Type.Optional(IdInt),
    groupId: Type.Optional(IdInt),
    disposition: DispositionCode,
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false, description: 'Exactly one of commentId (an ungrouped published comment) and groupId' },
);
const GroupBody = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: DISPOSITION_LIMITS.label, description: 'What the comments say (public in the report)' }),
    commentIds: Type.Array(IdInt, { minItems: 1, maxItems: DISPOSITION_LIMITS.comments, description: 'Published, ungrouped comments on the same article (or all on the whole draft)' }),
    disposition: Type.Optional(DispositionCode),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
const GroupChangeBody = Type.Object(
  {
    label: Type.Optional(Type.String({ minLength: 1, maxLength: DISPOSITION_LIMITS.label })),
    add: Type.Optional(Ids),
    remove: Type.Optional(Ids),
    disposition: Type.Optional(DispositionCode),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
const SummaryBody = Type.Object({ summary: Type.String({ maxLength: REPORT_LIMITS.summary, description: '总体说明' }) }, { additionalProperties: false });
const SubmitBody = Type.Object({ summary: Type.Optional(Type.String({ minLength: 1, maxLength: REPORT_LIMITS.summary })) }, { additionalProperties: false });
const Groups = Type.Object({ groups: Type.Array(Type.Object({ id: Type.Integer(), label: Type.String(), disposition: Type.String(), reason: Type.String(), commentIds: Type.Array(Type.Integer()) })), suggestions: Type.Array(Suggestion) });
const SuggestQuery = Type.Object({ threshold: Type.Optional(Type.Number({ minimum: 0.1, maximum: 1, description: 'Similarity (character bigrams, Jaccard) from which comments are suggested as a group; default 0.5' })) }, { additionalProperties: false });
const Conflicts = { 404: ErrorSchema, 409: ErrorSchema };

export async function reportApi(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Params: Static<typeof Cid> }>(
    '/api/v1/consultations/:cid/report',
    { config: { permission: 'public', conditional: true }, schema: { tags: TAGS, summary: 'The published adoption report (意见采纳情况) of a consultation: summary, counts, dispositions article by article (names masked); 404 until published', params: Cid, response: { 200: PublicReport, 404: ErrorSchema } } },
    async (req, reply) =>
      cachedPublic(p.db, req, reply, `${req.url}|${req.locale}`, async () => {
        const r = await publishedReport(p.db, req.params.cid);
        return { body: JSON.stringify({ ...r.data, itemId: r.itemId, indexNo: r.indexNo, publishedAt: r.publishedAt, url: `/decisions/consultations/${req.params.cid}/report` }), type: 'application/json; charset=utf-8' };
      }),
  );

  const staffView = async (user: Principal, cid: number) => {
    const c = await consultationForReport(p.db, user, cid);
    const [report, m] = await Promise.all([buildReport(p.db, c), missingDispositions(p.db, cid)]);
    return { reportState: c.report_state, consultationState: c.state, submittedBy: c.report_by, itemId: c.report_item_id, missing: m.undisposed, pending: m.pending, may: reportRights(user, c), report };
  };

  app.get<{ Params: Static<typeof Cid> }>(
    '/api/v1/staff/consultations/:cid/report',
    { config: { permission: 'major-decision.read' }, schema: { tags: TAGS, summary: "The adoption report as it stands (every published comment with its disposition), what is missing, and what the caller may do", params: Cid, response: { 200: StaffReport, 404: ErrorSchema } } },
    async (req) => staffView(req.user!, req.params.cid),
  );
  app.put<{ Params: Static<typeof Cid>; Body: Static<typeof SummaryBody> }>(
    '/api/v1/staff/consultations/:cid/report',
    { config: { permission: 'consultation.moderate' }, schema: { tags: TAGS, summary: "Save the report's general text (总体说明); a submitted report goes back to draft", params: Cid, body: SummaryBody, response: { 200: StaffReport, ...Conflicts } } },
    async (req) => {
      await saveSummary(p, req.user!, req.params.cid, req.body.summary);
      return staffView(req.user!, req.params.cid);
    },
  );
  app.post<{ Params: Static<typeof Cid>; Body: Static<typeof DispositionBody> }>(
    '/api/v1/staff/consultations/:cid/dispositions',
    { config: { permission: 'consultation.moderate' }, schema: { tags: TAGS, summary: 'Record the disposition of a comment or a group (reason required for partly and rejected); only once the consultation is closed (409 before), never after publication', params: Cid, body: DispositionBody, response: { 200: StaffReport, 400: ErrorSchema, ...Conflicts } } },
    async (req) => {
      const b = req.body;
      if ((b.commentId === undefined) === (b.groupId === undefined)) throw badRequest('err.validation', { commentId: 'err.field.required', groupId: 'err.field.required' });
      if (b.commentId !== undefined) await setCommentDisposition(p, req.user!, req.params.cid, b.commentId, b);
      else await updateGroup(p, req.user!, req.params.cid, b.groupId!, { disposition: b.disposition, reason: b.reason ?? '' });
      return staffView(req.user!, req.params.cid);
    },
  );
  app.get<{ Params: Static<typeof Cid>; Querystring: Static<typeof SuggestQuery> }>(
    '/api/v1/staff/consultations/:cid/groups',
    { config: { permission: 'major-decision.read' }, schema: { tags: TAGS, summary: 'The groups of similar comments, and suggested new groups (published ungrouped comments of the same article with similar text)', params: Cid, querystring: SuggestQuery, response: { 200: Groups, 404: ErrorSchema } } },
    async (req) => {
      const c = await consultationForReport(p.db, req.user!, req.params.cid);
      const groups = await p.db.selectFrom('dec_comment_groups').selectAll().where('consultation_id', '=', c.id).orderBy('id').execute();
      const members = await p.db.selectFrom('dec_comments').select(['id', 'group_id']).where('consultation_id', '=', c.id).where('group_id', 'is not', null).orderBy('id').execute();
      return {
        groups: groups.map((g) => ({ id: g.id, label: g.label, disposition: g.disposition, reason: g.disposition_reason, commentIds: members.filter((m) => m.group_id === g.id).map((m) => m.id) })),
        suggestions: await suggestGroups(p.db, c.id, req.query.threshold),
      };
    },
  );
  app.post<{ Params: Static<typeof Cid>; Body: Static<typeof GroupBody> }>(
    '/api/v1/staff/consultations/:cid/groups',
    { config: { permission: 'consultation.moderate' }, schema: { tags: TAGS, summary: 'Group similar comments (from a suggestion or by hand), optionally with the disposition', params: Cid, body: GroupBody, response: { 201: Type.Object({ id: Type.Integer() }), 400: ErrorSchema, ...Conflicts } } },
    async (req, reply) => reply.code(201).send(await createGroup(p, req.user!, req.params.cid, req.body)),
  );
  app.patch<{ Params: Static<typeof CidGid>; Body: Static<typeof GroupChangeBody> }>(
    '/api/v1/staff/consultations/:cid/groups/:gid',
    { config: { permission: 'consultation.moderate' }, schema: { tags: TAGS, summary: "Change a group: label, disposition, comments added or removed (removed ones lose any disposition)", params: CidGid, body: GroupChangeBody, response: { 204: Type.Null(), 400: ErrorSchema, ...Conflicts } } },
    async (req, reply) => {
      await updateGroup(p, req.user!, req.params.cid, req.params.gid, req.body);
      return reply.code(204).send();
    },
  );
  app.delete<{ Params: Static<typeof CidGid> }>(
    '/api/v1/staff/consultations/:cid/groups/:gid',
    { config: { permission: 'consultation.moderate' }, schema: { tags: TAGS, summary: 'Dissolve a group (its comments are ungrouped, without a disposition)', params: CidGid, response: { 204: Type.Null(), ...Conflicts } } },
    async (req, reply) => {
      await deleteGroup(p, req.user!, req.params.cid, req.params.gid);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: Static<typeof Cid>; Body: Static<typeof SubmitBody> }>(
    '/api/v1/staff/consultations/:cid/report/submit',
    { config: { permission: 'consultation.moderate' }, schema: { tags: TAGS, summary: 'Submit the report for publication; 409 with the count while comments are pending or lack a disposition', params: Cid, body: SubmitBody, response: { 200: StaffReport, 400: ErrorSchema, ...Conflicts } } },
    async (req) => {
      await submitReport(p, req.user!, req.params.cid, { summary: req.body?.summary });
      return staffView(req.user!, req.params.cid);
    },
  );
  app.post<{ Params: Static<typeof Cid> }>(
    '/api/v1/staff/consultations/:cid/report/publish',
    { config: { permission: 'major-decision.approve' }, schema: { tags: TAGS, summary: 'Publish a submitted report through the spine (not by its submitter: 409) and tell the commenters who left contact data', params: Cid, response: { 200: Type.Object({ itemId: Type.Integer(), indexNo: Type.Union([Type.String(), Type.Null()]), notified: Type.Integer({ description: 'Messages queued (one per phone number and e-mail address)' }), url: Type.String() }), ...Conflicts } } },
    async (req) => {
      const r = await publishReport(p, req.user!, req.params.cid);
      return { ...r, url: `/decisions/consultations/${req.params.cid}/report` };
    },
  );
}
