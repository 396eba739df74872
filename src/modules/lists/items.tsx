// The spine item type of a published list edition: the full snapshot, its change record, the
// reason and the approving document. Search indexes the items' text through searchText.
import { Type } from '@sinclair/typebox';
import { registerItemType } from '../../platform/publication/registry.js';
import { listType, type Changes, type ListItem } from './service/engine.js';

export const LIST_EDITION = 'list-edition';

export interface ListEditionData {
  listId: number;
  listType: string;
  listTitle: string;
  department: string;
  edition: number;
  reason: string;
  docNo: string;
  items: ListItem[];
  changes: Changes;
  previous: number | null;
  /** Files of the approving document (the catalog's item page lists `attachments` of every type). */
  attachments: { hash: string; name: string; size: number; mime: string }[];
}

const CATEGORY: Record<string, string> = { power: 'a20-02', 'service-guide': 'a20-05', 'market-access': 'a20-15', 'foreign-investment': 'a20-15', 'inspection-matter': 'a20-13' };

registerItemType<ListEditionData>({
  type: LIST_EDITION,
  // 法定主动公开内容 (Art. 20: 权力清单, 办事指南, 负面清单): catalog items with 索引号.
  section: 'catalog',
  label: 'lists.item_type',
  schema: Type.Object({ listId: Type.Integer(), listType: Type.String(), edition: Type.Integer() }, { additionalProperties: true }),
  category: 'a20-02',
  // Subscriptions to one kind of list (e.g. the negative lists): x.list.
  facets: {
    names: ['list'],
    values: (d) => ({ list: d.listType ? [d.listType] : [] }),
    label: (name, value, t) => (name === 'list' && listType(value) ? t(`lists.type.${value}`) : null),
  },
  searchText(d) {
    const lt = listType(d.listType);
    const items = lt ? d.items.map((i) => lt.searchText(i)) : [];
    return [d.listTitle, d.reason, d.docNo, ...items].join('\n').slice(0, 200_000);
  },
  render(d, c) {
    const href = `/lists/${d.listType}/lists/${d.listId}`;
    return (
      <div class="list-edition">
        <p>
          {c.t('lists.edition_of', { n: d.edition })} · {c.t('lists.item_count', { n: d.items.length })}
        </p>
        {d.edition > 1 && (
          <p>
            {c.t('lists.change_summary', { added: d.changes.added.length, removed: d.changes.removed.length, changed: d.changes.changed.length })}
          </p>
        )}
        <p>
          <a href={href}>{c.t('lists.browse_list')}</a>
        </p>
      </div>
    );
  },
  // The edition's catalog entry (索引号, metadata, hashed versions; its body links to the list).
  url: (id) => `/catalog/items/${id}`,
  links: (d) => (d.previous ? [{ to: d.previous, kind: 'related' }] : []),
});

export const editionCategory = (type: string) => CATEGORY[type] ?? 'a20-15';
