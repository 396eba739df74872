// Shared schema pieces and checks of the list types.
import { Type } from '@sinclair/typebox';
import type { CheckContext, ListItem } from '../engine.js';

export const Code = (max = 40) => Type.String({ minLength: 1, maxLength: max, pattern: '^[A-Za-z0-9][A-Za-z0-9-]*$' });
export const Text = (max = 2000, min = 1) => Type.String({ minLength: min, maxLength: max });
export const Lines = (max = 50, min = 0) => Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), { minItems: min, maxItems: max });
export const DeptCode = Type.String({ minLength: 2, maxLength: 32, pattern: '^[a-z][a-z0-9-]*$' });
/** 国民经济行业分类 (GB/T 4754-2017) codes: a section letter, optionally with 2–4 digits. */
export const IndustryCode = Type.String({ pattern: '^[A-T](\\d{2,4})?$' });

/** The item's department must exist and, on a department's list, be that department. */
export function checkDepartment(item: ListItem, ctx: CheckContext, field = 'department'): Record<string, string> {
  const d = item[field];
  if (typeof d !== 'string') return {};
  if (!ctx.departments.has(d)) return { [field]: 'err.lists.unknown_department' };
  if (ctx.listDepartment && d !== ctx.listDepartment) return { [field]: 'err.lists.other_department' };
  return {};
}

export const trimAll = (item: ListItem): ListItem => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]));
