// Imports of the registers: a job over the stored file; every row checked first and nothing
// written when one fails (the report names row and field); GB18030 CSV and XLSX; the progress
// (`done` of `total`) moving chunk by chunk; an import that would overwrite existing entries waits
// for a confirmation; inspectors land in departments the uploader may keep, and no other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { csrfFrom, login, makeEnv, type TestEnv } from '../helpers.js';
import { demoOrg } from '../fixtures/org.js';
import { withUsccCheck } from '../../src/modules/enforcement/service/uscc.js';
import { toXlsx } from '../../src/modules/lists/service/engine.js';
import { toCsv } from '../../src/platform/files/csv.js';
import { CHUNK } from '../../src/modules/enforcement/service/imports.js';

let env: TestEnv;

beforeAll(async () => {
  env = await makeEnv({ demo: false });
  await demoOrg(env.p, { users: ['scjg-editor', 'fgj-editor', 'scjg-approver'] });
}, 120_000);
afterAll(async () => env?.close());

function multipart(name: string, buf: Buffer, fields: Record<string, string> = {}) {
  const b = '----gk' + Math.random().toString(36).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), buf, Buffer.from(`\r\n--${b}--\r\n`));
  return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

async function upload(as: string, name: string, buf: Buffer, fields: Record<string, string>) {
  const m = multipart(name, buf, fields);
  return env.app.inject({ method: 'POST', url: '/api/v1/registers/imports', payload: m.payload, headers: { 'content-type': m.type, authorization: `Bearer ${await env.token(as)}` } });
}

