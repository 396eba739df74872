// The public side of subscriptions, all without JavaScript and without an account:
// /subscriptions (choose what and how; links elsewhere prefill the target: ?dept=, ?topic=,
// ?type=, ?genre=, ?item=, ?q=), the SMS code page, the e-mail confirmation (a button: mail
// scanners that open links confirm nothing), the preference centre and one-click unsubscribe
// (RFC 8058: a bare POST, no cookie, no CSRF token), and the SMS short link /s/{code}.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { Csrf, Empty, ErrorSummary, Field, Notice, PublicLayout, Select, type PageCtx } from '../../../platform/render/index.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { localParams } from '../../../platform/i18n/index.js';
import { clientLimit } from '../../../platform/http/limit.js';
import { itemTypes } from '../../../platform/publication/registry.js';
import { GENRES, TOP_TOPICS } from '../../../platform/taxonomy/index.js';
import { shanghaiDate } from '../../../platform/dates.js';
import { INT_MAX } from '../../../platform/text.js';
import { FREQUENCIES, type Frequency } from '../schema.js';
import { checkTarget } from '../service/targets.js';
import { describeTarget } from '../service/describe.js';
import { changeSubscription, confirmByCode, confirmByLink, endAll, manageToken, subscribe, subscriberByToken, subscriptionsOf, unsubscribe } from '../service/subscribe.js';
import { versionUrl } from '../service/send.js';

// `code` is the proof that goes with `appeal` (its query code), never a target of its own.
const TARGET_FIELDS = ['dept', 'topic', 'genre', 'type', 'cat', 'item', 'q', 'appeal', 'code'] as const;
/** The target fields of a query or form: the built-in ones and a type's own facets (x.domain…). */
const targetFields = (raw: Record<string, unknown>) => [...TARGET_FIELDS, ...Object.keys(raw).filter((k) => /^x\.[a-z][a-z0-9-]{0,19}$/.test(k)).slice(0, 4)];
const str = (v: unknown, max = 200) => (typeof v === 'string' ? v.slice(0, max) : '');
const body = (req: FastifyRequest) => (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {});

function errorsOf(req: FastifyRequest, err: unknown): { fields: Record<string, string>; error?: string; status: number } | null {
  if (!(err instanceof HttpError) || err.status >= 500) return null;
  const params = localParams(req.locale, err.params);
  if (err.fields) return { fields: Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, params)])), status: err.status };
  return { fields: {}, error: req.t(err.message, params), status: err.status };
}

function Page({ c, title, children }: { c: PageCtx; title: string; children: any }) {
  return (
    <PublicLayout c={c} title={title} canonical={null} noindex>
      <div class="subscriptions">
        <h1>{title}</h1>
        {children}
      </div>
    </PublicLayout>
  );
}

