// Dispatch rules (category default, keyword and area rules with weights) and similar-appeal
// suggestions (text similarity plus distance), for the dispatcher and for the citizen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { addRule, suggestDepartments, similarAppeals } from '../../src/modules/appeals/service/dispatch.js';
import { jaccard, bigrams } from '../../src/platform/similarity.js';
import { submitAppeal } from '../../src/modules/appeals/service/intake.js';
import { APPEAL } from './util.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(async () => env?.close());

describe('dispatch rules', () => {
  it('the catalogue default department leads; keywords and areas add weight', async () => {
    const s = await suggestDepartments(env.p.db, { category: 'property', title: '电梯困人', content: '小区电梯经常故障困人', address: '示范新区海滨路1号' });
    expect(s.map((x) => x.department)).toEqual(['zjj', 'scjg', 'jd-hb']);
    expect(s[0].reasons[0]).toBe('category:物业服务');
    expect(s[1].reasons).toEqual(['keyword:电梯']);
    expect(s[2].reasons).toEqual(['area:海滨']);
  });

  it('a new keyword rule from the centre changes the suggestion; others may not add rules', async () => {
    await expect(addRule(env.p, 'cli', { kind: 'keyword', pattern: '广场舞', department: 'whly', weight: 9 })).resolves.toBeUndefined();
    const s = await suggestDepartments(env.p.db, { category: 'noise', title: '广场舞噪音', content: '每天晚上广场舞音响很大', address: '' });
    expect(s[0].department).toBe('whly');
    const r = await env.api('GET', '/admin/appeals/catalogue', { as: 'fgj-editor' });
    expect(r.statusCode).toBe(403);
  });

  it('the public landing page shows the time limits of the rule catalogue', async () => {
    const page = await env.app.inject({ method: 'GET', url: '/appeals' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/咨询<\/th><td>派单后2个工作日内答复/);
    expect(page.body).toMatch(/投诉<\/th><td>派单后15个工作日内答复/);
    expect(page.body).toMatch(/表扬<\/th><td>不设时限/);
  });

  it('rejects bad rules', async () => {
    await expect(addRule(env.p, 'cli', { kind: 'regex', pattern: '', department: 'nope', weight: 99 })).rejects.toMatchObject({ status: 400, fields: { kind: expect.any(String), pattern: expect.any(String), department: expect.any(String), weight: expect.any(String) } });
  });
});

describe('similar appeals', () => {
  it('finds the near-duplicate by text and by location, not an unrelated appeal', async () => {
    const a = await submitAppeal(env.p, 'citizen', { ...APPEAL, channel: 'api', title: '春晖巷井盖缺失', content: '春晖巷18号门前井盖缺失，晚上行人容易掉进去，非常危险。', lat: 38.91, lng: 121.61 });
    await submitAppeal(env.p, 'citizen', { ...APPEAL, channel: 'api', title: '咨询社保缴费', content: '灵活就业人员如何缴纳养老保险？', lat: 38.99, lng: 121.7 });
    const near = await similarAppeals(env.p.db, { title: '井盖没了', content: '春晖巷门前井盖缺失很危险', lat: 38.9101, lng: 121.6101 });
    expect(near[0].trackingNo).toBe(a.trackingNo);
    expect(near[0].distance).toBeLessThan(50);
    const far = await similarAppeals(env.p.db, { title: '井盖没了', content: '春晖巷门前井盖缺失很危险', lat: 39.5, lng: 122.5 });
    expect(far[0]?.score ?? 0).toBeLessThan(near[0].score);
    expect(jaccard(bigrams('路灯不亮'), bigrams('路灯不亮'))).toBe(1);
  });

  it('citizens see only published (masked) appeals before submitting', async () => {
    const res = await env.api('GET', `/api/v1/appeals/similar?title=${encodeURIComponent('春晖巷井盖缺失')}&content=${encodeURIComponent('井盖缺失')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.every((i: any) => i.url?.startsWith('/appeals/published/'))).toBe(true);
    const page = await env.app.inject({ method: 'GET', url: `/appeals/new?check=1&title=${encodeURIComponent('电梯经常故障')}&content=${encodeURIComponent('电梯本月已停运三次，物业拖延维修')}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('近期相似的诉求');
  });
});
