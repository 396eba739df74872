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
import { pickWith, seededRandom as prng } from '../../platform/random.js';
import { COMMON_KINDS, VOCAB, type DeptVocab, type DocContext, type Kind } from './demo/vocab.js';
import { KINDS, tidyTitle, type Drafted } from './demo/kinds.js';


/** The kinds a department publishes, with weights: the common ones and its own. */
function kindsOf(v: DeptVocab): [Kind, number][] {
  const w = { ...COMMON_KINDS };
  for (const [k, n] of Object.entries(v.kinds) as [Kind, number][]) w[k] = (w[k] ?? 0) + n;
  return Object.entries(w) as [Kind, number][];
}

function weighted<T>(r: () => number, xs: [T, number][]): T {
  let x = r() * xs.reduce((a, [, n]) => a + n, 0);
  for (const [v, n] of xs) if ((x -= n) < 0) return v;
  return xs[xs.length - 1][0];
}

interface GenOpts {
  deptIds: Map<string, number>;
  depts: { code: string; name: string }[];
  today: Date;
}

/** A demo item: complete metadata and a publication date (the spine's ApprovedItem leaves both optional). */
type DemoItem = ApprovedItem & { meta: ItemMeta; publishedAt: Date; attachment?: Drafted['attachment']; subject?: string };

/**
 * One synthetic document (deterministic for a given random source): a department, one of the kinds
 * it publishes, a subject and a date. With `seen`, titles already used are drawn again.
 */
