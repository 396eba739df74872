// The list engine without a database: the change record of an adjustment reproduces the next
// edition (property test), and the CSV/XLSX codecs read back what they write.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyChanges, diffSnapshots, sortSnapshot, toCsv, toXlsx, itemToRow, rowToItem, columnsOf, listType, type ListItem } from '../../src/modules/lists/service/engine.js';
import { parseCsv } from '../../src/modules/lists/service.js';
import { xlsxRows } from '../../src/platform/files/index.js';
import '../../src/modules/lists/service/types/index.js';

const value = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 5 }), fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }), fc.record({ a: fc.string({ maxLength: 3 }) }));
const item = (key: string) => fc.dictionary(fc.constantFrom('name', 'basis', 'steps', 'phone', 'extra'), value, { maxKeys: 5 }).map((d) => ({ ...d, code: key }) as ListItem);
const snapshot = fc.uniqueArray(fc.constantFrom(...Array.from({ length: 25 }, (_, i) => `K${i}`)), { maxLength: 25 }).chain((keys) => fc.tuple(...keys.map((k) => item(k))));

describe('edition diffs', () => {
  it('applying the change record to edition N gives edition N+1 (property)', () => {
    fc.assert(
      fc.property(snapshot, snapshot, (n, n1) => {
        const changes = diffSnapshots('code', n, n1);
        expect(applyChanges('code', n, changes)).toEqual(sortSnapshot('code', n1));
        // Every item lands in exactly one bucket (or is unchanged).
        const keys = new Set([...changes.added, ...changes.removed, ...changes.changed].map((c) => c.key));
        expect(keys.size).toBe(changes.added.length + changes.removed.length + changes.changed.length);
      }),
      { numRuns: 300 },
    );
  });

  it('names the changed fields with their old and new values', () => {
    const a = [{ code: 'X1', name: '甲', basis: '旧依据' }, { code: 'X2', name: '乙' }];
    const b = [{ code: 'X1', name: '甲', basis: '新依据' }, { code: 'X3', name: '丙' }];
    const ch = diffSnapshots('code', a, b);
    expect(ch.added.map((x) => x.key)).toEqual(['X3']);
    expect(ch.removed.map((x) => x.key)).toEqual(['X2']);
    expect(ch.changed).toEqual([{ key: 'X1', fields: [{ field: 'basis', from: '旧依据', to: '新依据' }] }]);
  });

  it('orders keys numerically (measure 2 before measure 10)', () => {
    expect(sortSnapshot('no', [{ no: '10' }, { no: '2' }, { no: '1' }]).map((x) => x.no)).toEqual(['1', '2', '10']);
  });
});

describe('tabular codecs', () => {
  const rows = [['code', 'name', 'note'], ['A-1', '食品经营许可, "甲"', '第一行\n第二行'], ['A-2', '<&>', '']];
  it('CSV round-trips quotes, commas and newlines', () => {
    expect(parseCsv(toCsv(rows))).toEqual(rows.map((r) => r.map((c) => c)).filter((r) => r.some((c) => c !== '')));
  });
  it("XLSX written here is read back by the file store reader (an empty last cell is no cell)", async () => {
    expect(await xlsxRows(toXlsx(rows))).toEqual([rows[0], rows[1], ['A-2', '<&>']]);
  });
  it('a power item survives the row format (lists as lines, nested values as JSON)', () => {
    const lt = listType('power')!;
    const it0 = { code: 'XK-1', name: '许可', powerType: 'licensing', department: 'xzsp', implementer: '审批局', basis: '某法', duties: ['受理', '审查'], accountability: '追责', process: ['受理', '决定'], supervisionChannel: '纪检', supervisionPhone: '0411-12345' };
    const back = rowToItem(lt, columnsOf(lt), itemToRow(lt, it0), 2, { departments: new Set(['xzsp']), listDepartment: 'xzsp' });
    expect(back.problems).toEqual([]);
    expect(back.item).toEqual(it0);
    const guide = listType('service-guide')!;
    const g = { code: 'G1', name: '指南', department: 'xzsp', applicants: ['enterprise'], conditions: ['条件'], materials: [{ name: '申请书', form: 'paper', copies: 1, original: 'original' }], steps: ['申请'], statutoryDays: 10, promisedDays: 3, fees: [], windows: [{ address: '大厅', hours: '9-17', phone: '0411-1234567' }], visits: 0, faq: [] };
    const gb = rowToItem(guide, columnsOf(guide), itemToRow(guide, g), 2, { departments: new Set(['xzsp']), listDepartment: 'xzsp' });
    expect(gb.problems).toEqual([]);
    expect(gb.item).toEqual(g);
  });
});
