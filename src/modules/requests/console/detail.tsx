// The console page of one request: its record (identity proofs only for the handling department,
// contacts masked for those who do not handle it), the due date explained, the correction, the
// consultations and extension asks, the forms of the steps this user may take — and, when a step
// waits for someone else, who — and the whole timeline.
import { Csrf, Dl, ErrorSummary, Field, Notice, Select, TableWrap, type PageCtx } from '../../../platform/render/index.js';
import { maskName, maskPhone, maskText } from '../../../platform/privacy/index.js';
import { humanSize } from '../../../platform/files/index.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { CLOCK_STATES, CONSULTATION_ANSWERS, CONSULTATION_KINDS, FEE_METHODS, isOrganisation, WORKING_STATES, type RequestState } from '../schema.js';
import { outcomeLabel } from '../service/outcomes.js';
import { actorLabel, channelLabel, DueExplanation, FeeTable, stateLabel, Timeline, typeLabel, type StaffView } from '../views.js';
import { ReviewsPanel, type Posted } from './reviews.js';

function Step({ c, id, action, title, children, primary, danger }: { c: PageCtx; id: number; action: string; title: string; children?: any; primary?: string; danger?: boolean }) {
  return (
    <form method="post" action={`/admin/disclosure-requests/${id}/${action}`} class={`stack request-step s-${action}`}>
      <Csrf c={c} />
      <h3>{title}</h3>
      {children}
      <button type="submit" class={danger ? 'danger' : 'primary'}>
        {primary ?? title}
      </button>
    </form>
  );
}

const DateField = ({ name, label, hint, error }: { c: PageCtx; name: string; label: string; hint?: string; error?: string }) => <Field label={label} name={name} type="date" value={todayShanghai()} hint={hint} error={error} />;

