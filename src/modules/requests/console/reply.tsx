// The reply panel of a request's console page: the draft form (the type with its labels, the type's
// fields, the withheld parts, catalog items, attached files, the letter's text in a textarea), and
// the step this user may take next — submit, approve or return, sign (confirmed first), deliver —
// with the letter as it reads now. Without script: changing the type and saving shows its fields.
import { Csrf, Field, FileInput, Notice, Select, type PageCtx } from '../../../platform/render/index.js';
import { humanSize } from '../../../platform/files/index.js';
import { todayShanghai } from '../../../platform/calendar/index.js';
import { CHANNELS_WANTED, CLOCK_STATES } from '../schema.js';
import { REPLY_TYPES, replyType, WITHHOLD_GROUNDS } from '../service/reply-types.js';
import { MAX_REPLY_ATTACHMENTS, type ReplyView } from '../service/replies.js';
import { Letter, type LetterData } from '../service/letter.js';
import { outcomeLabel } from '../service/outcomes.js';
import type { StaffView } from '../views.js';

export interface ReplyPanelData {
  x: ReplyView | null;
  letter: LetterData | null;
  items: { id: number; title: string; url: string; public: boolean }[];
  /** The office heads who may approve and sign (for "waits for"). */
  heads: string[];
  /** An office head at home in the department who did not write the reply. */
  canApprove: boolean;
}

const groundOptions = (c: PageCtx) => WITHHOLD_GROUNDS.map((g) => ({ value: g, label: outcomeLabel(g, c.locale) }));

