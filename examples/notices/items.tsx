/** @jsxImportSource preact */
// The item type this module publishes through the spine: the spine gives it 索引号, immutable
// hashed versions, audit, search, feeds and channel delivery.
import { Type } from '@sinclair/typebox';
import { registerItemType } from '../../src/platform/publication/index.js';

export const NOTICE = 'notice';

export interface NoticeData {
  body: string;
  displayDays: number;
}

registerItemType<NoticeData>({
  type: NOTICE,
  // 通知公告 are 政府信息: the disclosure catalog lists them, with 索引号.
  section: 'catalog',
  label: 'notices.item_type',
  schema: Type.Object({ body: Type.String(), displayDays: Type.Integer() }),
  category: 'a20-01',
  prepare: (d) => {
    const fields: Record<string, string> = {};
    if (!d.body?.trim()) fields.body = 'err.field.required';
    else if (d.body.length > 5000) fields.body = 'err.field.too_long';
    return { data: { body: (d.body ?? '').trim(), displayDays: d.displayDays }, fields };
  },
  searchText: (d) => d.body,
  render: (d) => <p class="notice-body">{d.body}</p>,
  url: (id) => `/notices/${id}`,
});
