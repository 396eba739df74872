// The audit log for people: who (a name, not `user:x`), what (a label, not `auth.login`), on
// what, and the details as labelled fields instead of JSON. Labels come from the message
// catalogues: `audit.action.<action>` when a module gives one, otherwise composed from
// `audit.noun.<prefix>` and `audit.verb.<last part>`; the code stays in a title attribute.
import type { PageCtx } from '../render/index.js';
import { hasMessage } from '../i18n/index.js';

/** "user:dzb-editor" → the user's display name; "citizen" → 市民; "cli:root" → 命令行（root）. */
export function actorLabel(c: PageCtx, actor: string, names: Map<string, string>): string {
  const [kind, rest] = actor.includes(':') ? [actor.slice(0, actor.indexOf(':')), actor.slice(actor.indexOf(':') + 1)] : [actor, ''];
  if (kind === 'user') return names.get(rest) ? `${names.get(rest)}（${rest}）` : rest;
  const label = hasMessage(`audit.actor.${kind}`) ? c.t(`audit.actor.${kind}`) : kind;
  return rest && kind !== 'user' ? `${label}（${rest}）` : label;
}

/** The usernames an actor list refers to, to look up their display names in one query. */
export function actorUsernames(actors: string[]): string[] {
  return [...new Set(actors.filter((a) => a.startsWith('user:')).map((a) => a.slice(5)))];
}

export function actionLabel(c: PageCtx, action: string): string {
  if (hasMessage(`audit.action.${action}`)) return c.t(`audit.action.${action}`);
  const parts = action.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const noun = parts.slice(0, i).join('.');
    const verb = parts.slice(i).join('_');
    if (hasMessage(`audit.noun.${noun}`) && hasMessage(`audit.verb.${verb}`)) return c.t('audit.compose', { noun: c.t(`audit.noun.${noun}`), verb: c.t(`audit.verb.${verb}`) });
  }
  return c.t('audit.action_other');
}

export function entityLabel(c: PageCtx, entity: string): string {
  return hasMessage(`audit.entity.${entity}`) ? c.t(`audit.entity.${entity}`) : hasMessage(`audit.noun.${entity}`) ? c.t(`audit.noun.${entity}`) : c.t('audit.entity_other');
}

/** Names for coded values, per field (e.g. rule → the deadline rule's name). */
export type ValueNames = Record<string, Map<string, string>>;

/**
 * A coded value's label: from `names`, else the message `audit.value.<entity>.<field>.<value>`
 * (a module labels the codes its entries carry), else `audit.value.<field>.<value>`, else as is.
 */
function value(c: PageCtx, v: unknown, names: ValueNames = {}, field = '', entity = ''): string {
  if (v === null || v === undefined || v === '') return '—';
  // An actor reference in the details (submittedBy: "user:fgj-editor") reads as the actor column does.
  if (typeof v === 'string' && /^user:[\w.-]+$/.test(v) && names.actor) return actorLabel(c, v, names.actor);
  if (typeof v === 'boolean') return c.t(v ? 'common.yes' : 'common.no');
  if (Array.isArray(v)) return v.map((x) => value(c, x, names, field, entity)).join('、');
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${fieldLabel(c, k)}${c.t('common.colon')}${value(c, x, names, k, entity)}`).join('；');
  const named = names[field]?.get(String(v));
  if (named) return named;
  for (const key of [`audit.value.${entity}.${field}.${v}`, `audit.value.${field}.${v}`]) if (hasMessage(key)) return c.t(key);
  return String(v);
}

function fieldLabel(c: PageCtx, key: string): string {
  return hasMessage(`audit.field.${key}`) ? c.t(`audit.field.${key}`) : key;
}

/** The details of an event as "field：value" lines (at most `max` characters in all). */
export function AuditDetails({ c, details, names = {}, max = 300, entity = '' }: { c: PageCtx; details: string; names?: ValueNames; max?: number; entity?: string }) {
  let obj: unknown;
  try {
    obj = JSON.parse(details);
  } catch {
    obj = details;
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return <span>{value(c, obj, names, '', entity)}</span>;
  const entries = Object.entries(obj as Record<string, unknown>);
  if (entries.length === 0) return <span>—</span>;
  let left = max;
  return (
    <ul class="audit-details">
      {entries.map(([k, v]) => {
        if (left <= 0) return null;
        let text = value(c, v, names, k, entity);
        if (text.length > left) text = text.slice(0, left) + '…';
        left -= text.length;
        return (
          <li>
            {fieldLabel(c, k)}
            {c.t('common.colon')}
            {text}
          </li>
        );
      })}
    </ul>
  );
}
