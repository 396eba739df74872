// The console of the adoption report: /admin/consultations/{cid}/report. Staff who may read the
// department's decisions see the report as it stands; editors (consultation.moderate) get the
// suggested groups of similar comments (one form each: a label, optionally the disposition), a
// form to group comments by hand, a disposition form (adopted / partly / rejected + reason) on each
// group and each ungrouped comment, the general text and submission; approvers who did not submit
// it publish it, with a confirmation. Every form works without JavaScript.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, Csrf, Dl, Empty, Field, Notice, Pager, Select, Zh, type PageCtx } from '../../../platform/render/index.js';
import { HttpError, notFound, validationError } from '../../../platform/errors.js';
import { localParams } from '../../../platform/i18n/index.js';
import { createGroup, deleteGroup, DISPOSITION_LIMITS, DISPOSITIONS, missingDispositions, setCommentDisposition, suggestGroups, updateGroup } from '../service/dispositions.js';
import { buildReport, consultationForReport, publishReport, REPORT_LIMITS, reportRights, saveSummary, submitReport } from '../service/report.js';
import { dispositionLabel, ReportCountsView, sectionTitle, type ReportComment, type ReportGroup, type ReportSection } from '../items/report.js';

type Fields = Record<string, string>;
const PAGE_SIZE = 40;

const idOf = (s: string) => {
  if (!/^\d{1,9}$/.test(s)) throw notFound();
  return Number(s);
};
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function errorFields(req: FastifyRequest, err: unknown): { fields: Fields; status: number } | null {
  if (!(err instanceof HttpError) || err.status >= 500 || err.status === 404 || err.status === 403) return null;
  const params = localParams(req.locale, err.params);
  const message = req.t(err.message, params);
  if (err.fields) return { fields: { _: message, ...Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, params)])) }, status: err.status };
  return { fields: { _: message }, status: err.status };
}

function DispositionForm({ c, cid, target, id, d, reason, formId }: { c: PageCtx; cid: number; target: 'commentId' | 'groupId'; id: number; d: string; reason: string; formId: string }) {
  return (
    <form method="post" action={`/admin/consultations/${cid}/report/disposition`} class="stack disposition-form">
      <Csrf c={c} />
      <input type="hidden" name={target} value={String(id)} />
      <Select label={c.t('decisions.report.console.disposition')} name="disposition" id={`${formId}-d`} value={d} blank={c.t('decisions.report.console.choose')} required options={DISPOSITIONS.map((x) => ({ value: x, label: dispositionLabel(c, x) }))} />
      <Field label={c.t('decisions.report.console.reason')} name="reason" id={`${formId}-r`} value={reason} multiline rows={2} maxLength={DISPOSITION_LIMITS.reason} hint={c.t('decisions.report.console.reason_hint')} />
      <button type="submit">{c.t('decisions.report.console.save')}</button>
    </form>
  );
}

function CommentLine({ c, x }: { c: PageCtx; x: ReportComment }) {
  return (
    <p>
      <span class="muted">
        {c.t('decisions.report.console.comment_no', { id: x.id })} · <Zh c={c}>{x.name || c.t('decisions.report.anonymous')}</Zh> · {x.date}
      </span>
      <br />
      <Zh c={c}>{x.body}</Zh>
    </p>
  );
}

type Entry = { s: ReportSection; g: ReportGroup } | { s: ReportSection; x: ReportComment };

