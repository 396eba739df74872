// Demo annual reports: last year's reports of the government and two departments, published at
// their statutory season (historical: no notices), 党政办's still a draft (late: its review can be
// taken through with the demo accounts), and this year's drafts of the same bodies, prefilled from
// the figures (submitted from 1 January). The Table 二 rows
// no module supplies (行政许可, 行政处罚, 行政强制 until enforcement exists; any other row a module
// does not give yet) get figures derived from the body and the year. Deterministic.
import type { Platform } from '../../platform/platform.js';
import { todayShanghai } from '../../platform/calendar/index.js';
import { TABLE2_ROWS } from '../../platform/annual-report.js';
import { GOVERNMENT } from './schema.js';
import { createReport, importPublished, liveFigures, saveReport, scopeOf } from './service.js';
import { isCountRow, type ManualTable2 } from './service/figures.js';

const BODIES = [GOVERNMENT, 'dzb', 'fgj', 'scjg'];
/** The body whose report for last year is still a draft (late), so the review can be tried. */
const LATE = 'dzb';

/** Figures for the rows staff enter: derived from the body's position and the year, never random. */
function entries(rows: string[], seed: number): ManualTable2 {
  const m: ManualTable2 = {};
  for (const [i, r] of TABLE2_ROWS.entries()) {
    if (!rows.includes(r)) continue;
    const n = (seed * 7 + i * 13) % 40;
    if (isCountRow(r)) m[r] = { issued: n % 5, repealed: n % 3, inForce: 10 + (n % 9) };
    else if (r === 'fees') m.fees = 0;
    else m[r] = r === 'coercion' ? n % 4 : 20 + n * (r === 'licensing' ? 9 : 2);
  }
  return m;
}

export async function loadDemoReports(p: Platform): Promise<void> {
  const year = Number(todayShanghai().slice(0, 4));
  const now = Date.now();
  for (const [i, body] of BODIES.entries()) {
    const key = body === GOVERNMENT ? body : String((await p.db.selectFrom('departments').select('id').where('code', '=', body).executeTakeFirst())?.id ?? '');
    const scope = await scopeOf(p.db, key);
    if (!scope) continue;
    const open = (await liveFigures(p, year - 1, scope, {})).manual;
    // Departments by 31 January, the government by 31 March (never later than now).
    const at = new Date(Math.min(now, Date.parse(`${year}-${body === GOVERNMENT ? '03-2' : '01-2'}${i}T02:00:00Z`)));
    if (body === LATE) {
      // 党政办's report for last year is late: a draft that dzb-editor submits and dzb-reviewer,
      // dzb-reviewer2 and dzb-approver take through review to publication (the demo's one report
      // whose year is over and whose review can be done now).
      const late = await createReport(p, 'demo', { year: year - 1, scope: key });
      await saveReport(p, 'demo', late.id, { manual: entries(open, i + year - 1) });
    } else await importPublished(p, 'demo', { year: year - 1, scope: key, manual: entries(open, i + year - 1), publishedAt: at });
    const draft = await createReport(p, 'demo', { year, scope: key });
    const openNow = (await liveFigures(p, year, scope, {})).manual;
    await saveReport(p, 'demo', draft.id, { manual: entries(openNow, i + year) });
  }
}
