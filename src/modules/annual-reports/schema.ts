// The annual report's own table (政府信息公开工作年度报告): one row per year and scope, linking the
// report to its spine item, with what staff keep between saves — the narrative and the Table 二
// figures no module supplies. The published text (narrative, frozen figures) lives in the spine.
// See docs/model.md, "Annual reports".
import type { Generated, Selectable } from 'kysely';
import { withId, type GkMigration } from '../../platform/db/migrate.js';
import { addSeedRule, type SeedRule } from '../../platform/deadlines/schema.js';

/** The scope key of the government's report; a department's report has the department id. */
export const GOVERNMENT = 'government';

/** The clocks' subject: `annual-report` with the id `<year>:<scope>` (a clock runs before any draft exists). */
export const SUBJECT = 'annual-report';

const ART49 = '《中华人民共和国政府信息公开条例》第四十九条';

/**
 * Art. 49: departments by 31 January, the government by 31 March of the following year. Hour clocks
 * (Asia/Shanghai wall time, holidays counted): a fixed date is a 期日, never moved past a weekend.
 * A clock starts on 31 December 23:59 of the report's year; 744 hours end on 31 January 23:59,
 * 2160 on 31 March 23:59 (a leap year's clock carries its own 2184).
 */
export const DEPARTMENT_RULE: SeedRule = {
  code: 'report.annual-department',
  nameZh: '部门政府信息公开工作年度报告（1月31日前）',
  nameEn: "A department's annual disclosure report (by 31 January)",
  unit: 'hours',
  amount: 744,
  maxExtensions: 0,
  extensionLimit: 0,
  pausable: false,
  legalBasis: `${ART49}：政府部门应当于每年1月31日前向本级政府信息公开工作主管部门提交本行政机关上一年度政府信息公开工作年度报告并向社会公布`,
};
export const GOVERNMENT_RULE: SeedRule = {
  code: 'report.annual-government',
  nameZh: '本级政府政府信息公开工作年度报告（3月31日前）',
  nameEn: "The government's annual disclosure report (by 31 March)",
  unit: 'hours',
  amount: 2160,
  maxExtensions: 0,
  extensionLimit: 0,
  pausable: false,
  legalBasis: `${ART49}：县级以上地方人民政府的政府信息公开工作主管部门应当于每年3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告`,
};

export interface AnnualReportTable {
  id: Generated<number>;
  year: number;
  /** 'government' or the department's id (as text). */
  scope: string;
  /** The publishing department: the department itself, or the disclosure office for the government. */
  department_id: number;
  pub_item_id: number;
  /** JSON Narrative: the texts of sections 一 to 六. */
  narrative: string;
  /** JSON: Table 二 figures entered by staff, for the rows no mounted module supplies. */
  manual: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}
export type AnnualReportRow = Selectable<AnnualReportTable>;

declare module '../../platform/db/schema.js' {
  interface Database {
    annual_reports: AnnualReportTable;
  }
}

export const annualReportMigrations: GkMigration[] = [
  {
    name: '8001-annual-reports',
    async up(db, dialect) {
      await withId(db.schema.createTable('annual_reports'), dialect)
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('pub_item_id', 'integer', (c) => c.notNull().unique())
        .addColumn('narrative', 'text', (c) => c.notNull())
        .addColumn('manual', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('annual_reports_year_scope', ['year', 'scope'])
        .execute();
      await addSeedRule(db, DEPARTMENT_RULE);
      await addSeedRule(db, GOVERNMENT_RULE);
    },
  },
];
