// What a reviewer reads and records on a document's console page: the full version (body and
// attachments), what changed from the published version, the review forms with their 审核意见,
// and the item's review history.
import { shanghaiDateTime } from '../../../platform/dates.js';
import type { ComponentChildren } from 'preact';
import type { PageCtx } from '../../../platform/render/index.js';
import { TableWrap, Csrf, Notice } from '../../../platform/render/index.js';
import { itemType, OPINION_MAX, type ItemRow, type ReviewStep, type VersionView } from '../../../platform/publication/index.js';
import { attachmentName, humanSize } from '../../../platform/files/index.js';
import { topicPath } from '../../../platform/taxonomy/index.js';
import { DOCUMENT } from '../items.js';
import { paragraphs, versionDiff, type FieldRow } from './versions.js';

/** An ISO instant as an Asia/Shanghai date and time, `YYYY-MM-DD HH:mm`. */
/** A staff link to an attachment of the item (any version, published or not). */
export const staffFileUrl = (itemId: number, hash: string) => `/admin/catalog/${itemId}/files/${hash}`;

/** The metadata of a version in words, as the comparison shows it (labels are message keys). */
export function fieldRows(c: PageCtx, v: VersionView, depts: { code: string; name: string }[]): FieldRow[] {
  const m = v.meta;
  const d = v.data ?? {};
  return [
    ['catalog.title', m.title],
    ['catalog.docNo', m.docNo],
    ['catalog.topic', m.topic ? topicPath(m.topic) : ''],
    ['catalog.genre', m.genre ?? ''],
    ['catalog.category', m.category ? c.t(`cat.${m.category}`) : ''],
    ['catalog.writtenAt', m.writtenAt ?? ''],
    ['catalog.formedAt', m.formedAt ?? ''],
    ['catalog.effectiveAt', m.effectiveAt ?? ''],
    ['catalog.expiresAt', m.expiresAt ?? ''],
    ['catalog.keywords', m.keywords.join('，')],
    ['catalog.summary', m.summary],
    ['catalog.disclosure', c.t(`catalog.disclosure.${m.disclosure}`)],
    ['catalog.withholdGround', m.withholdGround],
    ['catalog.coPublishers', m.coPublishers.map((x) => depts.find((dp) => dp.code === x)?.name ?? x).join('、')],
    ['catalog.publishAt', shanghaiDateTime(m.publishAt)],
    ['catalog.attachments', (d.attachments ?? []).map((a: { name: string; mime: string; size: number }) => `${attachmentName(a)}（${humanSize(a.size)}）`).join('；')],
    ['catalog.related_ids', (d.related ?? []).join('，')],
    ['catalog.interprets_ids', (d.interpretation?.of ?? []).join('，')],
  ];
}

/** The version's body and attachments, as the reviewer must read them before deciding. */
export function FullVersion({ c, item, v, children }: { c: PageCtx; item: ItemRow; v: VersionView; children?: ComponentChildren }) {
  const atts: { hash: string; name: string; mime: string; size: number }[] = v.data?.attachments ?? [];
  return (
    <>
      <section aria-labelledby="body-h" class="review-body">
        <h2 id="body-h">
          {c.t('catalog.body_version', { version: v.version })}
        </h2>
        {itemType(DOCUMENT).render(v.data, c, { id: item.id })}
      </section>
      <section aria-labelledby="att-h">
        <h2 id="att-h">{c.t('catalog.attachments')}</h2>
        {atts.length === 0 ? (
          <p>{c.t('catalog.no_attachments')}</p>
        ) : (
          <ul class="review-attachments">
            {atts.map((a) => (
              <li>
                <a href={staffFileUrl(item.id, a.hash)} download={attachmentName(a)}>
                  {attachmentName(a)}
                </a>{' '}
                <span class="size">（{humanSize(a.size)}）</span>
              </li>
            ))}
          </ul>
        )}
        {children}
      </section>
    </>
  );
}