export function ReplyPanel({ c, v, d, f }: { c: PageCtx; v: StaffView; d: ReplyPanelData; f: Record<string, string> }) {
  const r = v.r;
  const id = r.id;
  const x = d.x;
  const t = x ? replyType(x.reply_type) : undefined;
  const drafting = v.can.handle && CLOCK_STATES.includes(r.state as never) && (!x || x.status === 'draft');
  const mine = x && x.drafted_by === `user:${c.user?.username}`;
  const approver = d.canApprove && !mine;
  if (!x && !drafting) return null;
  const action = `/admin/disclosure-requests/${id}`;
  return (
    <section class="request-reply-panel" aria-labelledby="reply-h">
      <h2 id="reply-h">{c.t('requests.reply')}</h2>
      {x && (
        <p>
          {c.t('requests.reply_status')}：<strong class={`reply-status s-${x.status}`}>{c.t(`requests.reply_status.${x.status}`)}</strong>
          {' · '}
          {outcomeLabel(x.outcome, c.locale)}
        </p>
      )}
      {x?.status === 'draft' && x.approval_note && <Notice kind="warning">{c.t('requests.reply_returned', { note: x.approval_note })}</Notice>}
      {x?.signed_at && <p>{c.t('requests.reply_signed_by', { who: x.signer_name ?? '', date: x.signed_at.slice(0, 10), no: x.letter_no ?? '' })}</p>}
      {x?.delivered_on && <p>{c.t('requests.reply_delivered', { date: x.delivered_on, channel: c.t(`requests.wanted.${x.delivery_channel}`) })}{x.delivery_ref ? `（${x.delivery_ref}）` : ''}</p>}
      {x && (x.status === 'awaiting-approval' || x.status === 'approved') && !approver && <Notice kind="info">{c.t('requests.reply_waits_approver', { who: d.heads.join('、') || c.t('requests.nobody') })}</Notice>}
      {drafting && (
        <>
          <p class="hint">{c.t('requests.reply_intro')}</p>
          <form method="post" action={`${action}/reply`} class="stack request-step s-reply">
            <Csrf c={c} />
            <Select label={c.t('requests.reply_type')} name="type" value={x?.reply_type} required error={f.type} blank="—" options={REPLY_TYPES.map((rt) => ({ value: rt.code, label: c.t(`requests.reply_type.${rt.code}`) }))} />
            {t?.fields.map((fl) =>
              fl.name === 'ground' ? (
                <Select label={c.t('requests.reply_field.ground')} name="fields.ground" value={x?.fields.ground} required error={f['fields.ground']} blank="—" options={groundOptions(c)} />
              ) : (
                <Field label={c.t(`requests.reply_field.${fl.name}`)} name={`fields.${fl.name}`} value={x?.fields[fl.name]} type={fl.kind === 'date' ? 'date' : undefined} multiline={fl.kind === 'long'} rows={3} maxLength={fl.max} required={fl.required} error={f[`fields.${fl.name}`]} />
              ),
            )}
            {t?.withheldParts && (
              <fieldset class="reply-withheld">
                <legend>{c.t('requests.reply_withheld')}</legend>
                {f.withheld && <p class="field-error">{f.withheld}</p>}
                {[...(x?.withheld ?? []), { part: '', ground: '', reason: '' }, { part: '', ground: '', reason: '' }].map((w, i) => (
                  <div class="withheld-row">
                    <Field label={`${i + 1}. ${c.t('requests.reply_withheld_part')}`} name={`withheld.${i}.part`} value={w.part} maxLength={200} error={f[`withheld.${i}.part`]} />
                    <Select label={c.t('requests.reply_withheld_ground')} name={`withheld.${i}.ground`} value={w.ground} blank="—" error={f[`withheld.${i}.ground`]} options={groundOptions(c)} />
                    <Field label={c.t('requests.reply_withheld_reason')} name={`withheld.${i}.reason`} value={w.reason} maxLength={1000} error={f[`withheld.${i}.reason`]} />
                  </div>
                ))}
              </fieldset>
            )}
            {t?.discloses && <Field label={c.t('requests.reply_items')} name="itemIds" value={x?.itemIds.join(', ')} maxLength={300} hint={c.t('requests.reply_items_hint')} error={f.itemIds} />}
            {x && <Field label={c.t('requests.reply_body')} name="body" value={x.body} multiline rows={14} maxLength={20000} hint={c.t('requests.reply_body_hint')} error={f.body} />}
            <div class="actions">
              <button type="submit" class="primary">{c.t('requests.reply_save')}</button>
              {x && (
                <button type="submit" name="regenerate" value="1" class="secondary">
                  {c.t('requests.reply_regenerate')}
                </button>
              )}
            </div>
          </form>
          {t?.discloses && (
            <form method="post" action={`${action}/reply-attachments`} enctype="multipart/form-data" class="stack request-step s-reply-attachments">
              <Csrf c={c} />
              <h3>{c.t('requests.reply_attachments')}</h3>
              {x!.attachments.length > 0 && (
                <ul>
                  {x!.attachments.map((a, i) => (
                    <li>
                      <a href={`${action}/reply/files/${i}`}>{a.name}</a> <span class="muted">{humanSize(a.size)}</span>{' '}
                      <button type="submit" name="remove" value={a.hash} class="link" formnovalidate>
                        {c.t('requests.reply_remove')}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <div class={`field${f.attachments ? ' has-error' : ''}`}>
                <label for="f-attachments">{c.t('requests.reply_attach')}</label>
                <p class="hint">{c.t('requests.reply_attach_hint', { n: MAX_REPLY_ATTACHMENTS })}</p>
                {f.attachments && <p class="field-error">{f.attachments}</p>}
                <FileInput c={c} id="f-attachments" name="attachments" multiple accept="application/pdf,image/*,.doc,.docx,.xls,.xlsx" />
              </div>
              <button type="submit" class="secondary">{c.t('requests.reply_attach')}</button>
            </form>
          )}
          {x && (
            <form method="post" action={`${action}/reply-submit`} class="request-step s-reply-submit">
              <Csrf c={c} />
              <button type="submit" class="primary">{c.t('requests.reply_submit')}</button>
            </form>
          )}
        </>
      )}
      {x?.status === 'awaiting-approval' && approver && (
        <form method="post" action={`${action}/reply-decision`} class="stack request-step s-reply-decision">
          <Csrf c={c} />
          <Field label={c.t('requests.reply_return_note')} name="note" multiline rows={2} maxLength={1000} error={f.note} />
          <div class="actions">
            <button type="submit" name="approve" value="1" class="primary">{c.t('requests.reply_approve')}</button>
            <button type="submit" name="approve" value="0" class="secondary">{c.t('requests.reply_return')}</button>
          </div>
        </form>
      )}
      {x?.status === 'approved' && approver && (
        <form method="post" action={`${action}/reply-sign`} class="stack request-step s-reply-sign">
          <Csrf c={c} />
          <Field label={c.t('requests.reply_letter_no')} name="letterNo" maxLength={60} hint={c.t('requests.reply_letter_no_hint')} error={f.letterNo} />
          <label class="check">
            <input type="checkbox" name="confirm" value="yes" required /> {c.t('requests.reply_sign_confirm')}
          </label>
          {f.confirm && <p class="field-error">{f.confirm}</p>}
          <button type="submit" class="primary">{c.t('requests.reply_sign')}</button>
        </form>
      )}
      {x?.status === 'signed' && v.can.handle && (
        <form method="post" action={`${action}/reply-deliver`} class="stack request-step s-reply-deliver">
          <Csrf c={c} />
          <Select label={c.t('requests.reply_deliver_channel')} name="channel" value={r.channel_wanted} required error={f.channel} options={CHANNELS_WANTED.map((k) => ({ value: k, label: c.t(`requests.wanted.${k}`) }))} />
          <Field label={c.t('requests.reply_deliver_on')} name="on" type="date" value={todayShanghai()} error={f.on} />
          <Field label={c.t('requests.reply_deliver_ref')} name="ref" maxLength={100} hint={c.t('requests.reply_deliver_ref_hint')} error={f.ref} />
          <button type="submit" class="primary">{c.t('requests.reply_deliver')}</button>
        </form>
      )}
      {d.items.length > 0 && (
        <ul class="reply-items">
          {d.items.map((i) => (
            <li>
              <a href={i.url}>{i.title}</a>
              {!i.public && <span class="tag">{c.t('requests.err.reply_item', { id: i.id })}</span>}
            </li>
          ))}
        </ul>
      )}
      {d.letter && (
        <>
          <p>
            <a href={`${action}/reply/print`}>{c.t('requests.reply_print')}</a>
            {x?.letter_hash && (
              <>
                {' · '}
                <a href={`${action}/reply/letter`}>{c.t('requests.reply_file')}</a>
              </>
            )}
          </p>
          <Letter l={d.letter} headingLevel={3} />
        </>
      )}
    </section>
  );
}
