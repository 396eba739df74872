// The spine item types of enforcement. Each part registers its own in its block below.
import { Type } from '@sinclair/typebox';
import type { ComponentChildren } from 'preact';
import { registerItemType } from '../../platform/publication/registry.js';
import { Dl, Notice, TableWrap, zhLang, type PageCtx } from '../../platform/render/index.js';
import { shanghaiDateTime } from '../../platform/dates.js';

// ---- draws and results (抽取公告, 结果公告) ---------------------------------------------------------

/** 抽取公告: the inputs of a task's draw (published before the draw), revised with the revealed
 *  secrets, the seed and the selection. Its id is the draw's (`/enforcement/draws/{id}`). */
export const DRAW_NOTICE = 'inspection-draw';
/** 结果公告: every selected target of a task with its result. */
export const RESULT_NOTICE = 'inspection-result';
/** Art. 20 (十三): 环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况. */
export const INSPECTION_CATEGORY = 'a20-13';
/** 主题分类 市场监管、安全生产监管 \ 市场监管. */
export const INSPECTION_TOPIC = '0901';

/** What both notices say of their task. */
export interface TaskFacts {
  taskId: number;
  task: string;
  matterCode: string;
  matterName: string;
  field: string;
  /** The task's department (name). */
  department: string;
  windowStart: string;
  windowEnd: string;
}

/** The metadata of an inspection notice: a 公告 under 市场监管 and Art. 20 (十三). */
export function noticeMeta(title: string, keyword: string, matterName: string, summary: string) {
  return { title, genre: '公告', topic: INSPECTION_TOPIC, category: INSPECTION_CATEGORY, keywords: ['双随机一公开', keyword, matterName], summary };
}

export interface DrawNoticeData extends TaskFacts {
  format: string;
  sampleSize: number;
  perTarget: number;
  /** Pool sizes: targets, inspectors, inspectors with the matter's field, conflict pairs. */
  pool: { targets: number; inspectors: number; qualified: number; conflicts: number };
  /** SM3 of the canonical JSON of the stored inputs (service/draws.ts, inputsDigest). */
  inputsDigest: string;
  witnesses: { name: string; commitment: string }[];
  preparedAt: string;
  /** After the draw: */
  secrets: string[] | null;
  beacon: string;
  seed: string | null;
  selection: { target: string; name: string; inspectors: { certNo: string; name: string }[] }[] | null;
  drawnAt: string | null;
}

export interface ResultNoticeData extends TaskFacts {
  drawId: number;
  items: { ordinal: number; creditCode: string; name: string; result: string }[];
}

