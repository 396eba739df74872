// The coded values of enforcement, each with its label key in messages.ts (enforcement.<set>.<code>).

/** Fields of competence (检查领域) of inspectors and matters. */
export const INSPECTION_FIELDS = ['market', 'quality', 'food', 'tourism', 'ip', 'safety', 'environment', 'transport'] as const;
export type InspectionField = (typeof INSPECTION_FIELDS)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;

/** Task states, in order: 待抽取 → 已抽取 → 执行中 → 已完成 → 结果已公示. */
export const TASK_STATES = ['pending', 'drawn', 'in-progress', 'completed', 'published'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** Inspection result codes (抽查结果), as the national 双随机 platform names them. */
export const RESULT_CODES = ['no-problem', 'rectify', 'case-filed', 'no-activity', 'refused', 'not-found', 'closed'] as const;
export type ResultCode = (typeof RESULT_CODES)[number];

/** Decision domains; others are configured in the setting `enforcement.domains`. */
export const DOMAINS = ['quality', 'tourism', 'ip', 'safety', 'market', 'environment'] as const;

export const DECISION_KINDS = ['licensing', 'penalty'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Penalty severity: 轻微 is never shown; 一般 3 months to 1 year; 严重 1 year to 3 years. */
export const SEVERITIES = ['minor', 'ordinary', 'serious'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DECISION_STATUSES = ['draft', 'submitted', 'published', 'not-shown', 'ended'] as const;
export const END_REASONS = ['expired', 'repaired', 'revoked', 'changed'] as const;
export type EndReason = (typeof END_REASONS)[number];

export const REPAIR_STATUSES = ['pending', 'approved', 'rejected'] as const;
