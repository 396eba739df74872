// c. XSS: payloads through every citizen door (JSON, web form, Open311, ratings) and staff forms
//    (document, user name, reply, release), published as the demo flow allows; then public and
//    staff pages, feeds and Open311 XML must never carry them unescaped.
// d. CSRF: every HTML form POST route (from src/) signed in, without the token → must be 403.
import { Client, readable, type Res, type Run } from './core.js';
import { fillPath, srcRoutes, type Fixtures } from './routes.js';
import { findOnBoard, publish, submitJson, submitOpen311, submitWeb, waitSearchable, type Published } from './appeals.js';

// ---- d. CSRF ----------------------------------------------------------------------------------

interface Form {
  action: string;
  fields: Record<string, string>;
}

function formsOf(html: string): Form[] {
  const out: Form[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if (!/method="post"/i.test(m[1])) continue;
    const action = (/action="([^"]*)"/.exec(m[1])?.[1] ?? '').replace(/&amp;/g, '&');
    const fields: Record<string, string> = {};
    for (const i of m[2].matchAll(/<input\b([^>]*)>/g)) {
      const name = /name="([^"]+)"/.exec(i[1])?.[1];
      if (!name || name === '_csrf' || (/type="(checkbox|radio)"/.test(i[1]) && !/checked/.test(i[1]))) continue;
      fields[name] ??= readable(/value="([^"]*)"/.exec(i[1])?.[1] ?? '');
    }
    for (const s of m[2].matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) fields[s[1]] ??= readable((/<option[^>]*selected[^>]*value="([^"]*)"/.exec(s[2]) ?? /<option[^>]*value="([^"]*)"/.exec(s[2]))?.[1] ?? '');
    for (const t of m[2].matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[t[1]] ??= readable(t[2]);
    out.push({ action: action.replace(/([?&])_csrf=[^&]*&?/, '$1').replace(/[?&]$/, ''), fields });
  }
  return out;
}

/** Visits the console and the public site as one user, collecting every form that posts. */
async function crawl(run: Run, c: Client, starts: string[], maxPages: number): Promise<Form[]> {
  const queue = [...starts];
  const seen = new Set<string>();
  const perPattern = new Map<string, number>();
  const forms: Form[] = [];
  while (queue.length && seen.size < maxPages && run.timeLeft() > 10_000) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const r = await run.req('GET', url, { as: c });
    if (r.status !== 200 || !/text\/html/.test(r.headers.get('content-type') ?? '')) continue;
    forms.push(...formsOf(r.text));
    for (const m of r.text.matchAll(/href="(\/(?:admin|appeals|lists|catalog|policies)[^"#]*)"/g)) {
      const link = m[1].replace(/&amp;/g, '&');
      if (/logout|export|\.csv|\.ics|\.xlsx|\/files\/|\/media\/|\/print|\/versions\/|[?&]page=/.test(link)) continue;
      const pattern = link.split('?')[0].replace(/\/\d+/g, '/:n').replace(/\/SQ\d+/g, '/:no');
      if ((perPattern.get(pattern) ?? 0) >= 2) continue;
      perPattern.set(pattern, (perPattern.get(pattern) ?? 0) + 1);
      queue.push(link);
    }
  }
  run.note(`crawled ${seen.size} pages, ${forms.length} forms`);
  return forms;
}

export async function csrf(run: Run, admin: Client, fx: Fixtures): Promise<void> {
  // Open311 POST is exempt by design (an api_key, no cookies); every other form must carry the token.
  const routes = srcRoutes().filter((r) => r.method === 'POST' && !r.path.startsWith('/api/') && !r.path.startsWith('/open311/'));
  const starts = ['/admin', '/admin/users', `/admin/users/${fx.username}`, '/admin/account', '/admin/appeals', `/admin/appeals/${fx.appealId}`, '/admin/catalog', `/admin/catalog/${fx.id}`, '/admin/lists', '/admin/calendar', '/admin/deadline-rules', '/admin/departments', '/admin/government', '/admin/jobs', '/admin/audit', '/admin/inbox', '/admin/appeals/catalogue', '/admin/appeals/open311-keys', '/appeals/new', `/lists/service-guide/items/${fx.guideKey}`, '/policies/match'];
  const forms = await crawl(run, admin, starts, 120);
  const matcher = (path: string) => new RegExp(`^${path.replace(/:\w+/g, '[^/?]+')}(\\?|$)`);
  // Signing out last: if it went through without the token, the session would be gone.
  routes.sort((a, b) => Number(a.path === '/admin/logout') - Number(b.path === '/admin/logout'));
  let fromForms = 0;
  for (const route of routes) {
    const form = forms.find((f) => matcher(route.path).test(f.action));
    if (form) fromForms++;
    const action = form?.action ?? fillPath(fx, route.path);
    const fields = form?.fields ?? {};
    for (const variant of ['form', 'json'] as const) {
      const r = await run.req('POST', action, { as: admin, ip: run.newIp(), csrf: false, hostile: true, ...(variant === 'form' ? { form: fields } : { json: fields }) });
      if (r.status === 403 || r.status === 429) continue;
      run.leak(`POST ${action} without the CSRF token (${variant}) → ${r.status}${r.headers.get('location') ? ` ${r.headers.get('location')}` : ''}`);
    }
  }
  run.summary(`${routes.length} HTML form POST routes (src/), ${fromForms} with a real form found by crawling, the rest with their path filled; each as a form and as JSON`);
}