async function formPage(p: Platform, req: FastifyRequest, reply: FastifyReply, values: Record<string, string>, opts: { fields?: Record<string, string>; error?: string; status?: number } = {}) {
  const c = req.ctx(reply);
  const f = opts.fields ?? {};
  // A target given by the link (e.g. "subscribe to this search") is shown as text and kept hidden.
  let fixed: string | null = null;
  const given = Object.fromEntries(targetFields(values).filter((k) => values[k]).map((k) => [k, values[k]!]));
  const prefilled = values.prefilled === '1' || (req.method === 'GET' && Object.keys(given).length > 0);
  if (prefilled) {
    try {
      fixed = await describeTarget(p.db, (await checkTarget(p.db, given)).target, c.locale);
    } catch {
      fixed = null;
    }
  }
  const depts = await p.db.selectFrom('departments').select(['id', 'name']).orderBy('id').execute();
  const types = itemTypes().map((t) => ({ value: t.type, label: c.t(t.label) }));
  reply.header('cache-control', 'no-store');
  return reply.html(
    <PublicLayout c={c} title={c.t('subscriptions.form.title')} canonical="/subscriptions">
      <div class="subscriptions">
        <h1>{c.t('subscriptions.form.title')}</h1>
        <p>{c.t('subscriptions.form.intro')}</p>
        <ErrorSummary c={c} fields={f} />
        {opts.error && <Notice kind="error">{opts.error}</Notice>}
        <form method="post" action="/subscriptions" class="stack subscribe-form">
          <Csrf c={c} />
          {fixed ? (
            <>
              <p class="subscription-target">
                <strong>{c.t('subscriptions.form.target')}</strong> {fixed}
              </p>
              <input type="hidden" name="prefilled" value="1" />
              {Object.entries(given).map(([k, v]) => (
                <input type="hidden" name={k} value={v} />
              ))}
            </>
          ) : (
            <fieldset>
              <legend>{c.t('subscriptions.form.target')}</legend>
              {f.target && <p class="field-error">{f.target}</p>}
              <Select label={c.t('subscriptions.facet.dept')} name="dept" value={values.dept} blank={c.t('subscriptions.form.any')} options={depts.map((d) => ({ value: d.id, label: d.name }))} error={f.dept} />
              <Select label={c.t('subscriptions.facet.topic')} name="topic" value={values.topic} blank={c.t('subscriptions.form.any')} options={TOP_TOPICS.map((t) => ({ value: t.code, label: t.name }))} error={f.topic} />
              <Select label={c.t('subscriptions.facet.type')} name="type" value={values.type} blank={c.t('subscriptions.form.any')} options={types} error={f.type} />
              <Select label={c.t('subscriptions.facet.genre')} name="genre" value={values.genre} blank={c.t('subscriptions.form.any')} options={GENRES.map((g) => ({ value: g, label: g }))} error={f.genre} />
              <Field label={c.t('subscriptions.facet.q')} name="q" value={values.q} maxLength={100} hint={c.t('subscriptions.form.q_hint')} error={f.q} />
            </fieldset>
          )}
          <fieldset>
            <legend>{c.t('subscriptions.form.how')}</legend>
            {f.channel && <p class="field-error">{f.channel}</p>}
            <label class="choice">
              <input type="radio" name="channel" value="email" checked={values.channel !== 'sms'} /> {c.t('subscriptions.channel.email')}
            </label>
            <label class="choice">
              <input type="radio" name="channel" value="sms" checked={values.channel === 'sms'} /> {c.t('subscriptions.channel.sms')}
            </label>
            <Field label={c.t('subscriptions.form.address')} name="address" value={values.address} required maxLength={200} autocomplete="email" hint={c.t('subscriptions.form.address_hint')} error={f.address} />
            <Select label={c.t('subscriptions.form.frequency')} name="frequency" value={values.frequency || 'immediately'} options={FREQUENCIES.map((x) => ({ value: x, label: c.t(`subscriptions.frequency.${x}`) }))} error={f.frequency} />
          </fieldset>
          <p class="hint">{c.t('subscriptions.form.privacy')}</p>
          <div class="actions">
            <button type="submit" class="primary">
              {c.t('subscriptions.form.submit')}
            </button>
          </div>
        </form>
      </div>
    </PublicLayout>,
    opts.status,
  );
}

function codePage(req: FastifyRequest, reply: FastifyReply, token: string, opts: { fields?: Record<string, string>; status?: number } = {}) {
  const c = req.ctx(reply);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <Page c={c} title={c.t('subscriptions.code.title')}>
      <p>{c.t('subscriptions.code.intro')}</p>
      <ErrorSummary c={c} fields={opts.fields} />
      <form method="post" action={`/subscriptions/verify/${token}`} class="stack">
        <Field label={c.t('subscriptions.code.label')} name="code" required maxLength={6} inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" error={opts.fields?.code} />
        <div class="actions">
          <button type="submit" class="primary">
            {c.t('subscriptions.code.submit')}
          </button>
        </div>
      </form>
    </Page>,
    opts.status,
  );
}

