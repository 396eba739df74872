// The public form's progressive paths: the verification button posts with the CSRF token in its URL,
// and the 'check similar appeals' GET carries no token.
import { it, expect } from 'vitest';
import { makeEnv, form } from '../helpers.js';

it('verify button posts with the token in the URL; the similar check leaks no token', async () => {
  const env = await makeEnv();
  const page = await env.app.inject({ method: 'GET', url: '/appeals/new' });
  const action = /formaction="(\/appeals\/verify\?_csrf=[^"]+)"/.exec(page.body)![1].replace(/&amp;/g, '&');
  const cookie = `gk_csrf=${page.cookies.find((c) => c.name === 'gk_csrf')!.value}`;
  const r = await env.app.inject({ method: 'POST', url: action, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ contactPhone: '13911112222', title: 't' }) });
  expect(r.statusCode).toBe(200);
  expect(r.body).toContain('验证码已发送');
  expect(page.body).not.toMatch(/type="hidden" name="_csrf"/);

  await env.close();
});