const status = async (id: number, as = 'scjg-editor') => (await env.api('GET', `/api/v1/registers/imports/${id}`, { as })).json();
const count = async () => Number((await env.p.db.selectFrom('enf_entities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** The i-th demo code: 91 (企业), 大连 金州 (210213), a serial. */
const code = (i: number) => withUsccCheck(`91210213MA${String(i).padStart(7, '0')}`);
const HEAD = ['统一社会信用代码', '名称', '住所', '法定代表人', '行业', '风险等级', '区域'];
const row = (i: number, over: Partial<Record<string, string>> = {}) => [over.code ?? code(i), over.name ?? `海滨第${i}食品店`, over.address ?? `海滨路${i}号`, '刘经营', over.industry ?? 'F5223', over.risk ?? '低', over.area ?? '海滨街道'];

describe('entities', () => {
  it('imports a UTF-8 CSV as a job: 202 with the id, then done with the counts', async () => {
    const csv = Buffer.from(toCsv([HEAD, row(1), row(2), row(3)]));
    const r = await upload('scjg-editor', 'entities.csv', csv, { kind: 'entities' });
    expect(r.statusCode, r.body).toBe(202);
    expect(r.json()).toMatchObject({ kind: 'entities', status: 'queued', department: 'scjg', fileName: 'entities.csv' });
    expect(await count()).toBe(0);
    await env.drain();
    const s = await status(r.json().id);
    expect(s).toMatchObject({ status: 'done', total: 3, done: 3, report: { format: 'csv', encoding: 'UTF-8 (BOM)', rows: 3, created: 3, updated: 0, unchanged: 0, problemCount: 0 } });
    expect(await count()).toBe(3);
    const e = await env.p.db.selectFrom('enf_entities').selectAll().where('credit_code', '=', code(2)).executeTakeFirstOrThrow();
    expect(e).toMatchObject({ name: '海滨第2食品店', industry: 'F5223', risk: 'low', area: '海滨街道', active: 1 });
    const audit = await env.p.db.selectFrom('audit_events').select('details').where('action', '=', 'enforcement.import.entities').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ rows: 3, created: 3, department: 'scjg' });
  });

  it('writes nothing when any row fails; the report names every row and field', async () => {
    const rows = [
      HEAD,
      row(10),
      row(11, { code: code(11).slice(0, 17) + (code(11)[17] === '0' ? '1' : '0') }),
      row(12, { name: '' }),
      row(10, { name: '重复的一行' }),
      row(13, { industry: 'Q99', risk: '极高' }),
    ];
    const r = await upload('scjg-editor', '名录.csv', Buffer.from(toCsv(rows)), { kind: 'entities' });
    await env.drain();
    const s = await status(r.json().id);
    expect(s.status).toBe('failed');
    expect(s.report.problemCount).toBe(5);
    const problems = s.report.problems.map((x: { row: number; field: string }) => `${x.row}:${x.field}`);
    expect(problems).toEqual(['3:creditCode', '4:name', '5:creditCode', '6:industry', '6:risk']);
    expect(s.report.problems[0].message).toContain(`第18位应为“${code(11)[17]}”`);
    expect(s.report.problems[2].message).toContain('与第2行重复');
    expect(await count()).toBe(3);
    // The console shows the same report; the CSV report holds it too.
    const sess = await login(env.app, 'scjg-editor');
    const page = await env.app.inject({ url: `/admin/enforcement/imports/${s.id}`, headers: { cookie: sess.cookie } });
    expect(page.body).toContain('未写入任何数据');
    expect(page.body).toContain('统一社会信用代码');
    const csv = await env.app.inject({ url: `/admin/enforcement/imports/${s.id}/report.csv`, headers: { cookie: sess.cookie } });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(6);
  });

  it('reads a GB18030 CSV as Chinese Excel saves it', async () => {
    const text = [HEAD, row(20, { name: '新胜镇巴蜀麻辣烫馆' }), row(21, { area: '新胜街道', risk: '高风险' })].map((r) => r.join(',')).join('\r\n');
    const r = await upload('scjg-editor', '市场主体.csv', iconv.encode(text, 'gb18030'), { kind: 'entities' });
    await env.drain();
    const s = await status(r.json().id);
    expect(s).toMatchObject({ status: 'done', report: { encoding: 'GB18030', created: 2 } });
    expect((await env.p.db.selectFrom('enf_entities').select(['name']).where('credit_code', '=', code(20)).executeTakeFirstOrThrow()).name).toBe('新胜镇巴蜀麻辣烫馆');
    expect((await env.p.db.selectFrom('enf_entities').select(['area', 'risk']).where('credit_code', '=', code(21)).executeTakeFirstOrThrow())).toEqual({ area: '新胜街道', risk: 'high' });
  });

  it('reads an XLSX with English headers and columns in another order; unknown columns are left out and said so', async () => {
    const x = toXlsx([
      ['name', 'credit code', 'industry', 'risk', 'area', 'address', 'registered capital'],
      ['Harbour Coffee', code(30), 'H6232 咖啡馆服务', 'medium', '海滨街道', '海滨路30号', '100万'],
    ]);
    const r = await upload('scjg-editor', 'entities.xlsx', x, { kind: 'entities' });
    await env.drain();
    const s = await status(r.json().id);
    expect(s).toMatchObject({ status: 'done', report: { format: 'xlsx', created: 1, ignored: ['registered capital'] } });
    expect(await env.p.db.selectFrom('enf_entities').select(['name', 'industry', 'legal_rep']).where('credit_code', '=', code(30)).executeTakeFirstOrThrow()).toEqual({ name: 'Harbour Coffee', industry: 'H6232', legal_rep: '' });
  });

  it('an import that would overwrite existing entries waits for a confirmation, then writes', async () => {
    const csv = Buffer.from(toCsv([HEAD, row(1, { name: '海滨第1食品店（更名）' }), row(2), row(40)]));
    const r = await upload('fgj-editor', 'again.csv', csv, { kind: 'entities' });
    await env.drain();
    const s = await status(r.json().id, 'fgj-editor');
    expect(s).toMatchObject({ status: 'checked', total: 3, done: 0, report: { created: 1, updated: 1, unchanged: 1 } });
    expect((await env.p.db.selectFrom('enf_entities').select('name').where('credit_code', '=', code(1)).executeTakeFirstOrThrow()).name).toBe('海滨第1食品店');
    expect(await env.p.db.selectFrom('enf_entities').select('id').where('credit_code', '=', code(40)).executeTakeFirst()).toBeUndefined();
    // Another department's editor neither sees nor confirms it… (the uploader's department is fgj)
    expect((await env.api('POST', `/api/v1/registers/imports/${s.id}/confirm`, { as: 'scjg-editor' })).statusCode).toBe(404);
    const ok = await env.api('POST', `/api/v1/registers/imports/${s.id}/confirm`, { as: 'fgj-editor' });
    expect(ok.statusCode, ok.body).toBe(202);
    expect((await env.api('POST', `/api/v1/registers/imports/${s.id}/confirm`, { as: 'fgj-editor' })).statusCode).toBe(409);
    await env.drain();
    expect(await status(s.id, 'fgj-editor')).toMatchObject({ status: 'done', done: 3, report: { created: 1, updated: 1, unchanged: 1 } });
    // The changed entry now names fgj as its last writer; the unchanged one keeps scjg.
    const dept = async (c: string) => (await env.p.db.selectFrom('enf_entities as e').innerJoin('departments as d', 'd.id', 'e.department_id').select('d.code').where('e.credit_code', '=', c).executeTakeFirstOrThrow()).code;
    expect(await dept(code(1))).toBe('fgj');
    expect(await dept(code(2))).toBe('scjg');
    // With `confirm` at upload there is no stop.
    const direct = await upload('scjg-editor', 'again2.csv', Buffer.from(toCsv([HEAD, row(1, { name: '海滨第1食品店' })])), { kind: 'entities', confirm: '1' });
    await env.drain();
    expect(await status(direct.json().id)).toMatchObject({ status: 'done', report: { updated: 1 } });
  });

  it('keeps a status column when given: 注销 takes an entity out of the pool', async () => {
    const r = await upload('scjg-editor', 'status.csv', Buffer.from(toCsv([[...HEAD, '登记状态'], [...row(3), '注销'], [...row(41), '存续']])), { kind: 'entities', confirm: 'true' });
    await env.drain();
    expect((await status(r.json().id)).status).toBe('done');
    expect((await env.p.db.selectFrom('enf_entities').select('active').where('credit_code', '=', code(3)).executeTakeFirstOrThrow()).active).toBe(0);
    // A file without the column leaves it as it is.
    await upload('scjg-editor', 'nostatus.csv', Buffer.from(toCsv([HEAD, row(3, { name: '改名但仍注销' })])), { kind: 'entities', confirm: '1' });
    await env.drain();
    expect(await env.p.db.selectFrom('enf_entities').select(['active', 'name']).where('credit_code', '=', code(3)).executeTakeFirstOrThrow()).toEqual({ active: 0, name: '改名但仍注销' });
  });

  it('updates the progress chunk by chunk', async () => {
    const n = CHUNK * 2 + 500;
    const rows = [HEAD, ...Array.from({ length: n }, (_, i) => row(1000 + i))];
    const r = await upload('scjg-editor', 'big.csv', Buffer.from(toCsv(rows)), { kind: 'entities' });
    const id = r.json().id;
    const seen: number[] = [];
    const tx = env.p.tx;
    env.p.tx = async (fn) => {
      const out = await tx.call(env.p, fn);
      seen.push((await env.p.db.selectFrom('enf_imports').select('done').where('id', '=', id).executeTakeFirstOrThrow()).done);
      return out as never;
    };
    try {
      await env.drain();
    } finally {
      env.p.tx = tx;
    }
    expect(seen.filter((d) => d > 0 && d < n)).toEqual([CHUNK, CHUNK * 2]);
    expect(await status(id)).toMatchObject({ status: 'done', total: n, done: n, report: { created: n } });
  });

  it('refuses what is no table, and a broken CSV fails with the line', async () => {
    const pdf = await upload('scjg-editor', 'x.pdf', Buffer.from('%PDF-1.4 …'), { kind: 'entities' });
    expect(pdf.statusCode).toBe(415);
    const noKind = await upload('scjg-editor', 'x.csv', Buffer.from('a,b\n'), { kind: 'cars' });
    expect(noKind.statusCode).toBe(400);
    expect(noKind.json().error.fields.kind).toBeTruthy();
    const broken = await upload('scjg-editor', 'broken.csv', Buffer.from(`${HEAD.join(',')}\n${code(50)},"未闭合的引号,地址,人,F5223,低,海滨街道\n`), { kind: 'entities' });
    await env.drain();
    expect(await status(broken.json().id)).toMatchObject({ status: 'failed', report: { problems: [{ row: 2, field: 'file' }] } });
    const missing = await upload('scjg-editor', 'missing.csv', Buffer.from(toCsv([['名称', '住所'], ['某公司', '某地']])), { kind: 'entities' });
    await env.drain();
    const m = await status(missing.json().id);
    expect(m.status).toBe('failed');
    expect(m.report.problems.map((x: { field: string }) => x.field)).toEqual(['creditCode', 'industry', 'risk', 'area']);
    expect(m.report.problems[0].message).toBe('缺少“统一社会信用代码”列。');
    // A reader without the right to keep registers may not import; a department not one's own is refused.
    expect((await upload('scjg-approver', 'x.csv', Buffer.from(toCsv([HEAD, row(60)])), { kind: 'entities' })).statusCode).toBe(403);
    expect((await upload('fgj-editor', 'x.csv', Buffer.from(toCsv([HEAD, row(60)])), { kind: 'entities', department: 'scjg' })).statusCode).toBe(403);
  });

  it('offers the template: a CSV with the header row', async () => {
    const r = await env.api('GET', '/api/v1/registers/templates/entities.csv', { as: 'scjg-editor' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('\ufeff统一社会信用代码,名称,住所,法定代表人,行业,风险等级,区域,状态\r\n');
    // The template imports back (no rows: refused as empty, naming the file).
    const back = await upload('scjg-editor', 'template.csv', Buffer.from(r.body), { kind: 'entities' });
    await env.drain();
    expect(await status(back.json().id)).toMatchObject({ status: 'failed', report: { problems: [{ field: 'file', message: '文件没有数据行。' }] } });
  });
});

describe('inspectors', () => {
  const IHEAD = ['执法证号', '姓名', '部门', '执法领域', '联系电话'];

  it('imports inspectors into the uploader’s departments; another department’s row is refused and nothing is written', async () => {
    const bad = await upload('fgj-editor', 'inspectors.csv', Buffer.from(toCsv([IHEAD, ['FG-0001', '赵发改', 'fgj', '市场监管、价格', ''], ['SC-0001', '钱市监', 'scjg', 'market', '']])), { kind: 'inspectors' });
    await env.drain();
    const s = await status(bad.json().id, 'fgj-editor');
    expect(s.status).toBe('failed');
    expect(s.report.problems.map((x: { row: number; field: string }) => `${x.row}:${x.field}`)).toEqual(['2:fields', '3:department']);
    expect(await env.p.db.selectFrom('enf_inspectors').select('id').execute()).toHaveLength(0);

    const ok = await upload('scjg-editor', 'inspectors.csv', Buffer.from(toCsv([IHEAD, ['sc-0001', '钱市监', '', '市场监管、食品安全', '0411-87654321'], ['SC-0002', '孙质检', '市场监督管理局', 'quality; ip', '']])), { kind: 'inspectors' });
    await env.drain();
    expect(await status(ok.json().id)).toMatchObject({ status: 'done', report: { created: 2 } });
    const rows = await env.p.db.selectFrom('enf_inspectors').select(['cert_no', 'fields', 'phone']).orderBy('cert_no').execute();
    expect(rows).toEqual([
      { cert_no: 'SC-0001', fields: '["market","food"]', phone: '0411-87654321' },
      { cert_no: 'SC-0002', fields: '["quality","ip"]', phone: '' },
    ]);
    // Public: no phone.
    const pub = await env.api('GET', '/api/v1/inspectors');
    expect(pub.json().total).toBe(2);
    expect(pub.body).not.toContain('87654321');
  });

  it('an editor of another department cannot take over this department’s inspector by importing its cert number', async () => {
    const r = await upload('fgj-editor', 'take.csv', Buffer.from(toCsv([IHEAD, ['SC-0001', '钱市监', 'fgj', 'market', '']])), { kind: 'inspectors', confirm: '1' });
    await env.drain();
    const s = await status(r.json().id, 'fgj-editor');
    expect(s.status).toBe('failed');
    expect(s.report.problems[0]).toMatchObject({ row: 2, field: 'certNo' });
    expect(s.report.problems[0].message).toContain('市场监督管理局');
    const dept = await env.p.db.selectFrom('enf_inspectors as i').innerJoin('departments as d', 'd.id', 'i.department_id').select('d.code').where('i.cert_no', '=', 'SC-0001').executeTakeFirstOrThrow();
    expect(dept.code).toBe('scjg');
  });
});

describe('console', () => {
  it('uploads through the form; the progress page refreshes itself while the job runs, then shows the counts', async () => {
    const s = await login(env.app, 'scjg-editor');
    const page = await env.app.inject({ url: '/admin/enforcement/imports', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/api/v1/registers/templates/entities.csv');
    const m = multipart('console.csv', Buffer.from(toCsv([HEAD, row(70)])), { _csrf: csrfFrom(page.body), kind: 'entities', department: 'scjg' });
    const post = await env.app.inject({ method: 'POST', url: '/admin/enforcement/imports', payload: m.payload, headers: { cookie: s.cookie, 'content-type': m.type } });
    expect(post.statusCode, post.body).toBe(303);
    const url = String(post.headers.location);
    expect(url).toMatch(/^\/admin\/enforcement\/imports\/\d+$/);
    const running = await env.app.inject({ url, headers: { cookie: s.cookie } });
    expect(running.body).toContain('<meta http-equiv="refresh" content="2"/>');
    expect(running.headers.refresh).toBe('2');
    await env.drain();
    const done = await env.app.inject({ url, headers: { cookie: s.cookie } });
    expect(done.body).not.toContain('http-equiv="refresh"');
    expect(done.body).toContain('导入完成：共 1 行，新增 1 条');
    // Without the CSRF token the upload is refused.
    const m2 = multipart('console.csv', Buffer.from(toCsv([HEAD, row(71)])), { kind: 'entities' });
    expect((await env.app.inject({ method: 'POST', url: '/admin/enforcement/imports', payload: m2.payload, headers: { cookie: s.cookie, 'content-type': m2.type } })).statusCode).toBe(403);
  });

  it('asks to confirm an overwrite with the counts, on a page that works without JavaScript', async () => {
    const s = await login(env.app, 'scjg-editor');
    const page = await env.app.inject({ url: '/admin/enforcement/imports', headers: { cookie: s.cookie } });
    const m = multipart('over.csv', Buffer.from(toCsv([HEAD, row(70, { name: '改过的名字' }), row(72)])), { _csrf: csrfFrom(page.body), kind: 'entities' });
    const post = await env.app.inject({ method: 'POST', url: '/admin/enforcement/imports', payload: m.payload, headers: { cookie: s.cookie, 'content-type': m.type } });
    await env.drain();
    const url = String(post.headers.location);
    const checked = await env.app.inject({ url, headers: { cookie: s.cookie } });
    expect(checked.body).toContain('新增 1 条，覆盖已有记录 1 条');
    const confirm = await env.app.inject({ method: 'POST', url: `${url}/confirm`, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrfFrom(checked.body))}&confirm=yes` });
    expect(confirm.statusCode).toBe(303);
    await env.drain();
    expect((await env.p.db.selectFrom('enf_entities').select('name').where('credit_code', '=', code(70)).executeTakeFirstOrThrow()).name).toBe('改过的名字');
  });
});
