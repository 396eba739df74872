// Small view components shared by every module: form fields with inline errors, pagination,
// empty states, notices and confirmation forms for destructive acts.
import { isGlobalRole } from '../auth/policy.js';
import type { ComponentChildren } from 'preact';
import type { PageCtx } from './context.js';

/**
 * The language of Chinese content (titles, bodies, department names: what staff wrote) shown on a
 * page in another language, for its element's lang attribute: 'zh-CN' there, nothing on a Chinese
 * page. Screen readers then read it with a Chinese voice, browsers pick Chinese fonts (WCAG 3.1.2).
 */
export const zhLang = (c: Pick<PageCtx, 'locale'>): 'zh-CN' | undefined => (c.locale === 'zh-CN' ? undefined : 'zh-CN');

/**
 * The language of text a citizen wrote (an appeal's title and content): Chinese when it is mostly
 * Han characters, on a page in another language; otherwise nothing (the page's language).
 */
export function langOfText(c: Pick<PageCtx, 'locale'>, text: string | null | undefined): 'zh-CN' | undefined {
  if (c.locale === 'zh-CN' || !text) return undefined;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return han > 0 && han >= latin ? 'zh-CN' : undefined;
}

/** Chinese text inline: in a span marked lang="zh-CN" on a page in another language, as it is on a Chinese page. */
export function Zh({ c, children }: { c: Pick<PageCtx, 'locale'>; children: ComponentChildren }) {
  return c.locale === 'zh-CN' ? <>{children}</> : <span lang="zh-CN">{children}</span>;
}

export function Csrf({ c }: { c: PageCtx }) {
  return <input type="hidden" name="_csrf" value={c.csrf()} />;
}