export async function reportConsole(app: FastifyInstance, p: Platform): Promise<void> {
  const page = async (req: FastifyRequest, reply: FastifyReply, cid: number, form?: { fields: Fields; status: number }) => {
    const c = req.ctx(reply);
    const cons = await consultationForReport(p.db, req.user!, cid);
    const [report, missing, suggestions] = await Promise.all([buildReport(p.db, cons), missingDispositions(p.db, cid), suggestGroups(p.db, cid)]);
    const may = reportRights(req.user!, cons);
    const q = (req.query ?? {}) as Record<string, string>;
    const onlyMissing = q.show !== 'all';
    const n = /^\d{1,5}$/.test(q.page ?? '') && Number(q.page) >= 1 ? Number(q.page) : 1;
    const f = form?.fields ?? {};
    const entries: Entry[] = report.sections.flatMap((s) => [...s.groups.map((g) => ({ s, g })), ...s.comments.map((x) => ({ s, x }))]).filter((e) => !onlyMissing || !('g' in e ? e.g.disposition : e.x.disposition));
    const shown = entries.slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE);
    const title = c.t('decisions.report.console.title', { title: cons.title });
    const base = `/admin/consultations/${cid}/report`;
    const done = typeof q.done === 'string' && /^[a-z]{1,20}$/.test(q.done) ? q.done : '';
    const articleLabel = (aid: number | null) => sectionTitle(c, report.sections.find((s) => s.articleId === aid) ?? { articleId: aid, label: '', seq: 0 });
    return reply.html(
      <AdminLayout c={c} title={title}>
        <nav class="breadcrumb" aria-label={c.t('decisions.report.breadcrumb')}>
          <a href="/admin/decisions">{c.t('nav.decisions_admin')}</a> › <a href={`/admin/decisions/${cons.decision_id}`}>{c.t('decisions.report.decision_link')}</a> › <a href={`/admin/consultations/${cid}`}>{c.t('decisions.report.consultation_link')}</a>
        </nav>
        <h1>
          <Zh c={c}>{title}</Zh>
        </h1>
        {done && <Notice kind="success">{c.t(`decisions.report.console.done.${done}`)}</Notice>}
        {f._ && <Notice kind="error">{f._}</Notice>}
        {Object.entries(f).filter(([k]) => k !== '_').length > 0 && (
          <Notice kind="error">
            <ul>
              {Object.entries(f)
                .filter(([k]) => k !== '_')
                .map(([, v]) => (
                  <li>{v}</li>
                ))}
            </ul>
          </Notice>
        )}
        <Dl
          rows={[
            [c.t('decisions.report.console.consultation_state'), c.t(`decisions.report.consultation_state.${cons.state}`)],
            [c.t('decisions.report.console.report_state'), c.t(`decisions.report.state.${cons.report_state}`)],
            [c.t('decisions.report.console.missing'), String(missing.undisposed)],
            [c.t('decisions.report.console.pending'), missing.pending ? <a href={`/admin/consultations/${cid}/comments`}>{String(missing.pending)}</a> : '0'],
            ...(cons.report_state === 'published' ? [[c.t('decisions.report.console.public_page'), <a href={`/decisions/consultations/${cid}/report`}>{c.t('decisions.report.title')}</a>] as [string, any]] : []),
          ]}
        />
        {cons.state !== 'closed' && <Notice kind="info">{c.t('decisions.report.console.not_closed')}</Notice>}
        <h2>{c.t('decisions.report.counts')}</h2>
        <ReportCountsView c={c} n={report.counts} />

        {may.edit && (
          <section aria-labelledby="suggestions">
            <h2 id="suggestions">{c.t('decisions.report.console.suggestions')}</h2>
            {!suggestions.length && <Empty>{c.t('decisions.report.console.no_suggestions')}</Empty>}
            {suggestions.slice(0, 20).map((s, i) => (
              <form method="post" action={`${base}/groups`} class="stack suggestion">
                <Csrf c={c} />
                <p>
                  <Zh c={c}>{articleLabel(s.articleId)}</Zh>
                  {c.t('common.colon')}
                  {c.t('decisions.report.console.suggested_comments', { ids: s.commentIds.join(c.t('decisions.report.list_sep')) })}
                </p>
                <input type="hidden" name="commentIds" value={s.commentIds.join(',')} />
                <Field label={c.t('decisions.report.console.group_label')} name="label" id={`s${i}-label`} value={s.sample} maxLength={DISPOSITION_LIMITS.label} required />
                <button type="submit">{c.t('decisions.report.console.make_group')}</button>
              </form>
            ))}
            <h3>{c.t('decisions.report.console.manual_group')}</h3>
            <form method="post" action={`${base}/groups`} class="stack">
              <Csrf c={c} />
              <Field label={c.t('decisions.report.console.group_label')} name="label" id="m-label" maxLength={DISPOSITION_LIMITS.label} required error={f.label} />
              <Field label={c.t('decisions.report.console.comment_ids')} name="commentIds" id="m-ids" hint={c.t('decisions.report.console.comment_ids_hint')} maxLength={10000} required error={f.commentIds} />
              <button type="submit">{c.t('decisions.report.console.make_group')}</button>
            </form>
          </section>
        )}

        <section aria-labelledby="entries">
          <h2 id="entries">{c.t('decisions.report.dispositions')}</h2>
          <p>
            {onlyMissing ? <a href={`${base}?show=all`}>{c.t('decisions.report.console.show_all')}</a> : <a href={base}>{c.t('decisions.report.console.show_missing')}</a>}
          </p>
          {!shown.length && <Empty>{onlyMissing ? c.t('decisions.report.console.none_missing') : c.t('decisions.report.no_comments')}</Empty>}
          <ol class="report-entries">
            {shown.map((e) =>
              'g' in e ? (
                <li id={`group-${e.g.id}`}>
                  <h3>
                    <Zh c={c}>{sectionTitle(c, e.s)}</Zh> · {c.t('decisions.report.group_heading', { n: e.g.comments.length })}
                    <Zh c={c}>{e.g.label}</Zh>
                  </h3>
                  <p>
                    <strong>{dispositionLabel(c, e.g.disposition)}</strong>
                    {e.g.reason && <> — <Zh c={c}>{e.g.reason}</Zh></>}
                  </p>
                  <details>
                    <summary>{c.t('decisions.report.group_comments', { n: e.g.comments.length })}</summary>
                    {e.g.comments.map((x) => (
                      <div>
                        <CommentLine c={c} x={x} />
                        {may.edit && (
                          <form method="post" action={`${base}/groups/${e.g.id}/remove`} class="inline">
                            <Csrf c={c} />
                            <input type="hidden" name="commentId" value={String(x.id)} />
                            <button type="submit" class="link">{c.t('decisions.report.console.remove_from_group')}</button>
                          </form>
                        )}
                      </div>
                    ))}
                  </details>
                  {may.edit && <DispositionForm c={c} cid={cid} target="groupId" id={e.g.id} d={e.g.disposition} reason={e.g.reason} formId={`g${e.g.id}`} />}
                  {may.edit && (
                    <form method="post" action={`${base}/groups/${e.g.id}/delete`} class="inline">
                      <Csrf c={c} />
                      <button type="submit" class="link">{c.t('decisions.report.console.dissolve')}</button>
                    </form>
                  )}
                </li>
              ) : (
                <li id={`comment-${e.x.id}`}>
                  <h3 class="muted">
                    <Zh c={c}>{sectionTitle(c, e.s)}</Zh>
                  </h3>
                  <CommentLine c={c} x={e.x} />
                  <p>
                    <strong>{dispositionLabel(c, e.x.disposition)}</strong>
                    {e.x.reason && <> — <Zh c={c}>{e.x.reason}</Zh></>}
                  </p>
                  {may.edit && <DispositionForm c={c} cid={cid} target="commentId" id={e.x.id} d={e.x.disposition ?? ''} reason={e.x.reason ?? ''} formId={`c${e.x.id}`} />}
                </li>
              ),
            )}
          </ol>
          <Pager c={c} page={n} pageSize={PAGE_SIZE} total={entries.length} href={(k) => `${base}?${new URLSearchParams({ ...(onlyMissing ? {} : { show: 'all' }), page: String(k) })}`} />
        </section>

        {may.edit && (
          <section aria-labelledby="summary">
            <h2 id="summary">{c.t('decisions.report.summary')}</h2>
            <form method="post" action={`${base}/summary`} class="stack">
              <Csrf c={c} />
              <Field label={c.t('decisions.report.summary')} name="summary" value={cons.report_summary} multiline rows={8} maxLength={REPORT_LIMITS.summary} hint={c.t('decisions.report.console.summary_hint')} error={f.summary} />
              <div class="actions">
                <button type="submit" name="action" value="save">{c.t('decisions.report.console.save_summary')}</button>
                {may.submit && (
                  <button type="submit" name="action" value="submit">
                    {c.t('decisions.report.console.submit')}
                  </button>
                )}
              </div>
            </form>
          </section>
        )}
        {may.publish && (
          <section aria-labelledby="publish">
            <h2 id="publish">{c.t('decisions.report.console.publish')}</h2>
            <form method="post" action={`${base}/publish`} class="stack">
              <Csrf c={c} />
              <p>{c.t('decisions.report.console.publish_intro')}</p>
              <label class="confirm" id="f-confirm">
                <input type="checkbox" name="confirm" value="yes" required /> {c.t('decisions.report.console.publish_confirm')}
              </label>
              <button type="submit">{c.t('decisions.report.console.publish')}</button>
            </form>
          </section>
        )}
        {cons.report_state === 'submitted' && !may.publish && <Notice kind="info">{c.t('decisions.report.console.awaiting')}</Notice>}
      </AdminLayout>,
      form?.status,
    );
  };

  app.get<{ Params: { cid: string } }>('/admin/consultations/:cid/report', { config: { permission: 'major-decision.read' } }, async (req, reply) => page(req, reply, idOf(req.params.cid)));

  /** A form's POST: runs `act`, then back to the page (303 with ?done=), or the page with the error. */
  const post = (path: string, permission: string, act: (req: FastifyRequest, cid: number, b: Record<string, unknown>) => Promise<string>) =>
    app.post<{ Params: { cid: string; gid?: string }; Body: Record<string, unknown> }>(path, { config: { permission } }, async (req, reply) => {
      const cid = idOf(req.params.cid);
      try {
        const done = await act(req, cid, (req.body ?? {}) as Record<string, unknown>);
        return reply.redirect(`/admin/consultations/${cid}/report?done=${done}`, 303);
      } catch (err) {
        const e = errorFields(req, err);
        if (!e) throw err;
        return page(req, reply, cid, e);
      }
    });

  const ids = (v: unknown): number[] => {
    const parts = (Array.isArray(v) ? v.map(str) : str(v).split(/[\s,，、;；]+/)).map((x) => x.trim()).filter(Boolean);
    if (!parts.length) throw validationError({ commentIds: 'err.field.required' });
    if (parts.some((x) => !/^\d{1,9}$/.test(x)) || parts.length > DISPOSITION_LIMITS.comments) throw validationError({ commentIds: 'err.field.invalid' });
    return parts.map(Number);
  };

  post('/admin/consultations/:cid/report/disposition', 'consultation.moderate', async (req, cid, b) => {
    const input = { disposition: str(b.disposition), reason: str(b.reason) };
    if (str(b.groupId)) {
      if (!/^\d{1,9}$/.test(str(b.groupId))) throw validationError({ groupId: 'err.field.invalid' });
      await updateGroup(p, req.user!, cid, Number(b.groupId), input);
    } else {
      if (!/^\d{1,9}$/.test(str(b.commentId))) throw validationError({ commentId: 'err.field.invalid' });
      await setCommentDisposition(p, req.user!, cid, Number(b.commentId), input);
    }
    return 'disposition';
  });
  post('/admin/consultations/:cid/report/groups', 'consultation.moderate', async (req, cid, b) => {
    await createGroup(p, req.user!, cid, { label: str(b.label), commentIds: ids(b.commentIds), ...(str(b.disposition) ? { disposition: str(b.disposition), reason: str(b.reason) } : {}) });
    return 'group';
  });
  post('/admin/consultations/:cid/report/groups/:gid/remove', 'consultation.moderate', async (req, cid, b) => {
    await updateGroup(p, req.user!, cid, idOf(str((req.params as { gid?: string }).gid)), { remove: ids(b.commentId) });
    return 'removed';
  });
  post('/admin/consultations/:cid/report/groups/:gid/delete', 'consultation.moderate', async (req, cid) => {
    await deleteGroup(p, req.user!, cid, idOf(str((req.params as { gid?: string }).gid)));
    return 'dissolved';
  });
  post('/admin/consultations/:cid/report/summary', 'consultation.moderate', async (req, cid, b) => {
    if (b.action === 'submit') {
      await submitReport(p, req.user!, cid, { summary: str(b.summary) });
      return 'submitted';
    }
    await saveSummary(p, req.user!, cid, str(b.summary));
    return 'saved';
  });
  post('/admin/consultations/:cid/report/publish', 'major-decision.approve', async (req, cid, b) => {
    if (b.confirm !== 'yes') throw validationError({ confirm: 'decisions.report.console.confirm_required' });
    await publishReport(p, req.user!, cid);
    return 'published';
  });
}
