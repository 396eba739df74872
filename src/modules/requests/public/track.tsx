// The requester's status page: the tracking number and query code (in POST bodies only, never in a
// URL), then the request as the requester may read it — personal data masked —, why the receipt
// date is awaited, the correction asked for, the due date with its explanation, the outcome and
// the public events of the timeline.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { PublicLayout, Csrf, Dl, Field, Notice, type PageCtx } from '../../../platform/render/index.js';
import { HttpError } from '../../../platform/errors.js';
import type { Limiter } from '../../../platform/http/limit.js';
import { findWithCode } from '../service/queries.js';
import { outcomeLabel } from '../service/outcomes.js';
import { RECEIPT_RULE, type IntakeChannel } from '../schema.js';
import { channelLabel, citizenView, DueExplanation, FeeTable, stateLabel, Timeline, typeLabel, type CitizenView } from '../views.js';
import { yuan } from '../service/fees.js';
import { loadReply, publicReply, type PublicReply } from '../service/replies.js';
import { Letter } from '../service/letter.js';
import { seal, unseal } from '../../../platform/http/tickets.js';
import { fileInfo, humanSize, sendStoredFile } from '../../../platform/files/index.js';
import { notFound } from '../../../platform/errors.js';

/** How long a reply file's link works: the page was opened with the query code. */
const FILE_LINK_MS = 2 * 3600_000;

/** A short-lived signed link to a file of the delivered reply (the query code never in a URL). */
export const replyFileUrl = (app: FastifyInstance, requestId: number, hash: string): string => `/disclosure-requests/reply-files/${encodeURIComponent(seal(app, { r: requestId, h: hash, t: Date.now() }))}`;

type Attachment = PublicReply['attachments'][number];

