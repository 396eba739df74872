// A person reading the Chinese UI never meets a raw identifier: department codes, actor
// references (user:x, citizen:web), action and rule codes (appeal.consult), JSON, English words,
// an ASCII colon after Chinese text. The test crawls the public portal and the console as each
// demo role (same-origin links, one page per URL shape) and scans the visible text of each page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, login, type TestEnv } from '../helpers.js';
import { DEMO_DEPARTMENTS } from '../../src/modules/org/demo.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 120_000);
afterAll(() => env?.close());

/** Visible text: no scripts, styles, code samples, form values; entities decoded; URLs and e-mail addresses and file names removed. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style|textarea|template)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ')
    .replace(/\b(?:[a-z0-9-]+\.)+(?:cn|com|org|net|gov|edu|invalid)\b/gi, ' ')
    .replace(/[^\s/\\]+\.(pdf|docx?|xlsx?|csv|ofd|zip|jpe?g|png|gif|webp|ics|json|xml|txt|html?)\b/gi, ' ')
    .replace(/\s+/g, ' ');
}

const DEPT_CODES = DEMO_DEPARTMENTS.map((d) => d.code).sort((a, b) => b.length - a.length);
const RULES: [string, RegExp][] = [
  ['a department code', new RegExp(`(?<![\\w-])(?:${DEPT_CODES.map((c) => c.replace(/-/g, '\\-')).join('|')})(?![\\w-])`)],
  ['a dotted code', /(?<![\w./-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9-]*)+(?![\w/])/],
  ['an actor or kind reference', /(?<![\w/])[a-z][a-z0-9-]*[:：][a-z][a-z0-9-]*(?![\w/])/],
  ['JSON', /\{\s*"[\w-]+"\s*:/],
  ['an ASCII colon after Chinese', /[\u4e00-\u9fff）]\s?:(?!\/)/],
  ['an English word', /\b(?:from|to|true|false|null|undefined|NaN|Invalid Date|Choose Files?|No file chosen)\b/],
];

/** Where a code is the point of the page: the department register shows each department's code (部门代码, the identifier imports and the API use). */
const ALLOWED: [RegExp, string][] = [[/^\/admin\/departments/, 'a department code']];

/** Same-origin GET links worth following; numbers replaced so one page per URL shape is visited. */
function links(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\b[^>]*\bhref="(\/[^"#]*)"/g)) {
    const url = m[1].replace(/&amp;/g, '&');
    if (/^\/(static|files|api|open311|feeds?)\b|\.(atom|rss|json|ics|csv|xlsx|xml|txt|pdf|zip|jsonl)(\?|$)|[?&](lang|display|contrast|spacing|size)=|\/logout|\/download|\/export/.test(url)) continue;
    out.push(url);
  }
  return out;
}
const shape = (url: string) => url.replace(/\?.*$/, '').replace(/\d+/g, 'N').replace(/\/[A-Z]{2}\d[\w-]*/g, '/X');

async function crawl(start: string[], headers: Record<string, string>, limit = 160) {
  const seen = new Set<string>();
  const queue = [...start];
  const problems: string[] = [];
  let pages = 0;
  while (queue.length && pages < limit) {
    const url = queue.shift()!;
    if (seen.has(shape(url))) continue;
    seen.add(shape(url));
    const res = await env.app.inject({ method: 'GET', url, headers: { ...headers, 'accept-language': 'zh-CN' } });
    if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/html')) continue;
    pages++;
    const text = visibleText(res.body);
    for (const [what, re] of RULES) {
      if (ALLOWED.some(([path, w]) => w === what && path.test(url))) continue;
      const m = re.exec(text);
      if (m) problems.push(`${url}: ${what} «${text.slice(Math.max(0, m.index - 20), m.index + m[0].length + 20).trim()}»`);
    }
    queue.push(...links(res.body));
  }
  return { problems, pages };
}

describe('no raw codes in the Chinese UI', () => {
  it('the public portal', async () => {
    const { problems, pages } = await crawl(['/', '/appeals', '/lists', '/calendar', '/deadline-rules', '/appeals/stats', '/search?q=%E9%80%9A%E7%9F%A5'], {});
    expect(pages).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  }, 300_000);

  for (const user of ['admin', 'supervisor', 'dzb-editor', 'dzb-reviewer', 'operator', 'sqzx-editor', 'scjg-approver', 'gkb-requests', 'gkb-approver']) {
    it(`the console as ${user}`, async () => {
      const { cookie } = await login(env.app, user);
      const { problems, pages } = await crawl(['/admin'], { cookie }, 120);
      expect(pages).toBeGreaterThan(5);
      expect(problems).toEqual([]);
    }, 300_000);
  }
});

it('the scanner finds what the issue saw', () => {
  const found = (html: string) => RULES.filter(([, re]) => re.test(visibleText(html))).map(([w]) => w);
  expect(found('<p>所属部门 dzb</p>')).toEqual(['a department code']);
  expect(found('<td>citizen：web</td>')).toEqual(['an actor or kind reference']);
  expect(found('<td>user:sqzx-editor</td>')).toEqual(['an actor or kind reference']);
  expect(found('<td>appeal.consult</td>')).toEqual(['a dotted code']);
  expect(found('<td>{"from":"a"}</td>')).toContain('JSON');
  expect(found('<label>from</label>')).toEqual(['an English word']);
  expect(found('<p>超期: 7</p>')).toEqual(['an ASCII colon after Chinese']);
  expect(found('<p>超期：7 <a href="https://www.gov.cn/x.html">www.gov.cn</a> 附件 通知.pdf 13:00 dzb-editor</p>')).toEqual([]);
});
