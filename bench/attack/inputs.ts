// b. SQL injection in every query parameter, path parameter and JSON field of the OpenAPI routes
//    and in the main HTML search and list pages: a 5xx, a "true" payload answering more rows than
//    its "false" twin (and than the same words without the quotes), or a sleep that sleeps.
// e. hostile input: NUL (%00, \u0000), U+202E, 99999999999, -1 and very long strings in every
//    parameter of every OpenAPI route and of every HTML/Open311 route with parameters, anonymous
//    and as admin → 5xx; and text with NUL/U+202E/path separators that comes back stored verbatim.
import { pool, show, type Client, type Res, type Run } from './core.js';
import { baseBody, fillPath, sample, srcRoutes, type Fixtures, type Op } from './routes.js';
import { submitJson, submitOpen311 } from './appeals.js';

/** Where a probe goes: a query or path parameter, or a JSON field (with the rest of a valid body). */
interface Slot {
  op: Op;
  where: 'query' | 'path' | 'body';
  name: string;
  schema: any;
}

function slots(ops: Op[], onlyText: boolean): Slot[] {
  const out: Slot[] = [];
  for (const op of ops) {
    for (const p of op.params) out.push({ op, where: p.in, name: p.name, schema: p.schema });
    for (const [name, schema] of Object.entries<any>(op.body?.properties ?? {})) out.push({ op, where: 'body', name, schema });
  }
  // Enums, patterns, formats, numbers and booleans are refused by validation before any query runs.
  const text = (s: any): boolean => (s?.anyOf ? s.anyOf.some(text) : s?.type === 'string' && !s.enum && !s.pattern && !s.format) || s?.type === 'array';
  return onlyText ? out.filter((s) => text(s.schema)) : out;
}

/** Sends `value` in one slot, everything else valid. Query and path values are encoded here. */
function probe(run: Run, fx: Fixtures, s: Slot, value: unknown, as?: Client, hostile = true): Promise<Res> {
  const raw = typeof value === 'string' ? value : String(value);
  const enc = s.where === 'body' ? '' : raw.replace(/[^A-Za-z0-9\-._~%]/g, (c) => encodeURIComponent(c));
  const path = fillPath(fx, s.op.path, s.where === 'path' ? { [s.name]: enc } : {});
  // The slot under attack, and every other required query parameter with a valid value.
  const query = s.op.params.filter((p) => p.in === 'query' && (p.name === s.name ? s.where === 'query' : p.required)).map((p) => `${p.name}=${p.name === s.name ? enc : encodeURIComponent(String(sample(p.schema, p.name)))}`);
  const body = s.op.body ? { ...baseBody(s.op), ...(s.where === 'body' ? { [s.name]: Array.isArray(baseBody(s.op)[s.name]) || s.schema?.type === 'array' ? [value] : value } : {}) } : undefined;
  return run.req(s.op.method, path + (query.length ? `?${query.join('&')}` : ''), { as, json: body, ip: run.newIp(), hostile, timeoutMs: 20_000 });
}

/** How many rows an answer shows: a JSON total or list length, or list/table rows of a page. */
function rows(r: Res): number | null {
  if (r.status !== 200) return null;
  if (/json/.test(r.headers.get('content-type') ?? '')) {
    const j = r.json();
    return typeof j?.total === 'number' ? j.total : Array.isArray(j?.items) ? j.items.length : Array.isArray(j) ? j.length : null;
  }
  return (r.text.match(/<(li|tr|article)\b/g) ?? []).length;
}

/** [a tautology, a contradiction, the same tautology spelled otherwise (sent only when the first two differ)]. */
const PAIRS: [string, string, string][] = [
  [`zqxj' OR '1'='1`, `zqxj' AND '1'='2`, `zqxj' OR '7'='7`],
  [`zqxj") OR 1=1 --`, `zqxj") AND 1=2 --`, `zqxj") OR 7=7 --`],
];
const SINGLES = [`'`, `zqxj'; DROP TABLE users; --`, `zqxj' UNION SELECT NULL,NULL,NULL--`, `zqxj'||(SELECT pg_sleep(3))||'`];

