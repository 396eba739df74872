// Demo data of the catalog: ≥ 300 realistic published items across the demo departments,
// topics, genres and years (some with attachments, 政策解读, changes, 失效/废止), the seed
// speech, and `gongkai demo --documents N` for load tests (reproducible from --seed).
import type { Platform } from '../../platform/platform.js';
import type { Db } from '../../platform/db/index.js';
import { publishApprovedMany, defaultMeta, type ApprovedItem } from '../../platform/publication/index.js';
import type { ItemMeta } from '../../platform/publication/registry.js';
import { storeFile } from '../../platform/files/index.js';
import { bumpGeneration } from '../../platform/publication/cache.js';
import { DOCUMENT, textToHtml, type DocumentData } from './items.js';
import { SEED_SPEECH } from './demo/seed-speech.js';
import { makeDocx, makePdf, makeXlsx } from './demo/samples.js';
import { clearDeptCache } from './service/queries.js';
import { seededRandom as prng } from '../../platform/random.js';


/** Per department: 文号 prefix and its subjects [subject, topic, Art. 20 category]. */
const DEPT_SUBJECTS: Record<string, { abbr: string; subjects: [string, string, string][] }> = {
  dzb: { abbr: '示范新区发', subjects: [['政务公开工作要点', '0203', 'a20-15'], ['优化营商环境三年行动', '0301', 'a20-03'], ['政务服务“一网通办”', '0202', 'a20-05'], ['重点工作督查', '0204', 'a20-15'], ['突发事件总体应急预案', '0201', 'a20-12'], ['行政规范性文件管理', '0207', 'a20-01']] },
  gkb: { abbr: '示范新区公开办发', subjects: [['政府信息公开年度报告编制', '0203', 'a20-15'], ['政务公开标准化规范化', '0203', 'a20-01'], ['政策解读工作', '0203', 'a20-15']] },
  fgj: { abbr: '示范新区发改发', subjects: [['国民经济和社会发展计划执行情况', '0301', 'a20-03'], ['重点建设项目', '0301', 'a20-10'], ['价格监测和成本调查', '0303', 'a20-08'], ['节能降耗目标责任', '0304', 'a20-03'], ['社会信用体系建设', '0302', 'a20-15']] },
  czj: { abbr: '示范新区财发', subjects: [['部门预算', '0401', 'a20-07'], ['部门决算', '0401', 'a20-07'], ['政府采购项目', '0401', 'a20-09'], ['行政事业性收费目录清单', '0401', 'a20-08'], ['惠企资金直达', '0401', 'a20-11']] },
  scjg: { abbr: '示范新区市监发', subjects: [['食品安全监督抽检', '0902', 'a20-13'], ['产品质量监督抽查', '0901', 'a20-13'], ['双随机一公开抽查计划', '0901', 'a20-06'], ['行政处罚裁量基准', '0901', 'a20-06'], ['个体工商户登记便利化', '0901', 'a20-05']] },
  'scjg-zljd': { abbr: '示范新区质监发', subjects: [['特种设备安全检查', '0903', 'a20-13'], ['计量器具监督检查', '0901', 'a20-13']] },
  xzsp: { abbr: '示范新区审批发', subjects: [['行政许可事项清单', '0202', 'a20-05'], ['工程建设项目审批制度改革', '1001', 'a20-05'], ['“一件事一次办”', '0202', 'a20-05']] },
  zwfw: { abbr: '示范新区政务服务发', subjects: [['政务服务中心窗口服务规范', '0202', 'a20-02'], ['好差评制度', '0202', 'a20-05']] },
  sqzx: { abbr: '示范新区诉求发', subjects: [['12345热线工单办理', '0205', 'a20-15'], ['市民诉求办理情况', '0205', 'a20-15']] },
  whly: { abbr: '示范新区文旅发', subjects: [['公共文化服务体系建设', '1201', 'a20-11'], ['旅游市场秩序整治', '0804', 'a20-13'], ['文物保护', '1204', 'a20-15']] },
  yjgl: { abbr: '示范新区应急发', subjects: [['防汛抗旱应急预案', '0201', 'a20-12'], ['安全生产专项整治', '0903', 'a20-13'], ['森林防火', '0201', 'a20-12'], ['自然灾害救助', '1703', 'a20-12']] },
  zjj: { abbr: '示范新区建发', subjects: [['老旧小区改造', '1001', 'a20-10'], ['保障性住房', '1001', 'a20-11'], ['建筑施工安全', '1001', 'a20-13'], ['物业管理', '1001', 'a21']] },
  jyj: { abbr: '示范新区教发', subjects: [['义务教育招生入学', '1102', 'a20-11'], ['学前教育发展', '1102', 'a20-11'], ['校外培训机构管理', '1102', 'a20-13']] },
  wjj: { abbr: '示范新区卫健发', subjects: [['基本公共卫生服务', '1301', 'a20-11'], ['家庭医生签约服务', '1301', 'a20-11'], ['医疗机构监督检查', '1301', 'a20-13']] },
  rsj: { abbr: '示范新区人社发', subjects: [['稳就业促就业', '1501', 'a20-11'], ['城乡居民基本养老保险', '1502', 'a20-11'], ['事业单位公开招聘', '1503', 'a20-14'], ['根治欠薪', '1501', 'a20-13']] },
  mzj: { abbr: '示范新区民发', subjects: [['最低生活保障', '1706', 'a20-11'], ['养老服务体系建设', '1706', 'a20-11'], ['社会组织登记管理', '1701', 'a20-05'], ['临时救助', '1706', 'a21']] },
  sthj: { abbr: '示范新区环发', subjects: [['大气污染防治', '1004', 'a20-13'], ['环境监测信息', '1004', 'a20-13'], ['建设项目环境影响评价', '1004', 'a20-05']] },
  jtj: { abbr: '示范新区交发', subjects: [['公交线网优化', '0702', 'a21'], ['道路运输安全', '0702', 'a20-13'], ['农村公路建设', '0702', 'a20-10']] },
  zrzy: { abbr: '示范新区自然资发', subjects: [['土地征收', '0501', 'a21'], ['国土空间规划', '1002', 'a20-03'], ['不动产登记便民', '0501', 'a20-05']] },
  sfj: { abbr: '示范新区司发', subjects: [['法治政府建设', '1603', 'a20-15'], ['行政执法“三项制度”', '1603', 'a20-06'], ['公共法律服务', '1603', 'a20-11']] },
  tjj: { abbr: '示范新区统发', subjects: [['国民经济主要指标', '0306', 'a20-04'], ['统计公报', '0306', 'a20-04']] },
  'jd-hb': { abbr: '海滨街发', subjects: [['社区网格化治理', '0208', 'a21'], ['辖区环境卫生整治', '1004', 'a21']] },
  'jd-xs': { abbr: '新胜街发', subjects: [['老年人关爱服务', '1706', 'a21'], ['社区议事协商', '0208', 'a21']] },
  'jd-gy': { abbr: '工业园街发', subjects: [['园区企业安全生产', '0903', 'a20-13'], ['园区企业服务', '0702', 'a21']] },
};