// ---- c. XSS -----------------------------------------------------------------------------------

const XSS: { p: string; raw: RegExp }[] = [
  { p: `<script>alert("xss-c1")</script>`, raw: /<script>alert\("xss-c1"\)/ },
  { p: `"><img src=x onerror=alert("xss-c2")>`, raw: /<img[^>]*onerror=alert\("xss-c2"\)/i },
  { p: `<svg/onload=alert("xss-c3")>`, raw: /<svg[^>]*onload=alert\("xss-c3"\)/i },
  { p: `javascript:alert("xss-c4")`, raw: /(?:href|src|action)\s*=\s*["']?\s*javascript:alert\((?:"|&quot;)xss-c4/i },
  { p: `'><iframe srcdoc="<script>alert('xss-c5')</script>">`, raw: /<iframe[^>]*xss-c5/i },
  { p: `</title></textarea><script>alert("xss-c6")</script>`, raw: /<script>alert\("xss-c6"\)/ },
  { p: `<a href="javascript:alert('xss-c7')">点我</a>`, raw: /<a[^>]*href=["']?\s*javascript:alert\('xss-c7'\)/i },
  { p: `<details open ontoggle=alert("xss-c8")>`, raw: /<details[^>]*ontoggle=alert\("xss-c8"\)/i },
];
const ALL = XSS.map((x) => x.p).join(' ');

/** The payloads a response carries unescaped (HTML and XML; feed item HTML after one unescape). */
function unescaped(r: Res, path: string): string[] {
  const type = r.headers.get('content-type') ?? '';
  let texts: string[] = [];
  if (/html/.test(type)) texts = [r.text];
  else if (/xml/.test(type)) {
    texts = [r.text];
    // Feed readers render Atom html content and RSS descriptions as HTML (entity-encoded once).
    if (/\/feed\./.test(path))
      for (const m of r.text.matchAll(/<(content|summary)[^>]*type="html"[^>]*>([\s\S]*?)<\/\1>|<description>([\s\S]*?)<\/description>/g)) texts.push(readable((m[2] ?? m[3]).replace(/^<!\[CDATA\[|\]\]>$/g, '')));
  } else if (/feed\.json/.test(path) && r.status === 200) texts = (r.json()?.items ?? []).map((i: any) => String(i.content_html ?? ''));
  return XSS.filter((x) => texts.some((t) => x.raw.test(t))).map((x) => /xss-c\d/.exec(x.p)![0]);
}

export async function xss(run: Run, ctx: { admin: Client; root: Client; centre: Client; openKey: string; fx: Fixtures }): Promise<void> {
  const { centre, fx } = ctx;
  const pubs: { tag: string; pub: Published | null; no?: string; code?: string }[] = [];
  // Citizen doors.
  const a1 = await submitJson(run, { title: `XSSA ${XSS[0].p}`, content: ALL, address: XSS[1].p, contactName: XSS[2].p.slice(0, 50) }, { hostile: true });
  const a2 = await submitJson(run, { title: `XSSB ${XSS[5].p}`.slice(0, 100), content: ALL }, { hostile: true });
  const anon = new Client(run.newIp());
  const w1 = await submitWeb(run, anon, { title: `XSSC ${XSS[1].p}`, content: ALL, address: XSS[3].p, contactName: XSS[7].p.slice(0, 50) });
  const o1 = await submitOpen311(run, ctx.openKey, { 'attribute[title]': `XSSD ${XSS[2].p}`, description: ALL, address_string: XSS[6].p, first_name: XSS[0].p });
  for (const [tag, s] of [['XSSA', a1.s], ['XSSB', a2.s], ['XSSC', w1.s], ['XSSD', o1.s]] as const) {
    if (!s) {
      run.note(`${tag}: submission refused`);
      continue;
    }
    // XSSB is released with what a careless reviewer typed (the payloads), the others with the masked draft.
    const pub = await publish(run, centre, s.no, { reply: `答复 ${ALL}`.slice(0, 5000), override: tag === 'XSSB' ? { title: `XSSB ${XSS[4].p}`, content: ALL, reply: ALL } : undefined });
    pubs.push({ tag, pub, ...s });
  }
  await findOnBoard(run, pubs);
  // The citizen rates with a comment (staff read it).
  if (a1.s) await run.req('POST', `/api/v1/appeals/${a1.s.no}/rating`, { json: { code: a1.s.code, rating: 'very-dissatisfied', comment: ALL.slice(0, 500) }, ip: run.newIp(), hostile: true });
  // 好差评 on a service guide, real name: a follow-up for the department's staff.
  await run.req('POST', `/api/v1/service-guides/${encodeURIComponent(fx.guideKey)}/ratings`, { json: { level: 'very-dissatisfied', comment: ALL.slice(0, 500), realName: true, name: XSS[0].p.slice(0, 50), phone: '13900002222' }, ip: run.newIp(), hostile: true });
  // Staff: a document through the whole workflow, a user's name.
  let docId: number | null = null;
  const editor = await run.login('dzb-editor');
  if (editor) {
    const d = await run.req('POST', '/api/v1/documents', { as: editor, hostile: true, json: { title: `XSSE ${XSS[0].p}`, department: 'dzb', topic: '0203', genre: '通知', writtenAt: '2026-03-02', summary: ALL.slice(0, 2000), keywords: [XSS[2].p.slice(0, 30)], body: `<p>${ALL}</p><p><a href="javascript:alert('xss-c7')">x</a></p>` } });
    docId = d.status === 201 ? d.json()?.id : null;
    if (!docId) run.note(`document draft refused: ${d.status} ${d.text.slice(0, 120)}`);
    for (const [who, action] of docId ? [['dzb-editor', 'submit'], ['dzb-reviewer', 'approve'], ['dzb-reviewer2', 'approve'], ['dzb-approver', 'approve']] : []) {
      const c = who === 'dzb-editor' ? editor : await run.login(who);
      const r = c ? await run.req('POST', `/api/v1/documents/${docId}/transitions`, { as: c, json: { action } }) : null;
      if (r?.status !== 200) run.note(`document ${action} by ${who} → ${r?.status}`);
    }
  }
  await run.req('PATCH', `/api/v1/users/${fx.username}`, { as: ctx.root, json: { displayName: XSS[1].p }, hostile: true });
  await waitSearchable(run, 'XSSE', 10_000);

  const published = pubs.filter((p) => p.pub?.url).map((p) => p.pub!.url!);
  const pages: [string, Client | undefined][] = [
    ...['/', '/appeals', '/appeals/board', '/catalog', '/catalog/feed.atom', '/catalog/feed.rss', '/catalog/feed.json', '/search?q=XSSA', '/search?q=XSSE', '/open311/v2/requests.xml', '/sitemap.xml'].map((p) => [p, undefined] as [string, undefined]),
    ...published.map((p) => [p, undefined] as [string, undefined]),
    ...(docId ? [`/catalog/items/${docId}`, `/catalog/items/${docId}/print`] : []).map((p) => [p, undefined] as [string, undefined]),
    ...pubs.filter((p) => p.no).flatMap((p) => [[`/open311/v2/requests/${p.no}.xml`, undefined], [`/appeals/track?no=${p.no}&code=${p.code}`, undefined]] as [string, undefined][]),
    // Reflected: payloads in query strings.
    ...[`/search?q=${encodeURIComponent(ALL)}`, `/catalog?q=${encodeURIComponent(XSS[0].p)}`, `/appeals/new?title=${encodeURIComponent(XSS[1].p)}&content=${encodeURIComponent(ALL)}`, `/appeals/track?no=${encodeURIComponent(XSS[1].p)}&code=1`, `/admin/login?next=${encodeURIComponent(XSS[3].p)}`, `/negative-lists/lookup?q=${encodeURIComponent(XSS[0].p)}`, `/lists/power?q=${encodeURIComponent(XSS[2].p)}`, `/policies/match?industry=${encodeURIComponent(XSS[1].p)}`].map((p) => [p, undefined] as [string, undefined]),
    // Staff pages (stored XSS against staff).
    ...['/admin', '/admin/appeals', '/admin/users', `/admin/users/${fx.username}`, '/admin/lists/followups', '/admin/audit', `/admin/users?q=${encodeURIComponent(XSS[0].p)}`, `/admin/appeals?q=${encodeURIComponent(XSS[1].p)}`].map((p) => [p, ctx.admin] as [string, Client]),
    ...pubs.filter((p) => p.pub).map((p) => [`/admin/appeals/${p.pub!.id}`, ctx.admin] as [string, Client]),
    ...(docId ? [[`/admin/catalog/${docId}`, ctx.admin] as [string, Client]] : []),
  ];
  let scanned = 0;
  for (const [path, as] of pages) {
    const r = await run.req('GET', path, { as, ip: run.newIp(), hostile: path.includes('%3C') || path.includes('javascript') });
    scanned++;
    const found = unescaped(r, path);
    if (found.length) run.leak(`${path} (${r.status}) carries ${found.join(', ')} unescaped${/\/feed\./.test(path) ? ' (as HTML to feed readers)' : ''}`);
  }
  // Redirect targets taken from the query.
  for (const path of ['/lang/en?back=javascript:alert(1)', '/lang/en?back=//evil.example/', '/prefs?large=1&back=/%5Cevil.example', '/admin/login?next=//evil.example/']) {
    const r = await run.req('GET', path, { hostile: true });
    const loc = r.headers.get('location') ?? '';
    if (/^(javascript:|\/\/|\/\\|https?:)/i.test(loc)) run.leak(`${path} redirects to ${loc}`);
  }
  run.summary(`${XSS.length} payloads through 4 appeal doors (${pubs.filter((p) => p.pub?.url).length} published), a rating, a guide rating, a document (${docId ? 'published' : 'not published'}), a user name; ${scanned} pages scanned`);
}
