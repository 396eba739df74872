// Attachments (type and size checks, text extraction) and body sanitising.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnv, type TestEnv } from '../helpers.js';
import { makeDocx, makePdf, makeXlsx } from '../../src/modules/catalog/demo/samples.js';
import { publish } from './helpers.js';
import { demoOrg, DZB_WORKFLOW } from '../fixtures/org.js';

let env: TestEnv;
let token: string;
beforeAll(async () => {
  env = await makeEnv({ demo: false, overrides: { uploadLimit: 64 * 1024 } });
  await demoOrg(env.p, { users: [...DZB_WORKFLOW, 'admin'] });
  token = await env.token('dzb-editor');
}, 120_000);
afterAll(() => env?.close());

function multipart(name: string, buf: Buffer, type = 'application/octet-stream') {
  const boundary = '----gk' + Math.random().toString(36).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, buf, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
async function upload(name: string, buf: Buffer) {
  const m = multipart(name, buf);
  return env.app.inject({ method: 'POST', url: '/api/v1/files', payload: m.payload, headers: { ...m.headers, authorization: `Bearer ${token}` } });
}

describe('attachments', () => {
  it('stores PDF and DOCX content-addressed and extracts their text for search', async () => {
    const pdf = await upload('report.pdf', makePdf(['Annual disclosure report', 'Requests received: 128']));
    expect(pdf.statusCode, pdf.body).toBe(201);
    const docx = await upload('申请表.docx', makeDocx(['政府信息公开申请表', '申请人姓名']));
    expect(docx.statusCode).toBe(201);
    const xlsx = await upload('表.xlsx', makeXlsx([['序号', '事项'], ['1', '行政许可']]));
    expect(xlsx.statusCode).toBe(201);
    const rows = await env.p.db.selectFrom('files').select(['hash', 'text', 'size']).execute();
    expect(rows.find((r) => r.hash === pdf.json().hash)!.text).toContain('Requests received: 128');
    expect(rows.find((r) => r.hash === docx.json().hash)!.text).toContain('政府信息公开申请表');
    expect(rows.find((r) => r.hash === xlsx.json().hash)!.text).toContain('行政许可');
    // same bytes → same id
    expect((await upload('again.pdf', makePdf(['Annual disclosure report', 'Requests received: 128']))).json().hash).toBe(pdf.json().hash);
    // attached to a published document: listed with size, downloadable, in the search text
    const id = await publish(env, { attachments: [pdf.json(), docx.json()] });
    const page = await env.api('GET', `/catalog/items/${id}`);
    expect(page.body).toContain('report.pdf');
    expect(page.body).toMatch(/申请表\.docx<\/a> <span class="size">（\d/);
    const dl = await env.api('GET', `/catalog/items/${id}/files/${pdf.json().hash}`);
    expect(dl.headers['content-type']).toBe('application/pdf');
    // the stored file lost on disk (a partial restore): a clear 410, not a server error
    const { filePath } = await import('../../src/platform/files/index.js');
    const { renameSync } = await import('node:fs');
    const path = filePath(env.p.config.dataDir, docx.json().hash);
    renameSync(path, `${path}.away`);
    const gone = await env.api('GET', `/catalog/items/${id}/files/${docx.json().hash}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('服务器上找不到存档文件');
    renameSync(`${path}.away`, path);
    expect((await env.api('GET', `/catalog/items/${id}/files/${docx.json().hash}`)).statusCode).toBe(200);
    const { getIndexableSource } = await import('../../src/platform/publication/indexable.js');
    const ix = await getIndexableSource()!.load(env.p.db, id);
    expect(ix!.text).toContain('Requests received: 128');
    expect(ix!.text).toContain('申请人姓名');
  });

  it('refuses forbidden types and disguised files', async () => {
    let r = await upload('tool.exe', Buffer.from('MZ\x90\x00 executable'));
    expect(r.statusCode).toBe(415);
    r = await upload('fake.pdf', Buffer.from('MZ\x90\x00 not a pdf'));
    expect(r.statusCode).toBe(415);
    r = await upload('page.html', Buffer.from('<script>alert(1)</script>'));
    expect(r.statusCode).toBe(415);
  });

  it('refuses oversized files', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(70 * 1024, 32)]);
    const r = await upload('big.pdf', big);
    expect(r.statusCode).toBe(413);
    expect(r.json().error.message).toContain('MB');
  });
});

describe('attachment names', () => {
  it('are stored without bidi overrides, control characters or directories, ending in the detected type', async () => {
    const pdf = makePdf(['Invoice 2026']);
    const cases: [string, string][] = [
      ['invoice\u202Efdp.exe', 'invoicefdp.exe.pdf'],
      ['a\u0000b\u0007.pdf', 'ab.pdf'],
      ['../../etc/passwd', 'passwd.pdf'],
      ['a\\b.pdf', 'b.pdf'],
      ['tool.exe', 'tool.exe.pdf'],
      ['\u2067.hidden\u2069 .PDF', 'hidden.pdf'],
      ['x'.repeat(300) + '.pdf', 'x'.repeat(116) + '.pdf'],
    ];
    for (const [name, want] of cases) {
      const r = await upload(name, pdf);
      expect(r.statusCode, name).toBe(201);
      expect(r.json().name, JSON.stringify(name)).toBe(want);
      expect(r.json().mime).toBe('application/pdf');
    }
    // a Word document named .xlsx is a Word document
    const docx = await upload('表格.xlsx', makeDocx(['其实是 Word 文件']));
    expect(docx.json()).toMatchObject({ name: '表格.xlsx.docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    // the JSON routes: a list material's file, and names given in a document's attachments
    const material = await env.api('POST', '/api/v1/lists/attachments', { as: 'admin', body: { filename: '..\\表\u202Efdp.exe', content: pdf.toString('base64') } });
    expect(material.statusCode).toBe(201);
    expect(material.json().name).toBe('表fdp.exe.pdf');
    const { hash, size, mime } = (await upload('x.pdf', pdf)).json();
    const id = await publish(env, { attachments: [{ hash, size, mime, name: '../报告\u202Efdp.exe' }] });
    const page = await env.api('GET', `/catalog/items/${id}`);
    expect(page.body).toContain('报告fdp.exe.pdf');
    expect(page.body).not.toContain('\u202E');
    expect((await env.api('GET', `/api/v1/documents/${id}`)).json().attachments[0].name).toBe('报告fdp.exe.pdf');
    const dl = await env.api('GET', `/catalog/items/${id}/files/${hash}`);
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="__fdp.exe.pdf"; filename*=UTF-8''${encodeURIComponent('报告fdp.exe.pdf')}`);
  });
});

describe('sanitising', () => {
  it('script tags, event handlers and javascript: URLs never reach the public page', async () => {
    const body = [
      '<p onclick="steal()">正文段落<script>alert("x")</script></p>',
      '<img src="x" onerror="alert(1)"><img src="javascript:alert(2)">',
      '<a href="javascript:alert(3)">点我</a> <a href="JaVaScRiPt:alert(4)">再点</a>',
      '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>',
      '<a href="https://www.gov.cn/" onmouseover="x()">中国政府网</a><svg onload="alert(5)"></svg>',
    ].join('');
    const id = await publish(env, { body });
    const page = (await env.api('GET', `/catalog/items/${id}`)).body;
    const main = page.slice(page.indexOf('doc-content'));
    for (const bad of ['<script>alert', 'onclick', 'onerror', 'onmouseover', 'onload', 'javascript:', 'JaVaScRiPt', '<iframe', '<style', '<svg', 'steal()']) expect(main).not.toContain(bad);
    expect(main).toContain('正文段落');
    expect(main).toContain('href="https://www.gov.cn/"');
    const api = (await env.api('GET', `/api/v1/documents/${id}`)).json();
    expect(api.body).not.toMatch(/script|onerror|javascript:/i);
  });
});
