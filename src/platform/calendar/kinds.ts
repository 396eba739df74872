// The words calendar files use for the two kinds of day: a holiday, or a make-up working day
// (调休上班, glossary `makeupDay`). Shared by the CSV/JSON columns and the iCalendar properties.
import type { DayKind } from './snapshot.js';

const WORKDAY_WORDS = /^(workday|work|makeup|make-up|makeup-day|makeupday|班|补班|上班|调休上班|工作日)$/i;
const HOLIDAY_WORDS = /^(holiday|off|rest|休|放假|休息|节假日|假日)$/i;

/** The kind a word names, or null. */
export function kindOf(raw: string): DayKind | null {
  const s = raw.trim();
  if (WORKDAY_WORDS.test(s)) return 'workday';
  if (HOLIDAY_WORDS.test(s)) return 'holiday';
  return null;
}
