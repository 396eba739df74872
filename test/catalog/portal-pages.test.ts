// The pages a gov.cn portal has beside the catalog (issue 15 item 10): 政策解读 column linked both
// ways, the government's own 公开指南 that promises no online request channel, 公开制度 (default,
// then edited), 联系我们, 网站地图, robots.txt, favicon, and the footer's identification lines
// (政府网站标识码, ICP, 公安备案) edited in the government settings. On the demo data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, form, login, makeEnv, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv({ demo: true });
}, 120_000);
afterAll(() => env?.close());

const get = (url: string, headers: Record<string, string> = {}) => env.app.inject({ method: 'GET', url, headers });
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));

describe('政策解读', () => {
  it('lists the interpretations, each linked to the policy it interprets, and the policy links back', async () => {
    const r = await get('/catalog/interpretations');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<h1>政策解读</h1>');
    // 解读 in their several forms: text, questions and answers, 图解.
    expect(r.body).toMatch(/问答：《[^》]+》政策解读/);
    expect(r.body).toMatch(/图解：《[^》]+》政策解读/);
    const items = r.body.split('<li>').slice(1).filter((li) => li.includes('doc-title'));
    expect(items.length).toBe(20); // a full first page
    for (const li of items) expect(li, li.slice(0, 200)).toContain('解读：<a href="/catalog/items/');
    const first = items[0];
    const interp = /href="(\/catalog\/items\/\d+)" class="doc-title"/.exec(first)![1];
    const policy = /解读：<a href="(\/catalog\/items\/\d+)"/.exec(first)![1];
    expect((await get(policy)).body).toContain(`href="${interp}"`);
    expect((await get(interp)).body).toContain(`href="${policy}"`);
    const page2 = await get('/catalog/interpretations?page=2');
    expect(page2.statusCode).toBe(200);
    expect(page2.body).not.toContain(`href="${interp}" class="doc-title"`);
    expect((await get('/catalog/interpretations?page=abc')).statusCode).toBe(200);
    // The column is one of the catalog's sections.
    expect((await get('/catalog')).body).toContain('href="/catalog/interpretations"');
  });

  it('the demo loader interprets real demo policies', async () => {
    const rows = await env.p.db
      .selectFrom('pub_links as l')
      .innerJoin('pub_items as i', 'i.id', 'l.from_id')
      .innerJoin('pub_items as pol', 'pol.id', 'l.to_id')
      .select(['i.title', 'i.genre', 'pol.title as policy', 'pol.public'])
      .where('l.kind', '=', 'interprets')
      .where('i.title', 'not like', '%视频解读%')
      .execute();
    const mine = rows.filter((x) => /营商环境|最低生活保障|临时救助|社会救助|招生入学|学前教育|老旧小区|家庭医生|公共卫生|稳就业|欠薪/.test(x.policy));
    expect(mine.length).toBeGreaterThanOrEqual(4);
    for (const x of mine) {
      expect(Number(x.public)).toBe(1);
      expect(x.genre).toBe('解读');
      expect(x.title).toContain(x.policy.replace(/^关于印发《(.*)》的通知$/, '$1'));
    }
  });
});

describe('公开指南, 公开制度', () => {
  it("the government's own guide: its office, categories, how to request — online too, once the request module is mounted — and the departments' guides", async () => {
    const r = await get('/catalog/disclosure-guide');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('示范新区管理委员会 政府信息公开指南');
    expect(r.body).toContain('示范新区政务大道1号');
    expect(r.body).toContain('0411-12345678');
    expect(r.body).toContain('href="/catalog?category=a20-07"');
    expect(r.body).toContain('href="/catalog/disclosure-guide/fgj"');
    expect(r.body).toContain('href="/catalog/disclosure-rules"');
    // The disclosure-request module registers GET /disclosure-requests/new: the guides name and link it
    // (without the module they do not: test/requests/intake.test.ts).
    for (const page of [r.body, (await get('/catalog/disclosure-guide/fgj')).body]) expect(page).toContain('href="/disclosure-requests/new"');
    const en = await get('/catalog/disclosure-guide', { cookie: 'gk_lang=en' });
    expect(en.body).toContain('href="/disclosure-requests/new"');
  });

  it('公开制度 shows the default rules until the government writes its own; only government.edit may', async () => {
    const before = await get('/catalog/disclosure-rules');
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('<h2>三、保密审查制度</h2>');
    expect(before.body).toContain('每年3月31日前');

    const deptAdmin = await login(env.app, 'dzb-admin');
    expect((await get('/admin/catalog/portal', { cookie: deptAdmin.cookie })).statusCode).toBe(403);

    const admin = await login(env.app, 'admin');
    const page = await get('/admin/catalog/portal', { cookie: admin.cookie });
    expect(page.statusCode).toBe(200);
    const post = (body: Record<string, string>) => env.app.inject({ method: 'POST', url: '/admin/catalog/portal', headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfFrom(page.body), ...body }) });
    const long = await post({ guide: '', rules: 'x'.repeat(20001) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('内容过长');
    expect((await get('/catalog/disclosure-rules')).body).toContain('三、保密审查制度');

    const saved = await post({ guide: '本级政府信息公开工作机构为管委会政务公开办公室。', rules: '一、本区公开制度\n<b>所有</b>信息依法公开。' });
    expect(saved.statusCode).toBe(303);
    const after = await get('/catalog/disclosure-rules');
    expect(after.body).toContain('<h2>一、本区公开制度</h2>');
    expect(after.body).toContain('<p>&lt;b>所有&lt;/b>信息依法公开。</p>'); // staff text is text, not HTML
    expect(after.body).not.toContain('保密审查制度');
    expect((await get('/catalog/disclosure-guide')).body).toContain('本级政府信息公开工作机构为管委会政务公开办公室。');
    const audit = await env.p.db.selectFrom('audit_events').select('action').where('action', '=', 'catalog.portal_texts').execute();
    expect(audit).toHaveLength(1);
    // Emptied: the default again.
    await post({ guide: '', rules: '' });
    expect((await get('/catalog/disclosure-rules')).body).toContain('三、保密审查制度');
  });
});

