// The annual report's Table 二 rows that the catalog holds (platform/annual-report.ts): 规章 and
// 行政规范性文件 — the items of category a20-01 (行政法规、规章和行政规范性文件) of the departments in
// scope. 规章 are those of genre 命令 (a 规章 is promulgated by 政府令; a district government issues
// none, so the row is 0 there); every other a20-01 item counts as a 行政规范性文件.
//   issued (本年制发): 成文日期 (written_at) in the year — or, without one, the Shanghai date of the
//     first publication — for items ever published (drafts are not issued documents);
//   repealed (本年废止): validity 'repealed', changed in the year;
//   in force (现行有效) on 31 December: published by then and not withdrawn by then, effective by
//     then when an effective date is set, not past its expiry date, and not repealed or expired by
//     then (its validity still 'valid', or changed only after the year).
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { AnnualReportSource, DocumentCounts, ReportScope, Table2 } from '../../../platform/annual-report.js';
import { shanghaiDayEnd, shanghaiDayStart } from '../../../platform/dates.js';
import '../../../platform/publication/schema.js';

export const RULES_CATEGORY = 'a20-01';
/** The genre of a 规章 (政府令). */
export const RULE_GENRE = '命令';

export async function catalogTable2(db: Db, scope: ReportScope): Promise<Table2> {
  const from = `${scope.year}-01-01`;
  const to = `${scope.year}-12-31`;
  // Stored moments are UTC ISO texts: the year is [00:00 Beijing time on 1 January, 00:00 on the next 1 January).
  const start = shanghaiDayStart(from);
  const end = shanghaiDayEnd(to);
  let q = db.selectFrom('pub_items as i').where('i.category', '=', RULES_CATEGORY).where('i.first_published_at', 'is not', null);
  if (scope.departmentIds !== 'all') q = q.where('i.department_id', 'in', scope.departmentIds.length ? scope.departmentIds : [-1]);
  const rows = await q
    .select((eb) => {
      const count = (cond: Expression<SqlBool>) => eb.fn.sum<number>(eb.case().when(cond).then(1).else(0).end());
      const issued = eb.or([
        eb.and([eb('i.written_at', '>=', from), eb('i.written_at', '<=', to)]),
        eb.and([eb('i.written_at', 'is', null), eb('i.first_published_at', '>=', start), eb('i.first_published_at', '<', end)]),
      ]);
      const repealed = eb.and([eb('i.validity', '=', 'repealed'), eb('i.validity_changed_at', '>=', start), eb('i.validity_changed_at', '<', end)]);
      const inForce = eb.and([
        eb('i.first_published_at', '<', end),
        eb.or([eb('i.withdrawn_at', 'is', null), eb('i.withdrawn_at', '>=', end)]),
        eb.or([eb('i.effective_at', 'is', null), eb('i.effective_at', '<=', to)]),
        eb.or([eb('i.expires_at', 'is', null), eb('i.expires_at', '>', to)]),
        // An item published already past its expiry date is 'expired' without a change date; the expiry date above decides.
        eb.or([eb('i.validity', '=', 'valid'), eb('i.validity_changed_at', '>=', end), eb.and([eb('i.validity', '=', 'expired'), eb('i.validity_changed_at', 'is', null)])]),
      ]);
      return [
        eb.case().when('i.genre', '=', RULE_GENRE).then(sql.lit(1)).else(sql.lit(0)).end().as('rule'),
        count(issued).as('issued'),
        count(repealed).as('repealed'),
        count(inForce).as('in_force'),
      ];
    })
    .groupBy('rule')
    .execute();
  const counts = (rule: boolean): DocumentCounts => {
    const r = rows.find((x) => Number(x.rule) === (rule ? 1 : 0));
    return { issued: Number(r?.issued ?? 0), repealed: Number(r?.repealed ?? 0), inForce: Number(r?.in_force ?? 0) };
  };
  return { rules: counts(true), 'normative-documents': counts(false) };
}

export const catalogReportSource: AnnualReportSource = { table2: catalogTable2 };
