// Views shared by the public pages and the console (the staff preview): the item page's body
// with its metadata block, item lists, dates and validity labels.
import type { FastifyRequest } from 'fastify';
import type { PageCtx } from '../../platform/render/index.js';
import type { ComponentChildren } from 'preact';
import { Empty, Notice, TableWrap, zhLang } from '../../platform/render/index.js';
import { itemType } from '../../platform/publication/registry.js';
import { attachmentName, humanSize } from '../../platform/files/index.js';
import type { ListItem, PublicItem } from './service/queries.js';
import { topicPath } from '../../platform/taxonomy/index.js';
import { shanghaiDate } from '../../platform/dates.js';

/** A date as shown: the Asia/Shanghai date of a stored moment (a plain date as it is). */
export const fmtDate = (s: string | null | undefined) => shanghaiDate(s);
export const validityLabel = (c: PageCtx, v: string) => c.t(`catalog.validity.${v}`);

export function ItemList({ c, items }: { c: PageCtx; items: ListItem[] }) {
  if (!items.length) return <Empty>{c.t('catalog.none')}</Empty>;
  return (
    <ul class="doc-list">
      {items.map((x) => (
        <li>
          <a href={x.url} class="doc-title" lang={zhLang(c)}>{x.title}</a>
          <span class="doc-meta">
            {x.docNo && <span lang={zhLang(c)}>{x.docNo}</span>}
            <span lang={zhLang(c)}>{x.departmentName}</span>
            <time datetime={fmtDate(x.publishedAt)}>{fmtDate(x.publishedAt)}</time>
            {x.validity !== 'valid' && <span class={`validity ${x.validity}`}>{validityLabel(c, x.validity)}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The item's catalog metadata (索引号, 发布机构, 文号…) as a definition list: one term and its
 * value per entry, two entries a row on a wide screen, one on a phone, two on paper (site.css).
 * Values staff wrote are marked Chinese on a page in another language.
 */
export function MetaBlock({ c, pi }: { c: PageCtx; pi: PublicItem }) {
  const x = pi.item;
  const m = pi.version.meta;
  const zh = zhLang(c);
  const entry = (term: string, value: ComponentChildren, o: { wide?: boolean; chinese?: boolean } = {}) => (
    <div class={o.wide ? 'wide' : undefined}>
      <dt>{term}</dt>
      <dd lang={o.chinese ? zh : undefined}>{value}</dd>
    </div>
  );
  return (
    <section class="doc-meta" aria-label={c.t('catalog.metadata')}>
      <dl class="doc-metadata">
        {entry(c.t('catalog.indexNo'), x.indexNo)}
        {entry(c.t('catalog.topic'), topicPath(x.topic), { chinese: true })}
        {entry(c.t('catalog.publisher'), [x.departmentName, ...pi.coPublishers.map((d) => d.name)].join('、'), { chinese: true })}
        {entry(c.t('catalog.genre'), x.genre, { chinese: true })}
        {entry(c.t('catalog.docNo'), x.docNo, { chinese: true })}
        {entry(c.t('catalog.validity'), validityLabel(c, x.validity))}
        {entry(c.t('catalog.writtenAt'), fmtDate(x.writtenAt))}
        {entry(c.t('catalog.publishedAt'), fmtDate(x.publishedAt))}
        {entry(c.t('catalog.title'), x.title, { wide: true, chinese: true })}
        {m.summary && entry(c.t('catalog.summary'), m.summary, { wide: true, chinese: true })}
        {m.keywords.length > 0 && entry(c.t('catalog.keywords'), m.keywords.join('；'), { wide: true, chinese: true })}
        {(m.effectiveAt || m.expiresAt) && entry(c.t('catalog.effectiveAt'), fmtDate(m.effectiveAt))}
        {(m.effectiveAt || m.expiresAt) && entry(c.t('catalog.expiresAt'), fmtDate(m.expiresAt))}
      </dl>
    </section>
  );
}

/** The item as the public sees it (also the staff preview). */
export function ItemBody({ c, pi, preview }: { c: PageCtx; pi: PublicItem; preview?: boolean }) {
  const x = pi.item;
  const type = itemType(x.type);
  return (
    <article class="doc" aria-labelledby="doc-title">
      <MetaBlock c={c} pi={pi} />
      <h1 id="doc-title" class="doc-heading" lang={zhLang(c)}>{x.title}</h1>
      {x.docNo && <p class="doc-no" lang={zhLang(c)}>{x.docNo}</p>}
      {x.validity !== 'valid' && (
        <Notice kind="warning">
          {c.t(`catalog.validity_notice.${x.validity}`, { date: fmtDate(pi.validityChangedAt ?? pi.version.meta.expiresAt) })}
        </Notice>
      )}
      {type.render(pi.data, c, { id: x.id })}
      {pi.data.attachments.length > 0 && (
        <section class="doc-attachments" aria-labelledby="att-h">
          <h2 id="att-h">{c.t('catalog.attachments')}</h2>
          {pi.data.attachments
            .filter((a) => a.mime.startsWith('image/'))
            .map((a) => (
              <figure class="doc-figure">
                <img src={`/catalog/items/${x.id}/files/${a.hash}`} alt={attachmentName(a).replace(/\.[a-z0-9]+$/i, '')} loading="lazy" lang={zhLang(c)} />
                <figcaption lang={zhLang(c)}>{attachmentName(a)}</figcaption>
              </figure>
            ))}
          <ul>
            {pi.data.attachments.map((a) => (
              <li>
                <a href={`/catalog/items/${x.id}/files/${a.hash}`} download={attachmentName(a)} lang={zhLang(c)}>{attachmentName(a)}</a> <span class="size">（{humanSize(a.size)}）</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {pi.interprets.length > 0 && (
        <section aria-labelledby="interprets-h">
          <h2 id="interprets-h">{c.t('catalog.interprets')}</h2>
          <ItemList c={c} items={pi.interprets} />
        </section>
      )}
      {pi.interpretations.length > 0 && (
        <section aria-labelledby="interp-h">
          <h2 id="interp-h">{c.t('catalog.interpretations')}</h2>
          <ItemList c={c} items={pi.interpretations} />
        </section>
      )}
      {pi.related.length > 0 && (
        <section aria-labelledby="rel-h">
          <h2 id="rel-h">{c.t('catalog.related')}</h2>
          <ItemList c={c} items={pi.related} />
        </section>
      )}
      {!preview && (
        <section class="doc-versions" aria-labelledby="ver-h">
          <h2 id="ver-h">{c.t('catalog.versions')}</h2>
          <p class="hint">{c.t('catalog.versions_hint')}</p>
          <TableWrap label={c.t('catalog.versions_table')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{c.t('catalog.version')}</th>
                <th scope="col">{c.t('catalog.publishedAt')}</th>
                <th scope="col">{c.t('catalog.change_note')}</th>
                <th scope="col">{c.t('catalog.hash')}</th>
              </tr>
            </thead>
            <tbody>
              {pi.versions.map((v) => (
                <tr>
                  <td>
                    <a href={`/catalog/items/${x.id}/versions/${v.version}.json`}>v{v.version}</a>
                  </td>
                  <td>{fmtDate(v.publishedAt)}</td>
                  <td lang={v.changeNote ? zhLang(c) : undefined}>{v.changeNote || (v.version === 1 ? c.t('catalog.first_version') : '')}</td>
                  <td>
                    <code class="hash">{v.hash}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableWrap>
          <p>
            <a href={`/catalog/items/${x.id}/print`}>{c.t('catalog.print')}</a>
          </p>
        </section>
      )}
    </article>
  );
}

/** The catalog's sections, as tabs on each of their pages. */
export const CATALOG_SECTIONS = [
  { label: 'catalog.title_list', href: '/catalog' },
  { label: 'catalog.interpretations', href: '/catalog/interpretations' },
  { label: 'catalog.disclosure_guide', href: '/catalog/disclosure-guide' },
  { label: 'catalog.statutory', href: '/catalog/statutory' },
  { label: 'catalog.disclosure_rules', href: '/catalog/disclosure-rules' },
];

export function CatalogTabs({ c, current }: { c: PageCtx; current: string }) {
  return (
    <nav class="tabs catalog-tabs" aria-label={c.t('catalog.sections')}>
      {CATALOG_SECTIONS.map((s) => (
        <a href={s.href} aria-current={s.href === current ? 'page' : undefined}>
          {c.t(s.label)}
        </a>
      ))}
    </nav>
  );
}

/** Text staff typed (a guide, the disclosure rules): paragraphs, and a short line numbered 一、二、… as a heading. */
export function TextBlocks({ text }: { text: string }) {
  const blocks = text.split(/\n+/).map((s) => s.trim()).filter(Boolean);
  return <>{blocks.map((b) => (/^[一二三四五六七八九十]+、[^。；]{1,30}$/.test(b) ? <h2>{b}</h2> : <p>{b}</p>))}</>;
}

/** The new address of a renamed page, with the request's query string (for 301/308 redirects). */
export const movedTo = (req: FastifyRequest, to: string) => to + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '');
