// What there is to attack: the OpenAPI operations (/api/openapi.json, with their parameters and
// JSON bodies), every route the source registers (grepped from src/: HTML pages and forms are not
// in the OpenAPI document), a valid sample for each schema, and real ids to put in paths.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Client, Run } from './core.js';

export interface Op {
  method: string;
  path: string; // /api/v1/users/{username}
  staff: boolean;
  params: { in: 'path' | 'query'; name: string; schema: any; required: boolean }[];
  body: any | null; // JSON schema of the body
  multipart: boolean;
}

export async function openapiOps(run: Run): Promise<Op[]> {
  const r = await run.req('GET', '/api/openapi.json');
  if (r.status !== 200) throw new Error(`/api/openapi.json → ${r.status}`);
  const ops: Op[] = [];
  for (const [path, byMethod] of Object.entries<any>(r.json()?.paths))
    for (const [method, o] of Object.entries<any>(byMethod)) {
      const content = o.requestBody?.content ?? {};
      ops.push({
        method: method.toUpperCase(),
        path,
        staff: (o.tags ?? []).includes('staff') || !!o.security,
        params: (o.parameters ?? []).filter((p: any) => p.in === 'path' || p.in === 'query').map((p: any) => ({ in: p.in, name: p.name, schema: p.schema ?? {}, required: !!p.required })),
        body: content['application/json']?.schema ?? null,
        multipart: !!content['multipart/form-data'] || (o.consumes ?? []).includes('multipart/form-data'),
      });
    }
  return ops;
}

export interface SrcRoute {
  method: string;
  path: string; // /admin/users/:username/:act
}

