// One entry point for the tables staff import (catalog, lists, calendar): a CSV in whatever
// encoding the office program saved it (Chinese Excel and WPS: GB18030), or the first sheet of an
// XLSX, read in a worker thread within the GONGKAI_EXTRACT_* limits. The result says which, so
// each import's report can tell the person what was read ("CSV, GB18030").
import type { Config } from '../../config.js';
import { badRequest } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import { CsvSyntaxError, readCsv, type CsvOptions } from './csv.js';
import { decodeText, type TextEncodingName } from './encoding.js';
import { ExtractFailed } from './pool.js';
import { FILE_TYPES, readCsvOffThread, readSpreadsheet } from './index.js';

export type TableFormat = 'csv' | 'xlsx';

export interface Table {
  rows: string[][];
  /** Each row's number as a spreadsheet program shows the file (1-based; blank rows are dropped from `rows`, not from the count). */
  rowNumbers: number[];
  format: TableFormat;
  /** The text encoding a CSV was read in (null for XLSX). */
  encoding: TextEncodingName | null;
}

/** The table format a file name (its extension) or MIME type names; null for any other. */
export function tableFormat(nameOrMime: string): TableFormat | null {
  const s = nameOrMime.trim().toLowerCase();
  if (/\.xlsx$/.test(s) || s === FILE_TYPES.xlsx) return 'xlsx';
  if (/\.(csv|tsv|txt)$/.test(s) || /^(text\/(csv|plain|tab-separated-values)|application\/csv)\s*(;|$)/.test(s)) return 'csv';
  return null;
}

/** CSV files larger than this are parsed in a worker thread. */
export const INLINE_CSV_BYTES = 256 * 1024;

const isZip = (buf: Uint8Array) => buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;

/**
 * The rows of an uploaded CSV or XLSX (by its content when it is a zip, else by `nameOrMime`).
 * 400 on `field` when the file is neither, its quoting is broken (naming the line) or the XLSX is
 * damaged; 422 when an XLSX passes an extraction limit.
 */
export async function readTable(config: Config, buf: Buffer, nameOrMime: string, opts: CsvOptions & { field?: string } = {}): Promise<Table> {
  const field = opts.field ?? 'file';
  const format = isZip(buf) ? 'xlsx' : tableFormat(nameOrMime);
  if (format === 'xlsx') {
    try {
      return { ...(await readSpreadsheet(config, buf, field)), format, encoding: null };
    } catch (err) {
      if (err instanceof ExtractFailed) throw badRequest('err.file.xlsx_unreadable', { [field]: 'err.file.xlsx_unreadable' });
      throw err;
    }
  }
  if (format !== 'csv') throw badRequest('err.file.table_type', { [field]: 'err.file.table_type' });
  // A small file is read here; a large one in a worker thread within the time limit, so that the
  // server keeps answering while it is parsed.
  if (buf.length > INLINE_CSV_BYTES) {
    let r: Awaited<ReturnType<typeof readCsvOffThread>>;
    try {
      r = await readCsvOffThread(config, buf, !!opts.comments, field);
    } catch (err) {
      if (err instanceof ExtractFailed) throw badRequest('err.file.table_type', { [field]: 'err.file.table_type' });
      throw err;
    }
    if ('quoteLine' in r) throw badRequest('err.file.csv_quote', { [field]: 'err.file.csv_quote' }, { line: r.quoteLine });
    return { rows: r.rows, rowNumbers: r.rowNumbers, format, encoding: r.encoding };
  }
  const { text, encoding } = decodeText(buf);
  try {
    const { rows, rowNumbers } = readCsv(text, opts);
    return { rows, rowNumbers, format, encoding };
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw badRequest('err.file.csv_quote', { [field]: 'err.file.csv_quote' }, { line: err.line });
    throw err;
  }
}

/** What was read, for a report: "CSV, GB18030 encoding" / "XLSX, first sheet". */
export function tableSource(t: Translate, table: { format: TableFormat; encoding: TextEncodingName | null }): string {
  return table.format === 'xlsx' ? t('file.read_xlsx') : t('file.read_csv', { encoding: table.encoding ?? 'UTF-8' });
}