export function ErrorSummary({ c, fields }: { c: PageCtx; fields?: Record<string, string> }) {
  if (!fields || Object.keys(fields).length === 0) return null;
  return (
    <div class="notice error" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{c.t('form.errors')}</h2>
      <ul>
        {Object.entries(fields).map(([k, v]) => (
          <li>
            <a href={`#f-${k}`}>{v}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Notice({ kind, children }: { kind: 'info' | 'success' | 'error' | 'warning'; children: ComponentChildren }) {
  return (
    <div class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

interface FieldProps {
  label: string;
  name: string;
  /** The element id (default f-<name>); give one when a page has several forms with the field. */
  id?: string;
  value?: string | number | null;
  error?: string;
  type?: string;
  required?: boolean;
  hint?: string;
  maxLength?: number;
  autocomplete?: string;
  multiline?: boolean;
  rows?: number;
  inputMode?: string;
  pattern?: string;
}

export function Field(p: FieldProps) {
  const id = p.id ?? `f-${p.name}`;
  const describedBy = [p.hint && `${id}-hint`, p.error && `${id}-err`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: p.name,
    required: p.required,
    maxLength: p.maxLength,
    'aria-invalid': p.error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div class={`field${p.error ? ' has-error' : ''}`}>
      <label for={id}>
        {p.label}
        {p.required && <span class="req" aria-hidden="true"> *</span>}
      </label>
      {p.hint && (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="field-error" id={`${id}-err`}>
          {p.error}
        </p>
      )}
      {p.multiline ? (
        <textarea {...common} rows={p.rows ?? 6}>
          {p.value ?? ''}
        </textarea>
      ) : (
        <input {...common} type={(p.type ?? 'text') as any} value={p.value ?? ''} autoComplete={p.autocomplete} inputMode={p.inputMode as any} pattern={p.pattern} />
      )}
    </div>
  );
}

export function Select(p: { label: string; name: string; id?: string; value?: string | number | null; options: { value: string | number; label: string }[]; error?: string; required?: boolean; multiple?: boolean; selected?: (string | number)[]; blank?: string }) {
  const id = p.id ?? `f-${p.name}`;
  const sel = new Set((p.selected ?? (p.value != null ? [p.value] : [])).map(String));
  return (
    <div class={`field${p.error ? ' has-error' : ''}`}>
      <label for={id}>
        {p.label}
        {p.required && <span class="req" aria-hidden="true"> *</span>}
      </label>
      {p.error && (
        <p class="field-error" id={`${id}-err`}>
          {p.error}
        </p>
      )}
      <select id={id} name={p.name} required={p.required} multiple={p.multiple} aria-invalid={p.error ? 'true' : undefined} aria-describedby={p.error ? `${id}-err` : undefined}>
        {p.blank !== undefined && <option value="">{p.blank}</option>}
        {p.options.map((o) => (
          <option value={String(o.value)} selected={sel.has(String(o.value))}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** Page links. `href(n)` builds the URL of page n. */
export function Pager({ c, page, pageSize, total, href }: { c: PageCtx; page: number; pageSize: number; total: number; href: (n: number) => string }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const nums = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((n) => n >= 1 && n <= pages));
  const list = [...nums].sort((a, b) => a - b);
  return (
    <nav class="pager" aria-label={c.t('pager.label')}>
      {page > 1 && (
        <a href={href(page - 1)} rel="prev">
          {c.t('pager.prev')}
        </a>
      )}
      {list.map((n, i) => (
        <>
          {i > 0 && n - list[i - 1] > 1 && <span aria-hidden="true">…</span>}
          {n === page ? (
            <span aria-current="page" class="current">
              {n}
            </span>
          ) : (
            <a href={href(n)}>{n}</a>
          )}
        </>
      ))}
      {page < pages && (
        <a href={href(page + 1)} rel="next">
          {c.t('pager.next')}
        </a>
      )}
      <span class="pager-total">{c.t('pager.total', { total, pages })}</span>
    </nav>
  );
}

/** A POST button for a destructive act: a checkbox must be ticked to confirm (works without JS). */
export function ConfirmForm({ c, action, label, confirm, children }: { c: PageCtx; action: string; label: string; confirm: string; children?: ComponentChildren }) {
  return (
    <form method="post" action={action} class="confirm-form">
      <Csrf c={c} />
      {children}
      <label class="confirm">
        <input type="checkbox" name="confirm" value="yes" required /> {confirm}
      </label>
      <button type="submit" class="danger">
        {label}
      </button>
    </form>
  );
}

export function Dl({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="meta">
      {rows.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </>
      ))}
    </dl>
  );
}

/** A role grant for people: "编辑（党政办公室）", "部门管理员（党政办公室，含下级部门）"; global roles name no department. */
export function grantLabel(c: PageCtx, g: { role: string; departmentName?: string; includeChildren?: boolean }): string {
  const role = c.t(`role.${g.role}`);
  if (isGlobalRole(g.role) || !g.departmentName) return role;
  return c.t(g.includeChildren ? 'users.grant_children' : 'users.grant', { role, department: g.departmentName });
}

/**
 * A file input whose button and "no file chosen" text are the page's language, not the browser's
 * ("Choose Files" in an English browser): /static/file-input.js hides the native control and shows
 * a labelled button and the chosen names. Without JavaScript the native control stays.
 */
export function FileInput(p: { c: PageCtx; id: string; name: string; accept?: string; multiple?: boolean; required?: boolean; invalid?: boolean; describedBy?: string }) {
  return (
    <span class="file-pick" data-none={p.c.t('file.none')} data-many={p.c.t('file.many')}>
      <input id={p.id} type="file" name={p.name} accept={p.accept} multiple={p.multiple} required={p.required} aria-invalid={p.invalid ? 'true' : undefined} aria-describedby={p.describedBy} />
      <label for={p.id} class="button file-button" hidden>
        {p.c.t(p.multiple ? 'file.choose_many' : 'file.choose')}
      </label>
      <span class="file-names" aria-live="polite" hidden>
        {p.c.t('file.none')}
      </span>
      <script src="/static/file-input.js" defer></script>
    </span>
  );
}

/**
 * A table's own scroll box: on a narrow screen a wide table scrolls sideways inside it, so neither
 * the page overflows nor the cells are crushed (site.css keeps cells at least 4 characters wide).
 * Named and focusable, so keyboard users can scroll it too (WCAG 2.1.1; axe scrollable-region-focusable).
 */
export function TableWrap({ label, class: cls, children }: { label: string; class?: string; children: ComponentChildren }) {
  return (
    <div class={cls ? `table-wrap ${cls}` : 'table-wrap'} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
