// Chinese spreadsheets as the programs people use write them: XLSX from Excel, WPS, LibreOffice and
// openpyxl, and CSV in GB18030 (Chinese Excel's and WPS's default), UTF-8 with or without a BOM
// and UTF-16. Each is read to the same table (元旦, dates as 2027-01-01, numbers as shown) with the
// encoding said, in any process time zone; and a GB18030 CSV goes through the calendar, catalog
// and list imports the console uses and is stored as the Chinese it holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { makeEnv, login, csrfFrom, type TestEnv } from '../helpers.js';
import { xlsxTable } from '../../src/platform/files/extract.js';
import { readCsv, toCsv } from '../../src/platform/files/csv.js';
import { decodeText } from '../../src/platform/files/encoding.js';
import { INLINE_CSV_BYTES, readTable } from '../../src/platform/files/table.js';
import { columnsOf, itemToRow, listType } from '../../src/modules/lists/service/engine.js';
import '../../src/modules/lists/service/types/index.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/spreadsheets');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** The table every source holds (README.md in the fixtures): header, a holiday, a make-up day. */
const HEADER = ['日期', '类型', '名称', '天数', '金额', '开始时间', '备注'];
const TABLE = [HEADER, ['2027-01-01', '休', '元旦', '1', '1234.5', '2027-01-01 09:30', '放假通知'], ['2027-02-07', '班', '春节调休', '2.5', '0.3', '2027-02-07 08:00', '放假通知']];

// ---- XLSX as Excel and WPS write it (neither runs here: the XML is theirs, the zip is fflate's) ----

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function workbookZip(parts: { sheets: { name: string; xml: string; state?: string }[]; shared?: string; styles: string; extra?: Record<string, string> }): Buffer {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(`${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${parts.sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${parts.shared ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : ''}</Types>`),
    '_rels/.rels': strToU8(`${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    'xl/workbook.xml': strToU8(`${XML}<workbook ${NS}><fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/><workbookPr filterPrivacy="1"/><bookViews><workbookView xWindow="-108" yWindow="-108" windowWidth="23256" windowHeight="12576"/></bookViews><sheets>${parts.sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`).join('')}</sheets><calcPr calcId="191029"/></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${parts.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>${parts.shared ? '<Relationship Id="rId91" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' : ''}</Relationships>`),
    'xl/styles.xml': strToU8(parts.styles),
    ...Object.fromEntries(parts.sheets.map((s, i) => [`xl/worksheets/sheet${i + 1}.xml`, strToU8(s.xml)])),
    ...(parts.shared ? { 'xl/sharedStrings.xml': strToU8(parts.shared) } : {}),
    ...Object.fromEntries(Object.entries(parts.extra ?? {}).map(([k, v]) => [k, strToU8(v)])),
  };
  return Buffer.from(zipSync(files));
}

/** Chinese Excel (Office 2016+, zh-CN): shared strings with phonetic properties and rich-text runs,
 *  the 等线 font, built-in date formats 14/22/31/57 left undefined (the reader must know them),
 *  a custom 年月日 format, formulas with cached values (one with float noise), booleans, errors. */
