// The platform's text similarity (character bigrams, Jaccard) and the suggested groups of similar
// comments for the adoption report.
import { describe, expect, it } from 'vitest';
import { bigrams, clusterSimilar, jaccard, similarity } from '../../src/platform/similarity.js';

describe('similarity', () => {
  it('bigrams ignore case, spaces and punctuation; jaccard is 1 for equal and 0 for disjoint texts', () => {
    expect([...bigrams('路灯，不亮！')]).toEqual(['路灯', '灯不', '不亮']);
    expect([...bigrams('A b')]).toEqual(['ab']);
    expect(jaccard(bigrams('路灯不亮'), bigrams('路灯不亮'))).toBe(1);
    expect(jaccard(bigrams('路灯不亮'), bigrams('社保缴费'))).toBe(0);
    expect(jaccard(new Set(), bigrams('社保缴费'))).toBe(0);
    // {路灯,灯不,不亮} vs {路灯,灯坏,坏了}: 1 shared of 5.
    expect(similarity('路灯不亮', '路灯坏了')).toBeCloseTo(0.2);
  });

  it('clusterSimilar groups near-duplicates transitively and leaves unrelated texts alone', () => {
    const texts = [
      '建议延长公共自行车的免费骑行时间到两小时', // 0
      '关于停车收费标准，建议夜间免费', // 1
      '建议将公共自行车免费骑行时间延长到两小时', // 2
      '建议把公共自行车的免费骑行时间延长到两个小时', // 3
      '停车收费标准过高，建议夜间停车免费', // 4
      '希望增加无障碍设施', // 5
      '', // 6
      '好', // 7
      '好', // 8
    ];
    const groups = clusterSimilar(texts, 0.4);
    expect(groups).toEqual([
      [0, 2, 3],
      [1, 4],
    ]);
    // A higher threshold splits them; 1 keeps only identical texts (of two characters or more).
    expect(clusterSimilar(texts, 0.95)).toEqual([]);
    expect(clusterSimilar(['同意本方案', '同意本方案。', '反对'], 1)).toEqual([[0, 1]]);
    expect(clusterSimilar([], 0.5)).toEqual([]);
  });

  it('refuses a threshold outside (0, 1]', () => {
    expect(() => clusterSimilar(['a'], 0)).toThrow(RangeError);
    expect(() => clusterSimilar(['a'], 1.5)).toThrow(RangeError);
    expect(() => clusterSimilar(['a'], Number.NaN)).toThrow(RangeError);
  });
});
