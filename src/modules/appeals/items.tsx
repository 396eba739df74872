// The `appeal` item type of the publication spine: the anonymised appeal and its reply.
import { Type } from '@sinclair/typebox';
import { registerItemType } from '../../platform/publication/registry.js';

export const AppealItem = Type.Object({
  trackingNo: Type.String(),
  type: Type.String(),
  category: Type.String(),
  content: Type.String(),
  reply: Type.String(),
  askedAt: Type.String(),
  repliedAt: Type.Union([Type.String(), Type.Null()]),
  rating: Type.Union([Type.String(), Type.Null()]),
});

export interface AppealItemData {
  trackingNo: string;
  type: string;
  category: string;
  content: string;
  reply: string;
  askedAt: string;
  repliedAt: string | null;
  rating: string | null;
}

let registered = false;
export function registerAppealType(): void {
  if (registered) return;
  registered = true;
  registerItemType<AppealItemData>({
    type: 'appeal',
    // 互动交流, not the disclosure catalog: no 索引号, no Art. 20 category (ADR 0008).
    section: 'interaction',
    label: 'appeals.item_type',
    schema: AppealItem,
    searchText: (d, meta) => [meta.title, d.content, d.reply].join('\n'),
    render: (d, c) => (
      <div class="appeal-item">
        <h2>{c.t('appeals.content')}</h2>
        <p class="appeal-text">{d.content}</p>
        <h2>{c.t('appeals.reply')}</h2>
        <p class="appeal-text">{d.reply}</p>
      </div>
    ),
    url: (id) => `/appeals/published/${id}`,
  });
}
