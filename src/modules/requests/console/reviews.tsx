// 行政复议 and 行政诉讼 of a request in the console: the panel of the request's page — the cases
// (labels, never raw codes), and for request.litigation in the request's department the forms to
// record a case, its outcome, to correct an entry and to delete one made in error.
import { Csrf, Empty, Field, Select, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { REVIEW_KINDS, REVIEW_OUTCOMES, type RequestReview } from '../schema.js';
import { REVIEW_LIMITS } from '../service/reviews.js';
import { reviewKindLabel, reviewOutcomeLabel } from '../views.js';

/** The form a console post came from, and what it sent (to show its errors and values there). */
export interface Posted {
  action: string;
  values: Record<string, string>;
}

export function ReviewsPanel({ c, id, reviews, received, canRecord, fields, posted }: { c: PageCtx; id: number; reviews: RequestReview[]; received: boolean; canRecord: boolean; fields?: Record<string, string>; posted?: Posted }) {
  const decided = reviews.filter((x) => x.kind === 'review' && x.outcome);
  const byId = new Map(reviews.map((x) => [x.id, x]));
  // The form a post came from shows its errors and values and keeps the default ids (the error summary links to them).
  const formKey = (action: string, review?: number) => `${action}:${review ?? ''}`;
  const postedKey = posted ? formKey(posted.action, Number(posted.values.review) || undefined) : '';
  const form = (action: string, review?: number) => {
    const mine = postedKey === formKey(action, review);
    const f = mine ? (fields ?? {}) : {};
    const val = (name: string, dflt: string | number | null | undefined) => (mine && posted!.values[name] !== undefined ? posted!.values[name] : (dflt ?? ''));
    const fid = (name: string) => (mine ? undefined : `rv-${review ?? 'new'}-${action}-${name}`);
    return { mine, f, val, fid };
  };
  const kindOptions = REVIEW_KINDS.map((k) => ({ value: k, label: reviewKindLabel(c, k) }));
  const priorOptions = (self?: number) => decided.filter((x) => x.id !== self).map((x) => ({ value: x.id, label: c.t('requests.review_prior_of', { body: x.body, date: x.decided_on ?? '' }) }));
  const title = (v: RequestReview) => `${reviewKindLabel(c, v.kind)} · ${v.body}${v.case_no ? ` ${v.case_no}` : ''}`;

  const add = form('review-add');
  return (
    <section class="request-reviews" aria-labelledby="reviews-h">
      <h2 id="reviews-h">{c.t('requests.reviews')}</h2>
      <p class="hint">{c.t('requests.reviews_intro')}</p>
      {reviews.length === 0 ? (
        <Empty>{c.t('requests.reviews_none')}</Empty>
      ) : (
        <TableWrap label={c.t('requests.reviews')}>
          <table class="review-list">
            <thead>
              <tr>
                <th scope="col">{c.t('requests.review_kind')}</th>
                <th scope="col">{c.t('requests.review_body')}</th>
                <th scope="col">{c.t('requests.review_case_no')}</th>
                <th scope="col">{c.t('requests.review_filed_on')}</th>
                <th scope="col">{c.t('requests.review_outcome')}</th>
                <th scope="col">{c.t('requests.review_decided_on')}</th>
              </tr>
            </thead>
            <tbody>
              {reviews.map((v) => (
                <tr class={`review-row ${v.outcome ? 'decided' : 'pending'}`}>
                  <td>
                    {reviewKindLabel(c, v.kind)}
                    {v.prior_id && byId.has(v.prior_id) && <span class="muted"> · {c.t('requests.review_prior_of', { body: byId.get(v.prior_id)!.body, date: byId.get(v.prior_id)!.decided_on ?? '' })}</span>}
                  </td>
                  <td>{v.body}</td>
                  <td>{v.case_no || '—'}</td>
                  <td class="nowrap">
                    <time dateTime={v.filed_on}>{v.filed_on}</time>
                  </td>
                  <td>
                    <span class={`review-outcome o-${v.outcome ?? 'pending'}`}>{reviewOutcomeLabel(c, v.outcome)}</span>
                  </td>
                  <td class="nowrap">{v.decided_on ? <time dateTime={v.decided_on}>{v.decided_on}</time> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {canRecord &&
        reviews.map((v) => {
          const dec = form('review-decide', v.id);
          const cor = form('review-correct', v.id);
          const del = form('review-delete', v.id);
          return (
            <div class="review-forms">
              {!v.outcome && (
                <form method="post" action={`/admin/disclosure-requests/${id}/review-decide`} class="stack request-step s-review-decide">
                  <Csrf c={c} />
                  <input type="hidden" name="review" value={String(v.id)} />
                  <h3>
                    {c.t('requests.review_decide')} <small>{title(v)}</small>
                  </h3>
                  <Select id={dec.fid('outcome')} label={c.t('requests.review_outcome')} name="outcome" required value={dec.val('outcome', '')} blank="—" error={dec.f.outcome} options={REVIEW_OUTCOMES.map((o) => ({ value: o, label: reviewOutcomeLabel(c, o) }))} />
                  <Field id={dec.fid('decidedOn')} label={c.t('requests.review_decided_on')} name="decidedOn" type="date" required value={dec.val('decidedOn', todayShanghai())} hint={c.t('requests.review_decided_on_hint')} error={dec.f.decidedOn} />
                  <button type="submit" class="primary">{c.t('requests.review_decide_button')}</button>
                </form>
              )}
              <details class="review-fix" open={cor.mine || del.mine}>
                <summary>
                  {c.t('requests.review_correct')} / {c.t('requests.review_delete')} <small>{title(v)}</small>
                </summary>
                <form method="post" action={`/admin/disclosure-requests/${id}/review-correct`} class="stack request-step s-review-correct">
                  <Csrf c={c} />
                  <input type="hidden" name="review" value={String(v.id)} />
                  <h3>{c.t('requests.review_correct')}</h3>
                  <p class="hint">{c.t('requests.review_correct_hint')}</p>
                  <Select id={cor.fid('kind')} label={c.t('requests.review_kind')} name="kind" required value={cor.val('kind', v.kind)} error={cor.f.kind} options={kindOptions} />
                  <Field id={cor.fid('body')} label={c.t('requests.review_body')} name="body" required maxLength={REVIEW_LIMITS.body} value={cor.val('body', v.body)} error={cor.f.body} />
                  <Field id={cor.fid('caseNo')} label={c.t('requests.review_case_no')} name="caseNo" maxLength={REVIEW_LIMITS.caseNo} value={cor.val('caseNo', v.case_no)} error={cor.f.caseNo} />
                  <Field id={cor.fid('filedOn')} label={c.t('requests.review_filed_on')} name="filedOn" type="date" required value={cor.val('filedOn', v.filed_on)} error={cor.f.filedOn} />
                  <Select id={cor.fid('priorReview')} label={c.t('requests.review_prior')} name="priorReview" value={cor.val('priorReview', v.prior_id)} blank="—" error={cor.f.priorReview} options={priorOptions(v.id)} />
                  <Select id={cor.fid('outcome')} label={c.t('requests.review_outcome')} name="outcome" value={cor.val('outcome', v.outcome)} blank={reviewOutcomeLabel(c, null)} error={cor.f.outcome} options={REVIEW_OUTCOMES.map((o) => ({ value: o, label: reviewOutcomeLabel(c, o) }))} />
                  <Field id={cor.fid('decidedOn')} label={c.t('requests.review_decided_on')} name="decidedOn" type="date" value={cor.val('decidedOn', v.decided_on)} error={cor.f.decidedOn} />
                  <Field id={cor.fid('note')} label={c.t('requests.review_note')} name="note" multiline rows={2} maxLength={REVIEW_LIMITS.note} value={cor.val('note', v.note)} error={cor.f.note} />
                  <Field id={cor.fid('reason')} label={c.t('requests.review_reason')} name="reason" multiline rows={2} required maxLength={REVIEW_LIMITS.reason} value={cor.val('reason', '')} error={cor.f.reason} />
                  <button type="submit" class="primary">{c.t('requests.review_correct_button')}</button>
                </form>
                <form method="post" action={`/admin/disclosure-requests/${id}/review-delete`} class="stack request-step s-review-delete">
                  <Csrf c={c} />
                  <input type="hidden" name="review" value={String(v.id)} />
                  <h3>{c.t('requests.review_delete')}</h3>
                  <p class="hint">{c.t('requests.review_delete_hint')}</p>
                  <Field id={del.fid('reason')} label={c.t('requests.review_reason')} name="reason" multiline rows={2} required maxLength={REVIEW_LIMITS.reason} value={del.val('reason', '')} error={del.f.reason} />
                  <div class={`field${del.f.confirm ? ' has-error' : ''}`}>
                    {del.f.confirm && <p class="field-error">{del.f.confirm}</p>}
                    <label class="check">
                      <input type="checkbox" id={del.fid('confirm') ?? 'f-confirm'} name="confirm" value="yes" required /> {c.t('requests.review_delete_confirm')}
                    </label>
                  </div>
                  <button type="submit" class="danger">{c.t('requests.review_delete_button')}</button>
                </form>
              </details>
            </div>
          );
        })}
      {canRecord && !received && <p class="hint">{c.t('requests.err.review_not_received')}</p>}
      {canRecord && received && (
        <form method="post" action={`/admin/disclosure-requests/${id}/review-add`} class="stack request-step s-review-add">
          <Csrf c={c} />
          <h3>{c.t('requests.review_add')}</h3>
          <Select id={add.fid('kind')} label={c.t('requests.review_kind')} name="kind" required value={add.val('kind', '')} blank="—" error={add.f.kind} options={kindOptions} />
          <Field id={add.fid('body')} label={c.t('requests.review_body')} name="body" required maxLength={REVIEW_LIMITS.body} value={add.val('body', '')} hint={c.t('requests.review_body_hint')} error={add.f.body} />
          <Field id={add.fid('caseNo')} label={c.t('requests.review_case_no')} name="caseNo" maxLength={REVIEW_LIMITS.caseNo} value={add.val('caseNo', '')} hint={c.t('requests.review_case_no_hint')} error={add.f.caseNo} />
          <Field id={add.fid('filedOn')} label={c.t('requests.review_filed_on')} name="filedOn" type="date" required value={add.val('filedOn', todayShanghai())} error={add.f.filedOn} />
          {decided.length > 0 ? (
            <Select id={add.fid('priorReview')} label={c.t('requests.review_prior')} name="priorReview" value={add.val('priorReview', '')} blank="—" error={add.f.priorReview} options={priorOptions()} />
          ) : (
            <p class="hint">
              {c.t('requests.review_prior_hint')} {c.t('requests.review_prior_none')}
              {add.f.priorReview && (
                <strong class="field-error" id="f-priorReview">
                  {' '}
                  {add.f.priorReview}
                </strong>
              )}
            </p>
          )}
          {decided.length > 0 && <p class="hint">{c.t('requests.review_prior_hint')}</p>}
          <Field id={add.fid('note')} label={c.t('requests.review_note')} name="note" multiline rows={2} maxLength={REVIEW_LIMITS.note} value={add.val('note', '')} error={add.f.note} />
          <button type="submit" class="primary">{c.t('requests.review_add_button')}</button>
        </form>
      )}
    </section>
  );
}
