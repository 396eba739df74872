// The public form's paths: the verification button posts with the CSRF token in its URL and the
// 'check similar appeals' GET carries no token; the form starts from the address (the map point is
// optional and hidden), marks its required radio group, and asks the citizen to check the answers
// (请核对您填写的信息) before 确认提交 creates the appeal — once.
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { makeEnv, form, csrfFrom, type TestEnv } from '../helpers.js';
import { loadConfig } from '../../src/config.js';
import { APPEAL, PNG, confirm, postForm, publicForm } from './util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(async () => env?.close());

const count = async () => Number((await env.p.db.selectFrom('appeals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const byTitle = (title: string) => env.p.db.selectFrom('appeals').selectAll().where('title', '=', title).execute();

it('the verification and "has this been reported" buttons post with the token in the body; no URL carries it or what the citizen typed', async () => {
  const page = await env.app.inject({ method: 'GET', url: '/appeals/new' });
  expect(page.body).toMatch(/formaction="\/appeals\/verify"/);
  expect(page.body).toMatch(/formaction="\/appeals\/new\/similar"/);
  expect(page.body).not.toMatch(/formmethod="get"/);
  expect(page.body).not.toMatch(/_csrf=/);
  const csrf = csrfFrom(page.body);
  const cookie = `gk_csrf=${page.cookies.find((c) => c.name === 'gk_csrf')!.value}`;
  const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
  const r = await env.app.inject({ method: 'POST', url: '/appeals/verify', headers, payload: form({ _csrf: csrf, contactPhone: '13911112222', title: 't' }) });
  expect(r.statusCode).toBe(200);
  expect(r.body).toContain('验证码已发送');
  const similar = await env.app.inject({ method: 'POST', url: '/appeals/new/similar', headers, payload: form({ _csrf: csrf, title: '路灯不亮', content: '幸福路路灯不亮', contactPhone: '13911112222' }) });
  expect(similar.statusCode).toBe(200);
  expect(similar.body).toContain('id="similar-h"');
  expect(similar.body).toContain('value="13911112222"'); // what was typed stays in the form
  const noToken = await env.app.inject({ method: 'POST', url: '/appeals/new/similar', headers, payload: form({ title: '路灯不亮' }) });
  expect(noToken.statusCode).toBe(403);
});

describe('the form', () => {
  it('starts from the address: no latitude/longitude to type, the map point is hidden', async () => {
    const page = await env.app.inject({ method: 'GET', url: '/appeals/new' });
    expect(page.body).not.toContain('纬度（可选）');
    expect(page.body).toMatch(/<input type="hidden" name="lat" id="f-lat"/);
    expect(page.body).toMatch(/<input type="hidden" name="lng" id="f-lng"/);
    // The address comes before the (script-made) location controls, in the 事发地点 group.
    expect(page.body.indexOf('id="f-address"')).toBeLessThan(page.body.indexOf('id="f-point"'));
    expect(page.body).toContain('<legend>事发地点</legend>');
    // No map without a tile URL.
    expect(page.body).not.toContain('data-tiles');
  });

  it('marks the required radio group and explains the mark', async () => {
    const page = await env.app.inject({ method: 'GET', url: '/appeals/new' });
    expect(page.body).toContain('标 * 的为必填项。');
    const group = /<fieldset id="f-type"[^>]*>[\s\S]*?<\/legend>/.exec(page.body)![0];
    expect(group).toContain('role="radiogroup"');
    expect(group).toContain('aria-required="true"');
    expect(group).toMatch(/诉求类型<span class="req" aria-hidden="true"> \*<\/span><span class="req-note">（必填）<\/span>/);
  });

  it('the verification hint agrees with the required mobile number', async () => {
    const page = await env.app.inject({ method: 'GET', url: '/appeals/new' });
    expect(page.body).toMatch(/<input id="f-contactPhone" name="contactPhone" required/);
    expect(page.body).not.toContain('未填写手机号码');
    expect(page.body).toContain('验证码以短信发到上面填写的手机号码');
  });

  it('with a tile URL configured the form offers the map, and the pages may load its tiles', async () => {
    const mapped = await makeEnv({ env: { GONGKAI_MAP_TILE_URL: 'https://tiles.example.cn/{z}/{x}/{y}.png', GONGKAI_MAP_CENTER: '38.9,121.6,13', GONGKAI_MAP_ATTRIBUTION: '© 示例地图' } });
    try {
      const page = await mapped.app.inject({ method: 'GET', url: '/appeals/new' });
      expect(page.body).toContain('data-tiles="https://tiles.example.cn/{z}/{x}/{y}.png"');
      expect(page.body).toContain('data-center="38.9,121.6,13"');
      expect(page.body).toContain('data-attribution="© 示例地图"');
      expect(page.headers['content-security-policy']).toMatch(/img-src 'self' data: https:\/\/tiles\.example\.cn;/);
    } finally {
      await mapped.close();
    }
    expect(() => loadConfig({ GONGKAI_MAP_TILE_URL: 'https://tiles.example.cn/tile.png', GONGKAI_MAP_CENTER: '38.9,121.6' })).toThrow(/\{z\}, \{x\} and \{y\}/);
    expect(() => loadConfig({ GONGKAI_MAP_TILE_URL: 'https://tiles.example.cn/{z}/{x}/{y}.png' })).toThrow(/GONGKAI_MAP_CENTER/);
    expect(() => loadConfig({ GONGKAI_MAP_TILE_URL: 'javascript:{z}{x}{y}', GONGKAI_MAP_CENTER: '1,2' })).toThrow(/http\(s\)/);
  });

  it('a half-given or impossible map point is refused on the location part; "clear" removes it', async () => {
    const half = await postForm(env.app, { lat: '38.91' });
    expect(half.res.statusCode).toBe(400);
    expect(half.res.body).toContain('标注的位置无效，请重新标注或清除。');
    expect(half.res.body).toContain('href="#f-point"');
    const far = await postForm(env.app, { lat: '138.9', lng: '121.6' });
    expect(far.res.statusCode).toBe(400);
    const cleared = await postForm(env.app, { lat: '138.9', lng: '121.6', clearPoint: '1' });
    expect(cleared.res.statusCode).toBe(200);
    expect(cleared.hidden.lat).toBeUndefined();
  });
});

describe('check your answers (请核对您填写的信息)', () => {
  it('shows every answer and creates nothing; 修改 brings the form back with every value and the photo kept', async () => {
    const before = await count();
    const title = '核对页：和平路路灯不亮<b>';
    const step = await postForm(env.app, { title, lat: '38.91', lng: '121.61', contactEmail: 'a@example.cn' }, [{ name: 'photos', filename: 'a.png', type: 'image/png', data: PNG }]);
    expect(step.res.statusCode).toBe(200);
    const body = step.res.body;
    expect(body).toContain('<h1>请核对您填写的信息</h1>');
    for (const text of ['投诉', '噪声扰民', '核对页：和平路路灯不亮&lt;b>', APPEAL.address, '纬度38.91，经度121.61', '1张', APPEAL.contactName, APPEAL.contactPhone, 'a@example.cn', '同意公开']) expect(body).toContain(text);
    expect(body).not.toContain('路灯不亮<b>');
    expect(body).toMatch(/<button type="submit" formaction="\/appeals\/new\/edit" class="secondary">修改<\/button>/);
    expect(body).toMatch(/<button type="submit" class="primary"[^>]*>确认提交<\/button>/);
    expect(body).toMatch(/<input type="hidden" name="_csrf"/);
    expect(await count()).toBe(before);

    const edit = await confirm(env.app, step.cookie, step.hidden, {}, '/appeals/new/edit');
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain(`value="核对页：和平路路灯不亮&lt;b>"`);
    expect(edit.body).toMatch(/value="complaint" checked/);
    expect(edit.body).toContain('纬度38.91，经度121.61');
    expect(edit.body).toContain('已上传1张照片');
    // Sent again unchanged (no new photo chosen), the kept photo goes with it.
    const again = await env.app.inject({ method: 'POST', url: `/appeals/new?_csrf=${encodeURIComponent((await publicForm(env.app)).csrf)}`, headers: { cookie: step.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ ...step.hidden, photosKept: /name="photosKept" value="([^"]+)"/.exec(edit.body)![1] }) });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('1张');
    expect(await count()).toBe(before);
  });

  it('确认提交 creates the appeal once: a second press, even at the same moment, creates nothing more', async () => {
    const title = '确认提交：幸福路井盖缺失';
    const step = await postForm(env.app, { title }, [{ name: 'photos', filename: 'a.png', type: 'image/png', data: PNG }]);
    expect(step.res.statusCode).toBe(200);
    const [a, b] = await Promise.all([confirm(env.app, step.cookie, step.hidden), confirm(env.app, step.cookie, step.hidden)]);
    expect(a.statusCode).toBe(201);
    const no = /class="tracking-no">(SQ\d+)</.exec(a.body)![1];
    // The double click gets the same answer (or, from another process, "already submitted").
    if (b.statusCode === 201) expect(b.body).toContain(no);
    else expect(b.statusCode).toBe(409);
    const later = await confirm(env.app, step.cookie, step.hidden);
    expect(later.statusCode).toBe(201); // within a minute the same process still has the answer
    const rows = await byTitle(title);
    expect(rows).toHaveLength(1);
    expect(rows[0].tracking_no).toBe(no);
    expect(JSON.parse(rows[0].media)).toHaveLength(1);
  });

  it('a ticket spent elsewhere (another process, the back button later) answers 409 and creates nothing', async () => {
    const title = '重复提交：解放路积水';
    const step = await postForm(env.app, { title });
    const n = JSON.parse(Buffer.from(env.app.unsignCookie(step.hidden.ticket).value!, 'base64url').toString()).n;
    const { spendBudget } = await import('../../src/platform/http/limit.js');
    expect(await spendBudget(env.p.db, 'appeal-confirm', n, 1, 24 * 3600_000)).toBe(0);
    const r = await confirm(env.app, step.cookie, step.hidden);
    expect(r.statusCode).toBe(409);
    expect(r.body).toContain('这份诉求已经提交过，不会重复受理。');
    expect(await byTitle(title)).toHaveLength(0);
  });

  it('answers changed on the way are checked again; a forged or expired ticket creates nothing', async () => {
    const before = await count();
    const step = await postForm(env.app, { title: '篡改：人民路噪音' });
    const emptied = await confirm(env.app, step.cookie, { ...step.hidden, content: '' });
    expect(emptied.statusCode).toBe(400);
    expect(emptied.body).toContain('此项为必填项');
    // Another stored file's hash cannot be slipped into the ticket.
    const forged = Buffer.from(JSON.stringify({ n: 'x'.repeat(22), m: ['a'.repeat(64)], t: Date.now() })).toString('base64url');
    const bad = await confirm(env.app, step.cookie, { ...step.hidden, ticket: `${forged}.${step.hidden.ticket.split('.').pop()}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('核对信息已失效，请检查后重新提交。');
    const missing = await confirm(env.app, step.cookie, { ...step.hidden, ticket: '' });
    expect(missing.statusCode).toBe(400);
    // An expired ticket (signed, 3 hours old): the answers are shown again with a fresh one.
    const old = env.app.signCookie(Buffer.from(JSON.stringify({ n: 'y'.repeat(22), m: [], t: Date.now() - 3 * 3600_000 })).toString('base64url'));
    const expired = await confirm(env.app, step.cookie, { ...step.hidden, ticket: old });
    expect(expired.statusCode).toBe(200);
    expect(expired.body).toContain('核对页面已过期，请再次核对后提交。');
    expect(await count()).toBe(before);
  });

  it('确认提交 needs the CSRF token and a wrong verification code sends the citizen back to the form', async () => {
    const before = await count();
    const step = await postForm(env.app, { title: 'CSRF：中山路施工', verifyCode: '123456' });
    const { _csrf, ...noToken } = step.hidden;
    expect(_csrf).toBeTruthy();
    const r = await confirm(env.app, step.cookie, noToken);
    expect(r.statusCode).toBe(403);
    expect(step.res.body).toContain('已填写（提交时核验）');
    const wrong = await confirm(env.app, step.cookie, step.hidden);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('验证码不正确或已过期');
    expect(wrong.body).toContain('value="CSRF：中山路施工"');
    expect(await count()).toBe(before);
  });
});