/** A table of selected targets in draw order: number, entity, credit code and the given columns. */
export function TargetsTable({ c, caption, columns, rows }: { c: PageCtx; caption: string; columns: string[]; rows: { ordinal: number; name: string; code: string; cells: ComponentChildren[] }[] }) {
  return (
    <TableWrap label={caption}>
      <table class="data targets">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{c.t('enforcement.draws.ordinal')}</th>
            <th scope="col">{c.t('enforcement.draws.entity')}</th>
            <th scope="col">{c.t('enforcement.draws.credit_code')}</th>
            {columns.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.ordinal}</td>
              <td lang={zhLang(c)}>{r.name}</td>
              <td>
                <code>{r.code}</code>
              </td>
              {r.cells.map((x) => (
                <td>{x}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The body of a draw notice: task, parameters, pools, commitments and, once drawn, the secrets,
 *  the beacon, the seed and the selection. */
export function DrawNoticeBody({ c, d }: { c: PageCtx; d: DrawNoticeData }) {
  return (
    <div class="draw-notice">
      <Dl
        rows={[
          [c.t('enforcement.draws.task'), <span lang={zhLang(c)}>{d.task}</span>],
          [c.t('enforcement.draws.matter'), <span lang={zhLang(c)}>{`${d.matterCode} ${d.matterName}`}</span>],
          [c.t('enforcement.draws.field'), c.t(`enforcement.field.${d.field}`)],
          [c.t('enforcement.draws.department'), <span lang={zhLang(c)}>{d.department}</span>],
          [c.t('enforcement.draws.window'), `${d.windowStart} — ${d.windowEnd}`],
          [c.t('enforcement.draws.sample_size'), String(d.sampleSize)],
          [c.t('enforcement.draws.per_target'), String(d.perTarget)],
          [c.t('enforcement.draws.target_pool'), c.t('enforcement.draws.n_entities', { n: d.pool.targets })],
          [c.t('enforcement.draws.inspector_pool'), c.t('enforcement.draws.n_inspectors', { n: d.pool.inspectors, qualified: d.pool.qualified })],
          [c.t('enforcement.draws.conflicts'), c.t('enforcement.draws.n_conflicts', { n: d.pool.conflicts })],
          [c.t('enforcement.draws.inputs_digest'), <code class="hash">{d.inputsDigest}</code>],
        ]}
      />
      <h2>{c.t('enforcement.draws.witnesses')}</h2>
      <p class="hint">{c.t('enforcement.draws.witnesses_intro')}</p>
      <TableWrap label={c.t('enforcement.draws.witnesses')}>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{c.t('enforcement.draws.ordinal')}</th>
              <th scope="col">{c.t('enforcement.draws.witness')}</th>
              <th scope="col">{c.t('enforcement.draws.commitment')}</th>
              {d.secrets && <th scope="col">{c.t('enforcement.draws.secret')}</th>}
            </tr>
          </thead>
          <tbody>
            {d.witnesses.map((w, i) => (
              <tr>
                <td>{i + 1}</td>
                <td lang={zhLang(c)}>{w.name}</td>
                <td>
                  <code class="hash">{w.commitment}</code>
                </td>
                {d.secrets && (
                  <td>
                    <code>{d.secrets[i]}</code>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {d.seed && d.selection ? (
        <>
          <h2>{c.t('enforcement.draws.result')}</h2>
          <Dl
            rows={[
              [c.t('enforcement.draws.drawn_at'), shanghaiDateTime(d.drawnAt, true)],
              [c.t('enforcement.draws.beacon'), d.beacon ? <code>{d.beacon}</code> : c.t('enforcement.draws.no_beacon')],
              [c.t('enforcement.draws.seed'), <code class="hash">{d.seed}</code>],
            ]}
          />
          <TargetsTable
            c={c}
            caption={c.t('enforcement.draws.selection')}
            columns={[c.t('enforcement.draws.inspectors')]}
            rows={d.selection.map((s, i) => ({
              ordinal: i + 1,
              name: s.name,
              code: s.target,
              cells: [
                s.inspectors.map((x, j) => (
                  <>
                    {j > 0 && '、'}
                    <span lang={zhLang(c)}>{x.name}</span> <code>{x.certNo}</code>
                  </>
                )),
              ],
            }))}
          />
        </>
      ) : (
        <Notice kind="info">{c.t('enforcement.draws.not_drawn')}</Notice>
      )}
    </div>
  );
}

/** The body of a results notice: the task and every selected target with its result. */
export function ResultNoticeBody({ c, d }: { c: PageCtx; d: ResultNoticeData }) {
  const counts = new Map<string, number>();
  for (const x of d.items) counts.set(x.result, (counts.get(x.result) ?? 0) + 1);
  return (
    <div class="result-notice">
      <Dl
        rows={[
          [c.t('enforcement.draws.task'), <span lang={zhLang(c)}>{d.task}</span>],
          [c.t('enforcement.draws.matter'), <span lang={zhLang(c)}>{`${d.matterCode} ${d.matterName}`}</span>],
          [c.t('enforcement.draws.department'), <span lang={zhLang(c)}>{d.department}</span>],
          [c.t('enforcement.draws.window'), `${d.windowStart} — ${d.windowEnd}`],
          [c.t('enforcement.results.checked'), c.t('enforcement.draws.n_entities', { n: d.items.length })],
          [c.t('enforcement.results.summary'), [...counts].map(([k, n]) => `${c.t(`enforcement.result.${k}`)} ${n}`).join('；')],
        ]}
      />
      <p>
        <a href={`/enforcement/draws/${d.drawId}`}>{c.t('enforcement.results.draw_link')}</a>
      </p>
      <TargetsTable
        c={c}
        caption={c.t('enforcement.results.table')}
        columns={[c.t('enforcement.results.result')]}
        rows={d.items.map((x) => ({ ordinal: x.ordinal, name: x.name, code: x.creditCode, cells: [c.t(`enforcement.result.${x.result}`)] }))}
      />
    </div>
  );
}

registerItemType<DrawNoticeData>({
  type: DRAW_NOTICE,
  // 双随机抽查的抽取过程: information the government publishes (监督检查情况), in the catalog.
  section: 'catalog',
  label: 'enforcement.draws.item_type',
  schema: Type.Object({ taskId: Type.Integer(), sampleSize: Type.Integer(), perTarget: Type.Integer() }, { additionalProperties: true }),
  category: INSPECTION_CATEGORY,
  searchText: (d) => [d.task, d.matterName, d.department, ...d.witnesses.map((w) => w.name), ...(d.selection ?? []).flatMap((s) => [s.name, s.target])].join('\n'),
  render: (d, c) => <DrawNoticeBody c={c} d={d} />,
  // The draw's page (its id is the item's): the notice with the links to re-run it.
  url: (id) => `/enforcement/draws/${id}`,
});

registerItemType<ResultNoticeData>({
  type: RESULT_NOTICE,
  section: 'catalog',
  label: 'enforcement.results.item_type',
  schema: Type.Object({ taskId: Type.Integer(), items: Type.Array(Type.Object({ creditCode: Type.String(), result: Type.String() }, { additionalProperties: true })) }, { additionalProperties: true }),
  category: INSPECTION_CATEGORY,
  searchText: (d) => [d.task, d.matterName, d.department, ...d.items.flatMap((x) => [x.name, x.creditCode])].join('\n'),
  render: (d, c) => <ResultNoticeBody c={c} d={d} />,
  // The catalog's item page (索引号, metadata, hashed versions, print view) shows it;
  // /enforcement/tasks/{taskId}/results leads there.
  url: (id) => `/catalog/items/${id}`,
});
