// 办事指南: what to bring, how it runs, how long it takes (working days through the calendar).
import { Type } from '@sinclair/typebox';
import { registerListType, type ListItem } from '../engine.js';
import { addWorkdays, todayShanghai } from '../../../../platform/calendar/index.js';
import { TableWrap, zhLang } from '../../../../platform/render/index.js';
import { Code, DeptCode, Lines, Text, checkDepartment, trimAll } from './common.js';

const FileRef = Type.Object({ hash: Type.String({ pattern: '^[0-9a-f]{64}$' }), name: Text(200) }, { additionalProperties: false });

export const Material = Type.Object(
  {
    name: Text(300),
    form: Type.String({ enum: ['paper', 'electronic', 'paper-or-electronic'] }),
    copies: Type.Integer({ minimum: 0, maximum: 99 }),
    original: Type.String({ enum: ['original', 'copy', 'original-and-copy'] }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    blankForm: Type.Optional(FileRef),
    sampleForm: Type.Optional(FileRef),
  },
  { additionalProperties: false },
);

export const ServiceGuideItem = Type.Object(
  {
    code: Code(),
    name: Text(200),
    powerCode: Type.Optional(Code()),
    department: DeptCode,
    applicants: Type.Array(Type.String({ enum: ['individual', 'enterprise'] }), { minItems: 1, maxItems: 2, uniqueItems: true }),
    conditions: Lines(30, 1),
    materials: Type.Array(Material, { maxItems: 60 }),
    steps: Lines(20, 1),
    statutoryDays: Type.Integer({ minimum: 0, maximum: 365 }),
    promisedDays: Type.Integer({ minimum: 0, maximum: 365 }),
    fees: Type.Array(Type.Object({ item: Text(200), amount: Text(100), basis: Text(1000) }, { additionalProperties: false }), { maxItems: 20 }),
    windows: Type.Array(Type.Object({ address: Text(300), hours: Text(200), phone: Type.String({ minLength: 5, maxLength: 40, pattern: '^[0-9()+ -]+$' }) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
    onlineUrl: Type.Optional(Type.String({ maxLength: 500, pattern: '^https?://' })),
    visits: Type.Integer({ minimum: 0, maximum: 2 }),
    faq: Type.Array(Type.Object({ q: Text(500), a: Text(3000) }, { additionalProperties: false }), { maxItems: 30 }),
  },
  { additionalProperties: false },
);

/** "If you apply today, the promised date is …" (working days; the calendar skips holidays). */
export function promisedDate(days: number, from = todayShanghai()): string {
  return addWorkdays(from, days).due;
}

registerListType({
  type: 'service-guide',
  label: 'lists.type.service-guide',
  scope: 'department',
  schema: ServiceGuideItem,
  key: 'code',
  name: 'name',
  columns: [
    { field: 'code', label: 'lists.f.code' },
    { field: 'name', label: 'lists.f.guideName' },
    { field: 'promisedDays', label: 'lists.f.promisedDays' },
    { field: 'visits', label: 'lists.f.visits' },
  ],
  filters: [{ field: 'applicant', label: 'lists.f.applicants', options: [{ value: 'individual', label: 'lists.applicant.individual' }, { value: 'enterprise', label: 'lists.applicant.enterprise' }] }],
  aliases: { applicants: { 个人: 'individual', 自然人: 'individual', 企业: 'enterprise', 法人: 'enterprise' } },
  normalise: trimAll,
  check(item, ctx) {
    const f = checkDepartment(item, ctx);
    if ((item.promisedDays as number) > (item.statutoryDays as number)) f.promisedDays = 'err.lists.promised_exceeds';
    return f;
  },
  searchText: (i: ListItem) => [i.code, i.name, ...(i.conditions as string[]), ...(i.materials as { name: string }[]).map((m) => m.name), ...(i.faq as { q: string }[]).map((f) => f.q)].join(' '),
  facets: (i) => ({ department: i.department as string, category: (i.applicants as string[]).join(',') }),
  render(c, i, extra) {
    const materials = i.materials as any[];
    const fees = i.fees as { item: string; amount: string; basis: string }[];
    const windows = i.windows as { address: string; hours: string; phone: string }[];
    const faq = i.faq as { q: string; a: string }[];
    const promised = i.promisedDays as number;
    return (
      <div class="list-item guide">
        <dl class="meta">
          <dt>{c.t('lists.f.code')}</dt>
          <dd>{i.code as string}</dd>
          <dt>{c.t('lists.f.applicants')}</dt>
          <dd>{(i.applicants as string[]).map((a) => c.t(`lists.applicant.${a}`)).join('、')}</dd>
          <dt>{c.t('lists.f.statutoryDays')}</dt>
          <dd>{c.t('lists.workdays', { n: i.statutoryDays as number })}</dd>
          <dt>{c.t('lists.f.promisedDays')}</dt>
          <dd>
            {c.t('lists.workdays', { n: promised })}
            {promised > 0 && <span class="promised">（{c.t('lists.promised_if_today', { date: promisedDate(promised) })}）</span>}
            {promised === 0 && <span class="promised">（{c.t('lists.on_the_spot')}）</span>}
          </dd>
          <dt>{c.t('lists.f.visits')}</dt>
          <dd>
            {c.t(`lists.visits.${i.visits}`)}
            {(i.visits as number) <= 1 && <span class="badge">{c.t('lists.at_most_once')}</span>}
          </dd>
          {i.onlineUrl && (
            <>
              <dt>{c.t('lists.f.onlineUrl')}</dt>
              <dd>
                <a href={i.onlineUrl as string} rel="noopener">{i.onlineUrl as string}</a>
              </dd>
            </>
          )}
          {extra.links.map((l) => (
            <>
              <dt>{c.t('lists.f.powerCode')}</dt>
              <dd>
                <a href={l.href} lang={zhLang(c)}>{l.label}</a>
              </dd>
            </>
          ))}
        </dl>
        <h3>{c.t('lists.f.conditions')}</h3>
        <ul lang={zhLang(c)}>
          {(i.conditions as string[]).map((s) => (
            <li>{s}</li>
          ))}
        </ul>
        <h3>{c.t('lists.f.materials')}</h3>
        <TableWrap label={c.t('lists.f.materials')}>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{c.t('lists.m.name')}</th>
                <th scope="col">{c.t('lists.m.form')}</th>
                <th scope="col">{c.t('lists.m.copies')}</th>
                <th scope="col">{c.t('lists.m.original')}</th>
                <th scope="col">{c.t('lists.m.forms')}</th>
              </tr>
            </thead>
            <tbody>
              {materials.map((m) => (
                <tr>
                  <td lang={zhLang(c)}>
                    {m.name}
                    {m.note && <div class="hint">{m.note}</div>}
                  </td>
                  <td>{c.t(`lists.form.${m.form}`)}</td>
                  <td>{m.copies}</td>
                  <td>{c.t(`lists.original.${m.original}`)}</td>
                  <td>
                    {m.blankForm && <a href={`/lists/files/${m.blankForm.hash}`} download={m.blankForm.name}>{c.t('lists.m.blank')}</a>} {m.sampleForm && <a href={`/lists/files/${m.sampleForm.hash}`} download={m.sampleForm.name}>{c.t('lists.m.sample')}</a>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <h3>{c.t('lists.f.steps')}</h3>
        <ol class="flow" lang={zhLang(c)}>
          {(i.steps as string[]).map((s) => (
            <li>{s}</li>
          ))}
        </ol>
        <h3>{c.t('lists.f.fees')}</h3>
        {fees.length === 0 ? (
          <p>{c.t('lists.no_fee')}</p>
        ) : (
          <ul>
            {fees.map((f) => (
              <li>
                <span lang={zhLang(c)}>{f.item}：{f.amount}</span>（{c.t('lists.f.basis')}：<span lang={zhLang(c)}>{f.basis}</span>）
              </li>
            ))}
          </ul>
        )}
        <h3>{c.t('lists.f.windows')}</h3>
        <ul>
          {windows.map((w) => (
            <li>
              <span lang={zhLang(c)}>{w.address}；{w.hours}</span>；{c.t('lists.f.phone')}：{w.phone}
            </li>
          ))}
        </ul>
        {faq.length > 0 && (
          <>
            <h3>{c.t('lists.f.faq')}</h3>
            <dl class="faq" lang={zhLang(c)}>
              {faq.map((f) => (
                <>
                  <dt>{f.q}</dt>
                  <dd>{f.a}</dd>
                </>
              ))}
            </dl>
          </>
        )}
      </div>
    );
  },
});