export function RequestDetail({ c, v, fields, done, posted, children }: { c: PageCtx; v: StaffView; fields?: Record<string, string>; done: boolean; posted?: Posted; children?: any }) {
  const r = v.r;
  const id = r.id;
  const f = fields ?? {};
  const org = isOrganisation(r.requester_type);
  const contact = (s: string, mask: (x: string) => string) => (s ? (v.can.contact ? s : mask(s)) : '—');
  // The office works on it (consultations, referral); the clock exists (extension, also while a fee waits).
  const open = WORKING_STATES.includes(r.state as RequestState);
  const clock = CLOCK_STATES.includes(r.state as RequestState);
  const feeTaken = v.fees.some((x) => x.status === 'unpaid' || x.status === 'paid');
  const unpaid = v.fees.find((x) => x.status === 'unpaid');
  const openConsultations = v.consultations.filter((x) => !x.answered_on);
  const extensionUsed = v.extensions.some((x) => x.status === 'approved' || x.status === 'pending');
  return (
    <div class="request-detail">
      <h1>
        {r.tracking_no} <small>{r.info_name}</small>
      </h1>
      {done && <Notice kind="success">{c.t('requests.done')}</Notice>}
      <ErrorSummary c={c} fields={fields} />
      <Dl
        rows={[
          [c.t('requests.state'), <strong class={`request-state s-${r.state}`}>{stateLabel(c, r.state)}</strong>],
          [c.t('requests.agency'), r.to_government ? `${v.agency}（${c.t('requests.handled_by', { dept: v.department.name })}）` : v.agency],
          [c.t('requests.channel'), channelLabel(c, r.channel)],
          [c.t('requests.arrived_on'), r.arrived_on],
          [c.t('requests.received_on'), r.received_on ?? c.t('requests.received_awaiting')],
          [c.t('requests.requester'), `${v.can.contact || org ? r.requester_name : maskName(r.requester_name)}（${typeLabel(c, r.requester_type)}）`],
          [c.t('requests.id_document'), v.can.identity ? `${c.t(`requests.id_kind.${r.id_kind}`)} ${r.id_number}` : `${c.t(`requests.id_kind.${r.id_kind}`)} ${c.t('requests.identity_only')}`],
          ...(org ? [[c.t('requests.org_contact'), contact(r.org_contact, maskName)] as [string, string]] : []),
          [c.t('requests.contact_phone'), contact(r.contact_phone, maskPhone)],
          [c.t('requests.contact_email'), contact(r.contact_email, (x) => maskText(x).text)],
          [c.t('requests.contact_address'), contact(r.contact_address, (x) => maskText(x).text)],
          [c.t('requests.contact_fax'), contact(r.contact_fax, maskPhone)],
          [c.t('requests.info_name'), r.info_name],
          [c.t('requests.info_doc_no'), r.info_doc_no || '—'],
          [c.t('requests.form_wanted'), c.t(`requests.form.${r.form_wanted}`)],
          [c.t('requests.channel_wanted'), c.t(`requests.wanted.${r.channel_wanted}`)],
          ...(r.outcome ? [[c.t('requests.outcome'), `${outcomeLabel(r.outcome, c.locale)}（${r.closed_on}）`] as [string, string]] : []),
          ...(r.referral_no ? [[c.t('requests.referral_no'), r.referral_no] as [string, string]] : []),
        ]}
      />
      <h2>{c.t('requests.info_description')}</h2>
      <p class="request-text">{r.info_description}</p>
      <section aria-labelledby="proofs-h">
        <h2 id="proofs-h">{c.t('requests.id_proof_short')}</h2>
        {!v.proofs.length ? (
          <p class="muted">{c.t('requests.no_proofs')}</p>
        ) : v.can.identity ? (
          <ul>
            {v.proofs.map((x, i) => (
              <li>
                <a href={`/admin/disclosure-requests/${id}/identity/${i}`}>{x.name}</a> <span class="muted">{humanSize(x.size)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{c.t('requests.identity_only_n', { n: v.proofs.length })}</p>
        )}
      </section>
      {v.due && <DueExplanation c={c} d={v.due} />}
      {r.correction_asked_on && (
        <section aria-labelledby="corr-h">
          <h2 id="corr-h">{c.t('requests.correction')}</h2>
          <p>{c.t('requests.correction_intro', { date: r.correction_asked_on, due: r.correction_due ?? '' })}</p>
          <ol>
            {(JSON.parse(r.correction_items ?? '[]') as string[]).map((x) => (
              <li>{x}</li>
            ))}
          </ol>
          {r.corrected_on && <p>{c.t('requests.corrected_on', { date: r.corrected_on })}</p>}
        </section>
      )}
      {v.consultations.length > 0 && (
        <section aria-labelledby="cons-h">
          <h2 id="cons-h">{c.t('requests.consultations')}</h2>
          <TableWrap label={c.t('requests.consultations')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{c.t('requests.consult_kind')}</th>
                  <th scope="col">{c.t('requests.consult_party')}</th>
                  <th scope="col">{c.t('requests.consult_asked')}</th>
                  <th scope="col">{c.t('requests.consult_due')}</th>
                  <th scope="col">{c.t('requests.consult_answer')}</th>
                </tr>
              </thead>
              <tbody>
                {v.consultations.map((x) => (
                  <tr>
                    <td>{c.t(`requests.consult.${x.kind}`)}</td>
                    <td>{x.party}</td>
                    <td>{x.asked_on}</td>
                    <td>{x.due_date}</td>
                    <td>{x.answered_on ? `${c.t(`requests.answer.${x.answer}`)}（${x.answered_on}）` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      )}
      {v.extensions.length > 0 && (
        <section aria-labelledby="ext-h">
          <h2 id="ext-h">{c.t('requests.extensions')}</h2>
          <ul>
            {v.extensions.map((x) => (
              <li>
                {c.t('requests.extension_line', { n: x.workdays, reason: x.reason, status: c.t(`requests.extension_status.${x.status}`), who: actorLabel(c, x.asked_by, v.people) })}
                {x.decided_by && ` · ${actorLabel(c, x.decided_by, v.people)}${x.decision_note ? `：${x.decision_note}` : ''}`}
              </li>
            ))}
          </ul>
        </section>
      )}
      {v.fees.length > 0 && (
        <section aria-labelledby="fees-h">
          <h2 id="fees-h">{c.t('requests.fees')}</h2>
          <FeeTable c={c} staff fees={v.fees.map((x) => ({ method: x.method, amountFen: x.amount_fen, noticeOn: x.notice_on, payBy: x.pay_by, paidOn: x.paid_on, status: x.status, ordinal: x.ordinal, pages: x.pages, bands: x.bands }))} />
          {unpaid && <p>{c.t('requests.fee.how')}：{unpaid.note}</p>}
        </section>
      )}
      {v.pending && !v.can.approve && <Notice kind="info">{c.t('requests.why.approve', { who: v.heads.join('、') || c.t('requests.nobody') })}</Notice>}
      {v.can.handle && r.state !== 'closed' && r.state !== 'replied' && (
        <section class="request-steps" aria-labelledby="steps-h">
          <h2 id="steps-h">{c.t('requests.steps')}</h2>
          {r.state === 'awaiting-receipt' && (
            <Step c={c} id={id} action="confirm-receipt" title={c.t('requests.step.confirm-receipt')}>
              <p class="hint">{c.t(`requests.receipt_rule.${r.channel}`)}</p>
              <DateField c={c} name="on" label={c.t('requests.confirmed_on')} error={f.on} />
              <Field label={c.t('requests.confirm_how')} name="how" maxLength={500} hint={c.t('requests.confirm_how_hint')} error={f.how} />
            </Step>
          )}
          {r.state === 'handling' && !r.correction_asked_on && v.correctionUntil && v.correctionUntil < todayShanghai() && <p class="hint">{c.t('requests.correction_closed', { date: v.correctionUntil })}</p>}
          {r.state === 'handling' && !r.correction_asked_on && v.correctionUntil && v.correctionUntil >= todayShanghai() && (
            <Step c={c} id={id} action="correction" title={c.t('requests.step.correction')}>
              <p class="hint">{c.t('requests.correction_rule', { date: v.correctionUntil ?? '' })}</p>
              <Field label={c.t('requests.correction_items')} name="items" multiline rows={4} required maxLength={5000} hint={c.t('requests.correction_items_hint')} error={f.items} />
              <Field label={c.t('requests.correction_due')} name="due" type="date" hint={c.t('requests.correction_due_hint')} error={f.due} />
              <DateField c={c} name="on" label={c.t('requests.sent_on')} error={f.on} />
            </Step>
          )}
          {r.state === 'awaiting-correction' && (
            <Step c={c} id={id} action="corrected" title={c.t('requests.step.corrected')}>
              <DateField c={c} name="on" label={c.t('requests.corrected_arrived')} error={f.on} />
              <Field label={c.t('requests.note')} name="note" multiline rows={2} maxLength={1000} error={f.note} />
            </Step>
          )}
          {clock && !extensionUsed && (
            <Step c={c} id={id} action="extension" title={c.t('requests.step.extension')}>
              <Field label={c.t('requests.extension_days')} name="workdays" type="number" required hint={c.t('requests.extension_days_hint')} error={f.workdays} />
              <Field label={c.t('requests.reason')} name="reason" multiline rows={2} required maxLength={500} error={f.reason} />
            </Step>
          )}
          {open && (
            <Step c={c} id={id} action="consult" title={c.t('requests.step.consult')}>
              <Select label={c.t('requests.consult_kind')} name="kind" required error={f.kind} options={CONSULTATION_KINDS.map((k) => ({ value: k, label: c.t(`requests.consult.${k}`) }))} />
              <Field label={c.t('requests.consult_party')} name="party" required maxLength={100} error={f.party} />
              <DateField c={c} name="on" label={c.t('requests.sent_on')} error={f.on} />
              <Field label={c.t('requests.note')} name="note" multiline rows={2} maxLength={1000} error={f.note} />
            </Step>
          )}
          {openConsultations.map((x) => (
            <Step c={c} id={id} action="consultation-answer" title={c.t('requests.step.consultation-answer', { party: x.party })}>
              <input type="hidden" name="consultation" value={String(x.id)} />
              <Select label={c.t('requests.consult_answer')} name="answer" required error={f.answer} options={CONSULTATION_ANSWERS.map((k) => ({ value: k, label: c.t(`requests.answer.${k}`) }))} />
              <DateField c={c} name="on" label={c.t('requests.answered_on')} error={f.on} />
              <Field label={c.t('requests.note')} name="note" multiline rows={2} maxLength={1000} error={f.note} />
            </Step>
          ))}
          {r.state === 'handling' && !feeTaken && (
            <Step c={c} id={id} action="fee-notice" title={c.t('requests.step.fee-notice')}>
              <p class="hint">{c.t('requests.fee.rules', { days: v.feeDays })}</p>
              <Select label={c.t('requests.fee.method_label')} name="method" required error={f.method} options={FEE_METHODS.map((k) => ({ value: k, label: c.t(`requests.fee.method.${k}`) }))} />
              <Field label={c.t('requests.fee.pages_label')} name="pages" type="number" hint={c.t('requests.fee.pages_hint')} error={f.pages} />
              <Field label={c.t('requests.fee.how')} name="how" multiline rows={2} maxLength={500} hint={c.t('requests.fee.how_hint', { how: v.feeHow })} error={f.how} />
              <DateField c={c} name="on" label={c.t('requests.sent_on')} error={f.on} />
            </Step>
          )}
          {r.state === 'awaiting-fee' && unpaid && (
            <Step c={c} id={id} action="fee-paid" title={c.t('requests.step.fee-paid')}>
              <p class="hint">{c.t('requests.fee.paid_hint', { date: unpaid.pay_by })}</p>
              <DateField c={c} name="on" label={c.t('requests.fee.paid_on_label')} error={f.on} />
            </Step>
          )}
          {r.state === 'awaiting-fee' && unpaid && (
            <Step c={c} id={id} action="fee-withdraw" title={c.t('requests.step.fee-withdraw')}>
              <Field label={c.t('requests.reason')} name="reason" multiline rows={2} required maxLength={500} error={f.reason} />
              <DateField c={c} name="on" label={c.t('requests.fee.withdrawn_on')} error={f.on} />
            </Step>
          )}
          {open && (
            <Step c={c} id={id} action="refer" title={c.t('requests.step.refer')} danger>
              <p class="hint">{c.t('requests.refer_hint')}</p>
              <Field label={c.t('requests.note')} name="note" multiline rows={2} maxLength={1000} error={f.note} />
              <label class="check">
                <input type="checkbox" name="confirm" value="yes" required /> {c.t('requests.refer_confirm')}
              </label>
            </Step>
          )}
        </section>
      )}
      {v.can.approve && v.pending && (
        <section class="request-steps" aria-labelledby="approve-h">
          <h2 id="approve-h">{c.t('requests.step.extension-decision')}</h2>
          <p>{c.t('requests.extension_ask', { n: v.pending.workdays, reason: v.pending.reason, who: actorLabel(c, v.pending.asked_by, v.people) })}</p>
          <form method="post" action={`/admin/disclosure-requests/${id}/extension-decision`} class="stack request-step s-extension-decision">
            <Csrf c={c} />
            <Field label={c.t('requests.decision_note')} name="note" multiline rows={2} maxLength={500} hint={c.t('requests.decision_note_hint')} error={f.note} />
            <div class="actions">
              <button type="submit" name="approve" value="1" class="primary">{c.t('requests.approve')}</button>
              <button type="submit" name="approve" value="0" class="secondary">{c.t('requests.refuse')}</button>
            </div>
          </form>
        </section>
      )}
      {children}
      <ReviewsPanel c={c} id={id} reviews={v.reviews} received={!!r.received_on} canRecord={v.can.litigation} fields={fields} posted={posted} />
      <h2>{c.t('requests.timeline')}</h2>
      <Timeline c={c} events={v.events} staff people={v.people} />
    </div>
  );
}
