// The industry picker and the everyday-words lookup (issue 15, item 1): a business owner types
// everyday words ("咖啡店", "开咖啡店需要什么许可") and gets the industry (GB/T 4754-2017), the
// right answer from the demo negative lists, and — when not listed — the industry understood,
// the nearest items, guides and policies. Policy matching takes words too. Staff edit aliases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';
import { industrySeed, parseTable } from '../../src/modules/lists/service/industry/table.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 60000);
afterAll(async () => env?.close());

const ask = async (q: string) => {
  const r = await env.api('GET', `/api/v1/negative-lists/lookup?q=${encodeURIComponent(q)}`);
  expect(r.statusCode, q).toBe(200);
  return JSON.parse(r.body) as { industry: { code: string; name: string; path: { code: string }[] } | null; results: any[]; nearest: any[]; guides: any[]; policies: any[]; sources: any[]; alternatives: any[] };
};

const NOT = 'not-listed';
/** Everyday question → industry understood, market-access answer (an item code that must be among the answers, or not listed), foreign-investment answer (optional). */
const CASES: [q: string, industry: string, marketAccess: string, foreign?: string][] = [
  ['咖啡店', 'H6232', '206005', NOT],
  ['咖啡', 'H6232', '206005'],
  ['开咖啡店需要什么许可', 'H6232', '206005'],
  ['我想开一家奶茶店', 'H6239', '206005'],
  ['便利店', 'F5213', '206005', NOT],
  ['超市', 'F5212', '206005'],
  ['小卖部', 'F5213', '206005'],
  ['面包店', 'F5222', '206005'],
  ['开个饭馆', 'H6210', '206005'],
  ['小吃店', 'H6291', '206005'],
  ['酒吧', 'H6233', '206005'],
  ['网吧', 'R9013', '224001'],
  ['KTV', 'R9011', '224001'],
  ['民宿', 'H6130', '214001'],
  ['开民宿需要什么许可', 'H6130', '223005'],
  ['宾馆', 'H6129', '214001'],
  ['快递', 'G6020', '207005', NOT],
  ['诊所', 'Q8425', '223001', '23'],
  ['药店', 'F5251', '206008'],
  ['培训机构', 'P839', '222001', NOT],
  ['幼儿园', 'P8310', '222001', '21'],
  ['新闻网站', 'I6429', '100005', '14'],
  ['稀土开采', 'B0932', '202001', '5'],
  ['烟酒店', 'F5227', '206001', '7'],
  ['理发店', 'O8040', '223005'],
  ['美容院', 'O8040', '223005'],
  ['足浴店', 'O8052', '223005'],
  ['宠物医院', 'O8222', '201010'],
  ['加油站', 'F5265', '206012'],
  ['网约车', 'G5413', '207002'],
  ['搬家公司', 'G5438', '207001'],
  ['旅行社', 'L7291', '224005'],
  ['律师事务所', 'L7231', '215001', '15'],
  ['典当行', 'J6633', '220001'],
  ['游泳馆', 'R8930', '224010'],
  ['外卖平台', 'I6432', '210001', NOT],
  ['H6232', 'H6232', '206005'],
  // Not on either list: every business may enter on equal terms.
  ['水果店', 'F5223', NOT, NOT],
  ['服装店', 'F5232', NOT, NOT],
  ['软件开发', 'I651', NOT, NOT],
  ['开网店', 'F5292', NOT, NOT],
  ['家政公司', 'O8010', NOT],
  ['养老院', 'Q8514', NOT],
  ['汽车维修', 'O8111', NOT],
  ['健身房', 'R8930', NOT],
  ['二手车', 'F5262', NOT],
  ['房产中介', 'K7030', NOT],
  ['代理记账', 'L7241', NOT],
  ['化妆品店', 'F5234', NOT],
  ['电影院', 'R8760', NOT, NOT],
];