function excelXlsx(): Buffer {
  const strings = ['日期', '类型', '名称', '天数', '金额', '开始时间', '备注', '休', '元旦', '放假通知', '班', '春节调休', '0012', '其他'];
  // 春节调休 carries a phonetic run (a reading typed through an IME), which is not cell text.
  const si = (s: string) => (s === '春节调休' ? '<si><t>春节调休</t><rPh sb="0" eb="2"><t>chūn jié</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>' : s === '元旦' ? '<si><r><rPr><b/><sz val="11"/><color rgb="FFFF0000"/><rFont val="等线"/><family val="3"/><charset val="134"/><scheme val="minor"/></rPr><t>元</t></r><r><rPr><sz val="11"/><color theme="1"/><rFont val="等线"/><family val="3"/><charset val="134"/><scheme val="minor"/></rPr><t>旦</t></r><phoneticPr fontId="1" type="noConversion"/></si>' : `<si><t>${esc(s)}</t><phoneticPr fontId="1" type="noConversion"/></si>`);
  const shared = `${XML}<sst ${NS.split(' ')[0]} count="${strings.length}" uniqueCount="${strings.length}">${strings.map(si).join('')}</sst>`;
  const S = (ref: string, text: string, style = 0) => `<c r="${ref}"${style ? ` s="${style}"` : ''} t="s"><v>${strings.indexOf(text)}</v></c>`;
  const N = (ref: string, v: string, style = 0) => `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${v}</v></c>`;
  // cellXfs: 0 常规, 1 numFmt 14 (yyyy/m/d in zh-CN), 2 #,##0.00, 3 22 (yyyy/m/d h:mm), 4 31 (yyyy"年"m"月"d"日"),
  // 5 57 (yyyy"年"m"月"), 6 176 custom 年月日, 7 10 (0.00%), 8 20 (h:mm), 9 49 (@ text), 10 centred (merged)
  const xfs = [0, 14, 4, 22, 31, 57, 176, 10, 20, 49, 0].map((id, i) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}${i === 10 ? ' applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>' : '><alignment vertical="center"/></xf>'}`);
  const styles = `${XML}<styleSheet ${NS.split(' ')[0]} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac x16r2 xr" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/></numFmts><fonts count="2" x14ac:knownFonts="1"><font><sz val="11"/><color theme="1"/><name val="等线"/><family val="2"/><charset val="134"/><scheme val="minor"/></font><font><sz val="9"/><name val="等线"/><family val="3"/><charset val="134"/><scheme val="minor"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"><alignment vertical="center"/></xf></cellStyleXfs><cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`;
  const rows = [
    `<row r="1" spans="1:7">${HEADER.map((h, i) => S(`${'ABCDEFG'[i]}1`, h)).join('')}</row>`,
    `<row r="2" spans="1:7">${N('A2', '46388', 1)}${S('B2', '休')}${S('C2', '元旦')}${N('D2', '1')}${N('E2', '1234.5', 2)}${N('F2', '46388.395833333336', 3)}${S('G2', '放假通知', 10)}</row>`,
    `<row r="3" spans="1:7">${N('A3', '46425', 4)}${S('B3', '班')}${S('C3', '春节调休')}<c r="D3"><f>D2*2.5</f><v>2.5</v></c><c r="E3"><f>0.1+0.2</f><v>0.30000000000000004</v></c>${N('F3', '46425.333333333336', 3)}<c r="G3" s="10"/></row>`,
    // row 4 left empty; row 5: the other formats Chinese Excel users meet
    `<row r="5" spans="1:9">${N('A5', '46388', 5)}${N('B5', '46388', 6)}${N('C5', '0.125', 7)}<c r="D5" t="b"><v>1</v></c><c r="E5" t="e"><f>NA()</f><v>#N/A</v></c>${N('F5', '0.39583333333333331', 8)}<c r="G5" t="str"><f>"元"&amp;"旦"</f><v>元旦</v></c>${N('H5', '13800138000')}${S('I5', '0012', 9)}</row>`,
  ];
  const sheet = `${XML}<worksheet ${NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><dimension ref="A1:I5"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="13.8" x14ac:dyDescent="0.25"/><cols><col min="1" max="1" width="12.77734375" customWidth="1"/></cols><sheetData>${rows.join('')}</sheetData><mergeCells count="1"><mergeCell ref="G2:G3"/></mergeCells><phoneticPr fontId="1" type="noConversion"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
  const other = `${XML}<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>${strings.indexOf('其他')}</v></c></row></sheetData></worksheet>`;
  return workbookZip({ sheets: [{ name: '节假日', xml: sheet }, { name: '其他', xml: other }], shared, styles });
}

/** WPS Office (2019+): inline strings with hexadecimal character references, the built-in
 *  Chinese date formats 31 and 57 and 14, its own namespaces, a hidden first sheet it keeps for
 *  templates (the reader takes the first visible one). */
function wpsXlsx(): Buffer {
  const hex = (s: string) => Array.from(s, (ch) => (ch.charCodeAt(0) > 127 ? `&#x${ch.codePointAt(0)!.toString(16).toUpperCase()};` : esc(ch))).join('');
  const I = (ref: string, text: string, style = 0) => `<c r="${ref}"${style ? ` s="${style}"` : ''} t="inlineStr"><is><t>${hex(text)}</t></is></c>`;
  const N = (ref: string, v: string, style = 0) => `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${v}</v></c>`;
  // cellXfs: 0 常规, 1 numFmt 31, 2 numFmt 14, 3 custom 180 (yyyy-mm-dd hh:mm), 4 numFmt 2 (0.00), 5 numFmt 57
  const xfs = [0, 31, 14, 180, 2, 57].map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}><alignment vertical="center"/></xf>`);
  const styles = `${XML}<styleSheet ${NS.split(' ')[0]}><numFmts count="1"><numFmt numFmtId="180" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts><fonts count="1"><font><sz val="11"/><color theme="1"/><name val="宋体"/><charset val="134"/><scheme val="minor"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"><alignment vertical="center"/></xf></cellStyleXfs><cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`;
  const rows = [
    `<row r="1" spans="1:7">${HEADER.map((h, i) => I(`${'ABCDEFG'[i]}1`, h)).join('')}</row>`,
    `<row r="2" spans="1:7">${N('A2', '46388', 1)}${I('B2', '休')}${I('C2', '元旦')}${N('D2', '1')}${N('E2', '1234.5')}${N('F2', '46388.3958333333', 3)}${I('G2', '放假通知')}</row>`,
    `<row r="3" spans="1:7">${N('A3', '46425', 2)}${I('B3', '班')}${I('C3', '春节调休')}${N('D3', '2.5')}${N('E3', '0.3', 4)}${N('F3', '46425.3333333333', 3)}</row>`,
    `<row r="4" spans="1:7">${N('A4', '46388', 5)}</row>`,
  ];
  const sheet = `${XML}<worksheet ${NS} xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"><sheetPr/><dimension ref="A1:G4"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"><selection activeCell="A1" sqref="A1"/></sheetView></sheetViews><sheetFormatPr defaultColWidth="9" defaultRowHeight="13.5" outlineLevelRow="3"/><sheetData>${rows.join('')}</sheetData><mergeCells count="1"><mergeCell ref="G2:G3"/></mergeCells><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/><headerFooter/></worksheet>`;
  const hidden = `${XML}<worksheet ${NS}><sheetData><row r="1">${I('A1', '模板说明')}</row></sheetData></worksheet>`;
  return workbookZip({ sheets: [{ name: '说明', xml: hidden, state: 'hidden' }, { name: '节假日', xml: sheet }], styles, extra: { 'customXml/item1.xml': '<s:customData xmlns="http://www.wps.cn/officeDocument/2013/wpsCustomData" xmlns:s="http://www.wps.cn/officeDocument/2013/wpsCustomData"/>' } });
}

