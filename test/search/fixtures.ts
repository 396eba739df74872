// Test items and a test source standing in for the publication spine.
import { setIndexableSource, type IndexableItem } from '../../src/platform/publication/indexable.js';

export function item(id: number, over: Partial<IndexableItem> = {}): IndexableItem {
  return {
    id,
    type: 'document',
    indexNo: `000001/2026-${String(id).padStart(5, '0')}`,
    title: `测试文件${id}`,
    text: '',
    department: 'fgw',
    departmentName: '区发展和改革委员会',
    topic: '综合政务',
    genre: '通知',
    validity: 'valid',
    publishedAt: '2026-01-01T00:00:00.000Z',
    url: `/catalog/items/${id}`,
    ...over,
  };
}

/** A small judged corpus: for each query, which item must come first. */
export const JUDGED: IndexableItem[] = [
  item(1, { title: '关于印发政务公开工作要点的通知', text: '为深入贯彻落实政府信息公开条例，现将本年度政务公开工作要点印发给你们，请认真贯彻执行。', department: 'gov', departmentName: '区政府办公室', publishedAt: '2026-03-01T02:00:00.000Z' }),
  item(2, { title: '区财政局2025年部门预算公开说明', text: '本说明包括部门职责、机构设置、预算收支总表，三公经费预算情况。政务公开方面，按要求公开全部预算信息。', department: 'czj', departmentName: '区财政局', topic: '财政预决算', genre: '说明', publishedAt: '2025-02-10T02:00:00.000Z' }),
  item(3, { title: '优化营商环境若干措施', text: '为持续优化营商环境，深化放管服改革，推行一网通办，落实市场准入负面清单制度，开展双随机一公开监管。', department: 'fgw', departmentName: '区发展和改革委员会', topic: '经济管理', genre: '意见', publishedAt: '2026-02-01T02:00:00.000Z' }),
  item(4, { title: '关于公开征求意见的公告', text: '现就棚户区改造补偿方案公开征求意见。联系电话：12345。公开的方式包括网站和公告栏，指南另行发布。', department: 'zjj', departmentName: '区住房和城乡建设局', topic: '城乡建设', genre: '公告', publishedAt: '2025-11-20T02:00:00.000Z' }),
  item(5, { title: '棚户区改造项目征收补偿方案', text: '本方案适用于东城片区棚户区改造项目。补偿标准按照国有土地上房屋征收与补偿条例执行。', department: 'zjj', departmentName: '区住房和城乡建设局', topic: '城乡建设', genre: '方案', publishedAt: '2024-06-01T02:00:00.000Z' }),
  item(6, { title: '关于废止部分规范性文件的决定', text: '经清理，决定废止以下规范性文件：关于棚户区改造的暂行办法。', department: 'sfj', departmentName: '区司法局', topic: '综合政务', genre: '决定', validity: 'repealed', publishedAt: '2023-05-05T02:00:00.000Z' }),
  item(7, { title: '政府信息公开指南', text: '本指南说明依申请公开的受理机构、申请方式和处理程序。政府信息公开申请可以通过网上、信函、当面提交。', department: 'gov', departmentName: '区政府办公室', topic: '综合政务', genre: '指南', publishedAt: '2026-01-15T02:00:00.000Z' }),
  item(8, { title: '2025年政府信息公开工作年度报告', text: '本报告依据政府信息公开条例编制，包括主动公开、依申请公开、行政复议和行政诉讼情况。COVID-19 Response Plan 附件。', type: 'report', department: 'gov', departmentName: '区政府办公室', topic: '综合政务', genre: '报告', publishedAt: '2026-01-30T02:00:00.000Z' }),
  item(9, { title: '关于开展2024年双随机一公开抽查的通知', text: '各有关单位：根据市场监管工作安排，开展跨部门联合抽查。抽查结果将通过信用中国网站公开。', department: 'scj', departmentName: '区市场监督管理局', topic: '市场监管', genre: '通知', validity: 'expired', publishedAt: '2024-03-03T02:00:00.000Z' }),
  item(10, { title: '公开 指南 的 使用 说明', text: '指南。公开。两个词分开出现，不构成短语。', department: 'gov', departmentName: '区政府办公室', topic: '综合政务', genre: '说明', publishedAt: '2022-01-01T02:00:00.000Z' }),
];

/** A source serving the given items; `hidden` ids are treated as not public (withdrawn). */
export function testSource(items: IndexableItem[]) {
  const byId = new Map(items.map((i) => [i.id, i]));
  const hidden = new Set<number>();
  const src = {
    byId,
    hidden,
    async load(_db: unknown, id: number) {
      return hidden.has(id) ? null : (byId.get(id) ?? null);
    },
    async listPublicIds(_db: unknown, afterId: number, limit: number) {
      return [...byId.keys()].filter((id) => id > afterId && !hidden.has(id)).sort((a, b) => a - b).slice(0, limit);
    },
  };
  setIndexableSource(src as any);
  return src;
}
