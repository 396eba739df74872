// Normalisation and analysis: what a reader types and what the documents say meet in one form.
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/platform/search/normalize.js';
import { fieldTokens, governmentTerms, parseQuery, segmenter } from '../../src/platform/search/analysis.js';

describe('normalisation', () => {
  it('maps traditional characters to simplified ones', () => {
    expect(normalize('政務公開')).toBe('政务公开');
    expect(normalize('營商環境')).toBe('营商环境');
    expect(normalize('雙隨機一公開')).toBe('双随机一公开');
    expect(normalize('負面清單')).toBe('负面清单');
    expect(normalize('臺灣為')).toBe('台湾为');
    expect(normalize('資訊')).toBe('资讯');
  });

  it('maps full-width forms to half-width and folds case', () => {
    expect(normalize('ＡＢＣ１２３')).toBe('abc123');
    expect(normalize('COVID-19')).toBe('covid-19');
    expect(normalize('ＰＤＦ文件')).toBe('pdf文件');
    expect(normalize('第１２号　通知')).toBe('第12号 通知');
  });

  it('keeps simplified text, numbers and Latin words as they are (apart from case)', () => {
    expect(normalize('2026年政务公开工作要点 v2.1 GB/T 9704')).toBe('2026年政务公开工作要点 v2.1 gb/t 9704');
  });

  it('keeps the length of common text, so highlights line up', () => {
    const s = '關於印發《政務公開工作要點》的通知（２０２６年）';
    expect(normalize(s).length).toBe(s.length);
  });
});

describe('analysis', () => {
  it('ships a government dictionary of at least 500 terms that jieba uses', () => {
    const terms = governmentTerms();
    expect(terms.length).toBeGreaterThanOrEqual(500);
    for (const t of ['政务公开', '双随机一公开', '负面清单', '放管服', '一网通办', '营商环境', '棚户区改造']) expect(terms).toContain(t);
    const words = segmenter().cutForSearch('深化放管服改革推行一网通办开展双随机一公开监管', true);
    expect(words).toContain('放管服');
    expect(words).toContain('一网通办');
    expect(words).toContain('双随机一公开');
  });

  it('indexes bigrams with a one-character token at the end of each run', () => {
    expect(fieldTokens('政务公开，AB')).toEqual(['政务', '务公', '公开', '开', 'ab', 'b']);
    expect(fieldTokens('税')).toEqual(['税']);
  });

  it('splits a query into terms that all lie inside its runs', () => {
    const q = parseQuery('政務公開 工作要点');
    expect(q.normalized).toBe('政务公开 工作要点');
    expect(q.terms.join('')).toBe('政务公开工作要点');
    expect(parseQuery('《关于》').terms).toEqual(['关于']);
    expect(parseQuery('  ，。 ').terms).toEqual([]);
  });
});
