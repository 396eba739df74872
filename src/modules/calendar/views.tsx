// Shared views: the "how was this computed" explanation, status badges, a clock summary, a year
// as month grids, the rule table, and a clock's page (public, and for staff with its actions).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { AdminLayout, Csrf, ErrorSummary, Notice, PublicLayout, Select, TableWrap, type PageCtx } from '../../platform/render/index.js';
import { daysInMonth, isWorkday, todayShanghai, type SkippedDay } from '../../platform/calendar/index.js';
import { getClock, getRule, PAUSE_KINDS, type ClockView, type RuleView } from '../../platform/deadlines/index.js';
import { Dl } from '../../platform/render/index.js';
import { notFound } from '../../platform/errors.js';
import { can } from '../../platform/auth/policy.js';
import { shanghaiDate } from '../../platform/dates.js';
import { actorLabel, actorUsernames } from '../../platform/core/audit-view.js';

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
          <TableWrap label={c.t('calendar.skipped', { n: skipped.length })}>
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
          </TableWrap>
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

export function ClockSummary({ c, clock, staff, people = new Map() }: { c: PageCtx; clock: ClockView; staff: boolean; people?: Map<string, string> }) {
  return (
    <section class="clock" aria-labelledby={`clock-${clock.id}`}>
      <h2 id={`clock-${clock.id}`}>
        {c.t('deadlines.clock')}：{c.locale === 'en' ? clock.ruleNameEn : clock.ruleName} <StatusBadge c={c} status={clock.state === 'paused' ? 'paused' : clock.status} />
      </h2>
      <Dl
        rows={[
          [c.t('deadlines.rule'), `${c.locale === 'en' ? clock.ruleNameEn : clock.ruleName} · ${c.t('deadlines.version_n', { n: clock.ruleVersion })} · ${clock.ruleAmount} ${c.t(`calendar.unit.${clock.ruleUnit}`)}`],
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
                <time dateTime={h.at}>{h.at.replace('T', ' ').slice(0, 19)}</time> {c.t(`deadlines.action.${h.action}`)} · {actorLabel(c, h.actor, people)}
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

/** Staff forms on a clock's page: pause, resume, extend (each with a reason), as the clock's state and rule allow. */
function ClockActions({ c, clock, rule }: { c: PageCtx; clock: ClockView; rule: RuleView | null }) {
  if (!c.can('clock.manage', { departmentId: clock.departmentId }) || (clock.state !== 'running' && clock.state !== 'paused') || clock.subjectType === 'appeal') return null;
  const canPause = clock.state === 'running' && !!rule?.pausable && clock.unit !== 'hours';
  const canExtend = !!rule && clock.extensions.length < rule.maxExtensions && rule.extensionLimit > 0;
  const reason = (action: string) => (
    <p>
      <label for={`${action}-reason`}>{c.t('deadlines.reason')}</label>
      <textarea id={`${action}-reason`} name="reason" rows={2} maxLength={500} required />
    </p>
  );
  return (
    <section class="clock-actions" aria-labelledby="clock-actions">
      <h2 id="clock-actions">{c.t('deadlines.manage')}</h2>
      <p class="hint">{c.t('deadlines.manage_intro')}</p>
      {canPause && (
        <form method="post" action={`/admin/clocks/${clock.id}/pause`} class="stack">
          <Csrf c={c} />
          <Select label={c.t('deadlines.pauses')} name="kind" value="other" options={PAUSE_KINDS.map((k) => ({ value: k, label: c.t(`deadlines.pause.${k}`) }))} />
          {reason('pause')}
          <button type="submit">{c.t('deadlines.do_pause')}</button>
        </form>
      )}
      {clock.state === 'paused' && (
        <form method="post" action={`/admin/clocks/${clock.id}/resume`} class="stack">
          <Csrf c={c} />
          {reason('resume')}
          <button type="submit">{c.t('deadlines.do_resume')}</button>
        </form>
      )}
      {canExtend && rule && (
        <form method="post" action={`/admin/clocks/${clock.id}/extend`} class="stack">
          <Csrf c={c} />
          <p>
            <label for="extend-days">{c.t('deadlines.extend_amount', { unit: c.t(`calendar.unit.${clock.unit}`), max: rule.extensionLimit })}</label>
            <input id="extend-days" name="days" type="number" min={1} max={rule.extensionLimit} value={rule.extensionLimit} inputMode="numeric" />
          </p>
          {reason('extend')}
          <button type="submit">{c.t('deadlines.do_extend')}</button>
        </form>
      )}
    </section>
  );
}

/** Display names of the staff among `actors` (user:<name>), for the clock's history. */
async function displayNames(p: Platform, actors: string[]): Promise<Map<string, string>> {
  const usernames = actorUsernames(actors);
  if (!usernames.length) return new Map();
  return new Map((await p.db.selectFrom('users').select(['username', 'display_name']).where('username', 'in', usernames).execute()).map((u) => [u.username, u.display_name]));
}

/** A clock's page: public when its subject is public (/clocks/:id), for staff with the actions (/admin/clocks/:id). */
export async function clockPage(p: Platform, req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, staff: boolean, errors?: Record<string, string>, status = 200) {
  if (!/^\d{1,9}$/.test(req.params.id)) throw notFound();
  const clock = await getClock(p.db, Number(req.params.id));
  if (!clock || (staff ? !can(req.user, 'supervision.read', { departmentId: clock.departmentId }) : !clock.publicSubject)) throw notFound();
  const c = req.ctx(reply);
  const body = (
    <>
      <h1>{clock.title}</h1>
      {clock.url && (
        <p>
          <a href={clock.url}>{clock.title}</a>
        </p>
      )}
      {staff && (req.query as { done?: string }).done && <Notice kind="success">{c.t('deadlines.done')}</Notice>}
      <ErrorSummary c={c} fields={errors} />
      <ClockSummary c={c} clock={clock} staff={staff} people={staff ? await displayNames(p, clock.history.map((h) => h.actor)) : undefined} />
      {staff && <ClockActions c={c} clock={clock} rule={await getRule(p.db, clock.rule, clock.ruleVersion)} />}
    </>
  );
  return reply.code(status).html(staff ? <AdminLayout c={c} title={clock.title}>{body}</AdminLayout> : <PublicLayout c={c} title={clock.title}>{body}</PublicLayout>);
}

/** A year as twelve month grids; holidays and make-up days marked. */
export function YearGrid({ c, year }: { c: PageCtx; year: number }) {
  const wd = c.t('calendar.weekdays').split(',');
  const today = todayShanghai();
  return (
    <div class="cal-year">
      {Array.from({ length: 12 }, (_, mi) => {
        const m = mi + 1;
        const first = `${year}-${String(m).padStart(2, '0')}-01`;
        const lead = new Date(`${first}T00:00:00Z`).getUTCDay();
        const n = daysInMonth(year, m);
        const cells: (string | null)[] = [...Array(lead).fill(null), ...Array.from({ length: n }, (_, i) => `${year}-${String(m).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`)];
        const weeks: (string | null)[][] = [];
        for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
        return (
          <table class="cal-month">
            <caption>{c.t('calendar.month', { m })}</caption>
            <thead>
              <tr>
                {wd.map((w) => (
                  <th scope="col">{w}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr>
                  {Array.from({ length: 7 }, (_, i) => w[i] ?? null).map((d) => {
                    if (!d) return <td />;
                    const info = isWorkday(d);
                    const label = info.reason === 'holiday' ? `${c.t('calendar.holiday')} ${info.name ?? ''}` : info.reason === 'makeup-day' ? `${c.t('calendar.workday')} ${info.name ?? ''}` : info.reason === 'weekend' ? c.t('calendar.weekend') : c.t('calendar.ordinary');
                    return (
                      <td class={`day-${info.reason}${d === today ? ' today' : ''}`} title={label}>
                        <span aria-hidden="true">{Number(d.slice(8))}</span>
                        <span class="visually-hidden">
                          {d} {label}
                        </span>
                        {info.reason === 'holiday' && <span class="mark" aria-hidden="true">休</span>}
                        {info.reason === 'makeup-day' && <span class="mark" aria-hidden="true">班</span>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </div>
  );
}

export function RulesTable({ c, rules, admin, showVersion }: { c: PageCtx; rules: RuleView[]; admin: boolean; showVersion?: boolean }) {
  return (
    <TableWrap label={c.t('deadlines.rules_title')}>
    <table class="rules">
      <thead>
        <tr>
          <th scope="col">{c.t('deadlines.name')}</th>
          <th scope="col">{c.t('deadlines.limit')}</th>
          <th scope="col">{c.t('deadlines.extension')}</th>
          <th scope="col">{c.t('deadlines.legal_basis')}</th>
          <th scope="col">{c.t('deadlines.version')}</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((r) => (
          <tr>
            <td>{admin ? <a href={`/admin/deadline-rules/${r.code}`}>{c.locale === 'en' ? r.nameEn : r.nameZh}</a> : c.locale === 'en' ? r.nameEn : r.nameZh}</td>
            <td>
              {r.amount} {c.t(`calendar.unit.${r.unit}`)}
            </td>
            <td>{r.maxExtensions > 0 ? c.t('deadlines.extension_rule', { n: r.maxExtensions, d: `${r.extensionLimit} ${c.t(`calendar.unit.${r.unit}`)}` }) : c.t('deadlines.no_extension')}</td>
            <td>
              {r.legalBasis}
              {r.note && <p class="hint">{r.note}</p>}
            </td>
            <td>
              v{r.version}
              {showVersion && ` · ${r.createdBy} · ${shanghaiDate(r.createdAt)}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </TableWrap>
  );
}
