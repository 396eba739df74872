// Console: the everyday names (aliases) of GB/T 4754 industries that the negative-list lookup and
// policy matching understand. Editable by `industry.edit` holders in a department keeping a
// negative list; every change is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { HttpError, notFound } from '../../../platform/errors.js';
import { nowShanghai } from '../../../platform/deadlines/index.js';
import { AdminLayout, Csrf, Empty, ErrorSummary, Field, Notice } from '../../../platform/render/index.js';
import { ALIAS_LENGTH, ALIAS_MAX, industryTable, mayEditAliases, pick, setAliases } from '../service/industries.js';
import { localizeFields, str } from '../views.js';
import { pathText } from '../public/industries.js';

/** Aliases typed one per line (or separated by 、，, ; or spaces). */
export const splitAliases = (text: string) => text.split(/[\n\r、，,;；\s]+/).map((a) => a.trim()).filter(Boolean);

export async function industryConsole(app: FastifyInstance, p: Platform): Promise<void> {
  app.get<{ Querystring: { q?: string } }>('/admin/lists/industries', { config: { permission: 'industry.edit' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const q = str(req.query.q).slice(0, 100);
    const table = await industryTable(p.db);
    const items = q.trim() ? pick(table, q, null, 60) : [];
    const mayEdit = await mayEditAliases(p.db, req.user!);
    return reply.html(
      <AdminLayout c={c} title={c.t('lists.industry.console')}>
        <h1>{c.t('lists.industry.console')}</h1>
        <p>{c.t('lists.industry.console_intro')}</p>
        {!mayEdit && <Notice kind="info">{c.t('lists.industry.read_only')}</Notice>}
        <form method="get" class="filters" role="search">
          <Field label={c.t('lists.industry.q')} name="q" value={q} maxLength={100} hint={c.t('lists.industry.q_hint')} />
          <button type="submit">{c.t('lists.industry.find')}</button>
        </form>
        {q.trim() &&
          (items.length ? (
            <ul class="industry-list">
              {items.map((x) => (
                <li>
                  <p class="industry-name">
                    <a href={`/admin/lists/industries/${x.code}`}>
                      <span class="code">{x.code}</span> {x.name}
                    </a>
                  </p>
                  {x.path.length > 0 && <p class="meta">{pathText(x)}</p>}
                  <p class="meta">{x.aliases.length ? c.t('lists.industry.aliases_are', { words: x.aliases.join('、') }) : c.t('lists.industry.no_aliases')}</p>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{c.t('lists.industry.none')}</Empty>
          ))}
      </AdminLayout>,
    );
  });

  async function editPage(req: FastifyRequest, reply: FastifyReply, code: string, opts: { value?: string; fields?: Record<string, string>; done?: boolean } = {}, status = 200) {
    const c = req.ctx(reply);
    const table = await industryTable(p.db);
    const row = table.get(code);
    if (!row) throw notFound();
    const x = table.view(row);
    const mayEdit = await mayEditAliases(p.db, req.user!);
    const history = await p.db.selectFrom('industries').select(['updated_by', 'updated_at']).where('code', '=', row.code).executeTakeFirstOrThrow();
    return reply.html(
      <AdminLayout c={c} title={`${x.code} ${x.name}`}>
        <p>
          <a href="/admin/lists/industries">{c.t('lists.industry.console')}</a>
        </p>
        <h1>{`${x.code} ${x.name}`}</h1>
        {x.path.length > 0 && <p class="meta">{pathText(x)}</p>}
        {opts.done && <Notice kind="success">{c.t('lists.industry.saved')}</Notice>}
        <ErrorSummary c={c} fields={opts.fields} />
        {history.updated_by !== 'system' && <p class="meta">{c.t('lists.industry.last_change', { at: nowShanghai(new Date(history.updated_at)).replace('T', ' '), by: history.updated_by.replace(/^user:/, '') })}</p>}
        {mayEdit ? (
          <form method="post" action={`/admin/lists/industries/${x.code}`} class="stack">
            <Csrf c={c} />
            <Field label={c.t('lists.industry.aliases')} name="aliases" multiline rows={8} value={opts.value ?? x.aliases.join('\n')} hint={c.t('lists.industry.aliases_hint', { max: ALIAS_MAX, len: ALIAS_LENGTH })} error={opts.fields?.aliases} />
            <button type="submit" class="primary">
              {c.t('lists.save')}
            </button>
          </form>
        ) : (
          <>
            <Notice kind="info">{c.t('lists.industry.read_only')}</Notice>
            <p>{x.aliases.length ? c.t('lists.industry.aliases_are', { words: x.aliases.join('、') }) : c.t('lists.industry.no_aliases')}</p>
          </>
        )}
        <p>
          <a href={`/negative-lists/lookup?q=${x.code}`}>{c.t('lists.industry.ask_lists')}</a>
        </p>
      </AdminLayout>,
      status,
    );
  }

  app.get<{ Params: { code: string }; Querystring: { done?: string } }>('/admin/lists/industries/:code', { config: { permission: 'industry.edit' } }, async (req, reply) => editPage(req, reply, str(req.params.code).slice(0, 5), { done: !!req.query.done }));

  app.post<{ Params: { code: string }; Body: Record<string, unknown> }>('/admin/lists/industries/:code', { config: { permission: 'industry.edit' } }, async (req, reply) => {
    const raw = str(req.params.code);
    // No silent change of target or content: a longer code is not cut to another industry's, and
    // a form whose aliases are not one text (sent twice, or missing) changes nothing.
    if (raw.length > 5) throw notFound();
    const code = raw.toUpperCase();
    const given = (req.body ?? {}).aliases;
    if (typeof given !== 'string') return editPage(req, reply, code, { value: '', fields: { aliases: req.t('err.field.invalid') } }, 400);
    const text = given.slice(0, 5000);
    try {
      await setAliases(p, req.user!, code, splitAliases(text));
    } catch (err) {
      const fields = localizeFields(req, err);
      if (!fields || (err instanceof HttpError && err.status !== 400)) throw err;
      return editPage(req, reply, code, { value: text, fields }, 400);
    }
    return reply.redirect(`/admin/lists/industries/${code}?done=1`, 303);
  });
}
