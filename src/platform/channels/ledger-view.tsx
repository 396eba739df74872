// The "Channels" panel of an item's console page and the "outdated channels" report: which version
// each channel carries now, from the delivery ledger (ledger.ts). Any module's item page may show
// the panel; the report lives at /admin/channels/outdated (messaging part's routes).
import type { PageCtx } from '../render/context.js';
import { Empty, TableWrap } from '../render/components.js';
import type { ChannelCarry, OutdatedRow } from './ledger.js';

export function ChannelLedger({ c, rows }: { c: PageCtx; rows: ChannelCarry[] }) {
  return (
    <section aria-labelledby="ledger-h" class="channel-ledger">
      <h2 id="ledger-h">{c.t('ledger.title')}</h2>
      <p class="hint">{c.t('ledger.intro')}</p>
      {rows.length === 0 ? (
        <Empty>{c.t('ledger.empty')}</Empty>
      ) : (
        <TableWrap label={c.t('ledger.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{c.t('ledger.col.channel')}</th>
                <th scope="col">{c.t('ledger.col.recipients')}</th>
                <th scope="col">{c.t('ledger.col.version')}</th>
                <th scope="col">{c.t('ledger.col.outdated')}</th>
                <th scope="col">{c.t('ledger.col.pending')}</th>
                <th scope="col">{c.t('ledger.col.failed')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr class={r.outdated ? 'outdated' : undefined}>
                  <th scope="row">{c.t(`ledger.channel.${r.channel}`)}</th>
                  <td>{r.recipients}</td>
                  <td>{r.newestVersion === null ? '—' : r.oldestVersion === r.newestVersion ? `v${r.newestVersion}` : c.t('ledger.versions', { oldest: r.oldestVersion ?? '', newest: r.newestVersion })}</td>
                  <td>{r.outdated ? <strong>{r.outdated}</strong> : c.t('ledger.current')}</td>
                  <td>{r.pending}</td>
                  <td>{r.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

export function OutdatedReport({ c, rows, itemHref }: { c: PageCtx; rows: OutdatedRow[]; itemHref: (id: number) => string }) {
  if (!rows.length) return <Empty>{c.t('ledger.report.empty')}</Empty>;
  return (
    <TableWrap label={c.t('ledger.report.title')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{c.t('ledger.report.col.item')}</th>
            <th scope="col">{c.t('ledger.col.channel')}</th>
            <th scope="col">{c.t('ledger.col.outdated')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                <a href={itemHref(r.itemId)}>{r.title}</a> {r.public ? `(v${r.publishedVersion})` : `(${c.t('ledger.report.withdrawn')})`}
              </td>
              <td>{c.t(`ledger.channel.${r.channel}`)}</td>
              <td>{r.outdated}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
