// Shared views: the "how was this computed" explanation, status badges and a clock summary.
import type { PageCtx } from '../../platform/render/index.js';
import type { SkippedDay } from '../../platform/calendar/index.js';
import type { ClockView } from '../../platform/deadlines/index.js';
import { Dl } from '../../platform/render/index.js';

export function reasonLabel(c: PageCtx, s: SkippedDay): string {
  if (s.reason === 'holiday') return `${c.t('calendar.holiday')}：${s.name ?? ''}`;
  if (s.reason === 'pause') return `${c.t('calendar.pause')}：${c.t(`deadlines.pause.${s.name ?? 'other'}`)}`;
  if (s.reason === 'rolled') return c.t('calendar.rolled');
  return c.t('calendar.weekend');
}

export function Explanation({ c, counted, skipped }: { c: PageCtx; counted: string[]; skipped: SkippedDay[] }) {
  return (
    <details class="explanation">
      <summary>{c.t('calendar.how')}</summary>
      <div class="explain-cols">
        <section>
          <h3>{c.t('calendar.counted', { n: counted.length })}</h3>
          <ol class="days">
            {counted.map((d) => (
              <li>
                <time dateTime={d}>{d}</time>
              </li>
            ))}
          </ol>
        </section>
        <section>
          <h3>{c.t('calendar.skipped', { n: skipped.length })}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{c.t('calendar.date')}</th>
                <th scope="col">{c.t('calendar.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {skipped.map((s) => (
                <tr class={`skip-${s.reason}`}>
                  <td>
                    <time dateTime={s.date}>{s.date}</time>
                  </td>
                  <td>{reasonLabel(c, s)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </details>
  );
}

export function StatusBadge({ c, status }: { c: PageCtx; status: string }) {
  return <span class={`clock-status status-${status}`}>{c.t(`deadlines.status.${status}`)}</span>;
}

/** A due date; hour clocks show the due minute (Asia/Shanghai wall time). */
export function DueDate({ c, due, provisional, dueAt }: { c: PageCtx; due: string; provisional: boolean; dueAt?: string | null }) {
  return (
    <span class="due">
      {dueAt ? <time dateTime={`${dueAt}+08:00`}>{dueAt.replace('T', ' ')}</time> : <time dateTime={due}>{due}</time>}
      {provisional && <span class="tag provisional"> {c.t('calendar.provisional')}</span>}
    </span>
  );
}

export function ClockSummary({ c, clock, staff }: { c: PageCtx; clock: ClockView; staff: boolean }) {
  return (
    <section class="clock" aria-labelledby={`clock-${clock.id}`}>
      <h2 id={`clock-${clock.id}`}>
        {c.t('deadlines.clock')}：{c.locale === 'en' ? clock.ruleNameEn : clock.ruleName} <StatusBadge c={c} status={clock.state === 'paused' ? 'paused' : clock.status} />
      </h2>
      <Dl
        rows={[
          [c.t('deadlines.rule'), `${clock.rule} v${clock.ruleVersion} · ${clock.ruleAmount} ${c.t(`calendar.unit.${clock.ruleUnit}`)}`],
          [c.t('deadlines.legal_basis'), clock.legalBasis],
          [c.t('deadlines.start'), clock.startAt ? clock.startAt.replace('T', ' ') : clock.start],
          [c.t(clock.kind === 'minimum' ? 'deadlines.closes_on' : 'calendar.due'), <DueDate c={c} due={clock.due} dueAt={clock.dueAt} provisional={clock.provisional} />],
          [c.t('deadlines.state'), c.t(`deadlines.state.${clock.state}`)],
        ]}
      />
      <p class="clock-basis">
        {c.t(clock.ownLimit ? 'deadlines.basis.own' : 'deadlines.basis.rule', { amount: clock.amount, unit: c.t(`calendar.unit.${clock.unit}`), ruleAmount: clock.ruleAmount, ruleUnit: c.t(`calendar.unit.${clock.ruleUnit}`) })}
        {clock.unit === 'hours' && ` ${c.t('deadlines.basis.hours')}`}
        {clock.kind === 'minimum' && ` ${c.t('deadlines.basis.minimum', { date: clock.due })}`}
      </p>
      {clock.pauses.length > 0 && (
        <>
          <h3>{c.t('deadlines.pauses')}</h3>
          <ul>
            {clock.pauses.map((x) => (
              <li>
                {c.t(`deadlines.pause.${x.kind}`)}：{x.from} → {x.to ?? '…'}
                {staff && ` — ${x.reason}`}
              </li>
            ))}
          </ul>
        </>
      )}
      {clock.extensions.length > 0 && (
        <>
          <h3>{c.t('deadlines.extensions')}</h3>
          <ul>
            {clock.extensions.map((x) => (
              <li>
                +{x.workdays} {c.t(`calendar.unit.${clock.unit}`)} — {x.reason}
                {staff && ` (${x.approver})`}
              </li>
            ))}
          </ul>
        </>
      )}
      <Explanation c={c} counted={clock.explanation.counted} skipped={clock.explanation.skipped} />
      {staff && (
        <>
          <h3>{c.t('deadlines.history')}</h3>
          <ol class="history">
            {clock.history.map((h) => (
              <li>
                <time dateTime={h.at}>{h.at.replace('T', ' ').slice(0, 19)}</time> {c.t(`deadlines.action.${h.action}`)} · {h.actor}
                {typeof h.details.due === 'string' && ` → ${h.details.due}`}
                {typeof h.details.reason === 'string' && ` — ${h.details.reason}`}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