/** The comparison of two versions: changed fields in a table, then the body's changes. */
export function Changes({ c, before, after, depts, headingId, heading }: { c: PageCtx; before: VersionView; after: VersionView; depts: { code: string; name: string }[]; headingId: string; heading: string }) {
  const d = versionDiff({ fields: fieldRows(c, before, depts), body: paragraphs(before.data?.body) }, { fields: fieldRows(c, after, depts), body: paragraphs(after.data?.body) });
  const del = c.t('catalog.diff_removed');
  const add = c.t('catalog.diff_added');
  return (
    <section aria-labelledby={headingId} class="version-diff">
      <h2 id={headingId}>{heading}</h2>
      {d.fields.length === 0 && !d.bodyChanged && <p>{c.t('catalog.diff_same')}</p>}
      {d.fields.length > 0 && (
        <TableWrap label={c.t('catalog.diff_fields')}>
          <table>
            <caption>{c.t('catalog.diff_fields')}</caption>
            <thead>
              <tr>
                <th scope="col">{c.t('catalog.diff_field')}</th>
                <th scope="col">v{before.version}</th>
                <th scope="col">v{after.version}</th>
              </tr>
            </thead>
            <tbody>
              {d.fields.map((f) => (
                <tr>
                  <th scope="row">{c.t(f.label)}</th>
                  <td>{f.before ? <del>{f.before}</del> : '—'}</td>
                  <td>{f.after ? <ins>{f.after}</ins> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {d.bodyChanged && <h3>{c.t('catalog.diff_body')}</h3>}
      {d.body === null ? (
        <p>{c.t('catalog.diff_too_large')}</p>
      ) : (
        d.body.length > 0 && (
          <div class="diff-body">
            {d.body.map((r) =>
              r.op === 'skip' ? (
                <p class="diff-skip">{c.t('catalog.diff_skipped', { n: r.n })}</p>
              ) : r.op === 'same' ? (
                <p>{r.text}</p>
              ) : r.op === 'del' ? (
                <p class="diff-del">
                  <del>
                    <span class="visually-hidden">{del}</span>
                    {r.text}
                  </del>
                </p>
              ) : r.op === 'add' ? (
                <p class="diff-add">
                  <ins>
                    <span class="visually-hidden">{add}</span>
                    {r.text}
                  </ins>
                </p>
              ) : (
                <p class="diff-change">
                  {r.pieces.map((x) =>
                    x.op === 'same' ? (
                      x.text
                    ) : x.op === 'del' ? (
                      <del>
                        <span class="visually-hidden">[{del}</span>
                        {x.text}
                        <span class="visually-hidden">]</span>
                      </del>
                    ) : (
                      <ins>
                        <span class="visually-hidden">[{add}</span>
                        {x.text}
                        <span class="visually-hidden">]</span>
                      </ins>
                    ),
                  )}
                </p>
              ),
            )}
          </div>
        )
      )}
    </section>
  );
}

/** A 审核意见 box of its own id (the approval's and the rejection's share a page). */
function OpinionField({ c, action, required }: { c: PageCtx; action: string; required: boolean }) {
  const id = `f-opinion-${action}`;
  return (
    <div class="field">
      <label for={id}>
        {c.t('catalog.opinion')}
        {required && <span class="req" aria-hidden="true"> *</span>}
      </label>
      <p class="hint" id={`${id}-hint`}>
        {c.t(required ? 'catalog.opinion_hint_reject' : 'catalog.opinion_hint_approve', { max: OPINION_MAX })}
      </p>
      <textarea id={id} name="reason" rows={3} maxLength={OPINION_MAX} required={required} aria-describedby={`${id}-hint`} />
    </div>
  );
}

/** The approval (opinion optional) and rejection (opinion required) of the stage a version waits at. */
export function ReviewForms({ c, itemId, stage, mayApprove, refusal }: { c: PageCtx; itemId: number; stage: string; mayApprove: boolean; refusal?: string }) {
  return (
    <div class="review-forms">
      {mayApprove ? (
        <form method="post" action={`/admin/catalog/${itemId}/transition`} class="reason-form">
          <Csrf c={c} />
          <input type="hidden" name="action" value="approve" />
          <OpinionField c={c} action="approve" required={false} />
          <button type="submit">{c.t(`catalog.action.approve.${stage}`)}</button>
        </form>
      ) : (
        refusal && <Notice kind="info">{c.t(refusal)}</Notice>
      )}
      <form method="post" action={`/admin/catalog/${itemId}/transition`} class="reason-form">
        <Csrf c={c} />
        <input type="hidden" name="action" value="reject" />
        <OpinionField c={c} action="reject" required />
        <button type="submit" class="secondary">
          {c.t('catalog.action.reject')}
        </button>
      </form>
    </div>
  );
}

/** The platform's own callers, named in words in the history. */
const ACTOR_KINDS = ['system', 'cli', 'demo'];

/** What a step of the history was, in words: 提交审查, 审核通过, 签发退回… */
function stepLabel(c: PageCtx, s: ReviewStep): string {
  if (s.action === 'submit') return c.t('catalog.action.submit');
  if (s.action === 'approve') return c.t(`catalog.action.approve.${s.stage}`);
  return c.t('catalog.step.reject', { stage: c.t(`catalog.stage.${s.stage}`) });
}

/** The review history: each step with who (display name and role), when (Beijing time) and the opinion. */
export function ReviewHistory({ c, steps }: { c: PageCtx; steps: ReviewStep[] }) {
  return (
    <section aria-labelledby="hist-h" class="review-history">
      <h2 id="hist-h">{c.t('catalog.approvals')}</h2>
      {steps.length === 0 ? (
        <p>{c.t('catalog.history_none')}</p>
      ) : (
        <TableWrap label={c.t('catalog.approvals')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{c.t('catalog.history_at')}</th>
                <th scope="col">{c.t('catalog.version')}</th>
                <th scope="col">{c.t('catalog.history_step')}</th>
                <th scope="col">{c.t('catalog.history_user')}</th>
                <th scope="col">{c.t('catalog.history_opinion')}</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((s) => (
                <tr class={s.action === 'reject' ? 'rejected' : undefined}>
                  <td>
                    <time datetime={s.at}>{shanghaiDateTime(s.at)}</time>
                  </td>
                  <td>v{s.version}</td>
                  <td>{stepLabel(c, s)}</td>
                  <td>
                    {s.userId == null && ACTOR_KINDS.includes(s.name) ? c.t(`catalog.actor.${s.name}`) : s.name}
                    {s.role && <span class="role">{c.t('catalog.history_role', { role: c.t(`role.${s.role}`) })}</span>}
                  </td>
                  <td class="opinion">{s.opinion || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