const TITLES: Record<string, (s: string, y: number) => string> = {
  通知: (s) => `关于印发《示范新区${s}实施方案》的通知`,
  意见: (s) => `关于进一步加强${s}工作的实施意见`,
  公告: (s, y) => `关于${y}年${s}有关事项的公告`,
  通告: (s) => `关于开展${s}工作的通告`,
  报告: (s, y) => `示范新区${y}年${s}工作情况报告`,
  办法: (s) => `示范新区${s}管理办法`,
  方案: (s, y) => `示范新区${y}年${s}工作方案`,
  决定: (s) => `关于${s}有关事项的决定`,
  通报: (s, y) => `关于${y}年${s}工作情况的通报`,
  规划: (s) => `示范新区${s}“十四五”规划`,
  批复: (s) => `关于${s}有关问题的批复`,
  函: (s) => `关于商请协助做好${s}工作的函`,
};
const GENRE_LIST = Object.keys(TITLES);

function body(subject: string, genre: string, dept: string, year: number, r: () => number): string {
  const goals = ['到年底前', '力争用两年时间', `到${year + 2}年`][Math.floor(r() * 3)];
  const pct = 80 + Math.floor(r() * 19);
  return [
    `各街道办事处，新区各部门、各直属单位：`,
    `为深入贯彻落实党中央、国务院关于${subject}的决策部署，按照省、市有关工作要求，结合新区实际，现就做好${subject}工作${genre === '通知' ? '通知如下' : '提出如下意见'}。`,
    `一、总体要求。坚持以人民为中心的发展思想，坚持问题导向和目标导向，${goals}，${subject}工作机制基本健全，群众满意度达到${pct}%以上，形成一批可复制、可推广的经验做法。`,
    `二、主要任务。（一）健全工作机制。${dept}牵头，各相关部门按照职责分工密切配合，建立定期会商、信息共享和工作台账制度。（二）强化服务保障。优化办理流程，压缩办理时限，推行“一次告知、一表申请、一窗受理”。（三）加强信息公开。通过新区政府门户网站及时公开${subject}的政策文件、办理结果和监督检查情况，主动接受社会监督。`,
    `三、保障措施。各单位要加强组织领导，明确责任人和时间节点，将${subject}工作纳入年度绩效考核。新区党政办公室会同有关部门适时开展督查，对工作推进不力的单位予以通报。`,
    `本${genre === '意见' ? '意见' : genre === '办法' ? '办法' : '文件'}自印发之日起施行。执行中遇到的问题，请及时向${dept}反映。联系电话：0411-1234${String(5000 + Math.floor(r() * 999))}。`,
  ].join('\n');
}