/** The main HTML search and list pages and their filters (not in the OpenAPI document). */
const PAGES: [string, string[], boolean][] = [
  ['/search', ['q', 'department', 'topic', 'genre', 'year', 'type', 'sort'], false],
  ['/catalog', ['q', 'department', 'topic', 'genre', 'year', 'category', 'validity'], false],
  ['/appeals/board', ['type', 'category', 'department', 'month'], false],
  ['/lists/power', ['q', 'department', 'powerType', 'category', 'list'], false],
  ['/negative-lists/lookup', ['q'], false],
  ['/policies/match', ['industry', 'size', 'location', 'qualifications'], false],
  ['/catalog/feed.atom', ['q', 'department', 'topic'], false],
  ['/admin/appeals', ['q', 'status', 'type', 'department', 'category'], true],
  ['/admin/users', ['q', 'department'], true],
  ['/admin/audit', ['entity', 'entityId', 'actor', 'action', 'from', 'to'], true],
  ['/admin/catalog', ['q', 'status', 'tab'], true],
];

export async function sqlInjection(run: Run, fx: Fixtures, ops: Op[], admin: Client): Promise<void> {
  const targets: { label: string; send: (v: string, hostile?: boolean) => Promise<Res> }[] = [
    ...slots(ops, true).map((s) => ({ label: `${s.op.method} ${s.op.path} ${s.where}:${s.name}`, send: (v: string, h = true) => probe(run, fx, s, v, admin, h) })),
    ...PAGES.flatMap(([page, params, staff]) => params.map((p) => ({ label: `GET ${page} ${p}`, send: (v: string, h = true) => run.req('GET', `${page}?${p}=${encodeURIComponent(v)}`, { as: staff ? admin : undefined, ip: run.newIp(), hostile: h }) }))),
  ];
  await pool(run, targets, 4, async (t) => {
    for (const v of SINGLES) {
      const r = await t.send(v);
      if (r.ms > 2500 && v.includes('sleep')) {
        const [again, plain] = [await t.send(v), await t.send('zqxj', false)];
        if (again.ms > 2500 && plain.ms < 1000) run.leak(`${t.label} = ${v} sleeps (${r.ms.toFixed(0)}/${again.ms.toFixed(0)} ms vs ${plain.ms.toFixed(0)} ms)`);
      }
    }
    // Injected, both tautologies answer more rows than the contradiction; a payload stored as text
    // by another probe (and found by a plain text match) is matched by one spelling only.
    for (const [yes, no, yes2] of PAIRS) {
      const [a, b] = [rows(await t.send(yes)), rows(await t.send(no))];
      if (a === null || b === null || a <= b) continue;
      const c = rows(await t.send(yes2, false));
      if (c !== null && c > b) run.leak(`${t.label}: ${yes} → ${a} rows, ${yes2} → ${c}, ${no} → ${b}`);
    }
  });
  run.summary(`${targets.length} text parameters (${slots(ops, true).length} of OpenAPI routes, the rest of ${PAGES.length} HTML pages) × ${SINGLES.length + PAIRS.length * 2} payloads, as admin`);
}

// ---- e. hostile input --------------------------------------------------------------------------

/** [label, in a URL (encoded), in JSON]. */
const HOSTILE: [string, string, unknown][] = [
  ['NUL', '%00', '\u0000'],
  ['NUL inside', 'x%00y', 'x\u0000y'],
  ['U+202E', '%E2%80%AE', '\u202e'],
  ['99999999999', '99999999999', 99999999999],
  ['-1', '-1', -1],
  ['long', 'a'.repeat(5000), 'a'.repeat(100_000)],
];

