// Transparent enforcement (阳光执法): the registers (市场主体名录库, 执法检查人员名录库), random
// inspections (双随机一公开: plans, tasks, verifiable draws, results) and the 双公示 of licensing and
// penalty decisions with display periods and credit repair. Published text (plan, task and result
// notices, decisions) lives in the spine; these tables keep what the work needs between steps.
// See docs/model.md, "Enforcement", and docs/draws.md for the draw format.
import { sql, type Generated, type Selectable } from 'kysely';
import { withId, type GkMigration } from '../../platform/db/migrate.js';
import { addSeedRule, type SeedRule } from '../../platform/deadlines/schema.js';
import { codeFailuresTable } from '../../platform/tracking.js';

/** Clock subjects. */
export const SUBJECT_TASK = 'inspection-task';
export const SUBJECT_DECISION = 'enforcement-decision';
export const SUBJECT_REPAIR = 'credit-repair';

// 'inspection.results' (20 wd) and 'penalty.publish' (7 wd) are in the platform's seed catalogue
// (platform/deadlines/schema.ts); this module adds the licensing twin and credit repair.
export const RESULTS_RULE_CODE = 'inspection.results';
export const PENALTY_RULE_CODE = 'penalty.publish';
export const LICENSING_RULE: SeedRule = {
  code: 'licensing.publish',
  nameZh: '行政许可决定公示（作出决定之日起7个工作日内）',
  nameEn: 'Publish a licensing decision (within 7 working days of the decision)',
  unit: 'workdays',
  amount: 7,
  maxExtensions: 0,
  extensionLimit: 0,
  pausable: false,
  legalBasis: '行政许可、行政处罚决定7个工作日内上网公开（国办发〔2018〕118号；双公示）',
};
export const REPAIR_RULE: SeedRule = {
  code: 'credit.repair',
  nameZh: '信用修复申请审核',
  nameEn: 'Review a credit-repair application',
  unit: 'workdays',
  amount: 5,
  maxExtensions: 1,
  extensionLimit: 5,
  pausable: false,
  legalBasis: '《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令2023年第58号）；本地规定的审核时限（默认5个工作日）',
};

/** 市场主体名录库: one row per inspectable entity. Public: name, credit code, address. */
export interface EntityTable {
  id: Generated<number>;
  /** 统一社会信用代码 (GB 32100-2015, 18 characters, check character verified). */
  credit_code: string;
  name: string;
  address: string;
  legal_rep: string;
  /** Industry: a GB/T 4754 code (门类 letter or 2–4 digits). */
  industry: string;
  /** 'low' | 'medium' | 'high'. */
  risk: string;
  /** The area (街道/乡镇) name. */
  area: string;
  /** 1 = in the pool; 0 = 注销/吊销, kept for history. */
  active: number;
  /** The department that entered or last imported it. */
  department_id: number;
  created_at: string;
  updated_at: string;
}

/** 执法检查人员名录库. Public: cert number, name, department, fields. Never the phone. */
export interface InspectorTable {
  id: Generated<number>;
  /** 执法证号. */
  cert_no: string;
  name: string;
  department_id: number;
  /** JSON string[]: the fields of competence (codes of INSPECTION_FIELDS). */
  fields: string;
  active: number;
  /** The staff account that enters this inspector's results (null: none linked). */
  user_id: string | null;
  phone: string;
  created_at: string;
  updated_at: string;
}

/** Declared conflicts of interest (回避): this inspector never checks this entity. */
export interface RelationTable {
  id: Generated<number>;
  inspector_id: number;
  entity_id: number;
  reason: string;
  created_by: string;
  created_at: string;
}

/** An import of a register file, run as a job; the console shows its progress. */
export interface ImportTable {
  id: Generated<number>;
  /** 'entities' | 'inspectors'. */
  kind: string;
  department_id: number;
  file_hash: string;
  file_name: string;
  /** 'queued' | 'running' | 'done' | 'failed'. */
  status: string;
  total: number;
  done: number;
  /** JSON: { created, updated, problems: [{row, field, message}] , format, encoding }. */
  report: string;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}