/** Every route registered in src/ (app.get('/x/:id', …) and the like; `${x}` segments become :x). */
export function srcRoutes(srcDir = join(import.meta.dirname, '..', '..', 'src')): SrcRoute[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(f)) files.push(p);
    }
  };
  walk(srcDir);
  const seen = new Map<string, SrcRoute>();
  const re = /\.(get|post|put|patch|delete)\s*(?:<(?:[^<>]|<(?:[^<>]|<[^<>]*>)*>)*>)?\(\s*(['`])(\/[^'`]*)\2/g;
  for (const f of files)
    for (const m of readFileSync(f, 'utf8').matchAll(re)) {
      const path = m[3].replace(/\$\{(\w+)\}/g, ':$1');
      seen.set(`${m[1]} ${path}`, { method: m[1].toUpperCase(), path });
    }
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** Ids and codes that exist, for path parameters (found through the public API and as admin). */
export interface Fixtures {
  [param: string]: string;
}

export async function fixtures(run: Run, admin: Client, extra: Fixtures): Promise<Fixtures> {
  const get = async (path: string, as?: Client) => {
    const r = await run.req('GET', path, { as });
    return r.status === 200 ? r.json() : {};
  };
  const docs = (await get('/api/v1/documents?pageSize=20')).items ?? [];
  const lists = ((await get('/api/v1/lists')).types ?? []).flatMap((t: any) => t.lists ?? []);
  const power = lists.find((l: any) => l.type === 'power');
  const guide = ((await get('/api/v1/lists/service-guide/items?pageSize=1')).items ?? [])[0];
  const rule = ((await get('/api/v1/deadline-rules')).items ?? [])[0];
  const clock = ((await get('/api/v1/supervision/clocks', admin)).items ?? [])[0];
  return {
    id: String(docs.find((d: any) => d.type === 'document')?.id ?? 1),
    username: 'atk-sweep',
    code: rule?.code ?? 'appeal.complaint',
    type: power?.type ?? 'power',
    listId: String(power?.id ?? 1),
    edition: String(power?.currentEdition?.id ?? 1),
    key: guide?.key ?? 'x',
    guideKey: guide?.key ?? 'x',
    clock: String(clock?.id ?? 1),
    year: '2026',
    date: '2026-01-01',
    fmt: 'json',
    action: 'note',
    act: 'deactivate',
    op: 'delete',
    locale: 'en',
    hash: '0'.repeat(64),
    v: '1',
    n: '0',
    a: '1',
    b: '2',
    part: 'pages.xml',
    trackingNo: 'SQ202601010000001',
    dept: 'dzb',
    ...extra,
  };
}

/** The value a path parameter takes when it is not the one under attack (by name, then by route). */
export function paramValue(fx: Fixtures, path: string, name: string): string {
  if (name === 'id') {
    if (/\/lists\/[^/]+\/lists\/|\/admin\/lists\/:id/.test(path)) return fx.listId;
    if (/editions/.test(path)) return fx.edition;
    if (/clocks/.test(path)) return fx.clock;
    if (/appeals/.test(path)) return fx.appealId ?? '1';
  }
  if (name === 'code' && /departments|guide/.test(path)) return fx.dept;
  if (name === 'code' && /service-guides/.test(path)) return fx.guideKey;
  if (name === 'code' && /services/.test(path)) return 'noise';
  return fx[name] ?? '1';
}

/** Fills a route's parameters ({x} or :x); `override` sets some of them (already encoded). */
export function fillPath(fx: Fixtures, path: string, override: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}|:(\w+)/g, (_, a, b) => {
    const name = a ?? b;
    return name in override ? override[name] : encodeURIComponent(paramValue(fx, path, name));
  });
}

// ---- valid samples of JSON schemas -------------------------------------------------------------

const PATTERN_SAMPLES: [RegExp, string][] = [
  [/\\d\{4\}-\\d\{2\}-\\d\{2\}/, '2026-03-02'],
  [/\\d\{4\}-\\d\{2\}/, '2026-03'],
  [/\^SQ/, 'SQ202601010000001'],
  [/\\d\{6\}/, '123456'],
  [/\\d\{2\}\(\\d\{2\}\)\?/, '0203'],
];

export function sample(schema: any, name = ''): unknown {
  if (!schema) return 'x';
  if (schema.anyOf) return sample(schema.anyOf.find((s: any) => s.type !== 'null') ?? schema.anyOf[0], name);
  if (schema.enum) return schema.enum.find((v: unknown) => v !== '') ?? schema.enum[0];
  switch (schema.type) {
    case 'string': {
      if (schema.format === 'date') return '2026-03-02';
      if (schema.format === 'date-time') return '2026-03-02T00:00:00Z';
      if (schema.pattern) return PATTERN_SAMPLES.find(([re]) => re.test(schema.pattern))?.[1] ?? 'x';
      const v = name === 'department' ? 'dzb' : name === 'email' ? 'atk@example.com' : name === 'password' ? 'Probe-Pass-2026-pw' : 'atk';
      return v.padEnd(schema.minLength ?? 0, 'x');
    }
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, Math.min(1, schema.maximum ?? 1));
    case 'boolean':
      return name === 'dryRun';
    case 'array':
      return schema.minItems ? [sample(schema.items, name)] : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of schema.required ?? []) out[k] = sample(schema.properties?.[k], k);
      return out;
    }
    default:
      return 'x';
  }
}

let uniq = 0;
/** A body that passes validation, so that the field under attack reaches the handler. */
export function baseBody(op: Op): Record<string, unknown> {
  const b = sample(op.body) as Record<string, unknown>;
  if (op.path === '/api/v1/users' && op.method === 'POST') Object.assign(b, { username: `atk-u${++uniq}`, department: 'fgj', roles: ['editor'] });
  if (op.path.endsWith('/appeals') && op.method === 'POST') Object.assign(b, { type: 'complaint', category: 'noise', title: '噪音', content: '夜间施工噪音扰民', consent: false });
  if (op.path === '/api/v1/documents' && op.method === 'POST') Object.assign(b, { genre: '通知', topic: '0203' });
  if (op.path.endsWith('/import') || op.path.endsWith('/calendar/import')) b.dryRun = true;
  if (op.path.endsWith('/ratings')) b.level = 'satisfied';
  return b;
}
