// In a real browser at 375 px: the subject of a penalty decision on display applies for credit
// repair (the rules, the form with an evidence file, 请核对 with the decision found, 确认提交),
// looks it up with the query code; the department's approver reviews it in the console (the
// commitment, the evidence, 准予修复 confirmed) and the decision leaves the display; the applicant
// then sees it granted. A decision's revocation page too. Every page passes axe-core and none
// scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickAndLoad, expectAccessible, phonePage, signIn, startBrowserEnv, type BrowserEnv } from './browser.js';
import { decision, row } from '../enforcement/repair-util.js';
import { PNG } from '../appeals/util.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => env?.close());

const phone = () => phonePage(env);
const checked = expectAccessible;
const submit = clickAndLoad;

describe('credit repair at 375 px', () => {
  it('the subject applies and follows it; the approver grants it; the display ends', async () => {
    // Decided long enough ago to be past the 3-month minimum, still within the year.
    const today = new Date();
    const decided = new Date(today.getTime() - 120 * 86400_000).toISOString().slice(0, 10);
    const d = await decision(env, { decisionDate: decided, severity: 'ordinary' });

    const citizen = await phone();
    await citizen.goto(`${env.base}/enforcement/credit-repair`);
    await expect(citizen.locator('h1').textContent()).resolves.toBe('信用修复申请');
    await checked(citizen);
    await citizen.fill('#f-docNo', d.docNo);
    await citizen.fill('#f-creditCode', d.creditCode);
    await citizen.fill('#f-applicant', '李明');
    await citizen.fill('#f-phone', '13977778888');
    await citizen.fill('#f-commitment', '我承诺。');
    await submit(citizen, '.repair-form button.primary');
    await expect(citizen.locator('#f-commitment-err').textContent()).resolves.toContain('不少于20个字');
    await checked(citizen);
    await citizen.fill('#f-commitment', '本公司已缴纳全部罚款并完成整改，承诺一年内不再发生同类违法行为，所提交材料真实有效。');
    await citizen.setInputFiles('#f-evidence', { name: '缴款凭证.png', mimeType: 'image/png', buffer: PNG });
    await submit(citizen, '.repair-form button.primary');
    await expect(citizen.locator('h1').textContent()).resolves.toBe('请核对您填写的信息');
    await expect(citizen.locator('main').textContent()).resolves.toContain(d.docNo);
    await checked(citizen);
    await submit(citizen, '.repair-confirm button.primary');
    await citizen.waitForSelector('.tracking-no');
    const no = (await citizen.textContent('.tracking-no'))!.trim();
    const code = (await citizen.textContent('.query-code'))!.trim();
    expect(no).toMatch(/^XF\d{15}$/);
    await checked(citizen);

    const lookUp = async () => {
      await citizen.goto(`${env.base}/enforcement/credit-repair/track`);
      await citizen.fill('#f-no', no);
      await citizen.fill('#f-code', code);
      await submit(citizen, 'form button.primary');
      expect(citizen.url()).not.toContain(code);
    };
    await lookUp();
    await expect(citizen.locator('.repair-state').textContent()).resolves.toBe('审核中');
    await checked(citizen);

    const staff = await phone();
    await signIn(staff, env.base, 'scjg-approver');
    await staff.goto(`${env.base}/admin/enforcement/repairs`);
    await checked(staff);
    await submit(staff, `a:text("${no}")`);
    await expect(staff.locator('main').textContent()).resolves.toContain('本公司已缴纳全部罚款');
    await expect(staff.locator('.repair-evidence a').textContent()).resolves.toContain('缴款凭证.png');
    await checked(staff);
    await staff.check('form:has(input[value=approve]) input[name=confirm]');
    await submit(staff, 'form:has(input[value=approve]) button.danger');
    await expect(staff.locator('.notice.success').textContent()).resolves.toContain('已准予修复');
    await checked(staff);
    expect((await row(env, d.id)).end_reason).toBe('repaired');

    await lookUp();
    await expect(citizen.locator('.repair-state').textContent()).resolves.toBe('已准予修复');
    await expect(citizen.locator('main').textContent()).resolves.toContain('停止公示（信用修复）');
  }, 240_000); // two people, about ten pages, each checked by axe-core

  it('the revocation page of a decision, with its confirmation', async () => {
    const d = await decision(env, { decisionDate: new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10), severity: 'serious' });
    const staff = await phone();
    await signIn(staff, env.base, 'scjg-approver');
    await staff.goto(`${env.base}/admin/enforcement/decisions/${d.id}/end`);
    await checked(staff);
    await staff.check('input[name=reason][value=revoked]');
    await staff.fill('#f-note', '经行政复议撤销（示复决〔2026〕8号）');
    await staff.check('input[name=confirm]');
    await submit(staff, '.end-form button.danger');
    await expect(staff.locator('.notice.success').textContent()).resolves.toContain('已停止公示（决定已撤销）');
    await checked(staff);
    expect((await row(env, d.id)).end_reason).toBe('revoked');
  }, 120_000);
});
