// Tables of the deadline engine: the versioned rule catalogue, clocks, their pauses,
// extensions and history.
import { withId, type GkMigration } from '../db/migrate.js';
import type { Kysely } from 'kysely';

/** `hours`: Asia/Shanghai wall-clock hours, nights, weekends and holidays included. */
export type RuleUnit = 'workdays' | 'days' | 'months' | 'hours';
/** `limit`: the subject must be done by the due date (overdue after it). `minimum`: a period that must stay open at least until the due date (then it may be finished; never overdue). */
export type ClockKind = 'limit' | 'minimum';
export type ClockState = 'running' | 'paused' | 'stopped' | 'completed';

export interface DeadlineRuleTable {
  id: import('kysely').Generated<number>;
  code: string;
  version: number;
  name_zh: string;
  name_en: string;
  unit: RuleUnit;
  amount: number;
  kind: ClockKind;
  max_extensions: number;
  /** Most working days one extension may add (0 = no extension). */
  extension_limit: number;
  pausable: number;
  legal_basis: string;
  note: string;
  created_at: string;
  created_by: string;
}

export interface ClockTable {
  id: import('kysely').Generated<number>;
  subject_type: string;
  subject_id: string;
  title: string;
  url: string;
  public_subject: number;
  department_id: number | null;
  responsible_user_id: number | null;
  rule_code: string;
  rule_version: number;
  /** Copied from the rule when the clock starts. */
  kind: ClockKind;
  /** The clock's own time limit (a service guide's promised days, …), used instead of the rule's when set. */
  amount: number | null;
  unit: RuleUnit | null;
  start_date: string;
  /** Hour clocks: start as Asia/Shanghai wall time YYYY-MM-DDTHH:MM (start_date is its day). */
  start_at: string | null;
  due_date: string;
  /** Hour clocks: due as Asia/Shanghai wall time YYYY-MM-DDTHH:MM (due_date is its day). */
  due_at: string | null;
  provisional: number;
  state: ClockState;
  /** Last status found by the supervision scan (normal, warning, due-today, overdue, seriously-overdue). */
  status: string;
  extension_days: number;
  extensions: number;
  /** The highest threshold already notified ('' | 'warning' | 'overdue'): each is notified once per clock. */
  notified: string;
  closed_on: string | null;
  stop_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface ClockPauseTable {
  id: import('kysely').Generated<number>;
  clock_id: number;
  kind: string;
  reason: string;
  from_date: string;
  to_date: string | null;
  created_at: string;
}

export interface ClockExtensionTable {
  id: import('kysely').Generated<number>;
  clock_id: number;
  workdays: number;
  reason: string;
  approver: string;
  created_at: string;
}

export interface ClockEventTable {
  id: import('kysely').Generated<number>;
  clock_id: number;
  at: string;
  actor: string;
  action: string;
  details: string;
}

declare module '../db/schema.js' {
  interface Database {
    deadline_rules: DeadlineRuleTable;
    clocks: ClockTable;
    clock_pauses: ClockPauseTable;
    clock_extensions: ClockExtensionTable;
    clock_events: ClockEventTable;
  }
}

export interface SeedRule {
  code: string;
  nameZh: string;
  nameEn: string;
  unit: RuleUnit;
  amount: number;
  /** Default 'limit'. */
  kind?: ClockKind;
  maxExtensions: number;
  extensionLimit: number;
  pausable: boolean;
  legalBasis: string;
}

const APPEAL_BASIS = '12345政务服务便民热线办理时限（本地规定，国办发〔2020〕53号）';

export const SEED_RULES: SeedRule[] = [
  { code: 'disclosure.publish', nameZh: '主动公开信息发布', nameEn: 'Publish proactive-disclosure information', unit: 'workdays', amount: 20, maxExtensions: 0, extensionLimit: 0, pausable: false, legalBasis: '《中华人民共和国政府信息公开条例》第二十六条' },
  { code: 'request.correction', nameZh: '依申请公开补正告知', nameEn: 'Ask the requester for a correction', unit: 'workdays', amount: 7, maxExtensions: 0, extensionLimit: 0, pausable: false, legalBasis: '《中华人民共和国政府信息公开条例》第三十条' },
  { code: 'request.reply', nameZh: '依申请公开答复', nameEn: 'Reply to a disclosure request', unit: 'workdays', amount: 20, maxExtensions: 1, extensionLimit: 20, pausable: true, legalBasis: '《中华人民共和国政府信息公开条例》第三十三条（补正、征求第三方意见期间不计入：第三十条、第三十二条）' },
  { code: 'request.third-party', nameZh: '第三方意见征询', nameEn: 'Third-party opinion', unit: 'workdays', amount: 15, maxExtensions: 0, extensionLimit: 0, pausable: false, legalBasis: '《中华人民共和国政府信息公开条例》第三十二条' },
  { code: 'penalty.publish', nameZh: '行政处罚决定公示', nameEn: 'Publish a penalty decision', unit: 'workdays', amount: 7, maxExtensions: 0, extensionLimit: 0, pausable: false, legalBasis: '行政许可、行政处罚决定7个工作日内上网公开（国办发〔2018〕118号；双公示）' },
  { code: 'inspection.results', nameZh: '双随机抽查结果公示', nameEn: 'Publish random-inspection results', unit: 'workdays', amount: 20, maxExtensions: 0, extensionLimit: 0, pausable: false, legalBasis: '抽查检查结果自检查结束之日起20个工作日内公示（国发〔2019〕5号）' },
  { code: 'appeal.consult', nameZh: '市民诉求：咨询', nameEn: 'Citizen appeal: enquiry', unit: 'workdays', amount: 2, maxExtensions: 1, extensionLimit: 5, pausable: true, legalBasis: APPEAL_BASIS },
  { code: 'appeal.help', nameZh: '市民诉求：求助', nameEn: 'Citizen appeal: request for help', unit: 'workdays', amount: 10, maxExtensions: 1, extensionLimit: 10, pausable: true, legalBasis: APPEAL_BASIS },
  { code: 'appeal.suggest', nameZh: '市民诉求：建议', nameEn: 'Citizen appeal: suggestion', unit: 'workdays', amount: 10, maxExtensions: 1, extensionLimit: 10, pausable: true, legalBasis: APPEAL_BASIS },
  { code: 'appeal.complaint', nameZh: '市民诉求：投诉', nameEn: 'Citizen appeal: complaint', unit: 'workdays', amount: 15, maxExtensions: 1, extensionLimit: 15, pausable: true, legalBasis: APPEAL_BASIS },
  { code: 'appeal.report', nameZh: '市民诉求：举报', nameEn: 'Citizen appeal: report', unit: 'workdays', amount: 15, maxExtensions: 1, extensionLimit: 15, pausable: true, legalBasis: APPEAL_BASIS },
  { code: 'consultation.period', nameZh: '重大行政决策意见征集期（不少于）', nameEn: 'Major-decision comment period (minimum)', unit: 'days', amount: 30, kind: 'minimum', maxExtensions: 1, extensionLimit: 30, pausable: false, legalBasis: '《重大行政决策程序暂行条例》第十五条：征求意见的期限一般不少于30日' },
];

/** Rules added after the first migration (inserted as version 1 by their migration). */
export const RATING_FIX_RULE: SeedRule = { code: 'rating.fix', nameZh: '好差评：差评整改', nameEn: 'Service rating: fix after a bad rating', unit: 'workdays', amount: 10, maxExtensions: 0, extensionLimit: 0, pausable: false, legalBasis: '政务服务“好差评”：实名差评100%回访，整改期限5–15个工作日（本地规定；本区10个工作日）' };

/** Adds a rule to the catalogue in a migration (version 1), unless a rule of that code exists:
 *  how the platform and modules bring the time limits they need. */
export async function addSeedRule(db: Kysely<any>, r: SeedRule): Promise<void> {
  const exists = await db.selectFrom('deadline_rules').select('id').where('code', '=', r.code).executeTakeFirst();
  if (exists) return;
  await db
    .insertInto('deadline_rules')
    .values({ code: r.code, version: 1, name_zh: r.nameZh, name_en: r.nameEn, unit: r.unit, amount: r.amount, kind: r.kind ?? 'limit', max_extensions: r.maxExtensions, extension_limit: r.extensionLimit, pausable: r.pausable ? 1 : 0, legal_basis: r.legalBasis, note: '', created_at: new Date().toISOString(), created_by: 'migration' })
    .execute();
}

export const deadlineMigrations: GkMigration[] = [
  {
    name: '1002-deadlines',
    async up(db, dialect) {
      await withId(db.schema.createTable('deadline_rules'), dialect)
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('amount', 'integer', (c) => c.notNull())
        .addColumn('max_extensions', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('extension_limit', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('pausable', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('legal_basis', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('deadline_rules_code_version', ['code', 'version'])
        .execute();
      await withId(db.schema.createTable('clocks'), dialect)
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('public_subject', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('department_id', 'integer')
        .addColumn('responsible_user_id', 'integer')
        .addColumn('rule_code', 'text', (c) => c.notNull())
        .addColumn('rule_version', 'integer', (c) => c.notNull())
        .addColumn('start_date', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('provisional', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('normal'))
        .addColumn('extension_days', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('extensions', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('closed_on', 'text')
        .addColumn('stop_reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('clocks_subject').on('clocks').columns(['subject_type', 'subject_id']).execute();
      await db.schema.createIndex('clocks_open_due').on('clocks').columns(['state', 'due_date']).execute();
      await db.schema.createIndex('clocks_dept').on('clocks').columns(['department_id', 'state']).execute();
      await withId(db.schema.createTable('clock_pauses'), dialect)
        .addColumn('clock_id', 'integer', (c) => c.notNull().references('clocks.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('from_date', 'text', (c) => c.notNull())
        .addColumn('to_date', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('clock_pauses_clock').on('clock_pauses').column('clock_id').execute();
      await withId(db.schema.createTable('clock_extensions'), dialect)
        .addColumn('clock_id', 'integer', (c) => c.notNull().references('clocks.id').onDelete('cascade'))
        .addColumn('workdays', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('approver', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('clock_events'), dialect)
        .addColumn('clock_id', 'integer', (c) => c.notNull().references('clocks.id').onDelete('cascade'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('clock_events_clock').on('clock_events').column('clock_id').execute();
      const now = new Date().toISOString();
      await db
        .insertInto('deadline_rules')
        .values(
          SEED_RULES.map((r) => ({
            code: r.code,
            version: 1,
            name_zh: r.nameZh,
            name_en: r.nameEn,
            unit: r.unit,
            amount: r.amount,
            max_extensions: r.maxExtensions,
            extension_limit: r.extensionLimit,
            pausable: r.pausable ? 1 : 0,
            legal_basis: r.legalBasis,
            note: '',
            created_at: now,
            created_by: 'migration',
          })),
        )
        .execute();
    },
  },
  {
    name: '1004-clock-notified',
    async up(db) {
      await db.schema.alterTable('clocks').addColumn('notified', 'text', (c) => c.notNull().defaultTo('')).execute();
    },
  },
  {
    // Per-clock amount/unit, the minimum-period kind, hour clocks, and the 好差评 fix rule.
    name: '1005-clock-kind-amount-hours',
    async up(db) {
      await db.schema.alterTable('deadline_rules').addColumn('kind', 'text', (c) => c.notNull().defaultTo('limit')).execute();
      await db.schema.alterTable('clocks').addColumn('kind', 'text', (c) => c.notNull().defaultTo('limit')).execute();
      await db.schema.alterTable('clocks').addColumn('amount', 'integer').execute();
      await db.schema.alterTable('clocks').addColumn('unit', 'text').execute();
      await db.schema.alterTable('clocks').addColumn('start_at', 'text').execute();
      await db.schema.alterTable('clocks').addColumn('due_at', 'text').execute();
      // The comment period always was a minimum ("不少于30日"); its versions and clocks say so now.
      await db.updateTable('deadline_rules').set({ kind: 'minimum' }).where('code', '=', 'consultation.period').execute();
      await db.updateTable('clocks').set({ kind: 'minimum' }).where('rule_code', '=', 'consultation.period').execute();
      await addSeedRule(db, RATING_FIX_RULE);
    },
  },
];
