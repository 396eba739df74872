// What the register console pages share: reading form values, the problems of a failed write in
// the reader's language, the departments one may write for, the pages' heading with their
// sub-navigation.
import type { FastifyRequest } from 'fastify';
import { scopeOf } from '../../../platform/auth/policy.js';
import { HttpError } from '../../../platform/errors.js';
import { ErrorSummary, Notice, type PageCtx } from '../../../platform/render/index.js';
import { RegisterInvalid, type DeptRef } from '../service/registers.js';

export type Body = Record<string, string | string[] | undefined>;
export const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
export const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
export const pageOf = (v: unknown) => Math.max(1, Math.min(10000, Math.floor(Number(v)) || 1));
const DONE = ['created', 'saved', 'deactivated', 'activated', 'linked', 'unlinked', 'relation_added', 'relation_removed', 'confirmed'];
export const doneKey = (v: unknown) => (DONE.includes(str(v)) ? `enforcement.done.${str(v)}` : undefined);

/** Each field's problem in the reader's language; null for an error that is not the caller's. */
export function problemsOf(req: FastifyRequest, err: unknown): Record<string, string> | null {
  if (err instanceof RegisterInvalid) return Object.fromEntries(err.problems.map((x) => [x.field, req.t(x.key, x.params)]));
  if (err instanceof HttpError && err.status < 500 && err.status !== 404) {
    if (err.fields) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v, err.params)]));
    return { _: req.t(err.message, err.params) };
  }
  return null;
}

/** The departments where the user may write to the registers. */
export function writable(c: PageCtx, depts: DeptRef[]): DeptRef[] {
  const scope = scopeOf(c.user, 'enforcement.register');
  return scope === 'all' ? depts : depts.filter((d) => scope.has(d.id));
}

function Nav({ c, here }: { c: PageCtx; here: 'entities' | 'inspectors' | 'imports' }) {
  const items = [
    ['entities', '/admin/enforcement/entities', 'enforcement.console.entities'],
    ['inspectors', '/admin/enforcement/inspectors', 'enforcement.console.inspectors'],
    ['imports', '/admin/enforcement/imports', 'enforcement.console.imports'],
  ] as const;
  return (
    <nav class="breadcrumb" aria-label={c.t('enforcement.breadcrumb')}>
      <a href="/admin/enforcement">{c.t('nav.enforcement_admin')}</a>
      {items.map(([k, href, label]) => (
        <>
          {' · '}
          <a href={href} aria-current={k === here ? 'page' : undefined}>
            {c.t(label)}
          </a>
        </>
      ))}
    </nav>
  );
}

/** The top of a console page: where it is, its title, what was just done, what is wrong. */
export function PageHead({ c, here, title, done, fields }: { c: PageCtx; here: 'entities' | 'inspectors' | 'imports'; title: string; done?: string; fields?: Record<string, string> }) {
  return (
    <>
      <Nav c={c} here={here} />
      <h1>{title}</h1>
      {done && <Notice kind="success">{c.t(done)}</Notice>}
      <ErrorSummary c={c} fields={fields} />
    </>
  );
}
