// The deadline engine: every legal clock of every module. A clock belongs to a subject (any
// item of any module), follows a versioned rule from the catalogue, and has a start, a due date
// and a state. Pauses (补正, third-party consultation) move the due date by the paused working
// days; extensions are limited by the rule; every change is kept in the clock's history and
// appended to the audit chain in the caller's transaction.
//
// The engine's parts: the rule catalogue (rules.ts), due dates (due.ts: working days, natural days,
// months, hours), status on a day (status.ts: thresholds and boundaries) and the clocks themselves
// (clocks.ts: start, pause, resume, extend, complete, stop, read). Import the engine from here;
// the parts never import this file.

export { deadlineMigrations, SEED_RULES, RATING_FIX_RULE } from './schema.js';
export type { ClockKind, ClockState, RuleUnit } from './schema.js';
export { RULE_UNITS, CLOCK_KINDS, getRule, listRules, ruleVersions, checkRule, saveRule, type RuleView, type RuleInput } from './rules.js';
export { nowShanghai, isValidWallTime, addHours, computeDue, limitOf, type ClockDue } from './due.js';
export { OPEN_STATUSES, DEFAULT_THRESHOLDS, getThresholds, setThresholds, statusBoundaries, statusFor, type ClockStatus, type Thresholds, type StatusBoundaries } from './status.js';
export {
  startClock,
  completeClock,
  stopClock,
  pauseClock,
  resumeClock,
  extendClock,
  clockView,
  clocksFor,
  getClock,
  recomputeOpenClocks,
  type ClockInput,
  PAUSE_KINDS,
  type PauseKind,
  type HistoryEntry,
  type ClockView,
} from './clocks.js';