export async function hostileInput(run: Run, fx: Fixtures, ops: Op[], admin: Client, root: Client, openKey: string): Promise<void> {
  const jobs: (() => Promise<unknown>)[] = [];
  for (const s of slots(ops, false))
    for (const [, inUrl, inJson] of HOSTILE)
      for (const as of [undefined, admin]) jobs.push(() => probe(run, fx, s, s.where === 'body' ? inJson : s.where === 'path' && inUrl.length > 300 ? 'a'.repeat(300) : inUrl, as));
  // HTML pages and Open311 routes with path parameters (not in the OpenAPI document).
  const pages = srcRoutes().filter((r) => r.method === 'GET' && !r.path.startsWith('/api/') && r.path.includes(':') && !r.path.startsWith('/bench'));
  for (const r of pages)
    for (const name of [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]).filter((n) => n !== 'fmt'))
      for (const [, inUrl] of HOSTILE) {
        const path = fillPath(fx, r.path.replace(':fmt', 'json'), { [name]: inUrl.length > 300 ? 'a'.repeat(300) : inUrl });
        for (const as of r.path.startsWith('/admin') ? [admin] : [undefined, admin]) jobs.push(() => run.req('GET', path, { as, ip: run.newIp(), hostile: true }));
      }
  // Query strings of Open311 and the main pages.
  for (const [page, params] of [['/open311/v2/requests.json', ['service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'api_key']], ['/open311/v2/requests.xml', ['service_request_id', 'start_date']], ...PAGES.map(([p, q]) => [p, q])] as [string, string[]][])
    for (const q of params) for (const [, inUrl] of HOSTILE) jobs.push(() => run.req('GET', `${page}?${q}=${inUrl}`, { as: page.startsWith('/admin') ? admin : undefined, ip: run.newIp(), hostile: true }));
  // Open311 POST fields.
  for (const f of ['service_code', 'description', 'address_string', 'lat', 'long', 'attribute[appeal_type]', 'attribute[title]', 'first_name', 'phone', 'email', 'media_url'])
    for (const [, , inJson] of HOSTILE) jobs.push(() => submitOpen311(run, openKey, { description: '路灯坏了', address_string: '幸福路', [f]: String(inJson) }));
  await pool(run, jobs, 6, async (j) => void (await j()));
  run.summary(`${jobs.length} probes: ${HOSTILE.map((h) => h[0]).join(', ')} in every parameter (OpenAPI routes anonymous and as admin, ${pages.length} HTML/Open311 routes with path parameters, Open311 fields)`);
  await storedVerbatim(run, admin, root, openKey);
}

const BAD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202a-\u202e\u2066-\u2069]/;

/** Text with NUL, bidi overrides and control characters must not come back as it was sent. */
async function storedVerbatim(run: Run, admin: Client, root: Client, openKey: string): Promise<void> {
  const title = '噪音\u0000投诉\u202e试测\u0007';
  const seen = (what: string, value: unknown) => {
    if (typeof value === 'string' && BAD.test(value)) run.leak(`${what} stored verbatim: ${show(value)}`);
  };
  const a = await submitJson(run, { title, content: `内容\u0000\u202e${title}` }, { hostile: true });
  if (a.s) {
    const v = (await run.req('GET', `/api/v1/appeals/${a.s.no}?code=${a.s.code}`, { ip: run.newIp() })).json();
    seen('appeal title (JSON door)', v?.title);
    seen('appeal content (JSON door)', v?.content);
  }
  const o = await submitOpen311(run, openKey, { 'attribute[title]': title, description: `描述\u202e${title}` });
  if (o.s) seen('appeal title (Open311)', (await run.req('GET', `/api/v1/appeals/${o.s.no}?code=${o.s.code}`, { ip: run.newIp() })).json()?.title);
  const editor = await run.login('dzb-editor');
  if (editor) {
    const d = await run.req('POST', '/api/v1/documents', { as: editor, hostile: true, json: { title: `通知${title}`, department: 'dzb', topic: '0203', genre: '通知', writtenAt: '2026-03-02', body: '<p>正文</p>' } });
    if (d.status === 201) seen('document title', d.json()?.title ?? d.json()?.meta?.title);
  }
  const u = await run.req('PATCH', '/api/v1/users/atk-sweep', { as: root, json: { displayName: `名字${title}` }, hostile: true });
  if (u.status === 200) seen('user display name', u.json()?.displayName);
  // Attachment names: bidi override, control characters, path separators.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  for (const name of ['report\u202efdp.exe', '..\\..\\evil\u0007.pdf', '../../etc/passwd.pdf', 'a\u0000b.pdf']) {
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(pdf)]), name);
    const r = await run.req('POST', '/api/v1/files', { as: admin, body: f, hostile: true });
    const back = r.status === 201 ? String(r.json()?.name) : '';
    if (back && (BAD.test(back) || /[\\/]/.test(back))) run.leak(`attachment name stored as sent: ${show(back)}`);
  }
}
