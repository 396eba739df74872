// Views shared by the public pages and the console: field labels and values, the change record
// of an edition, error messages of a form, the lead paragraph.
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Platform } from '../../platform/platform.js';
import { HttpError } from '../../platform/errors.js';
import { TableWrap, type PageCtx } from '../../platform/render/index.js';
import type { Changes, ListItem, ListType } from './service/engine.js';

export function localizeFields(req: FastifyRequest, err: unknown): Record<string, string> | null {
  if (err instanceof HttpError && err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v)]));
  if (err instanceof HttpError && err.status < 500) return { _: req.t(err.message) };
  return null;
}

export async function deptNames(p: Platform): Promise<Map<string, string>> {
  return new Map((await p.db.selectFrom('departments').select(['code', 'name']).execute()).map((d) => [d.code, d.name]));
}

export const str = (v: unknown) => (typeof v === 'string' ? v : '');
export const fmt = (v: unknown): string => (v === null || v === undefined ? '—' : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('；') : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function fieldLabel(c: PageCtx, field: string, lt?: ListType): string {
  const col = lt?.columns.find((x) => x.field === field);
  if (col) return c.t(col.label);
  const k = `lists.f.${field}`;
  const s = c.t(k);
  return s === k ? field : s;
}

export function itemHref(type: string, key: string, list: number) {
  return `/lists/${type}/items/${encodeURIComponent(key)}?list=${list}`;
}

export function ChangeTables({ c, lt, changes, list }: { c: PageCtx; lt: ListType; changes: Changes; list: number }) {
  const nameOf = (i: ListItem) => str(i[lt.name]).slice(0, 80);
  return (
    <div class="list-diff">
      <p class="diff-summary">{c.t('lists.change_summary', { added: changes.added.length, removed: changes.removed.length, changed: changes.changed.length })}</p>
      <section aria-labelledby="diff-added">
        <h2 id="diff-added">{c.t('lists.added')}（{changes.added.length}）</h2>
        {changes.added.length === 0 ? (
          <p>{c.t('lists.none')}</p>
        ) : (
          <ul class="diff-added">
            {changes.added.map((a) => (
              <li>
                <ins>
                  <a href={itemHref(lt.type, a.key, list)}>{a.key}</a> {nameOf(a.item)}
                </ins>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="diff-removed">
        <h2 id="diff-removed">{c.t('lists.removed')}（{changes.removed.length}）</h2>
        {changes.removed.length === 0 ? (
          <p>{c.t('lists.none')}</p>
        ) : (
          <ul class="diff-removed">
            {changes.removed.map((a) => (
              <li>
                <del>
                  {a.key} {nameOf(a.item)}
                </del>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="diff-changed">
        <h2 id="diff-changed">{c.t('lists.changed')}（{changes.changed.length}）</h2>
        {changes.changed.length === 0 && <p>{c.t('lists.none')}</p>}
        {changes.changed.map((ch) => (
          <TableWrap label={ch.key} class="diff-changed">
            <table class="data">
              <caption>
                <a href={itemHref(lt.type, ch.key, list)}>{ch.key}</a>
              </caption>
              <thead>
                <tr>
                  <th scope="col">{c.t('lists.field')}</th>
                  <th scope="col">{c.t('lists.before')}</th>
                  <th scope="col">{c.t('lists.after')}</th>
                </tr>
              </thead>
              <tbody>
                {ch.fields.map((f) => (
                  <tr>
                    <th scope="row">{fieldLabel(c, f.field, lt)}</th>
                    <td>
                      <del>{fmt(f.from)}</del>
                    </td>
                    <td>
                      <ins>{fmt(f.to)}</ins>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ))}
      </section>
    </div>
  );
}

export function Lead({ children }: { children: ComponentChildren }) {
  return <p class="lead">{children}</p>;
}