/** An annual random-inspection plan (抽查计划); its 计划公告 is a spine item. */
export interface PlanTable {
  id: Generated<number>;
  department_id: number;
  year: number;
  title: string;
  /** 'draft' | 'published'. */
  status: string;
  pub_item_id: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A task of a plan (抽查任务). States: pending 待抽取 → drawn 已抽取 → in-progress 执行中 →
 *  completed 已完成 → published 结果已公示. */
export interface TaskTable {
  id: Generated<number>;
  plan_id: number;
  department_id: number;
  title: string;
  /** The matter of the 随机抽查事项清单 (its code), with its name and field copied at creation. */
  matter_code: string;
  matter_name: string;
  field: string;
  /** JSON { industries: string[], areas: string[], risks: string[] } (empty = any). */
  filter: string;
  /** 'count' | 'ratio'. */
  sample_kind: string;
  /** A count, or a ratio in per mille (50 = 5%); ratios round up. */
  sample_value: number;
  per_target: number;
  window_start: string;
  window_end: string;
  state: string;
  /** 任务公告 and 结果公告 spine items. */
  task_item_id: number | null;
  result_item_id: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A task's draw: inputs frozen and published before, secrets revealed and selection at the draw. */
export interface DrawTable {
  id: Generated<number>;
  task_id: number;
  /** 'prepared' (inputs published, waiting for the witnesses) | 'done'. */
  status: string;
  /** JSON: the gongkai-draw/1 inputs: targets, inspectors, conflicts, sampleSize, perTarget, field. */
  inputs: string;
  /** JSON [{ name, commitment }] in witness order. */
  witnesses: string;
  /** JSON string[] (revealed secrets, witness order); '[]' before the draw. */
  secrets: string;
  beacon: string;
  seed: string | null;
  /** JSON [{ target, inspectors: certNo[] }]. */
  selection: string | null;
  prepared_by: string;
  prepared_at: string;
  drawn_by: string | null;
  drawn_at: string | null;
}

/** One selected target of a task: its inspectors and, once entered, the result. */
export interface CheckTable {
  id: Generated<number>;
  task_id: number;
  entity_id: number;
  credit_code: string;
  ordinal: number;
  /** JSON certNo[] assigned by the draw. */
  inspectors: string;
  /** A code of RESULT_CODES, null until entered. */
  result: string | null;
  note: string;
  entered_by: string | null;
  entered_at: string | null;
}

/** A licensing or penalty decision (双公示). */
export interface DecisionTable {
  id: Generated<number>;
  /** 'licensing' | 'penalty'. */
  kind: string;
  department_id: number;
  /** 决定书文号 / 许可决定文书号. */
  doc_no: string;
  /** 'legal' (法人及其他组织: shown in full) | 'natural' (自然人: masked in public). */
  subject_type: string;
  subject_name: string;
  credit_code: string;
  legal_rep: string;
  address: string;
  /** 自然人 ID number; never public. */
  id_number: string;
  /** 违法事实 (penalty) / 许可内容 (licensing). */
  facts: string;
  /** 处罚类别 / 许可类别. */
  category: string;
  basis: string;
  content: string;
  result: string;
  /** Licensing: certificate name and number, valid from/to. */
  licence_name: string;
  licence_no: string;
  valid_from: string | null;
  valid_to: string | null;
  decision_date: string;
  /** A code of DOMAINS (产品质量, 旅游, 知识产权, 安全生产, …). */
  domain: string;
  /** Penalties: 'minor' 轻微 | 'ordinary' 一般 | 'serious' 严重; licensing ''. */
  severity: string;
  /** Display period: earliest day credit repair may end it, last day on display (inclusive). */
  display_min_until: string | null;
  display_until: string | null;
  /** 'draft' | 'submitted' | 'published' | 'ended' (display over: see end_reason) | 'not-shown' (轻微, approved). */
  status: string;
  /** 'expired' | 'repaired' | 'revoked' | 'changed' when ended. */
  end_reason: string | null;
  end_note: string;
  ended_at: string | null;
  pub_item_id: number | null;
  author_id: string;
  approver_id: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  /** (10002) What the public search matches, in lower case: the 文号, and a legal person's name
   *  (never a natural person's, which the public sees masked). Kept by service/decisions.ts. */
  search: Generated<string>;
}

/** A credit-repair application (信用修复) against one displayed penalty decision. */
export interface RepairTable {
  id: Generated<number>;
  decision_id: number;
  credit_code: string;
  applicant: string;
  phone: string;
  email: string;
  commitment: string;
  /** JSON [{ hash, name, mime, size }]. */
  evidence: string;
  /** 'pending' | 'approved' | 'rejected'. */
  status: string;
  tracking_no: string;
  review_note: string;
  reviewer_id: string | null;
  created_at: string;
  decided_at: string | null;
  /** SHA-256 of (tracking number, query code): the applicant's proof on the status page (platform/tracking.ts). Migration 10003. */
  code_hash: string;
}

/** Wrong query codes per repair tracking number (platform/tracking.ts, codeFailuresTable). */
export interface RepairCodeFailureTable {
  tracking_no: string;
  failures: number;
  locked_until_ms: number;
  last_ms: number;
}

export type EntityRow = Selectable<EntityTable>;
export type InspectorRow = Selectable<InspectorTable>;
export type TaskRow = Selectable<TaskTable>;
export type DrawRow = Selectable<DrawTable>;
export type CheckRow = Selectable<CheckTable>;
export type DecisionRow = Selectable<DecisionTable>;
export type RepairRow = Selectable<RepairTable>;
export type PlanRow = Selectable<PlanTable>;
export type ImportRow = Selectable<ImportTable>;

declare module '../../platform/db/schema.js' {
  interface Database {
    enf_entities: EntityTable;
    enf_inspectors: InspectorTable;
    enf_relations: RelationTable;
    enf_imports: ImportTable;
    enf_plans: PlanTable;
    enf_tasks: TaskTable;
    enf_draws: DrawTable;
    enf_checks: CheckTable;
    enf_decisions: DecisionTable;
    enf_repairs: RepairTable;
    enf_repair_code_failures: RepairCodeFailureTable;
  }
}

export const enforcementMigrations: GkMigration[] = [
  {
    name: '10001-enforcement',
    async up(db, dialect) {
      await withId(db.schema.createTable('enf_entities'), dialect)
        .addColumn('credit_code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('legal_rep', 'text', (c) => c.notNull())
        .addColumn('industry', 'text', (c) => c.notNull())
        .addColumn('risk', 'text', (c) => c.notNull())
        .addColumn('area', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('enf_entities_name').on('enf_entities').column('name').execute();
      await db.schema.createIndex('enf_entities_pool').on('enf_entities').columns(['active', 'industry', 'area', 'risk']).execute();

      await withId(db.schema.createTable('enf_inspectors'), dialect)
        .addColumn('cert_no', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('user_id', 'text')
        .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('enf_inspectors_dept').on('enf_inspectors').column('department_id').execute();

      await withId(db.schema.createTable('enf_relations'), dialect)
        .addColumn('inspector_id', 'integer', (c) => c.notNull())
        .addColumn('entity_id', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('enf_relations_pair', ['inspector_id', 'entity_id'])
        .execute();

      await withId(db.schema.createTable('enf_imports'), dialect)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('file_hash', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('report', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute();

      await withId(db.schema.createTable('enf_plans'), dialect)
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('pub_item_id', 'integer')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('enf_tasks'), dialect)
        .addColumn('plan_id', 'integer', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('matter_code', 'text', (c) => c.notNull())
        .addColumn('matter_name', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('filter', 'text', (c) => c.notNull())
        .addColumn('sample_kind', 'text', (c) => c.notNull())
        .addColumn('sample_value', 'integer', (c) => c.notNull())
        .addColumn('per_target', 'integer', (c) => c.notNull().defaultTo(2))
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('window_end', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('task_item_id', 'integer')
        .addColumn('result_item_id', 'integer')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('enf_tasks_plan').on('enf_tasks').column('plan_id').execute();

      await withId(db.schema.createTable('enf_draws'), dialect)
        .addColumn('task_id', 'integer', (c) => c.notNull().unique())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('inputs', 'text', (c) => c.notNull())
        .addColumn('witnesses', 'text', (c) => c.notNull())
        .addColumn('secrets', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('beacon', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('seed', 'text')
        .addColumn('selection', 'text')
        .addColumn('prepared_by', 'text', (c) => c.notNull())
        .addColumn('prepared_at', 'text', (c) => c.notNull())
        .addColumn('drawn_by', 'text')
        .addColumn('drawn_at', 'text')
        .execute();

      await withId(db.schema.createTable('enf_checks'), dialect)
        .addColumn('task_id', 'integer', (c) => c.notNull())
        .addColumn('entity_id', 'integer', (c) => c.notNull())
        .addColumn('credit_code', 'text', (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('inspectors', 'text', (c) => c.notNull())
        .addColumn('result', 'text')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('entered_by', 'text')
        .addColumn('entered_at', 'text')
        .addUniqueConstraint('enf_checks_task_entity', ['task_id', 'entity_id'])
        .execute();
      await db.schema.createIndex('enf_checks_entity').on('enf_checks').column('entity_id').execute();

      await withId(db.schema.createTable('enf_decisions'), dialect)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('department_id', 'integer', (c) => c.notNull())
        .addColumn('doc_no', 'text', (c) => c.notNull())
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_name', 'text', (c) => c.notNull())
        .addColumn('credit_code', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('legal_rep', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('id_number', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('facts', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('basis', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('licence_name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('licence_no', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('valid_from', 'text')
        .addColumn('valid_to', 'text')
        .addColumn('decision_date', 'text', (c) => c.notNull())
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('display_min_until', 'text')
        .addColumn('display_until', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('end_reason', 'text')
        .addColumn('end_note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('ended_at', 'text')
        .addColumn('pub_item_id', 'integer')
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('approver_id', 'text')
        .addColumn('published_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('enf_decisions_doc', ['department_id', 'kind', 'doc_no'])
        .execute();
      // The public list: decisions on display, newest first, by kind and domain.
      await db.schema.createIndex('enf_decisions_public').on('enf_decisions').columns(['status', 'kind', 'decision_date']).execute();
      await db.schema.createIndex('enf_decisions_credit').on('enf_decisions').column('credit_code').execute();
      await db.schema.createIndex('enf_decisions_until').on('enf_decisions').columns(['status', 'display_until']).execute();

      await withId(db.schema.createTable('enf_repairs'), dialect)
        .addColumn('decision_id', 'integer', (c) => c.notNull())
        .addColumn('credit_code', 'text', (c) => c.notNull())
        .addColumn('applicant', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('commitment', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('tracking_no', 'text', (c) => c.notNull().unique())
        .addColumn('review_note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('reviewer_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .execute();
      await db.schema.createIndex('enf_repairs_decision').on('enf_repairs').column('decision_id').execute();

      for (const r of [LICENSING_RULE, REPAIR_RULE]) await addSeedRule(db, r);
    },
  },
  {
    // Credit repair is followed without an account: a query code beside the tracking number, and
    // the lock on wrong codes (platform/tracking.ts).
    name: '10003-enforcement-repair-code',
    async up(db) {
      await db.schema.alterTable('enf_repairs').addColumn('code_hash', 'text', (c) => c.notNull().defaultTo('')).execute();
      await codeFailuresTable(db, 'enf_repair_code_failures');
    },
  },
  {
    // The public list and search of decisions on display (p95 < 50 ms with 100,000 decisions,
    // docs/performance.md): one covering index per kind walked in decision-date order, so the
    // page, its count and every filter (domain, year, the search text) read the index only (the id
    // last, for PostgreSQL's index-only scans; SQLite has it anyway).
    name: '10002-enforcement-decision-search',
    async up(db) {
      await db.schema.alterTable('enf_decisions').addColumn('search', 'text', (c) => c.notNull().defaultTo('')).execute();
      await sql`update enf_decisions set search = lower(doc_no || case when subject_type = 'legal' then ' ' || subject_name else '' end)`.execute(db);
      await db.schema.dropIndex('enf_decisions_public').execute();
      await db.schema.createIndex('enf_decisions_public').on('enf_decisions').columns(['status', 'kind', 'decision_date', 'domain', 'search', 'id']).execute();
    },
  },
];