interface GenOpts {
  deptIds: Map<string, number>;
  depts: { code: string; name: string }[];
  today: Date;
}

/** A demo item: complete metadata and a publication date (the spine's ApprovedItem leaves both optional). */
type DemoItem = ApprovedItem & { meta: ItemMeta; publishedAt: Date };

/** One synthetic document (deterministic for a given random source). */
function synth(r: () => number, serials: Map<string, number>, o: GenOpts, yearFrom: number, yearTo: number): DemoItem {
  const d = o.depts[Math.floor(r() * o.depts.length)];
  const spec = DEPT_SUBJECTS[d.code] ?? DEPT_SUBJECTS.dzb;
  const [subject, topic, category] = spec.subjects[Math.floor(r() * spec.subjects.length)];
  const genre = GENRE_LIST[Math.floor(r() * GENRE_LIST.length)];
  const year = yearFrom + Math.floor(r() * (yearTo - yearFrom + 1));
  const key = `${spec.abbr}|${year}`;
  const serial = (serials.get(key) ?? 0) + 1 + Math.floor(r() * 3);
  serials.set(key, serial);
  const maxDay = year === o.today.getUTCFullYear() ? Math.max(1, Math.floor((o.today.getTime() - Date.UTC(year, 0, 1)) / 86400000) - 12) : 350;
  const written = new Date(Date.UTC(year, 0, 1) + Math.floor(r() * maxDay) * 86400000);
  const published = new Date(written.getTime() + (1 + Math.floor(r() * 9)) * 86400000 + Math.floor(r() * 8 * 3600000) + 3600000);
  const writtenAt = written.toISOString().slice(0, 10);
  const title = TITLES[genre](subject, year);
  const expires = genre === '办法' || genre === '方案' ? `${year + 2 + Math.floor(r() * 3)}-12-31` : null;
  const meta: ItemMeta = defaultMeta({
    title,
    docNo: `${spec.abbr}〔${year}〕${serial}号`,
    topic,
    genre,
    category,
    writtenAt,
    effectiveAt: expires ? writtenAt : null,
    expiresAt: expires,
    keywords: [subject.replace(/[“”《》]/g, ''), d.name],
    summary: `${d.name}${genre === '报告' ? '报告' : '部署'}${subject}相关工作，明确总体要求、主要任务和保障措施。`,
    formedAt: writtenAt,
  });
  const data: DocumentData = { body: textToHtml(body(subject, genre, d.name, year, r)), attachments: [], related: [] };
  return { type: DOCUMENT, departmentId: o.deptIds.get(d.code)!, meta, data, publishedAt: published };
}

