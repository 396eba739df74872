// 好差评: one five-level scale (platform/ratings.ts) with one set of labels, used by the appeals
// centre and the service guides alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { RATINGS, ratingLabel } from '../../src/platform/ratings.js';
import { t } from '../../src/platform/i18n/index.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(async () => env?.close());

const ZH = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'];
const EN = ['Very satisfied', 'Satisfied', 'Basically satisfied', 'Dissatisfied', 'Very dissatisfied'];

/** The labels in the order they appear in `html`, among the given ones (longest match first: 满意 is inside 非常满意). */
function labelsIn(html: string, labels: string[]): string[] {
  const text = html.replace(/<[^>]*>/g, '\n');
  const lines = text.split('\n').map((s) => s.replace(/^[\s：:·]+|[\s：:·]+$/g, ''));
  return lines.filter((l) => labels.includes(l));
}

describe('the rating scale', () => {
  it('has five levels, each labelled in Chinese and English', () => {
    expect([...RATINGS]).toEqual(['very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied']);
    expect(RATINGS.map((r) => t('zh-CN', ratingLabel(r)))).toEqual(ZH);
    expect(RATINGS.map((r) => t('en', ratingLabel(r)))).toEqual(EN);
  });

  it('the service-guide rating form and the appeals statistics show the same five labels, in order, in either language', async () => {
    for (const [lang, labels] of [['zh-CN', ZH], ['en', EN]] as const) {
      const headers = { 'accept-language': lang };
      const guide = await env.app.inject({ method: 'GET', url: '/lists/service-guide/items/SG-WHLY-001', headers });
      expect(guide.statusCode).toBe(200);
      for (const r of RATINGS) expect(guide.body).toContain(`value="${r}"`);
      expect(labelsIn(guide.body, labels), `${lang} service guide`).toEqual(labels);
      const stats = await env.app.inject({ method: 'GET', url: '/appeals/stats', headers });
      expect(stats.statusCode).toBe(200);
      expect(labelsIn(stats.body, labels), `${lang} appeals statistics`).toEqual(labels);
    }
  });

  it('a level outside the scale is refused by both modules', async () => {
    const guide = await env.api('POST', '/api/v1/service-guides/SG-WHLY-001/ratings', { body: { level: 'excellent' } });
    expect(guide.statusCode).toBe(400);
    const appeal = await env.api('POST', '/api/v1/appeals/SQ202611270000001/rating', { body: { code: '1234567890', rating: 'excellent' } });
    expect(appeal.statusCode).toBe(400);
  });
});
