// Search: the site's full-text search over everything published through the spine.
import type { GongkaiModule } from '../../platform/module.js';
import { searchMigrations } from './schema.js';
import { searchApi } from './api.js';
import { searchPages } from './public.js';
import { progressBar, reindex, searchJobs, startCatchUp } from './service.js';

const zh: Record<string, string> = {
  'search.title': '站内搜索',
  'search.titleFor': '搜索：{q}',
  'search.resultsFor': '“{q}”的搜索结果：共 {total} 条',
  'search.resultsForApprox': '“{q}”的搜索结果：约 {total} 条',
  'search.all': '全部信息：共 {total} 条',
  'search.empty': '没有找到相关信息。',
  'search.tryInstead': '您可以试试：',
  'search.tip.fewer': '减少或更换关键词，例如只保留最重要的词。',
  'search.tip.filters': '取消已选择的筛选条件。',
  'search.facets': '筛选',
  'search.facetAll': '全部（取消此筛选）',
  'search.facetsEstimated': '结果较多，以下数量为估算。',
  'search.reachable': '仅显示相关度最高的 {n} 条，请补充关键词以缩小范围。',
  'search.sort': '排序',
  'search.sort.relevance': '按相关度',
  'search.sort.date': '按发布日期',
  'search.facet.type': '信息类型',
  'search.facet.department': '发布机构',
  'search.facet.topic': '主题分类',
  'search.facet.genre': '体裁',
  'search.facet.year': '年份',
  'search.facet.validity': '效力',
  'search.type.document': '政府文件',
  'search.type.interpretation': '政策解读',
  'search.type.appeal': '依申请公开答复',
  'search.type.list-edition': '清单',
  'search.type.report': '年度报告',
  'search.validity.valid': '有效',
  'search.validity.expired': '失效',
  'search.validity.repealed': '废止',
  'search.err.tooLong': '搜索词过长：最多 100 个字。',
};

const en: Record<string, string> = {
  'search.title': 'Search',
  'search.titleFor': 'Search: {q}',
  'search.resultsFor': 'Results for “{q}”: {total}',
  'search.resultsForApprox': 'Results for “{q}”: about {total}',
  'search.all': 'All information: {total}',
  'search.empty': 'Nothing found.',
  'search.tryInstead': 'You could try:',
  'search.tip.fewer': 'Use fewer or other words, keeping only the most important one.',
  'search.tip.filters': 'Remove the filters you selected.',
  'search.facets': 'Filters',
  'search.facetAll': 'All (remove this filter)',
  'search.facetsEstimated': 'Many results: the counts below are estimates.',
  'search.reachable': 'Only the {n} most relevant results are shown; add words to narrow the search.',
  'search.sort': 'Sort',
  'search.sort.relevance': 'By relevance',
  'search.sort.date': 'By publication date',
  'search.facet.type': 'Type',
  'search.facet.department': 'Department',
  'search.facet.topic': 'Topic',
  'search.facet.genre': 'Genre',
  'search.facet.year': 'Year',
  'search.facet.validity': 'Validity',
  'search.type.document': 'Government document',
  'search.type.interpretation': 'Policy interpretation',
  'search.type.appeal': 'Reply to a disclosure request',
  'search.type.list-edition': 'List',
  'search.type.report': 'Annual report',
  'search.validity.valid': 'Valid',
  'search.validity.expired': 'Expired',
  'search.validity.repealed': 'Repealed',
  'search.err.tooLong': 'The search text is too long: at most 100 characters.',
};

export const searchModule: GongkaiModule = {
  name: 'search',
  migrations: searchMigrations,
  messages: { 'zh-CN': zh, en },
  searchPath: '/search',
  jobs: searchJobs,
  async routes(app, p) {
    await searchApi(app, p);
    await searchPages(app, p);
  },
  cli: {
    'search reindex': {
      usage: 'search reindex [--clear]        rebuild the search index from everything published (progress on stderr)',
      async run(args, p) {
        const started = Date.now();
        const tty = process.stderr.isTTY;
        let last = 0;
        const r = await reindex(p, {
          clear: args.includes('--clear'),
          onProgress: (done, total) => {
            if (!tty && done !== total && Date.now() - last < 2000) return;
            last = Date.now();
            process.stderr.write(progressBar(done, total, started) + (tty ? '' : '\n'));
          },
        });
        process.stderr.write('\n');
        process.stdout.write(`indexed ${r.indexed}, removed ${r.removed} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        return 0;
      },
    },
  },
  background(p) {
    // After a crash or a restore the index may lag the spine: compare and catch up (as jobs).
    startCatchUp(p).catch((err) => p.log.warn({ err }, 'search: could not start catch-up'));
    return () => {};
  },
};