async function context(db: Db): Promise<GenOpts> {
  const rows = await db.selectFrom('departments').select(['id', 'code', 'name']).where('active', '=', 1).orderBy('sort').execute();
  return { deptIds: new Map(rows.map((d) => [d.code, d.id])), depts: rows.map((d) => ({ code: d.code, name: d.name })), today: new Date() };
}

export async function loadDemoCatalog(p: Platform): Promise<void> {
  clearDeptCache();
  const o = await context(p.db);
  if (!o.depts.length) return;
  const r = prng(20260101);
  const serials = new Map<string, number>();
  const nowYear = o.today.getUTCFullYear();
  // Attachments: real small files (text extracted for search).
  const files = [
    { name: '附件1：工作任务分解表.xlsx', buf: makeXlsx([['序号', '任务', '责任单位', '完成时限'], ['1', '健全工作机制', '党政办公室', '6月底'], ['2', '强化服务保障', '行政审批局', '9月底'], ['3', '加强信息公开', '政务公开办公室', '12月底']]) },
    { name: '附件2：申请表（样表）.docx', buf: makeDocx(['示范新区政务服务事项申请表', '申请人：＿＿＿＿  联系电话：＿＿＿＿', '申请事项：＿＿＿＿＿＿＿＿', '受理单位：示范新区行政审批局']) },
    { name: 'Annex 3 - Budget summary.pdf', buf: makePdf(['Shifan New Area budget summary', 'General public budget revenue: 1,234.5 million yuan', 'Expenditure on education, health and social security up 6.2%']) },
    { name: '附件4：政策图解.png', buf: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex') },
  ];
  const stored: { hash: string; size: number; mime: string; name: string }[] = [];
  for (const f of files) stored.push({ ...(await storeFile(p, f.buf, f.name)), name: f.name });

  const items: DemoItem[] = [];
  for (let i = 0; i < 300; i++) items.push(synth(r, serials, o, nowYear - 6, nowYear));
  // Some attachments, some changes (a second version), some 失效/废止.
  items.forEach((it, i) => {
    const d = it.data as DocumentData;
    if (i % 9 === 0) d.attachments = [stored[i % 3]].map((s) => ({ hash: s.hash, name: s.name, size: s.size, mime: s.mime }));
    if (i % 37 === 0) d.attachments.push({ hash: stored[3].hash, name: stored[3].name, size: stored[3].size, mime: stored[3].mime });
    if (i % 23 === 0) d.related = [];
    if (i % 17 === 0) {
      it.history = [{ meta: { ...it.meta, title: it.meta.title.replace('示范新区', '示范区') }, data: { ...d, body: d.body.replace('一、总体要求', '一、总体目标') }, changeNote: '', publishedAt: it.publishedAt }];
      it.publishedAt = new Date(it.publishedAt.getTime() + 3 * 86400000);
      it.changeNote = '更正标题中的文字错误';
    }
    if (i % 29 === 5) it.validity = 'repealed';
  });
  // The seed speech (a 讲话 published by the 党政办).
  const speechDate = SEED_SPEECH.date;
  items.push({
    type: DOCUMENT,
    departmentId: o.deptIds.get('dzb') ?? o.deptIds.values().next().value!,
    meta: defaultMeta({
      title: SEED_SPEECH.title,
      docNo: '',
      topic: '0203',
      genre: '其他',
      category: 'a20-15',
      writtenAt: speechDate,
      keywords: ['政务公开', '政务公开日', '阳光透明'],
      summary: `${SEED_SPEECH.author.replace(/\s+/g, ' ')}在全省第十个政务公开日之际的讲话。`,
      formedAt: speechDate,
    }),
    data: { body: `<p><strong>${SEED_SPEECH.author.replace(/\s+/g, ' ')}</strong></p>\n` + textToHtml(SEED_SPEECH.paragraphs.join('\n')), attachments: [], related: [] },
    publishedAt: new Date(`${speechDate}T02:00:00Z`),
  });

  await p.tx(async (t) => {
    const ids = await publishApprovedMany(p, t, 'demo', items, { audit: 'summary', deliver: false }); // demo history: no channel delivery
    // Related items: neighbours of the same department.
    for (let i = 0; i < ids.length - 1; i += 23) await t.insertInto('pub_links').values({ from_id: ids[i], to_id: ids[i + 1], kind: 'related' }).onConflict((oc) => oc.doNothing()).execute();
    // 政策解读 for some policies: text, 图解, video and Q&A forms, linked both ways.
    const forms = ['text', 'graphic', 'video', 'qa'] as const;
    const interp: DemoItem[] = [];
    for (let k = 0; k < 24; k++) {
      const idx = k * 12 + 1;
      const pol = items[idx];
      const form = forms[k % 4];
      const policyTitle = pol.meta.title;
      const data: DocumentData = {
        body: textToHtml(`一、出台背景\n为贯彻落实上级部署，回应群众关切，${policyTitle.replace(/^关于/, '')}正式印发。\n二、主要内容\n文件明确了总体要求、主要任务和保障措施，重点解决群众办事难、办事慢等问题。\n三、适用范围\n适用于新区行政区域内的相关单位和个人。`),
        attachments: form === 'graphic' ? [{ hash: stored[3].hash, name: stored[3].name, size: stored[3].size, mime: stored[3].mime }] : [],
        related: [],
        interpretation: {
          form,
          of: [ids[idx]],
          ...(form === 'video' ? { videoUrl: 'https://www.example.gov.cn/video/policy-briefing.mp4' } : {}),
          ...(form === 'qa' ? { qa: [{ q: '文件适用于哪些对象？', a: '适用于新区行政区域内的相关单位和个人。' }, { q: '从何时开始施行？', a: '自印发之日起施行。' }] } : {}),
        },
      };
      interp.push({
        type: DOCUMENT,
        departmentId: pol.departmentId,
        meta: defaultMeta({ ...pol.meta, title: `${form === 'graphic' ? '图解：' : form === 'video' ? '视频解读：' : form === 'qa' ? '问答：' : ''}《${policyTitle.replace(/^关于印发《(.*)》的通知$/, '$1')}》政策解读`, docNo: '', genre: '解读', effectiveAt: null, expiresAt: null }),
        data,
        publishedAt: new Date(pol.publishedAt.getTime() + 3600000),
      });
    }
    await publishApprovedMany(p, t, 'demo', interp, { audit: 'summary', deliver: false });
  });
  bumpGeneration();
}

/** `gongkai demo --documents N [--seed S]`: N further synthetic published items, in batches. */
export async function demoDocuments(p: Platform, n: number, seed = 42): Promise<number> {
  clearDeptCache();
  const o = await context(p.db);
  if (!o.depts.length) throw new Error('load the demo district first (gongkai demo)');
  const r = prng(seed);
  const serials = new Map<string, number>();
  const nowYear = o.today.getUTCFullYear();
  let done = 0;
  const BATCH = 5000;
  while (done < n) {
    const k = Math.min(BATCH, n - done);
    const batch: DemoItem[] = [];
    for (let i = 0; i < k; i++) {
      // serials continue after the demo's own documents (1000+), so 文号 stay distinct
      const it = synth(r, serials, o, nowYear - 10, nowYear);
      it.meta.docNo = it.meta.docNo.replace(/〕(\d+)号$/, (_, n) => `〕${1000 + Number(n)}号`);
      batch.push(it);
    }
    await p.tx((t) => publishApprovedMany(p, t, 'cli', batch, { audit: 'summary', links: false, deliver: false }));
    done += k;
  }
  bumpGeneration();
  return done;
}
