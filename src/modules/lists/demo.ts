// Demo lists: 权责清单 of every department (市场监管局's with one adjustment), service guides,
// the two negative lists (representative subsets), tagged economic policies and a few ratings.
import type { Platform } from '../../platform/platform.js';
import { publishApprovedMany, defaultMeta, transition } from '../../platform/publication/index.js';
import { DOCUMENT } from '../catalog/items.js';
import { draftEdition, ensureList, publishEdition } from './service.js';
import { SCJG_ADJUSTMENT, SERVICE_GUIDES, scjgAdjusted } from './demo/data.js';
import { FOREIGN_INVESTMENT, MARKET_ACCESS } from './demo/negative.js';
import { demoPowerLists } from './demo/powers/index.js';
import { demoServiceGuides } from './demo/guides.js';
import { demoPolicies } from './demo/policies.js';
import { setTags } from './service/policies.js';
import { rate } from './service/ratings.js';
import { storeFile } from '../../platform/files/index.js';

const FIRST = new Date('2025-03-03T02:00:00Z');

/** A one-page PDF with a line of text (blank forms and samples of the demo guides). */
export function tinyPdf(text: string): Buffer {
  const content = `BT /F1 18 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>', `<< /Length ${content.length} >>\nstream\n${content}\nendstream`, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  let out = '%PDF-1.4\n';
  const offs: number[] = [];
  objs.forEach((o, i) => {
    offs.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

async function demoForms(p: Platform): Promise<void> {
  const g = SERVICE_GUIDES.xzsp?.find((x) => x.code === 'SG-XZSP-001');
  if (!g) return;
  try {
    const blank = await storeFile(p, tinyPdf('Food business licence application form (blank)'), 'blank.pdf');
    const sample = await storeFile(p, tinyPdf('Food business licence application form (sample)'), 'sample.pdf');
    const m = (g.materials as any[])[0];
    m.blankForm = { hash: blank.hash, name: '食品经营许可申请书（空白表格）.pdf' };
    m.sampleForm = { hash: sample.hash, name: '食品经营许可申请书（填写示例）.pdf' };
  } catch (err) {
    p.log.warn({ err }, 'demo forms not stored');
  }
}

export async function loadDemoLists(p: Platform): Promise<void> {
  const depts = new Map((await p.db.selectFrom('departments').select(['id', 'code', 'name']).execute()).map((d) => [d.code, d]));
  if (!depts.has('scjg') || (await p.db.selectFrom('lists').select('id').executeTakeFirst())) return;
  await demoForms(p);
  let expire: number | null = null;
  await p.tx(async (t) => {
    const publish = async (type: string, dept: string, title: string, items: any[], reason: string, docNo: string, at: Date) => {
      const d = depts.get(dept);
      if (!d) return null;
      const listId = await ensureList(p, t, 'demo', type, d.id, title);
      const e = await draftEdition(p, 'demo', listId, { items, reason, docNo }, t);
      return { listId, pubId: await publishEdition(p, t, 'demo', e.id, at) };
    };
    const names = new Map([...depts.values()].map((d) => [d.code, d.name]));
    const powers = demoPowerLists(names);
    for (const [dept, items] of Object.entries(powers)) {
      const d = depts.get(dept);
      if (!d) continue;
      const first = await publish('power', dept, `${d.name}权责清单`, items, '区级权责清单首次公布', '示范新区编〔2025〕2号', FIRST);
      if (dept === 'scjg' && first) {
        const e = await draftEdition(p, 'demo', first.listId, { items: scjgAdjusted(items), ...SCJG_ADJUSTMENT }, t);
        await publishEdition(p, t, 'demo', e.id, new Date('2026-06-15T02:00:00Z'));
        expire = first.pubId;
      }
    }
    for (const [dept, items] of Object.entries(demoServiceGuides(powers, names))) {
      const d = depts.get(dept);
      if (d) await publish('service-guide', dept, `${d.name}办事指南`, items, '政务服务事项办事指南公布', '示范新区审批发〔2025〕4号', FIRST);
    }
    await publish('market-access', 'fgj', '市场准入负面清单（2025年版）（代表性节选）', MARKET_ACCESS, '转发国家发展改革委、商务部、市场监管总局《市场准入负面清单（2025年版）》，演示数据为代表性节选。', '发改体改规〔2025〕466号', new Date('2025-04-30T02:00:00Z'));
    await publish('foreign-investment', 'fgj', '外商投资准入特别管理措施（负面清单）（2024年版）（代表性节选）', FOREIGN_INVESTMENT, '转发国家发展改革委、商务部令第23号，演示数据为代表性节选。', '国家发展改革委 商务部令第23号', new Date('2024-09-08T02:00:00Z'));
    // Economic policies: catalog documents, then tagged below.
    const docs = demoPolicies(names).filter((x) => depts.has(x.department));
    const ids = await publishApprovedMany(
      p,
      t,
      'demo',
      docs.map((x) => ({
        type: DOCUMENT,
        departmentId: depts.get(x.department)!.id,
        meta: defaultMeta({ title: x.title, docNo: x.docNo, genre: x.genre, topic: '0302', category: 'a20-03', summary: x.summary, keywords: ['惠企政策', depts.get(x.department)!.name], writtenAt: x.writtenAt, formedAt: x.writtenAt }),
        data: { body: x.body, attachments: [], related: [] },
        publishedAt: new Date(Date.parse(`${x.writtenAt}T02:00:00Z`) + 2 * 86_400_000),
      })),
      { audit: 'summary', deliver: false },
    );
    for (const [i, id] of ids.entries()) {
      const tg = docs[i].tags;
      await t
        .insertInto('policy_tags')
        .values({ item_id: id, industries: JSON.stringify(tg.industries), sizes: JSON.stringify(tg.sizes), locations: JSON.stringify(tg.locations), qualifications: JSON.stringify(tg.qualifications), subsidy_type: tg.subsidyType, window_start: tg.windowStart, window_end: tg.windowEnd, updated_by: 'demo', updated_at: new Date().toISOString() })
        .execute();
    }
  });
  if (expire) await transition(p, 'system', expire, 'expire', '已被新版清单替代').catch(() => {});
  await rate(p, 'SG-XZSP-001', { level: 'very-satisfied', comment: '网上申请，三天就拿到证了。' });
  await rate(p, 'SG-XZSP-001', { level: 'satisfied' });
  await rate(p, 'SG-WHLY-001', { level: 'dissatisfied', comment: '现场检查预约等了很久。', realName: true, name: '王先生', phone: '13800138000' });
  void setTags;
}