function ReplySection({ c, x, url }: { c: PageCtx; x: PublicReply; url: (a: Attachment) => string }) {
  return (
    <section class="request-reply" aria-labelledby="reply-h">
      <h2 id="reply-h">{c.t('requests.reply_letter')}</h2>
      <p>
        {c.t('requests.reply_outcome')}
        {c.t('common.colon')}
        <strong>{outcomeLabel(x.outcome, c.locale)}</strong> <span class="muted">{c.t('requests.reply_delivered', { date: x.deliveredOn, channel: c.t(`requests.wanted.${x.channel}`) })}</span>
      </p>
      <Letter l={x.letter} headingLevel={3} />
      {x.items.length > 0 && (
        <>
          <h3>{c.t('requests.reply_items_public')}</h3>
          <ul class="reply-items">
            {x.items.map((i) => (
              <li>
                <a href={i.url}>{i.title}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      {x.attachments.length > 0 && (
        <>
          <h3>{c.t('requests.reply_files')}</h3>
          <ul class="reply-files">
            {x.attachments.map((a) => (
              <li>
                <a href={url(a)} download>
                  {a.name}
                </a>{' '}
                <span class="muted">{humanSize(a.size)}</span>
              </li>
            ))}
          </ul>
          <p class="hint">{c.t('requests.reply_files_hint')}</p>
        </>
      )}
    </section>
  );
}

function TrackForm({ c, no, error }: { c: PageCtx; no?: string; error?: string }) {
  return (
    <form method="post" action="/disclosure-requests/track" class="stack narrow">
      <Csrf c={c} />
      {error && <Notice kind="error">{error}</Notice>}
      <Field label={c.t('requests.tracking_no')} name="no" value={no} required maxLength={20} autocomplete="off" />
      <Field label={c.t('requests.query_code')} name="code" required maxLength={14} inputMode="numeric" autocomplete="off" hint={c.t('requests.query_code_hint')} />
      <button type="submit" class="primary">{c.t('requests.track_button')}</button>
    </form>
  );
}

export function trackPage(req: FastifyRequest, reply: FastifyReply, no: string, error?: string, status = 200) {
  const c = req.ctx(reply);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('requests.track')}>
      <div class="requests">
        <h1>{c.t('requests.track')}</h1>
        <p>{c.t('requests.track_intro')}</p>
        <TrackForm c={c} no={no} error={error} />
      </div>
    </PublicLayout>,
    status,
  );
}

function StatusPage({ c, v, reply, url }: { c: PageCtx; v: CitizenView; reply: PublicReply | null; url: (a: Attachment) => string }) {
  const given = (s: string) => s || <span class="muted">{c.t('requests.not_given')}</span>;
  const referral = v.events.find((e) => e.kind === 'referral-received');
  return (
    <div class="requests request-status">
      <h1>
        {c.t('requests.tracking_no')} {v.trackingNo}
      </h1>
      <Dl
        rows={[
          [c.t('requests.agency'), v.agency],
          [c.t('requests.state'), <strong class={`request-state s-${v.state}`}>{stateLabel(c, v.state)}</strong>],
          ...(v.overdue ? [[c.t('requests.overdue'), <strong class="overdue">{c.t('requests.overdue_text')}</strong>] as [string, any]] : []),
          [c.t('requests.channel'), channelLabel(c, v.channel)],
          [c.t('requests.arrived_on'), v.arrivedOn],
          [c.t('requests.received_on'), v.receivedOn ?? <span class="muted">{c.t('requests.received_awaiting')}</span>],
          [c.t('requests.requester_name'), `${v.requesterName}（${typeLabel(c, v.requesterType)}）`],
          [c.t('requests.contact_phone'), given(v.contactPhone)],
          [c.t('requests.contact_email'), given(v.contactEmail)],
          [c.t('requests.info_name'), v.infoName],
          [c.t('requests.info_doc_no'), given(v.infoDocNo)],
          [c.t('requests.info_description'), <div class="request-text">{v.infoDescription}</div>],
          [c.t('requests.form_wanted'), c.t(`requests.form.${v.formWanted}`)],
          [c.t('requests.channel_wanted'), c.t(`requests.wanted.${v.channelWanted}`)],
        ]}
      />
      {v.state === 'awaiting-receipt' && <Notice kind="info">{c.t(`requests.receipt_rule.${RECEIPT_RULE[v.channel as IntakeChannel] === 'confirmed' ? v.channel : 'given'}`)}</Notice>}
      {v.correction && (
        <section aria-labelledby="correction-h">
          <h2 id="correction-h">{c.t('requests.correction')}</h2>
          <p>{c.t('requests.correction_intro', { date: v.correction.askedOn, due: v.correction.due ?? '' })}</p>
          <ol class="correction-items">
            {v.correction.items.map((x) => (
              <li>{x}</li>
            ))}
          </ol>
          {v.correction.correctedOn ? <p>{c.t('requests.corrected_on', { date: v.correction.correctedOn })}</p> : v.state === 'awaiting-correction' && <Notice kind="warning">{c.t('requests.correction_how', { due: v.correction.due ?? '' })}</Notice>}
        </section>
      )}
      {v.fees.length > 0 && (
        <section aria-labelledby="fees-h">
          <h2 id="fees-h">{c.t('requests.fees')}</h2>
          <FeeTable c={c} staff={false} fees={v.fees} />
          {v.fees
            .filter((f) => f.status === 'unpaid')
            .map((f) => (
              <Notice kind="warning">{c.t('requests.fee.unpaid_notice', { amount: yuan(f.amountFen), payBy: f.payBy, how: f.how })}</Notice>
            ))}
        </section>
      )}
      {v.due && <DueExplanation c={c} d={v.due} />}
      {v.outcome && (
        <section aria-labelledby="outcome-h">
          <h2 id="outcome-h">{c.t('requests.outcome')}</h2>
          <p>
            {outcomeLabel(v.outcome, c.locale)} <span class="muted">{v.closedOn}</span>
          </p>
          {referral && typeof referral.data.trackUrl === 'string' && referral.data.trackUrl.startsWith('/') && (
            <p>
              <a href={referral.data.trackUrl}>{c.t('requests.referral_link', { no: String(referral.data.trackingNo ?? '') })}</a>
            </p>
          )}
        </section>
      )}
      {reply && <ReplySection c={c} x={reply} url={url} />}
      <h2>{c.t('requests.timeline')}</h2>
      <Timeline c={c} events={v.events} staff={false} />
    </div>
  );
}

export function trackPages(app: FastifyInstance, p: Platform, codeLimit: Limiter): void {
  // The form. A link with ?no= fills the number in; a ?code= is never used (codes stay out of URLs).
  app.get<{ Querystring: { no?: string } }>('/disclosure-requests/track', { config: { permission: 'public' } }, async (req, reply) => {
    const no = typeof req.query.no === 'string' ? req.query.no.trim().slice(0, 20) : '';
    return trackPage(req, reply, no);
  });

  app.post('/disclosure-requests/track', { config: { permission: 'public' }, preHandler: codeLimit }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const no = typeof b.no === 'string' ? b.no.trim().slice(0, 20) : '';
    const code = typeof b.code === 'string' ? b.code.slice(0, 20) : '';
    let r;
    try {
      r = no && code ? await findWithCode(p.db, no, code) : null;
    } catch (err) {
      if (err instanceof HttpError && err.status === 429) {
        reply.header('retry-after', String(err.retryAfter ?? 60));
        return trackPage(req, reply, no, req.t(err.message, err.params), 429);
      }
      throw err;
    }
    if (!r) return trackPage(req, reply, no, req.t('requests.not_found'), 404);
    const c = req.ctx(reply);
    reply.header('cache-control', 'no-store');
    return reply.html(
      <PublicLayout c={c} title={c.t('requests.track')}>
        <StatusPage c={c} v={await citizenView(p.db, r)} reply={await publicReply(p.db, r)} url={(a) => replyFileUrl(app, r.id, a.hash)} />
      </PublicLayout>,
    );
  });

  // A file of the delivered reply, through the short-lived link the status page gave.
  app.get<{ Params: { token: string } }>('/disclosure-requests/reply-files/:token', { config: { permission: 'public' } }, async (req, reply) => {
    const v = unseal(app, req.params.token);
    const fresh = v && typeof v.t === 'number' && Date.now() - v.t >= 0 && Date.now() - v.t < FILE_LINK_MS;
    if (!v || typeof v.r !== 'number' || typeof v.h !== 'string') throw notFound();
    if (!fresh) throw new HttpError(410, 'gone', 'requests.err.reply_file');
    const x = await loadReply(p.db, v.r);
    const a = x?.status === 'delivered' ? x.attachments.find((f) => f.hash === v.h) : undefined;
    const info = a ? await fileInfo(p.db, a.hash) : null;
    if (!a || !info) throw notFound();
    return sendStoredFile(reply, p.config.dataDir, a.name, info, 'private, no-store');
  });
}