/** The same table as CSV text, with CRLF as Excel and WPS end lines. */
const csvText = (rows: string[][]) => rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';

describe('XLSX from each program reads to the same table', () => {
  it('openpyxl: inline strings written as numeric character references, dates by style, the merged cell repeated', async () => {
    // The hand-written reader returned &#20803;&#26086; for 元旦 and 46388 for the date.
    expect(strFromU8(unzipSync(fixture('openpyxl.xlsx'))['xl/worksheets/sheet1.xml'])).toContain('<t>&#20803;&#26086;</t>');
    const t = await xlsxTable(fixture('openpyxl.xlsx'));
    expect(t.rows).toEqual(TABLE);
    expect(t.rowNumbers).toEqual([1, 2, 3]);
  });

  it('LibreOffice: shared strings, a rich-text cell, a formula by its cached result, a 0.00 format as shown', async () => {
    const t = await xlsxTable(fixture('libreoffice.xlsx'));
    expect(t.rows).toEqual([TABLE[0], TABLE[1].map((c) => (c === '1234.5' ? '1234.50' : c)), TABLE[2]]);
  });

  it('Excel: rich text and phonetic runs, built-in Chinese date formats, a 年月日 format, float noise, booleans, errors, text', async () => {
    const t = await xlsxTable(excelXlsx());
    expect(t.rows.slice(0, 3)).toEqual([TABLE[0], TABLE[1].map((c) => (c === '1234.5' ? '1234.50' : c)), TABLE[2]]);
    // A blank row is no row; the others keep their sheet row numbers for the reports.
    expect(t.rowNumbers).toEqual([1, 2, 3, 5]);
    expect(t.rows[3]).toEqual(['2027-01-01', '2027-01-01', '12.50%', 'TRUE', '#N/A', '09:30', '元旦', '13800138000', '0012']);
  });

  it('WPS: inline strings with hexadecimal references, date formats 31/14/57, the first visible sheet', async () => {
    const t = await xlsxTable(wpsXlsx());
    expect(t.rows).toEqual([TABLE[0], TABLE[1], TABLE[2].map((c) => (c === '0.3' ? '0.30' : c)), ['2027-01-01']]);
  });

  it('inflates only the parts exceljs needs, within the byte budget, before exceljs sees them', async () => {
    const parts = unzipSync(fixture('openpyxl.xlsx'));
    const limits = { maxBytes: 1024 * 1024, maxEntries: 100 };
    // A 5 MB picture (deflated to a few KB) is no part of the table: left packed, the sheet still reads.
    const picture = zipSync({ ...parts, 'xl/media/image1.png': new Uint8Array(5 * 1024 * 1024) });
    expect((await xlsxTable(picture, limits)).rows).toEqual(TABLE);
    // A sheet that inflates beyond the budget is refused by the reader, not parsed.
    const sheet = strFromU8(parts['xl/worksheets/sheet1.xml']).replace('<sheetData>', `<sheetData>${' '.repeat(2 * 1024 * 1024)}`);
    await expect(xlsxTable(zipSync({ ...parts, 'xl/worksheets/sheet1.xml': strToU8(sheet) }), limits)).rejects.toMatchObject({ reason: 'size' });
    await expect(xlsxTable(picture, { ...limits, maxEntries: 5 })).rejects.toMatchObject({ reason: 'entries' });
  });

  it('reads dates the same in every process time zone (exceljs hands out UTC dates)', async () => {
    const before = process.env.TZ;
    const seen = new Set<string>();
    try {
      for (const tz of ['America/Los_Angeles', 'UTC', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        const rows = [...(await xlsxTable(fixture('openpyxl.xlsx'))).rows, ...(await xlsxTable(excelXlsx())).rows, ...(await xlsxTable(wpsXlsx())).rows];
        expect(rows[1][0], tz).toBe('2027-01-01');
        seen.add(JSON.stringify(rows));
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
    expect(seen.size).toBe(1);
  });
});

describe('CSV in the encodings office programs save', () => {
  const rows = [...TABLE, ['2027-10-01', '休', '国庆节，"黄金周"', '7', '0', '', '第一行\n第二行'], ['2027-10-09', '班', '国庆调休']];

  it('GB18030 from Chinese Excel and WPS (CRLF, quotes, a line break in a cell)', () => {
    const bytes = iconv.encode(csvText(rows), 'gb18030');
    expect(bytes.toString('utf8')).not.toContain('元旦'); // not UTF-8: read as such it was mojibake
    const d = decodeText(bytes);
    expect(d.encoding).toBe('GB18030');
    expect(readCsv(d.text).rows).toEqual(rows);
    // Row numbers as Excel shows the file: the cell's second line is no row of its own.
    expect(readCsv(d.text).rowNumbers).toEqual([1, 2, 3, 4, 5]);
  });

  it('GB18030 from LibreOffice (LF, dates as the cells show them)', () => {
    const d = decodeText(fixture('libreoffice-gb18030.csv'));
    expect(d.encoding).toBe('GB18030');
    expect(readCsv(d.text).rows).toEqual([TABLE[0], ['2027-01-01', '休', '元旦', '1', '1234.50', '2027-01-01 09:30', '放假通知'], ['2027年2月7日', '班', '春节调休', '2.5', '0.3', '2027-02-07 08:00', '']]);
  });

  it("UTF-8 with a BOM (Excel's “CSV UTF-8”, and our own exports), UTF-8 without, UTF-16 tab-separated (Excel's “Unicode text”)", () => {
    const bom = decodeText(Buffer.from(toCsv(rows)));
    expect(bom.encoding).toBe('UTF-8 (BOM)');
    expect(readCsv(bom.text).rows).toEqual(rows);
    const plain = decodeText(Buffer.from(csvText(rows)));
    expect(plain.encoding).toBe('UTF-8');
    expect(readCsv(plain.text).rows).toEqual(rows);
    const tsv = rows.slice(0, 3).map((r) => r.join('\t')).join('\r\n');
    const utf16 = decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')]));
    expect(utf16.encoding).toBe('UTF-16');
    expect(readCsv(utf16.text)).toMatchObject({ rows: TABLE, delimiter: '\t' });
  });

  it('names the row where a quoted cell is never closed (as the spreadsheet numbers it); keeps a stray quote in an unquoted cell', async () => {
    const config = { extractMaxMb: 50, extractMaxEntries: 2000, extractTimeoutMs: 20_000, extractWorkers: 1, extractHeapMb: 256 } as any;
    const bad = iconv.encode('名称,备注\r\n元旦,"第一行\r\n第二行"\r\n\r\n春节,"未闭合\r\n国庆,正常\r\n', 'gb18030');
    await expect(readTable(config, bad, 'x.csv')).rejects.toMatchObject({ status: 400, message: 'err.file.csv_quote', params: { line: 4 }, fields: { file: 'err.file.csv_quote' } });
    expect(readCsv('名称,备注\r\n关于"十四五"规划,1\r\n').rows[1]).toEqual(['关于"十四五"规划', '1']);
  });

  it('readTable: one entry point for CSV and XLSX, saying what it read (XLSX in the worker pool)', async () => {
    const config = { extractMaxMb: 50, extractMaxEntries: 2000, extractTimeoutMs: 20_000, extractWorkers: 1, extractHeapMb: 256 } as any;
    expect(await readTable(config, iconv.encode(csvText(TABLE), 'gb18030'), 'text/csv')).toEqual({ rows: TABLE, rowNumbers: [1, 2, 3], format: 'csv', encoding: 'GB18030' });
    expect(await readTable(config, fixture('openpyxl.xlsx'), '节假日.xlsx')).toEqual({ rows: TABLE, rowNumbers: [1, 2, 3], format: 'xlsx', encoding: null });
    // An XLSX sent under a .csv name is still read as the workbook it is.
    expect((await readTable(config, excelXlsx(), 'export.csv')).format).toBe('xlsx');
    await expect(readTable(config, Buffer.from('PK\x03\x04 not a zip'), 'a.xlsx', { field: 'content' })).rejects.toMatchObject({ status: 400, fields: { content: 'err.file.xlsx_unreadable' } });
    await expect(readTable(config, Buffer.from('x'), 'a.pdf')).rejects.toMatchObject({ status: 400, fields: { file: 'err.file.table_type' } });
  });

  it('a large CSV is parsed in a worker thread: the same table and encoding, the quote error named, stopped at the time limit', async () => {
    const config = { extractMaxMb: 50, extractMaxEntries: 2000, extractTimeoutMs: 20_000, extractWorkers: 1, extractHeapMb: 256 } as any;
    // ~400 KB of GB18030 rows (past INLINE_CSV_BYTES): the worker reads what the inline path reads.
    const many: string[][] = [TABLE[0]];
    for (let i = 0; many.length < 12_000; i++) many.push([`2027-0${1 + (i % 9)}-1${i % 9}`, i % 2 ? '休' : '班', `第${i}行，含“引号”和，逗号`]);
    const big = iconv.encode(csvText(many), 'gb18030');
    expect(big.length).toBeGreaterThan(INLINE_CSV_BYTES);
    const t = await readTable(config, big, 'big.csv');
    expect(t).toMatchObject({ format: 'csv', encoding: 'GB18030' });
    expect(t.rows).toEqual(many);
    expect(t.rowNumbers.at(-1)).toBe(many.length);
    const broken = Buffer.concat([big, iconv.encode('2027-12-31,休,"未闭合\r\n', 'gb18030')]);
    await expect(readTable(config, broken, 'big.csv')).rejects.toMatchObject({ status: 400, params: { line: many.length + 1 }, fields: { file: 'err.file.csv_quote' } });
    // A parse longer than the time limit is stopped (422 on the field), which a parse on the
    // server's own thread could not be: 15 MB of rows against a 100 ms limit.
    const huge = Buffer.from('日期,类型,名称\r\n' + '2027-01-01,休,元旦\r\n'.repeat(700_000));
    await expect(readTable({ ...config, extractTimeoutMs: 100 }, huge, 'huge.csv', { field: 'content' })).rejects.toMatchObject({ status: 422, fields: { content: 'err.file.timeout' } });
  });
});

// ---- end to end: the console's own routes ----------------------------------------------------------

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
}, 120_000);
afterAll(async () => env?.close());

function multipart(name: string, buf: Buffer, fields: Record<string, string> = {}) {
  const b = '----gk' + Math.random().toString(36).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`), buf, Buffer.from(`\r\n--${b}--\r\n`));
  return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

/** Posts a file to a console form as the signed-in user would, the CSRF token from the page that holds the form. */
async function upload(user: string, page: string, action: string, name: string, buf: Buffer, fields: Record<string, string>) {
  const { cookie } = await login(env.app, user);
  const form = await env.app.inject({ method: 'GET', url: page, headers: { cookie } });
  const m = multipart(name, buf, { _csrf: csrfFrom(form.body), ...fields });
  return env.app.inject({ method: 'POST', url: action, headers: { cookie, 'content-type': m.type }, payload: m.payload });
}

describe('a GB18030 CSV through the console imports', () => {
  it('calendar: the preview says GB18030 and shows the days; saved, the names are Chinese', async () => {
    const csv = iconv.encode(csvText([['日期', '类型', '名称'], ['2031-01-01', '休', '元旦'], ['2031-01-02', '休', '元旦'], ['2031-01-04', '班', '元旦调休']]), 'gb18030');
    // Step 1: the preview (nothing saved) says how the file was read.
    const dry = await upload('admin', '/admin/calendar/import', '/admin/calendar/import', '2031.csv', csv, {});
    expect(dry.statusCode, dry.body.slice(0, 3000)).toBe(200);
    expect(dry.body).toContain('格式：CSV；编码：GB18030');
    expect(dry.body).toContain('元旦调休');
    expect(await env.p.db.selectFrom('calendar_days').select('name').where('year', '=', 2031).execute()).toEqual([]);
    // Step 2: confirm what was previewed.
    const hidden = (name: string) => (new RegExp(`name="${name}" value="([^"]*)"`).exec(dry.body)?.[1] ?? '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const { cookie } = await login(env.app, 'admin');
    const fields = { _csrf: csrfFrom((await env.app.inject({ url: '/admin/calendar/import', headers: { cookie } })).body), payload: hidden('payload'), format: '', filename: '2031.csv', pasted: '', digest: hidden('digest') };
    const run = await env.app.inject({ method: 'POST', url: '/admin/calendar/import/confirm', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
    expect(run.statusCode, run.body.slice(0, 2000)).toBe(303);
    const days = await env.p.db.selectFrom('calendar_days').select(['date', 'kind', 'name']).where('year', '=', 2031).orderBy('date').execute();
    expect(days).toEqual([
      { date: '2031-01-01', kind: 'holiday', name: '元旦' },
      { date: '2031-01-02', kind: 'holiday', name: '元旦' },
      { date: '2031-01-04', kind: 'workday', name: '元旦调休' },
    ]);
    // A quote never closed: the line is named, nothing saved.
    const bad = await upload('admin', '/admin/calendar/import', '/admin/calendar/import', '2032.csv', iconv.encode('日期,类型,名称\r\n2032-01-01,休,"元旦\r\n', 'gb18030'), {});
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('第 2 行有一个以引号开始的单元格没有结束引号');
  });

  it('catalog: the dry-run report says GB18030; the import stores the Chinese title, summary and body', async () => {
    const header = 'title,docNo,department,topic,genre,category,writtenAt,publishedAt,effectiveAt,expiresAt,keywords,summary,body'.split(',');
    const row = ['关于做好2027年元旦春节期间安全生产工作的通知', '示范新区办发〔2026〕31号', 'dzb', '0206', '通知', 'a20-01', '2026-12-20', '2026-12-22', '', '', '元旦;春节;安全生产', '部署节日期间安全生产。', '各部门：\n元旦、春节将至……'];
    const csv = iconv.encode(csvText([header, row]), 'gb18030');
    const dry = await upload('admin', '/admin/catalog/import', '/admin/catalog/import', '目录.csv', csv, { dryRun: '1' });
    expect(dry.statusCode, dry.body.slice(0, 3000)).toBe(200);
    expect(dry.body).toContain('按 CSV 读取，文字编码 GB18030。');
    const run = await upload('admin', '/admin/catalog/import', '/admin/catalog/import', '目录.csv', csv, {});
    expect(run.statusCode, run.body.slice(0, 3000)).toBe(200);
    const item = await env.p.db.selectFrom('pub_items').select(['title', 'summary']).where('title', '=', row[0]).executeTakeFirstOrThrow();
    expect(item).toEqual({ title: row[0], summary: '部署节日期间安全生产。' });
    const found = (await env.api('GET', `/api/v1/documents?q=${encodeURIComponent('元旦春节期间安全生产')}`)).json();
    expect(found.items[0]).toMatchObject({ title: row[0], docNo: '示范新区办发〔2026〕31号', writtenAt: '2026-12-20' });
  });

  it('catalog: an Excel XLSX whose dates are date cells imports them as dates (was 46388)', async () => {
    const header = ['title', 'department', 'topic', 'genre', 'writtenAt', 'publishedAt', 'body'];
    const xml = (c: string, i: number) => `<c r="${'ABCDEFG'[i]}1" t="inlineStr"><is><t>${c}</t></is></c>`;
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;
    const sheet = `${XML}<worksheet ${NS}><sheetData><row r="1">${header.map(xml).join('')}</row><row r="2">${cell('A2', '2027年元旦放假安排的通知')}${cell('B2', 'dzb')}${cell('C2', '0206')}${cell('D2', '通知')}<c r="E2" s="1"><v>46387</v></c><c r="F2" s="2"><v>46387</v></c>${cell('G2', '元旦放假一天。')}</row></sheetData></worksheet>`;
    const styles = `${XML}<styleSheet ${NS.split(' ')[0]}><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`;
    const dry = await upload('admin', '/admin/catalog/import', '/admin/catalog/import', '目录.xlsx', workbookZip({ sheets: [{ name: 'Sheet1', xml: sheet }], styles }), { dryRun: '1' });
    expect(dry.statusCode, dry.body.slice(0, 3000)).toBe(200);
    expect(dry.body).toContain('按 XLSX 读取第一个工作表。');
    const run = await upload('admin', '/admin/catalog/import', '/admin/catalog/import', '目录.xlsx', workbookZip({ sheets: [{ name: 'Sheet1', xml: sheet }], styles }), {});
    expect(run.statusCode, run.body.slice(0, 3000)).toBe(200);
    const found = (await env.api('GET', `/api/v1/documents?q=${encodeURIComponent('元旦放假安排')}`)).json();
    expect(found.items[0]).toMatchObject({ title: '2027年元旦放假安排的通知', writtenAt: '2026-12-31' });
  });

  it('exports stay UTF-8 with a BOM (what Excel needs to read Chinese) and read back through the same reader', async () => {
    const res = await env.api('GET', '/api/v1/documents/export.csv');
    expect(res.statusCode).toBe(200);
    const d = decodeText(res.rawPayload);
    expect(d.encoding).toBe('UTF-8 (BOM)');
    const t = readCsv(d.text);
    expect(t.rows[0]).toContain('title');
    expect(t.rows.map((r) => r[t.rows[0].indexOf('title')])).toContain('关于做好2027年元旦春节期间安全生产工作的通知');
  });

  it('lists: the console report says GB18030; the draft edition holds the Chinese names; the API reports the encoding', async () => {
    const lists = (await env.api('GET', '/api/v1/lists')).json().types;
    const listId = lists.find((t: any) => t.type === 'power').lists.find((l: any) => l.department === 'scjg').id;
    const t = listType('power')!;
    const items = (await env.api('GET', `/api/v1/lists/power/items?list=${listId}&pageSize=200`)).json().items.map((i: any) => i.data);
    const renamed = items.map((i: any, k: number) => (k === 0 ? { ...i, name: `${i.name}（元旦期间暂停受理）` } : i));
    const csv = iconv.encode(csvText([columnsOf(t), ...renamed.map((i: any) => itemToRow(t, i))]), 'gb18030');
    const api = await env.api('POST', `/api/v1/lists/power/lists/${listId}/import`, { as: 'scjg-editor', body: { filename: 'power.csv', content: csv.toString('base64'), reason: '元旦调整', docNo: '示范新区编〔2026〕12号', dryRun: true } });
    expect(api.statusCode, api.body.slice(0, 2000)).toBe(200);
    expect(api.json()).toMatchObject({ format: 'csv', encoding: 'GB18030', changes: { added: 0, removed: 0, changed: 1 } });
    const run = await upload('scjg-editor', '/admin/lists', `/admin/lists/${listId}/import`, 'power.csv', csv, { reason: '元旦调整', docNo: '示范新区编〔2026〕12号' });
    expect(run.statusCode, run.body.slice(0, 3000)).toBe(200);
    expect(run.body).toContain('按 CSV 读取，文字编码 GB18030。');
    const draft = await env.p.db.selectFrom('list_editions').select('id').where('list_id', '=', listId).where('status', '=', 'draft').executeTakeFirstOrThrow();
    const stored = await env.p.db.selectFrom('list_editions').select('items').where('id', '=', draft.id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.items).map((i: any) => i.name)).toContain(renamed[0].name);
    // A quote never closed: a 400 naming the line, not a server error.
    const bad = await env.api('POST', `/api/v1/lists/power/lists/${listId}/import`, { as: 'scjg-editor', body: { filename: 'power.csv', content: iconv.encode(`${columnsOf(t).join(',')}\r\nXK-1,"元旦\r\n`, 'gb18030').toString('base64'), reason: 'r', docNo: 'd', dryRun: true } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.content).toBe('第 2 行有一个以引号开始的单元格没有结束引号，请检查该行。');
  });
});
