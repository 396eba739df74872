// The console page of one appeal: its record, the forms of the actions this user may take, why
// the next step is not offered to them when it is not, the requests and the history.
import { Csrf, Dl, ErrorSummary, Field, Notice, Select, type PageCtx } from '../../../platform/render/index.js';
import { maskPhone } from '../../../platform/privacy/index.js';
import { ratingLabel } from '../../../platform/ratings.js';
import { actorLabel, fmtTime, statusLabel, type StaffView } from '../views.js';

function ActionForm({ c, id, action, title, children, primary }: { c: PageCtx; id: number; action: string; title: string; children?: any; primary?: string }) {
  return (
    <form method="post" action={`/admin/appeals/${id}/${action}`} class={`stack appeal-action a-${action}`}>
      <Csrf c={c} />
      <h3>{title}</h3>
      {children}
      <button type="submit" class="primary">{primary ?? title}</button>
    </form>
  );
}

export function AppealDetail({ c, v, depts, fields, done }: { c: PageCtx; v: StaffView; depts: { value: string; label: string }[]; fields?: Record<string, string>; done: boolean }) {
  const a = v.appeal;
  const id = a.id;
  const clock = v.clock;
  // Departments where nobody answers appeals are marked in the dispatch lists.
  const leads = depts.map((d) => (v.noHandler.includes(d.value) ? { ...d, label: `${d.label}（${c.t('appeals.no_handler_tag')}）` } : d));
  return (
    <div class="appeal-detail">
      <h1>
        {a.tracking_no} <small>{a.title}</small>
      </h1>
      {done && <Notice kind="success">{c.t('appeals.done')}</Notice>}
      <ErrorSummary c={c} fields={fields} />
      <Dl
        rows={[
          [c.t('appeals.status'), <strong class="appeal-status">{statusLabel(c, a.status)}</strong>],
          [c.t('appeals.type'), c.t(`appeals.type.${a.type}`)],
          [c.t('appeals.category'), v.categoryName],
          [c.t('appeals.channel'), c.t(`appeals.channel.${a.channel}`)],
          [c.t('appeals.received_at'), fmtTime(a.created_at)],
          [c.t('appeals.department'), v.department?.name ?? '—'],
          [c.t('appeals.assisting'), v.assists.map((x) => x.name).join('、') || '—'],
          [c.t('appeals.clock'), clock ? `${clock.due} · ${c.t(`appeals.clock_status.${clock.status}`)}${clock.provisional ? ' *' : ''}` : '—'],
          [c.t('appeals.address'), a.address || '—'],
          [c.t('appeals.publish_state'), `${c.t(`appeals.publish_state.${a.publish_state}`)} · ${c.t(a.consent ? 'appeals.consent_yes' : 'appeals.consent_no')}`],
          ...(v.can.seeContact
            ? ([[c.t('appeals.contact_info'), `${a.contact_name || '—'} ${a.contact_phone}${a.phone_verified ? `（${c.t('appeals.verified')}）` : ''} ${a.contact_email}`]] as [string, string][])
            : ([[c.t('appeals.contact_info'), `${a.contact_name ? a.contact_name[0] + '**' : '—'} ${a.contact_phone ? maskPhone(a.contact_phone) : ''}`]] as [string, string][])),
        ]}
      />
      <h2>{c.t('appeals.content')}</h2>
      <p class="appeal-text">{a.content}</p>
      {v.media.length > 0 && (
        <p>
          {v.media.map((_, i) => (
            <a href={`/admin/appeals/${id}/media/${i}`}>
              {c.t('appeals.media')} {i + 1}{' '}
            </a>
          ))}
        </p>
      )}
      {a.reply && (
        <>
          <h2>{c.t('appeals.reply')}</h2>
          <p class="appeal-text appeal-reply">{a.reply}</p>
        </>
      )}
      {a.reply_draft !== null && (
        <section class="appeal-draft" aria-labelledby="draft-h">
          <h2 id="draft-h">{c.t(a.status === 'reply_review' ? 'appeals.draft_review' : 'appeals.draft_returned')}</h2>
          {v.returned && <Notice kind="warning">{c.t('appeals.returned_opinion', { note: v.returned })}</Notice>}
          <p class="appeal-text">{a.reply_draft}</p>
          <p class="hint">
            {fmtTime(a.reply_draft_at)} · {c.t(a.reply_draft_resolved ? 'appeals.resolved' : 'appeals.unresolved')}
          </p>
        </section>
      )}
      {v.why.length > 0 && (
        <Notice kind="info">
          <ul class="appeal-why">
            {v.why.map((w) => (
              <li>{c.t(w.key, w.params)}</li>
            ))}
          </ul>
        </Notice>
      )}
      {a.rating && (
        <p>
          {c.t('appeals.rating')}：{c.t(ratingLabel(a.rating))} {a.rating_comment}
        </p>
      )}
      {v.suggestions.length > 0 && (
        <section class="appeal-suggestions">
          <h2>{c.t('appeals.suggestions')}</h2>
          <ol>
            {v.suggestions.map((s) => (
              <li>
                <strong>{s.departmentName}</strong> ({s.score}) — {c.t('appeals.suggest_reason')}：{s.reasons.map((r) => `${c.t(`appeals.rule.kind.${r.split(':')[0]}`)}「${r.slice(r.indexOf(':') + 1)}」`).join('、')}
              </li>
            ))}
          </ol>
        </section>
      )}
      {v.similar.length > 0 && (
        <section class="appeal-similar">
          <h2>{c.t('appeals.similar_staff')}</h2>
          <ul>
            {v.similar.map((s) => (
              <li>
                <a href={`/admin/appeals/${s.id}`}>{s.trackingNo}</a> {s.title} ({s.score}
                {s.distance !== null ? `, ${s.distance} m` : ''}) {statusLabel(c, s.status)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div class="appeal-actions">
        {v.can.dispatch && (
          <ActionForm c={c} id={id} action="dispatch" title={c.t('appeals.do.dispatch')}>
            <Select label={c.t('appeals.department')} name="department" value={v.suggestions[0]?.department} options={leads} required />
            <Select label={c.t('appeals.do.assisting')} name="assisting" multiple options={depts} selected={[]} />
            <Field label={c.t('appeals.do.note')} name="note" maxLength={2000} />
          </ActionForm>
        )}
        {v.can.reply && (
          <ActionForm c={c} id={id} action="reply" title={c.t('appeals.do.reply')}>
            <Field label={c.t('appeals.reply')} name="reply" multiline rows={6} required maxLength={5000} value={a.reply_draft ?? undefined} error={fields?.reply} />
            <label class="check">
              <input type="checkbox" name="resolved" value="1" checked /> {c.t('appeals.do.resolved')}
            </label>
          </ActionForm>
        )}
        {v.can.reviewReply && (
          <ActionForm c={c} id={id} action="reply-review" title={c.t('appeals.do.reply_review')}>
            <p class="hint">{c.t('appeals.do.reply_review_intro')}</p>
            <fieldset>
              <legend>{c.t('appeals.do.reply_review')}</legend>
              <label class="check">
                <input type="radio" name="approve" value="true" checked /> {c.t('appeals.action.reply_approve')}
              </label>
              <label class="check">
                <input type="radio" name="approve" value="false" /> {c.t('appeals.action.reply_return')}
              </label>
            </fieldset>
            <Field label={c.t('appeals.do.opinion')} name="note" multiline rows={3} maxLength={2000} error={fields?.note} />
          </ActionForm>
        )}
        {v.can.requestExtension && (
          <ActionForm c={c} id={id} action="extension" title={c.t('appeals.do.extension')}>
            <Field label={c.t('appeals.do.workdays')} name="workdays" type="number" required value="5" error={fields?.workdays} />
            <Field label={c.t('appeals.do.reason')} name="reason" required maxLength={1000} />
          </ActionForm>
        )}
        {v.can.requestReturn && (
          <ActionForm c={c} id={id} action="return" title={c.t('appeals.do.return')}>
            <Field label={c.t('appeals.do.reason')} name="reason" required maxLength={1000} />
          </ActionForm>
        )}
        {v.can.reviewReturn && (
          <ActionForm c={c} id={id} action="return-review" title={c.t('appeals.do.return_review')}>
            <p>{v.requests.filter((r) => r.kind === 'return' && r.status === 'pending').map((r) => r.reason).join('；')}</p>
            <Select label={c.t('appeals.do.return_review')} name="approve" options={[{ value: 'true', label: c.t('appeals.do.approve') }, { value: 'false', label: c.t('appeals.do.reject') }]} />
            <Field label={c.t('appeals.do.note')} name="note" maxLength={2000} />
          </ActionForm>
        )}
        {v.can.reviewExtension && (
          <ActionForm c={c} id={id} action="extension-review" title={c.t('appeals.do.extension_review')}>
            <p>{v.requests.filter((r) => r.kind === 'extension' && r.status === 'pending').map((r) => `${r.workdays}：${r.reason}`).join('；')}</p>
            <Select label={c.t('appeals.do.extension_review')} name="approve" options={[{ value: 'true', label: c.t('appeals.do.approve') }, { value: 'false', label: c.t('appeals.do.reject') }]} />
            <Field label={c.t('appeals.do.note')} name="note" maxLength={2000} />
          </ActionForm>
        )}
        {v.can.redispatch && (
          <ActionForm c={c} id={id} action="redispatch" title={c.t('appeals.do.redispatch')}>
            <Select label={c.t('appeals.department')} name="department" value={v.suggestions[0]?.department} options={leads} required />
            <Field label={c.t('appeals.do.reason')} name="reason" required maxLength={1000} />
          </ActionForm>
        )}
        {v.can.assist && (
          <ActionForm c={c} id={id} action="assist" title={c.t('appeals.do.assist')}>
            <Select label={c.t('appeals.department')} name="department" options={depts} required />
          </ActionForm>
        )}
        {v.can.urge && (
          <ActionForm c={c} id={id} action="urge" title={c.t('appeals.do.urge')}>
            <Field label={c.t('appeals.do.note')} name="note" required maxLength={2000} />
          </ActionForm>
        )}
        {v.can.close && (
          <ActionForm c={c} id={id} action="close" title={c.t('appeals.do.close')}>
            <Field label={c.t('appeals.do.callback')} name="callback" multiline rows={3} maxLength={2000} />
          </ActionForm>
        )}
        {v.can.callback && !v.can.close && (
          <ActionForm c={c} id={id} action="callback" title={c.t('appeals.do.callback')} primary={c.t('appeals.do.save_callback')}>
            <Field label={c.t('appeals.do.callback')} name="callback" multiline rows={3} required maxLength={2000} value={a.callback_note ?? ''} />
          </ActionForm>
        )}
        {v.can.merge && (
          <ActionForm c={c} id={id} action="merge" title={c.t('appeals.do.merge')}>
            <Field label={c.t('appeals.do.into')} name="into" required maxLength={20} value={v.similar.find((x) => ['received', 'dispatched', 'return_requested'].includes(x.status))?.trackingNo ?? ''} error={fields?.into} />
          </ActionForm>
        )}
        {v.can.release && v.masked && (
          <ActionForm c={c} id={id} action="release" title={c.t('appeals.do.release')} primary={c.t('appeals.do.release_button')}>
            <p class="hint">{c.t('appeals.do.release_intro')}</p>
            <Field label={c.t('appeals.field.title')} name="title" required maxLength={100} value={v.masked.title} />
            <Field label={c.t('appeals.content')} name="content" multiline rows={6} required value={v.masked.content} />
            <Field label={c.t('appeals.reply')} name="reply" multiline rows={6} required value={v.masked.reply} />
          </ActionForm>
        )}
        {v.can.release && (
          <ActionForm c={c} id={id} action="decline" title={c.t('appeals.do.decline')}>
            <Field label={c.t('appeals.do.reason')} name="reason" required maxLength={1000} />
          </ActionForm>
        )}
        {v.can.unpublish && (
          <ActionForm c={c} id={id} action="unpublish" title={c.t('appeals.do.unpublish')}>
            <Field label={c.t('appeals.do.reason')} name="reason" required maxLength={1000} />
          </ActionForm>
        )}
        <ActionForm c={c} id={id} action="note" title={c.t('appeals.do.note_add')}>
          <Field label={c.t('appeals.do.note')} name="note" required maxLength={2000} />
        </ActionForm>
      </div>
      {v.requests.length > 0 && (
        <>
          <h2>{c.t('appeals.requests')}</h2>
          <ul>
            {v.requests.map((r) => (
              <li>
                {c.t(`appeals.request.${r.kind}`)} · {c.t(`appeals.request.${r.status}`)} · {actorLabel(c, r.requested_by, v.people)} · {r.workdays ?? ''} {r.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{c.t('appeals.history')}</h2>
      <ol class="appeal-history">
        {v.history.map((h) => (
          <li>
            <time>{fmtTime(h.at)}</time> {c.t(`appeals.action.${h.action}`)} · {actorLabel(c, h.actor, v.people)}
            {h.note ? `：${h.action === 'rate' ? c.t(ratingLabel(h.note)) : h.note}` : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}