function confirmedPage(p: Platform, req: FastifyRequest, reply: FastifyReply, manage: string) {
  const c = req.ctx(reply);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <Page c={c} title={c.t('subscriptions.confirmed.title')}>
      <Notice kind="success">{c.t('subscriptions.confirmed.body')}</Notice>
      <p>
        <a href={`/subscriptions/manage/${manage}`}>{c.t('subscriptions.manage.link')}</a>
      </p>
    </Page>,
  );
}

async function managePage(p: Platform, req: FastifyRequest, reply: FastifyReply, token: string, notice?: string) {
  const c = req.ctx(reply);
  const s = await subscriberByToken(p, token);
  const list = await subscriptionsOf(p, Number(s.id), c.locale);
  const history = await p.db
    .selectFrom('chn_deliveries as d')
    .innerJoin('pub_items as i', 'i.id', 'd.item_id')
    .select(['d.id', 'd.kind', 'd.state', 'd.version', 'd.queued_at', 'i.title', 'i.id as item_id', 'i.type'])
    .where('d.recipient_kind', '=', 'subscriber')
    .where('d.recipient_id', '=', s.id)
    .orderBy('d.id', 'desc')
    .limit(20)
    .execute();
  reply.header('cache-control', 'no-store');
  reply.header('referrer-policy', 'no-referrer');
  const action = `/subscriptions/manage/${token}`;
  return reply.html(
    <Page c={c} title={c.t('subscriptions.manage.title')}>
      <p>{c.t('subscriptions.manage.intro', { address: s.channel === 'email' ? s.address : `${s.address.slice(0, 3)}****${s.address.slice(-4)}` })}</p>
      {notice && <Notice kind="success">{notice}</Notice>}
      {list.length === 0 ? (
        <Empty>{c.t('subscriptions.manage.empty')}</Empty>
      ) : (
        <ul class="subscription-list">
          {list.map((x) => (
            <li>
              <p>
                <strong>{x.title}</strong> {x.state === 'pending' && <span class="badge">{c.t('subscriptions.state.pending')}</span>}
              </p>
              <form method="post" action={action} class="inline-form">
                <input type="hidden" name="subscription" value={String(x.id)} />
                <input type="hidden" name="op" value="frequency" />
                <label for={`freq-${x.id}`}>{c.t('subscriptions.form.frequency')}</label>{' '}
                <select id={`freq-${x.id}`} name="frequency">
                  {FREQUENCIES.map((fq) => (
                    <option value={fq} selected={fq === x.frequency}>
                      {c.t(`subscriptions.frequency.${fq}`)}
                    </option>
                  ))}
                </select>{' '}
                <button type="submit">{c.t('subscriptions.manage.save')}</button>
              </form>
              <form method="post" action={action} class="inline-form">
                <input type="hidden" name="subscription" value={String(x.id)} />
                <input type="hidden" name="op" value="end" />
                <button type="submit" class="secondary">
                  {c.t('subscriptions.manage.end')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      {list.length > 0 && (
        <form method="post" action={action} class="confirm-form">
          <input type="hidden" name="op" value="end-all" />
          <label class="confirm">
            <input type="checkbox" name="confirm" value="yes" required /> {c.t('subscriptions.manage.end_all_confirm')}
          </label>
          <button type="submit" class="danger">
            {c.t('subscriptions.manage.end_all')}
          </button>
        </form>
      )}
      <h2>{c.t('subscriptions.manage.history')}</h2>
      {history.length === 0 ? (
        <Empty>{c.t('subscriptions.manage.history_empty')}</Empty>
      ) : (
        <ul class="delivery-history">
          {history.map((h) => (
            <li>
              {shanghaiDate(h.queued_at)} · {c.t(`subscriptions.kind.${h.kind}`)} · <a href={versionUrl(p, h.type, Number(h.item_id), Number(h.version)).replace(p.config.publicUrl, '')}>{h.title}</a> · {c.t(`subscriptions.ledger_state.${h.state}`)}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/subscriptions">{c.t('subscriptions.manage.add')}</a>
      </p>
    </Page>,
  );
}

function unsubscribePage(req: FastifyRequest, reply: FastifyReply, token: string, done?: string) {
  const c = req.ctx(reply);
  reply.header('cache-control', 'no-store');
  return reply.html(
    <Page c={c} title={c.t('subscriptions.unsub.title')}>
      {done ? (
        <Notice kind="success">{c.t('subscriptions.unsub.done', { title: done })}</Notice>
      ) : (
        <form method="post" action={`/subscriptions/u/${token}`}>
          <p>{c.t('subscriptions.unsub.intro')}</p>
          <button type="submit" class="primary" name="List-Unsubscribe" value="One-Click">
            {c.t('subscriptions.unsub.submit')}
          </button>
        </form>
      )}
    </Page>,
  );
}

const tokenOf = (v: unknown) => str(v, 120);

export function subscriptionPages(app: FastifyInstance, p: Platform): void {
  const subscribeLimit = clientLimit(p.db, { bucket: 'subscriptions.subscribe', max: 10, message: 'subscriptions.err.rate_limited' });
  const codeLimit = clientLimit(p.db, { bucket: 'subscriptions.code', max: 10, message: 'subscriptions.err.rate_limited' });

  app.get<{ Querystring: Record<string, string> }>('/subscriptions', { config: { permission: 'public' } }, async (req, reply) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    // A proof never comes by link (it would sit in logs and histories): only a form posts `code`.
    return formPage(p, req, reply, Object.fromEntries(targetFields(q).filter((k) => k !== 'code').map((k) => [k, str(q[k], 100)])));
  });

  app.post('/subscriptions', { config: { permission: 'public' }, preHandler: subscribeLimit }, async (req, reply) => {
    const b = body(req);
    const values = Object.fromEntries([...targetFields(b), 'channel', 'address', 'frequency', 'prefilled'].map((k) => [k, str(b[k])]));
    try {
      const r = await subscribe(p, { ...values, locale: req.locale });
      if (r.channel === 'sms' && r.verifyToken) return reply.redirect(`/subscriptions/verify/${r.verifyToken}`, 303);
      const c = req.ctx(reply);
      reply.header('cache-control', 'no-store');
      return reply.html(
        <Page c={c} title={c.t('subscriptions.sent.title')}>
          <Notice kind="success">{c.t('subscriptions.sent.email')}</Notice>
          <p>{c.t('subscriptions.sent.hint')}</p>
        </Page>,
        202,
      );
    } catch (err) {
      const e = errorsOf(req, err);
      if (!e) throw err;
      return formPage(p, req, reply, values, e);
    }
  });

  app.get<{ Params: { token: string } }>('/subscriptions/verify/:token', { config: { permission: 'public' } }, async (req, reply) => codePage(req, reply, tokenOf(req.params.token)));

  app.post<{ Params: { token: string } }>('/subscriptions/verify/:token', { config: { permission: 'public', csrf: false }, preHandler: codeLimit }, async (req, reply) => {
    const token = tokenOf(req.params.token);
    try {
      const r = await confirmByCode(p, token, body(req).code);
      const s = await p.db.selectFrom('sub_subscribers').select(['id', 'link_version']).where('id', '=', r.subscriberId).executeTakeFirstOrThrow();
      return confirmedPage(p, req, reply, manageToken(p, s));
    } catch (err) {
      const e = errorsOf(req, err);
      if (!e || !e.fields.code) throw err;
      return codePage(req, reply, token, e);
    }
  });

  app.get<{ Params: { token: string } }>('/subscriptions/confirm/:token', { config: { permission: 'public' } }, async (req, reply) => {
    const token = tokenOf(req.params.token);
    const c = req.ctx(reply);
    reply.header('cache-control', 'no-store');
    return reply.html(
      <Page c={c} title={c.t('subscriptions.confirm.title')}>
        <form method="post" action={`/subscriptions/confirm/${token}`}>
          <p>{c.t('subscriptions.confirm.intro')}</p>
          <button type="submit" class="primary">
            {c.t('subscriptions.confirm.submit')}
          </button>
        </form>
      </Page>,
    );
  });

  app.post<{ Params: { token: string } }>('/subscriptions/confirm/:token', { config: { permission: 'public', csrf: false } }, async (req, reply) => {
    const r = await confirmByLink(p, tokenOf(req.params.token));
    const s = await p.db.selectFrom('sub_subscribers').select(['id', 'link_version']).where('id', '=', r.subscriberId).executeTakeFirstOrThrow();
    return confirmedPage(p, req, reply, manageToken(p, s));
  });

  app.get<{ Params: { token: string } }>('/subscriptions/manage/:token', { config: { permission: 'public' } }, async (req, reply) => managePage(p, req, reply, tokenOf(req.params.token)));

  app.post<{ Params: { token: string } }>('/subscriptions/manage/:token', { config: { permission: 'public', csrf: false } }, async (req, reply) => {
    const token = tokenOf(req.params.token);
    const s = await subscriberByToken(p, token);
    const b = body(req);
    const op = str(b.op, 20);
    if (op === 'end-all') {
      if (b.confirm !== 'yes') throw new HttpError(400, 'validation', 'err.validation', { confirm: 'subscriptions.err.confirm' });
      await endAll(p, Number(s.id));
      const c = req.ctx(reply);
      return reply.html(
        <Page c={c} title={c.t('subscriptions.unsub.title')}>
          <Notice kind="success">{c.t('subscriptions.manage.ended_all')}</Notice>
          <p>
            <a href="/subscriptions">{c.t('subscriptions.manage.add')}</a>
          </p>
        </Page>,
      );
    }
    if (op !== 'end' && op !== 'frequency') throw new HttpError(400, 'validation', 'err.validation', { op: 'subscriptions.err.op' });
    await changeSubscription(p, Number(s.id), b.subscription, op === 'end' ? { end: true } : { frequency: b.frequency as Frequency });
    return managePage(p, req, reply, token, req.t(op === 'end' ? 'subscriptions.manage.ended' : 'subscriptions.manage.saved'));
  });

  app.get<{ Params: { token: string } }>('/subscriptions/u/:token', { config: { permission: 'public' } }, async (req, reply) => unsubscribePage(req, reply, tokenOf(req.params.token)));

  // RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no cookie and no token.
  app.post<{ Params: { token: string } }>('/subscriptions/u/:token', { config: { permission: 'public', csrf: false } }, async (req, reply) => {
    const r = await unsubscribe(p, tokenOf(req.params.token));
    return unsubscribePage(req, reply, '', r.title || '—');
  });

  // SMS short link: the ledger row's id in base 36 → the version it carried.
  app.get<{ Params: { code: string } }>('/s/:code', { config: { permission: 'public' } }, async (req, reply) => {
    const code = str(req.params.code, 12);
    // Ids are integers: a longer code (36^7 > 2^31) would overflow PostgreSQL's integer column.
    if (!/^[0-9a-z]{1,7}$/.test(code) || parseInt(code, 36) > INT_MAX) throw notFound();
    const d = await p.db.selectFrom('chn_deliveries as d').innerJoin('pub_items as i', 'i.id', 'd.item_id').select(['d.item_id', 'd.version', 'i.type', 'i.public']).where('d.id', '=', parseInt(code, 36)).where('d.channel', '=', 'sms').executeTakeFirst();
    if (!d) throw notFound();
    return reply.redirect(versionUrl(p, d.type, Number(d.item_id), Number(d.version)).replace(p.config.publicUrl, ''), 302);
  });
}