describe('联系我们, 网站地图, robots.txt, favicon', () => {
  it("联系我们 lists the government's and every active department's phone and address", async () => {
    const r = await get('/contact');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('0411-12345678');
    const depts = await env.p.db.selectFrom('departments').select(['name', 'phone', 'address']).where('active', '=', 1).execute();
    for (const d of depts) {
      expect(r.body).toContain(`<h3>${d.name}</h3>`);
      if (d.phone) expect(r.body).toContain(d.phone);
      if (d.address) expect(r.body).toContain(d.address);
    }
  });

  it('网站地图 links every section and its pages, and every link answers 200', async () => {
    const r = await get('/sitemap');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<h1>网站地图</h1>');
    const links = new Set(hrefs(r.body.slice(r.body.indexOf('<main'), r.body.indexOf('</main>'))));
    for (const must of ['/', '/catalog', '/catalog/interpretations', '/catalog/disclosure-guide', '/catalog/disclosure-guide/fgj', '/catalog/statutory', '/catalog/disclosure-rules', '/contact', '/lists', '/appeals', '/calendar']) expect(links, must).toContain(must);
    for (const href of links) expect((await get(href)).statusCode, href).toBe(200);
    // Every page's footer leads to it and to 联系我们; the XML sitemap lists the new pages.
    const home = await get('/');
    expect(home.body).toContain('<a href="/sitemap">网站地图</a>');
    expect(home.body).toContain('<a href="/contact">联系我们</a>');
    const xml = (await get('/sitemap-catalog-pages-1.xml')).body;
    for (const path of ['/catalog/interpretations', '/catalog/disclosure-rules', '/contact', '/sitemap']) expect(xml).toContain(`${path}</loc>`);
  });

  it('robots.txt opens the portal, closes the console, the API and the cookie switches, and points to the sitemap', async () => {
    const r = await get('/robots.txt');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain');
    const lines = r.body.split('\n');
    for (const l of ['User-agent: *', 'Allow: /', 'Disallow: /admin', 'Disallow: /api/', 'Disallow: /lang/', 'Disallow: /prefs']) expect(lines).toContain(l);
    expect(lines).toContain(`Sitemap: ${env.config.publicUrl}/sitemap.xml`);
    expect(lines).not.toContain('Disallow: /catalog');
  });

  it('a favicon: /favicon.ico is an icon, and pages declare the SVG one', async () => {
    const ico = await get('/favicon.ico');
    expect(ico.statusCode).toBe(200);
    expect(ico.headers['content-type']).toBe('image/x-icon');
    expect(ico.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    expect((await get('/')).body).toContain('<link rel="icon" href="/static/favicon.svg" type="image/svg+xml"/>');
    const svg = await get('/static/favicon.svg');
    expect(svg.statusCode).toBe(200);
    expect(svg.body).toContain('<svg');
  });
});

describe('the footer: 政府网站标识码, ICP, 公安备案', () => {
  it('shows the demo government\'s codes with the 党政机关 mark and the registers\' links; the government page edits them', async () => {
    const home = await get('/catalog');
    expect(home.body).toContain('<span class="conac-mark">党政机关</span> 网站标识码：2102000061');
    expect(home.body).toContain('<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">辽ICP备20260061号-1</a>');
    expect(home.body).toContain('href="https://beian.mps.gov.cn/#/query/webSearch?code=21021302000161"');

    const admin = await login(env.app, 'admin');
    const page = await get('/admin/government', { cookie: admin.cookie });
    expect(page.body).toContain('name="siteCode"');
    expect(page.body).toContain('value="2102000061"');
    const fields = { _csrf: csrfFrom(page.body), name: '示范新区管理委员会', shortName: '示范新区', orgCode: '552013579', address: '示范新区政务大道1号', phone: '0411-12345678', icp: '辽ICP备20260061号-1', psb: '辽公网安备 21021302000161号' };
    const post = (siteCode: string) => env.app.inject({ method: 'POST', url: '/admin/government', headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...fields, siteCode }) });
    const bad = await post('21020');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('政府网站标识码须为 10 位数字或字母。');
    expect((await get('/catalog')).body).toContain('网站标识码：2102000061');

    expect((await post('2102000099')).statusCode).toBe(302);
    // The cached public pages show it at once.
    expect((await get('/catalog')).body).toContain('网站标识码：2102000099');
    const ev = await env.p.db.selectFrom('audit_events').select('details').where('action', '=', 'government.save').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(String(ev.details)).toContain('2102000099');
    // Cleared: the line goes (no GONGKAI_SITE_CODE in the tests).
    await post('');
    expect((await get('/catalog')).body).not.toContain('网站标识码');
  });
});
