// Validation with Ajv: request bodies are validated strictly (no type coercion, unknown fields
// rejected by `additionalProperties: false` in the schemas); query strings and params are coerced
// from text. Errors become {field: message} maps in the caller's language.
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';

type Ajv = import('ajv').default;
const AjvCtor = ((AjvModule as any).default ?? AjvModule) as new (opts: object) => Ajv;
const addFormats = ((formatsModule as any).default ?? formatsModule) as (a: Ajv) => void;
import type { TSchema, Static } from '@sinclair/typebox';
import { t, type Locale } from '../i18n/index.js';
import { INT_MAX, INT_MIN } from '../text.js';

function makeAjv(coerce: boolean): Ajv {
  // Not strictNumbers: with coercion it turns "1e309" into Infinity and then skips the bounds
  // (measured); the bounds of boundIntegers() and of every number schema refuse Infinity instead.
  const ajv = new AjvCtor({ coerceTypes: coerce ? 'array' : false, removeAdditional: false, useDefaults: true, allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-message' });
  return ajv;
}

/**
 * A copy of a JSON schema in which every integer without its own bounds is bounded to the
 * databases' integer column (PostgreSQL `integer`): a larger number is a 400 naming the field,
 * never a database error. Numbers without bounds are bounded to the finite doubles, so that
 * JSON 1e309 or "1e309" in a query (Infinity) is refused too.
 */
export function boundIntegers<S>(schema: S): S {
  if (Array.isArray(schema)) return schema.map(boundIntegers) as S;
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'enum' || k === 'const' || k === 'default' || k === 'examples' ? v : boundIntegers(v);
  const type = out.type;
  const integer = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
  const number = type === 'number' || (Array.isArray(type) && type.includes('number'));
  if (integer || number) {
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = number ? Number.MAX_VALUE : INT_MAX;
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = number ? -Number.MAX_VALUE : INT_MIN;
  }
  return out as S;
}

export const bodyAjv = makeAjv(false);
export const queryAjv = makeAjv(true);
/** Form posts arrive as text: coerce like query strings. */
export const formAjv = queryAjv;

export function fieldOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') return base ? `${base}.${e.params.missingProperty}` : String(e.params.missingProperty);
  if (e.keyword === 'additionalProperties') return base ? `${base}.${e.params.additionalProperty}` : String(e.params.additionalProperty);
  return base || '_';
}

export function messageOf(e: ErrorObject, locale: Locale): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return t(locale, 'err.field.required');
    case 'additionalProperties':
      return t(locale, 'err.field.unknown');
    case 'maxLength':
      return t(locale, 'err.field.maxLength', { limit: Number(p.limit) });
    case 'minLength':
      return Number(p.limit) <= 1 ? t(locale, 'err.field.required') : t(locale, 'err.field.minLength', { limit: Number(p.limit) });
    case 'maximum':
      return t(locale, 'err.field.maximum', { limit: Number(p.limit) });
    case 'minimum':
      return t(locale, 'err.field.minimum', { limit: Number(p.limit) });
    case 'maxItems':
      return t(locale, 'err.field.maxItems', { limit: Number(p.limit) });
    case 'minItems':
      return t(locale, 'err.field.minItems', { limit: Number(p.limit) });
    case 'enum':
      return t(locale, 'err.field.enum', { values: ((p.allowedValues as unknown[]) ?? []).join(', ') });
    case 'type':
      return t(locale, 'err.field.type', { type: String(p.type) });
    case 'format':
    case 'pattern':
      return t(locale, 'err.field.format');
    default:
      return t(locale, 'err.field.invalid');
  }
}

export function fieldErrors(errors: ErrorObject[] | null | undefined, locale: Locale): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) {
    const f = fieldOf(e);
    if (!(f in out)) out[f] = messageOf(e, locale);
  }
  return out;
}

const compiled = new WeakMap<object, ValidateFunction>();

/** Validates a form or other untyped input against a TypeBox schema (with text coercion). */
export function validateForm<S extends TSchema>(schema: S, data: unknown, locale: Locale): { ok: true; value: Static<S> } | { ok: false; fields: Record<string, string> } {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = formAjv.compile(boundIntegers(schema)) as ValidateFunction;
    compiled.set(schema, fn);
  }
  const copy = structuredClone(data ?? {}) as Record<string, unknown>;
  delete copy._csrf;
  if (fn(copy)) return { ok: true, value: copy as Static<S> };
  return { ok: false, fields: fieldErrors(fn.errors, locale) };
}