describe('everyday questions answered from the demo negative lists', () => {
  it(`${CASES.length} everyday questions find their industry and the right answer`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const wrong: string[] = [];
    for (const [q, industry, ma, fi] of CASES) {
      const r = await ask(q);
      const codes = (list: string) => r.results.filter((x) => x.list === list).map((x) => x.code ?? NOT);
      if (r.industry?.code !== industry) wrong.push(`${q}: industry ${r.industry?.code} instead of ${industry}`);
      const got = codes('market-access');
      if (ma === NOT ? got.join() !== NOT : !got.includes(ma)) wrong.push(`${q}: market access ${got.join()} instead of ${ma}`);
      if (fi) {
        const f = codes('foreign-investment');
        if (fi === NOT ? f.join() !== NOT : !f.includes(fi)) wrong.push(`${q}: foreign investment ${f.join()} instead of ${fi}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a coffee shop needs the food business licence, with its service guide', async () => {
    const r = await ask('开咖啡店需要什么许可');
    expect(r.industry).toMatchObject({ code: 'H6232', name: '咖啡馆服务', path: [{ code: 'H' }, { code: 'H62' }, { code: 'H623' }] });
    const ma = r.results.find((x) => x.list === 'market-access');
    expect(ma).toMatchObject({ code: '206005', category: 'permitted', matchedBy: 'industry' });
    expect(ma.serviceGuides.map((g: any) => g.code)).toContain('SG-XZSP-001');
    expect(r.results.every((x) => x.category !== 'not-listed' || x.list === 'foreign-investment')).toBe(true);
  });

  it('a not-listed answer names the industry, the nearest items, and the guides and policies for it', async () => {
    const fruit = await ask('水果店');
    expect(fruit.industry?.name).toBe('果品、蔬菜零售');
    expect(fruit.nearest.map((n) => n.code)).toContain('206005');
    const soft = await ask('软件开发');
    expect(soft.nearest.map((n) => n.code)).toContain('210001');
    expect(soft.policies.map((x) => x.title)).toContain('示范新区关于支持高新技术企业高质量发展的若干措施');
    const hair = await ask('理发店');
    expect(hair.guides.map((g) => g.code)).toContain('SG-XZSP-002');
    // The answers say which lists they come from, and that the demo lists are excerpts.
    expect(soft.sources.map((s) => s.title)).toEqual(expect.arrayContaining([expect.stringContaining('代表性节选')]));
  });

  it('words it cannot place are said so; bare digits are not a code', async () => {
    const r = await ask('zzqx');
    expect(r.industry).toBeNull();
    expect(r.results.map((x) => x.category)).toEqual([NOT, NOT]);
    expect((await ask('6232')).industry).toBeNull();
  });

  it('the lookup page says what it understood, the nearest items and that the lists are excerpts', async () => {
    const page = await env.app.inject({ method: 'GET', url: `/negative-lists/lookup?q=${encodeURIComponent('水果店')}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('所查行业：');
    expect(page.body).toContain('F5223 果品、蔬菜零售');
    expect(page.body).toContain('相近的清单事项');
    expect(page.body).toContain('“未列入”仅表示节选中未列入');
    const coffee = await env.app.inject({ method: 'GET', url: `/negative-lists/lookup?q=${encodeURIComponent('咖啡店')}` });
    expect(coffee.body).toContain('需取得许可');
    expect(coffee.body).toContain('食品经营许可证核发');
    const esc = await env.app.inject({ method: 'GET', url: `/negative-lists/lookup?q=${encodeURIComponent('<script>alert(1)</script>')}` });
    expect(esc.statusCode).toBe(200);
    expect(esc.body).not.toContain('<script>alert(1)');
  });
});

describe('policy matching takes everyday words', () => {
  it('咖啡店 is matched as H6232; the API and the page say so', async () => {
    const r = await env.api('GET', `/api/v1/policies/match?industry=${encodeURIComponent('咖啡店')}&size=micro`);
    expect(r.statusCode).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.industry).toMatchObject({ code: 'H6232', name: '咖啡馆服务' });
    expect(body.results.map((x: any) => x.title)).toContain('示范新区小微企业贷款贴息管理办法');
    const soft = JSON.parse((await env.api('GET', `/api/v1/policies/match?industry=${encodeURIComponent('软件开发')}&size=small&qualifications=high-tech`)).body);
    expect(soft.results.map((x: any) => x.title)).toContain('示范新区关于支持高新技术企业高质量发展的若干措施');
    const page = await env.app.inject({ method: 'GET', url: `/policies/match?industry=${encodeURIComponent('咖啡店')}&size=micro` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('H6232 咖啡馆服务');
    expect(page.body).toContain('name="industry" value="H6232"');
  });

  it('unknown words and unknown codes are a 400 on the industry field, with a way to the picker', async () => {
    for (const industry of ['zzqx', 'A9999', '39']) {
      const r = await env.api('GET', `/api/v1/policies/match?industry=${encodeURIComponent(industry)}&size=micro`);
      expect(r.statusCode, industry).toBe(400);
      expect(JSON.parse(r.body).error.fields.industry, industry).toBeTruthy();
    }
    const page = await env.app.inject({ method: 'GET', url: `/policies/match?industry=zzqx&size=micro` });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('没有找到对应的行业');
    expect(page.body).toContain('href="/lists/industries?q=zzqx"');
  });
});

describe('the industry table and picker', () => {
  it('holds GB/T 4754-2017: 20 门类, 97 大类, 473 中类, 1381 小类, each under its parent', () => {
    const rows = industrySeed();
    const count = (l: string) => rows.filter((r) => r.level === l).length;
    expect([count('section'), count('division'), count('group'), count('class')]).toEqual([20, 97, 473, 1381]);
    const codes = new Set(rows.map((r) => r.code));
    expect(rows.filter((r) => r.parent && !codes.has(r.parent))).toEqual([]);
    expect(rows.find((r) => r.code === 'H6232')).toMatchObject({ name: '咖啡馆服务', parent: 'H623', aliases: expect.arrayContaining(['咖啡店']) });
    expect(rows.find((r) => r.code === 'H621')?.name).toBe('正餐服务');
    expect(() => parseTable('H 住宿和餐饮业\n6232 咖啡馆服务')).toThrow(/no parent/);
  });

  it('the API finds industries by everyday words and browses the classification', async () => {
    const found = JSON.parse((await env.api('GET', `/api/v1/industries?q=${encodeURIComponent('奶茶店')}`)).body).items;
    expect(found[0]).toMatchObject({ code: 'H6239', name: '其他饮料及冷饮服务', level: 'class' });
    const sections = JSON.parse((await env.api('GET', '/api/v1/industries')).body).items;
    expect(sections).toHaveLength(20);
    const food = JSON.parse((await env.api('GET', '/api/v1/industries?parent=H62')).body).items;
    expect(food.map((x: any) => x.code)).toEqual(['H621', 'H622', 'H623', 'H624', 'H629']);
    const one = JSON.parse((await env.api('GET', '/api/v1/industries/h6232')).body);
    expect(one.industry.path.map((x: any) => x.name)).toEqual(['住宿和餐饮业', '餐饮业', '饮料及冷饮服务']);
    expect((await env.api('GET', '/api/v1/industries/A9999')).statusCode).toBe(404);
    expect((await env.api('GET', '/api/v1/industries/%27or1')).statusCode).toBe(400);
    expect((await env.api('GET', `/api/v1/industries?q=${'咖'.repeat(200)}`)).statusCode).toBe(400);
  });

  it('the picker page works without JavaScript: words, then a link to ask the lists', async () => {
    const page = await env.app.inject({ method: 'GET', url: `/lists/industries?q=${encodeURIComponent('民宿')}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('H6130');
    expect(page.body).toContain('href="/negative-lists/lookup?q=H6130"');
    expect(page.body).toContain('href="/policies/match?industry=H6130"');
    const browse = await env.app.inject({ method: 'GET', url: '/lists/industries?code=H623' });
    expect(browse.body).toContain('咖啡馆服务');
  });
});

describe('staff edit the aliases', () => {
  it('the department keeping the negative lists adds an alias; the lookup understands it at once; audited', async () => {
    expect((await ask('猫咖')).industry?.code).not.toBe('H6232');
    const cur = JSON.parse((await env.api('GET', '/api/v1/industries/H6232')).body).industry.aliases as string[];
    const r = await env.api('PUT', '/api/v1/industries/H6232/aliases', { as: 'fgj-editor', body: { aliases: [...cur, '猫咖'] } });
    expect(r.statusCode).toBe(200);
    const after = await ask('我想开一家猫咖');
    expect(after.industry?.code).toBe('H6232');
    expect(after.results.find((x) => x.list === 'market-access')?.code).toBe('206005');
    const ev = await env.p.db.selectFrom('audit_events').selectAll().where('action', '=', 'industry.aliases').executeTakeFirstOrThrow();
    expect(ev.actor).toBe('user:fgj-editor');
    expect(JSON.parse(ev.details).to).toContain('猫咖');
  });

  it('others may not; bad aliases are a 400 naming the field and change nothing', async () => {
    const body = { aliases: ['咖啡店'] };
    expect((await env.api('PUT', '/api/v1/industries/H6232/aliases', { body })).statusCode).toBe(401);
    expect((await env.api('PUT', '/api/v1/industries/H6232/aliases', { as: 'scjg-editor', body })).statusCode).toBe(403);
    expect((await env.api('PUT', '/api/v1/industries/A9999/aliases', { as: 'fgj-editor', body })).statusCode).toBe(404);
    for (const aliases of [['x'.repeat(21)], Array.from({ length: 41 }, (_, i) => `词${i}`), ['<b>'], ['   ', '\u0007']]) {
      const r = await env.api('PUT', '/api/v1/industries/H6232/aliases', { as: 'fgj-editor', body: { aliases } });
      expect(r.statusCode, JSON.stringify(aliases)).toBe(400);
      expect(Object.keys(JSON.parse(r.body).error.fields).join(), r.body).toMatch(/^aliases/);
    }
    expect((await ask('咖啡店')).industry?.code).toBe('H6232');
  });

  it('the console form saves aliases with CSRF; another department sees them read-only', async () => {
    const s = await login(env.app, 'fgj-editor');
    const page = await env.app.inject({ method: 'GET', url: '/admin/lists/industries/O8040', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="aliases"');
    const post = await env.app.inject({ method: 'POST', url: '/admin/lists/industries/O8040', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), aliases: '理发店\n美发店、发型工作室' }) });
    expect(post.statusCode).toBe(303);
    expect((await ask('发型工作室')).industry?.code).toBe('O8040');
    const bad = await env.app.inject({ method: 'POST', url: '/admin/lists/industries/O8040', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), aliases: 'x'.repeat(30) }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('每个常用叫法不超过20个字');
    const other = await login(env.app, 'scjg-editor');
    const ro = await env.app.inject({ method: 'GET', url: '/admin/lists/industries/O8040', headers: { cookie: other.cookie } });
    expect(ro.statusCode).toBe(200);
    expect(ro.body).not.toContain('name="aliases"');
    expect(ro.body).toContain('发型工作室');
    const search = await env.app.inject({ method: 'GET', url: `/admin/lists/industries?q=${encodeURIComponent('理发')}`, headers: { cookie: s.cookie } });
    expect(search.body).toContain('href="/admin/lists/industries/O8040"');
  });
});