function synth(r: () => number, serials: Map<string, number>, o: GenOpts, yearFrom: number, yearTo: number, seen: Set<string> | null, force?: { code: string; kind: Kind }): DemoItem {
  const nowYear = o.today.getUTCFullYear();
  let pickd: { d: { code: string; name: string }; v: DeptVocab; kind: Kind; subject: [string, string, string]; year: number; written: Date; drafted: Drafted; title: string } | null = null;
  for (let attempt = 0; attempt < 8 && (!pickd || seen?.has(pickd.title)); attempt++) {
    const d = (force && o.depts.find((x) => x.code === force.code)) || pickWith(r, o.depts);
    const v = VOCAB[d.code] ?? VOCAB.dzb;
    const kind = force?.kind ?? weighted(r, kindsOf(v));
    const subject = pickWith(r, v.subjects);
    const year = yearFrom + Math.floor(r() * (yearTo - yearFrom + 1));
    // Annual reports come out in the first weeks of the year; the rest any time up to ~two weeks ago.
    const maxDay = year === nowYear ? Math.max(1, Math.floor((o.today.getTime() - Date.UTC(year, 0, 1)) / 86400000) - 12) : 350;
    const written = new Date(Date.UTC(year, 0, 1) + Math.floor(r() * maxDay) * 86400000);
    const area = d.code.startsWith('jd-') ? d.name.replace(/办事处$/, '') : '示范新区';
    const ctx: DocContext = { r, code: d.code, dept: d.name, org: `示范新区${d.name}`, area, v, subject: subject[0], topic: subject[1], category: subject[2], year, date: written.toISOString().slice(0, 10) };
    const drafted = KINDS[kind](ctx);
    pickd = { d, v, kind, subject, year, written, drafted, title: tidyTitle(drafted.title) };
  }
  const { d, v, subject, year, written, drafted, title } = pickd!;
  seen?.add(title);
  let docNo = '';
  if (drafted.numbered) {
    const key = `${v.abbr}|${year}`;
    const serial = (serials.get(key) ?? 0) + 1 + Math.floor(r() * 3);
    serials.set(key, serial);
    docNo = `${v.abbr}〔${year}〕${serial}号`;
  }
  const maxPublish = o.today.getTime() - 86400000;
  const published = new Date(Math.min(maxPublish, written.getTime() + (1 + Math.floor(r() * 9)) * 86400000 + Math.floor(r() * 8 * 3600000) + 3600000));
  const writtenAt = written.toISOString().slice(0, 10);
  const expires = drafted.validYears ? `${year + drafted.validYears}-12-31` : null;
  const meta: ItemMeta = defaultMeta({
    title,
    docNo,
    topic: drafted.topic ?? subject[1],
    genre: drafted.genre,
    category: drafted.category ?? subject[2],
    writtenAt,
    effectiveAt: expires ? writtenAt : null,
    expiresAt: expires,
    keywords: [subject[0].replace(/[“”《》]/g, ''), d.name],
    summary: drafted.summary,
    formedAt: writtenAt,
  });
  const data: DocumentData = { body: textToHtml(drafted.body), attachments: [], related: [] };
  return { type: DOCUMENT, departmentId: o.deptIds.get(d.code)!, meta, data, publishedAt: published, attachment: drafted.attachment, subject: subject[0] };
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
  // Attachments: real small files (text extracted for search), one per kind of attachment; each
  // document names its copy after itself.
  const samples = {
    tasks: { ext: 'xlsx', buf: makeXlsx([['序号', '任务', '责任单位', '完成时限'], ['1', '健全工作机制', '党政办公室', '6月底'], ['2', '强化服务保障', '行政审批局', '9月底'], ['3', '加强信息公开', '政务公开办公室', '12月底']]) },
    form: { ext: 'docx', buf: makeDocx(['工作情况统计表', '填报单位：＿＿＿＿  联系人：＿＿＿＿  联系电话：＿＿＿＿', '一、工作开展情况', '二、存在的问题', '三、下一步打算']) },
    budget: { ext: 'pdf', buf: makePdf(['Shifan New Area department budget tables', 'Table 1 Revenue and expenditure overview', 'Table 2 General public budget expenditure', 'Table 3 "Three public" expenses']) },
    tender: { ext: 'docx', buf: makeDocx(['招标文件', '第一章 投标邀请', '第二章 投标人须知', '第三章 采购需求', '第四章 评标办法', '第五章 合同条款及格式', '第六章 投标文件格式']) },
    list: { ext: 'xlsx', buf: makeXlsx([['序号', '名称', '所在街道', '备注'], ['1', '海滨片区', '海滨街道', ''], ['2', '新胜片区', '新胜街道', ''], ['3', '工业园片区', '工业园街道', '']]) },
  } as const;
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
  const stored = new Map<string, { hash: string; size: number; mime: string }>();
  for (const [k, f] of Object.entries(samples)) stored.set(k, await storeFile(p, f.buf, `sample.${f.ext}`));
  const graphic = { ...(await storeFile(p, png, '政策图解.png')), name: '附件：政策图解.png' };
  const attachmentName: Record<string, (it: DemoItem) => string> = {
    tasks: (it) => `附件：${it.subject}重点任务分解表.xlsx`,
    form: (it) => `附件：${it.subject}工作情况统计表.docx`,
    budget: (it) => `附件：${it.meta.title.replace(/公开说明$/, '')}公开表.pdf`,
    tender: (it) => `${it.meta.title.replace(/公告（\d+）$/, '')}招标文件.docx`,
    list: (it) => `附件：${it.meta.title.replace(/^关于|的公告$|公告$/g, '')}名单.xlsx`,
  };

  const seen = new Set<string>();
  const items: DemoItem[] = [];
  // Each department's own kinds once (so every department shows what it typically publishes), then
  // the rest drawn by weight.
  for (const d of o.depts) for (const kind of Object.keys(VOCAB[d.code]?.kinds ?? {}) as Kind[]) items.push(synth(r, serials, o, nowYear - 6, nowYear, seen, { code: d.code, kind }));
  while (items.length < 300) items.push(synth(r, serials, o, nowYear - 6, nowYear, seen));
  items.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  // Attachments where the kind has them, some changes (a second version), some 废止.
  items.forEach((it, i) => {
    const d = it.data as DocumentData;
    if (it.attachment) d.attachments = [{ ...stored.get(it.attachment)!, name: attachmentName[it.attachment](it) }];
    if (i % 37 === 0) d.attachments.push(graphic);
    if (i % 17 === 0) {
      const firstTitle = it.meta.title.includes('示范新区') ? it.meta.title.replace('示范新区', '示范区') : `${it.meta.title}（初稿）`;
      it.history = [{ meta: { ...it.meta, title: firstTitle }, data: { ...d, body: d.body + '<p>（本版本有文字错误，已更正）</p>' }, changeNote: '', publishedAt: it.publishedAt }];
      it.publishedAt = new Date(Math.min(o.today.getTime(), it.publishedAt.getTime() + 3 * 86400000));
      it.changeNote = '更正标题中的文字错误';
    }
    if (i % 29 === 5 || (i % 31 === 7 && it.meta.expiresAt)) it.validity = 'repealed';
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
    const policies = items.map((it, i) => [it, i] as const).filter(([it]) => ['办法', '细则', '意见'].includes(it.meta.genre ?? '') || it.meta.title.startsWith('关于印发'));
    for (let k = 0; k < Math.min(24, policies.length); k++) {
      const [pol, idx] = policies[Math.floor((k * policies.length) / Math.min(24, policies.length))];
      const form = forms[k % 4];
      const policyTitle = pol.meta.title;
      const data: DocumentData = {
        body: textToHtml(`一、出台背景\n为贯彻落实上级部署，回应群众关切，${policyTitle.replace(/^关于/, '')}正式印发。\n二、主要内容\n${pol.meta.summary ?? ''}\n三、适用范围\n适用于新区行政区域内的相关单位和个人。`),
        attachments: form === 'graphic' ? [graphic] : [],
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
      const it = synth(r, serials, o, nowYear - 10, nowYear, null);
      it.meta.docNo = it.meta.docNo.replace(/〕(\d+)号$/, (_, n) => `〕${1000 + Number(n)}号`);
      batch.push(it);
    }
    await p.tx((t) => publishApprovedMany(p, t, 'cli', batch, { audit: 'summary', links: false, deliver: false }));
    done += k;
  }
  bumpGeneration();
  return done;
}
