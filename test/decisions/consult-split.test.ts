// Splitting a consultation draft into articles: 第X条 with Chinese numerals (第十二条, 第一百零一条)
// and Arabic ones, chapter headings, a preamble, 一、 and 1. / 1、 drafts, the highest level only,
// hostile input named with a 400.
import { describe, expect, it } from 'vitest';
import { ARTICLE_LIMITS, chineseNumber, splitDraft } from '../../src/modules/decisions/service/articles.js';

const MEASURES = `示范新区城市公园管理办法（征求意见稿）

第一章　总　则
第一条　为加强城市公园管理，保护公园资源，为公众提供良好的游憩环境，根据《城市绿化条例》等有关规定，结合本区实际，制定本办法。
第二条　本区行政区域内城市公园的规划、建设、保护和管理，适用本办法。
　　本办法所称城市公园，是指向公众开放，以游憩为主要功能，兼具生态、美化、科普、文化和防灾避险等作用的绿地。
第三条　区住房和城乡建设局是本区城市公园的行政主管部门。
第二章　规划与建设
第四条　公园管理单位应当履行下列职责：
1. 制定并公示游园守则；
2. 维护公园设施，保持园容整洁；
3. 及时劝阻和制止损害公园设施的行为。
第五条　新建、改建公园应当征求公众意见。
第六条　禁止在公园内从事下列行为：
（一）擅自摆摊设点；
（二）损毁花草树木；
（三）在非指定区域焚烧物品。
第七条　公园应当每日开放，开放时间由公园管理单位公示。
第八条　鼓励单位和个人以捐赠、认养等形式参与公园建设。
第九条　违反本办法规定的，由有关部门依法处理。
第十条　公园内经营活动应当符合公园规划。
第十一条　公园管理单位应当建立安全管理制度。
第十二条　本办法自2027年1月1日起施行，有效期5年。`;

describe('Chinese numerals', () => {
  it('reads the numbers articles use', () => {
    expect(chineseNumber('一')).toBe(1);
    expect(chineseNumber('十')).toBe(10);
    expect(chineseNumber('十二')).toBe(12);
    expect(chineseNumber('二十')).toBe(20);
    expect(chineseNumber('二十三')).toBe(23);
    expect(chineseNumber('一百')).toBe(100);
    expect(chineseNumber('一百零一')).toBe(101);
    expect(chineseNumber('一百一十二')).toBe(112);
    expect(chineseNumber('两百')).toBe(200);
    expect(chineseNumber('12')).toBe(12);
    expect(chineseNumber('一二')).toBeNull();
    expect(chineseNumber('甲')).toBeNull();
    expect(chineseNumber('')).toBeNull();
  });
});

describe('splitting a draft', () => {
  it('a 管理办法: the title as preamble, chapters, 第一条…第十二条, continuation lines and 1. lists kept inside their article', () => {
    const a = splitDraft(MEASURES);
    expect(a.map((x) => x.label)).toEqual(['', '第一章', '第一条', '第二条', '第三条', '第二章', '第四条', '第五条', '第六条', '第七条', '第八条', '第九条', '第十条', '第十一条', '第十二条']);
    expect(a[0].text).toBe('示范新区城市公园管理办法（征求意见稿）');
    expect(a[1].text).toBe('总　则');
    expect(a[2].text).toMatch(/^为加强城市公园管理/);
    // The second paragraph of 第二条 stays with it (its full-width indent trimmed).
    expect(a[3].text).toBe('本区行政区域内城市公园的规划、建设、保护和管理，适用本办法。\n本办法所称城市公园，是指向公众开放，以游憩为主要功能，兼具生态、美化、科普、文化和防灾避险等作用的绿地。');
    expect(a[6].text.split('\n')).toEqual(['公园管理单位应当履行下列职责：', '1. 制定并公示游园守则；', '2. 维护公园设施，保持园容整洁；', '3. 及时劝阻和制止损害公园设施的行为。']);
    expect(a[8].text).toContain('（三）在非指定区域焚烧物品。');
    expect(a[14]).toEqual({ label: '第十二条', text: '本办法自2027年1月1日起施行，有效期5年。' });
  });

  it('第一百零一条 and Arabic 第3条; Windows line ends; no preamble when the draft starts with an article', () => {
    const lines = Array.from({ length: 101 }, (_, i) => `第${i + 1 === 101 ? '一百零一' : i + 1}条 内容${i + 1}。`);
    const a = splitDraft(lines.join('\r\n'));
    expect(a).toHaveLength(101);
    expect(a[0]).toEqual({ label: '第1条', text: '内容1。' });
    expect(a[100]).toEqual({ label: '第一百零一条', text: '内容101。' });
  });

  it('一、 clauses when there is no 第X条 (a 实施方案), with its own 1. lists inside', () => {
    const a = splitDraft(`关于推进老旧小区改造的实施方案（征求意见稿）
为改善居民居住条件，制定本方案。
一、总体要求
坚持居民自愿、政府引导。
二、改造内容
1. 基础类：水电气路；
2. 完善类：加装电梯；
十一、保障措施
加强组织领导。`);
    expect(a.map((x) => x.label)).toEqual(['', '一、', '二、', '十一、']);
    expect(a[0].text).toBe('关于推进老旧小区改造的实施方案（征求意见稿）\n为改善居民居住条件，制定本方案。');
    expect(a[2].text).toBe('改造内容\n1. 基础类：水电气路；\n2. 完善类：加装电梯；');
  });

  it('1. and 1、 clauses last; decimals and dates are not clauses', () => {
    const a = splitDraft(`1. 收费标准下调1.5元。\n2、每日开放至22时。\n2026.1 起执行。\n3．其他事项。`);
    expect(a.map((x) => x.label)).toEqual(['1.', '2、', '3．']);
    expect(a[0].text).toBe('收费标准下调1.5元。');
    expect(a[1].text).toBe('每日开放至22时。\n2026.1 起执行。');
  });

  it('a draft without clauses is one unlabelled article; control characters and bidi overrides removed', () => {
    expect(splitDraft('只有一段说明文字\u0007。\u202e')).toEqual([{ label: '', text: '只有一段说明文字。' }]);
  });

  it('refuses empty, huge and over-long input with a 400 naming the field', () => {
    for (const bad of ['', '   \n\u3000 ', undefined as unknown as string, 42 as unknown as string]) expect(() => splitDraft(bad)).toThrow(expect.objectContaining({ status: 400, fields: { text: 'err.field.required' } }));
    expect(() => splitDraft('字'.repeat(ARTICLE_LIMITS.draft + 1))).toThrow(expect.objectContaining({ status: 400, fields: { text: 'decisions.consultations.err.draft_too_long' } }));
    expect(() => splitDraft(`第一条 ${'长'.repeat(ARTICLE_LIMITS.text + 1)}`, 'docx')).toThrow(expect.objectContaining({ status: 400, fields: { docx: 'decisions.consultations.err.article_too_long' } }));
    const many = Array.from({ length: ARTICLE_LIMITS.count + 1 }, (_, i) => `第${i + 1}条 x`).join('\n');
    expect(() => splitDraft(many)).toThrow(expect.objectContaining({ status: 400, fields: { text: 'decisions.consultations.err.too_many_articles' } }));
  });
});
