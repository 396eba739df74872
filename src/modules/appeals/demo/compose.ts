// Composes demo appeal texts and replies from the phrase banks in texts.ts: place × problem ×
// detail × time, so a few hundred appeals read as a few hundred different letters, and each reply
// names the problem and what the handling department did about it.
import { intWith, pickWith } from '../../../platform/random.js';
import type { AppealType } from '../schema.js';
import { ASKS, BIZ, COMMUNITIES, FOUND, LINES, ROADS, SHOPS, SUGGEST_REPLIES, TEXTS, TIMES, type CategoryTexts, type Problem } from './texts.js';

export interface ComposedAppeal {
  type: AppealType;
  title: string;
  content: string;
  /** The place named in the text ('' when none). */
  where: string;
  problem: Problem;
  texts: CategoryTexts;
}

/** Phrases for a category without its own bank (a category added to the catalogue later). */
function genericTexts(categoryName: string): CategoryTexts {
  return {
    problems: [
      ['complaint', 'road', `${categoryName}方面的问题`, `{where}附近存在${categoryName}方面的问题，已经有一段时间了`],
      ['consult', 'none', `${categoryName}相关政策`, `想了解${categoryName}方面的政策和办理渠道`],
    ],
    details: ['周边居民反映较多', '希望尽快有个说法'],
    actions: ['已安排专人核实情况并督促相关单位整改'],
    results: ['问题已得到解决'],
  };
}

/** The phrases sharing most two-character words with the problem (the action that fits it), one drawn. */
function fitting(r: () => number, phrases: string[], problem: Problem): string {
  const grams = new Set<string>();
  const text = problem[2] + problem[3];
  for (let i = 0; i < text.length - 1; i++) grams.add(text.slice(i, i + 2));
  const score = (s: string) => {
    let n = 0;
    for (let i = 0; i < s.length - 1; i++) if (grams.has(s.slice(i, i + 2))) n++;
    return n;
  };
  const best = Math.max(...phrases.map(score));
  return pickWith(r, phrases.filter((s) => score(s) === best));
}

const WORD: Record<AppealType, string> = { complaint: '投诉', report: '举报', help: '求助', consult: '咨询', suggest: '建议', praise: '表扬' };

function titleOf(r: () => number, type: AppealType, t: string, where: string): string {
  if (type === 'consult') return pickWith(r, [`咨询${t}`, `关于${t}的咨询`, `请问${t}相关问题`, where ? `${where}居民咨询${t}` : `${t}怎么办理`]);
  if (type === 'suggest') return pickWith(r, [`建议${where ? `解决${where}` : '关注'}${t}`, `关于${where}${t}的建议`, `${where}${t}，建议改进`]);
  if (type === 'praise') return pickWith(r, [t, `表扬：${t}`, `${t}，点赞`]);
  return pickWith(r, [`${where}${t}`, `反映${where}${t}`, `关于${where}${t}的${WORD[type]}`, `${where}${t}，${pickWith(r, ['盼尽快解决', '请尽快处理', '无人管'])}`]);
}

/**
 * One appeal of the category: a problem from its bank, a place, a time and a detail. Titles already
 * in `seen` are drawn again (a few times) so the demo board does not repeat itself.
 */
export function composeAppeal(r: () => number, category: string, categoryName: string, who: { name: string; mobile: string }, seen: Set<string>): ComposedAppeal {
  const texts = TEXTS[category] ?? genericTexts(categoryName);
  let out: ComposedAppeal | null = null;
  for (let attempt = 0; attempt < 6 && (!out || seen.has(out.title)); attempt++) {
    const problem = pickWith(r, texts.problems);
    const [type, loc, t, body] = problem;
    const road = pickWith(r, ROADS);
    const community = pickWith(r, COMMUNITIES);
    const where = loc === 'road' ? road : loc === 'home' ? community : loc === 'shop' ? pickWith(r, [road, community]) : '';
    const n = intWith(r, 2, 180);
    const fill = (s: string) =>
      s
        .replace(/\{where\}/g, where)
        .replace(/\{road\}/g, road)
        .replace(/\{n\}/g, String(n))
        .replace(/\{n2\}/g, String(n + intWith(r, 10, 60)))
        .replace(/\{b\}/g, String(intWith(r, 1, 24)))
        .replace(/\{room\}/g, String(100 * intWith(r, 1, 18) + intWith(r, 1, 4)))
        .replace(/\{money\}/g, String(pickWith(r, [86, 128, 236, 499, 1200, 2680, 3000, 4800, 6500, 12000, 38000, 80000])))
        .replace(/\{shop\}/g, pickWith(r, SHOPS))
        .replace(/\{biz\}/g, pickWith(r, BIZ))
        .replace(/\{line\}/g, pickWith(r, LINES));
    const detail = pickWith(r, texts.details);
    const ask = pickWith(r, ASKS[type]);
    const time = pickWith(r, TIMES);
    const sign = r() < 0.35 ? `我是${who.name}，联系电话${who.mobile}。` : '';
    const text = fill(body);
    const content =
      type === 'consult'
        ? `${text}？${detail}。${ask}${sign}`
        : type === 'suggest'
          ? `${text}。${detail}，${ask}${sign}`
          : type === 'praise'
            ? `${text}，${detail}。${ask}`
            : `${time}，${text}。${detail}。${ask}${sign}`;
    out = { type, title: titleOf(r, type, t, where), content, where, problem, texts };
  }
  seen.add(out!.title);
  return out!;
}

/** The department's reply: it names the problem and, for complaints, what was done and how it ended. */
export function composeReply(r: () => number, a: ComposedAppeal, dept: { name: string; phone: string }): string {
  const [, , t, , answer] = a.problem;
  const phone = dept.phone || '12345';
  if (a.type === 'consult') {
    return `您好！关于您咨询的“${a.title}”，${dept.name}答复如下：${answer ?? '请携带有效身份证件到政务服务中心相应窗口咨询办理，也可通过网上办事大厅提交申请。'}如有疑问，请拨打${phone}咨询。`;
  }
  if (a.type === 'suggest') {
    const act = fitting(r, a.texts.actions, a.problem);
    const res = r() < 0.5 ? `目前${act.replace(/^已/, '已经')}，${fitting(r, a.texts.results, a.problem)}。` : '';
    return `您好！${dept.name}收到您关于${a.where}${t}的建议。${pickWith(r, SUGGEST_REPLIES)}。${res}感谢您的关注与支持。`;
  }
  if (a.type === 'praise') {
    return `感谢您对${dept.name}工作的肯定！您提到的“${t}”一事，我们已将表扬转达相关窗口和工作人员，并在单位内部通报。我们将继续提升服务质量。`;
  }
  const days = intWith(r, 1, 7);
  const follow = pickWith(r, ['感谢您对我们工作的监督。', '我们将持续跟踪，如问题反复，请再次反映。', '后续将加强日常巡查，防止问题反弹。', `如有疑问请拨打${phone}。`]);
  return `您好！您反映的${a.where}${t}问题，${pickWith(r, FOUND)}。${dept.name}${fitting(r, a.texts.actions, a.problem)}${r() < 0.5 ? `（用时${days}个工作日）` : ''}，${fitting(r, a.texts.results, a.problem)}。${follow}`;
}
