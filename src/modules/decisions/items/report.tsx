// The adoption report (意见采纳情况) as a spine item: a catalog item (索引号; Art. 20 (十五), what
// Decree 713 says to publish) whose payload is the report as published — the general text, counts,
// and article by article the comments (names masked, personal data in the text masked, never a
// contact) and groups of similar comments with their dispositions. `prepare` masks again, so no
// caller can publish a name in the clear.
import { Type } from '@sinclair/typebox';
import { registerItemType } from '../../../platform/publication/registry.js';
import { Dl, Empty, Zh, type PageCtx } from '../../../platform/render/index.js';
import { maskText } from '../../../platform/privacy/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';

export const ADOPTION_REPORT = 'decision-adoption-report';

export interface ReportComment {
  id: number;
  /** Masked (张*); '' for anonymous. */
  name: string;
  /** Personal data masked. */
  body: string;
  /** Shanghai date it was received. */
  date: string;
  /** Ungrouped comments only: their own disposition and reason. */
  disposition?: string;
  reason?: string;
}
export interface ReportGroup {
  id: number;
  label: string;
  disposition: string;
  reason: string;
  comments: ReportComment[];
}
export interface ReportSection {
  /** null: comments on the whole draft. */
  articleId: number | null;
  label: string;
  seq: number;
  groups: ReportGroup[];
  comments: ReportComment[];
}
export interface ReportCounts {
  received: number;
  published: number;
  pending: number;
  /** Hidden comments by reason (abuse, personal_data, off_topic, duplicate). */
  hidden: Record<string, number>;
  /** Comments (grouped ones counted one by one) by disposition. */
  adopted: number;
  partly: number;
  rejected: number;
  undisposed: number;
  groups: number;
}
export interface ReportData {
  consultationId: number;
  decisionId: number;
  title: string;
  department: string;
  summary: string;
  opensAt: string;
  closesAt: string;
  counts: ReportCounts;
  sections: ReportSection[];
}

const Counts = Type.Object({ received: Type.Integer(), published: Type.Integer(), adopted: Type.Integer(), partly: Type.Integer(), rejected: Type.Integer() }, { additionalProperties: true });
const ReportSchema = Type.Object({ consultationId: Type.Integer(), title: Type.String(), summary: Type.String(), counts: Counts, sections: Type.Array(Type.Object({}, { additionalProperties: true })) }, { additionalProperties: true });

/** The code of a disposition as words ('' = none yet). */
export const dispositionLabel = (c: Pick<PageCtx, 't'>, d: string | undefined) => c.t(`decisions.report.disposition.${d || 'none'}`);

function masked(x: ReportComment): ReportComment {
  const name = x.name && !x.name.includes('*') ? `${x.name.slice(0, 1)}*` : x.name;
  return { ...x, name, body: maskText(x.body).text };
}

function Disposition({ c, d, reason }: { c: PageCtx; d?: string; reason?: string }) {
  return (
    <p class={`disposition disposition-${d || 'none'}`}>
      <strong>{dispositionLabel(c, d)}</strong>
      {reason && (
        <>
          {c.t('common.colon')}
          <Zh c={c}>{reason}</Zh>
        </>
      )}
    </p>
  );
}

function CommentText({ c, x }: { c: PageCtx; x: ReportComment }) {
  return (
    <>
      <p class="comment-meta muted">
        <Zh c={c}>{x.name || c.t('decisions.report.anonymous')}</Zh> · {x.date}
      </p>
      <blockquote class="comment-body">
        <Zh c={c}>{x.body}</Zh>
      </blockquote>
    </>
  );
}

export const sectionTitle = (c: PageCtx, s: Pick<ReportSection, 'articleId' | 'label' | 'seq'>) => (s.articleId === null ? c.t('decisions.report.general') : s.label || c.t('decisions.report.article_n', { n: s.seq }));
export const sectionKey = (s: Pick<ReportSection, 'articleId'>) => (s.articleId === null ? 'general' : String(s.articleId));

/** The entries of a section (groups, then ungrouped comments), `from`..`to`. */
export function SectionEntries({ c, s, from = 0, to = Number.MAX_SAFE_INTEGER }: { c: PageCtx; s: ReportSection; from?: number; to?: number }) {
  const entries: ({ g: ReportGroup } | { x: ReportComment })[] = [...s.groups.map((g) => ({ g })), ...s.comments.map((x) => ({ x }))].slice(from, to);
  if (!entries.length) return <Empty>{c.t('decisions.report.section_empty')}</Empty>;
  return (
    <ol class="report-entries" start={from + 1}>
      {entries.map((e) =>
        'g' in e ? (
          <li class="report-group" id={`group-${e.g.id}`}>
            <h4>
              {c.t('decisions.report.group_heading', { n: e.g.comments.length })}
              <Zh c={c}>{e.g.label}</Zh>
            </h4>
            <Disposition c={c} d={e.g.disposition} reason={e.g.reason} />
            <details>
              <summary>{c.t('decisions.report.group_comments', { n: e.g.comments.length })}</summary>
              <ul>
                {e.g.comments.map((x) => (
                  <li id={`comment-${x.id}`}>
                    <CommentText c={c} x={x} />
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ) : (
          <li class="report-comment" id={`comment-${e.x.id}`}>
            <CommentText c={c} x={e.x} />
            <Disposition c={c} d={e.x.disposition} reason={e.x.reason} />
          </li>
        ),
      )}
    </ol>
  );
}

export const sectionSize = (s: ReportSection) => s.groups.length + s.comments.length;

/** Counts: received, published, hidden by reason, comments by disposition. */
export function ReportCountsView({ c, n }: { c: PageCtx; n: ReportCounts }) {
  const hidden = Object.entries(n.hidden).filter(([, v]) => v > 0);
  const rows: [string, string][] = [
    [c.t('decisions.report.count.received'), String(n.received)],
    [c.t('decisions.report.count.published'), String(n.published)],
    [c.t('decisions.report.disposition.adopted'), String(n.adopted)],
    [c.t('decisions.report.disposition.partly'), String(n.partly)],
    [c.t('decisions.report.disposition.rejected'), String(n.rejected)],
    [c.t('decisions.report.count.groups'), String(n.groups)],
  ];
  const total = hidden.reduce((a, [, v]) => a + v, 0);
  rows.push([c.t('decisions.report.count.hidden'), hidden.length ? `${total}（${hidden.map(([k, v]) => `${c.t(`decisions.report.hide_reason.${k}`)} ${v}`).join(c.t('decisions.report.list_sep'))}）` : '0']);
  return <Dl rows={rows} />;
}

/** The whole report (the catalog's item page). */
export function ReportBody({ c, d }: { c: PageCtx; d: ReportData }) {
  return (
    <div class="adoption-report">
      <p class="muted">
        {c.t('decisions.report.period', { from: shanghaiDateTime(d.opensAt), to: shanghaiDateTime(d.closesAt) })}
      </p>
      <h2>{c.t('decisions.report.summary')}</h2>
      <div class="report-summary">
        {d.summary.split(/\n+/).map((para) => (
          <p>
            <Zh c={c}>{para}</Zh>
          </p>
        ))}
      </div>
      <h2>{c.t('decisions.report.counts')}</h2>
      <ReportCountsView c={c} n={d.counts} />
      {d.sections.map((s) => (
        <section aria-labelledby={`section-${sectionKey(s)}`}>
          <h3 id={`section-${sectionKey(s)}`}>
            <Zh c={c}>{sectionTitle(c, s)}</Zh>
          </h3>
          <SectionEntries c={c} s={s} />
        </section>
      ))}
      <p>
        <a href={`/decisions/consultations/${d.consultationId}/report`}>{c.t('decisions.report.open_page')}</a>
      </p>
    </div>
  );
}

registerItemType<ReportData>({
  type: ADOPTION_REPORT,
  section: 'catalog',
  label: 'item.type.decision-adoption-report',
  schema: ReportSchema,
  category: 'a20-15',
  prepare(d) {
    const fields: Record<string, string> = {};
    if (!d || !Number.isInteger(d.consultationId)) fields.consultationId = 'err.field.invalid';
    if (!d?.summary) fields.summary = 'err.field.required';
    if (Object.keys(fields).length) return { data: d, fields };
    const sections = (d.sections ?? []).map((s) => ({ ...s, comments: s.comments.map(masked), groups: s.groups.map((g) => ({ ...g, comments: g.comments.map(masked) })) }));
    return { data: { ...d, sections }, fields };
  },
  searchText: (d) => [d.title, d.department, d.summary, ...d.sections.flatMap((s) => [s.label, ...s.groups.flatMap((g) => [g.label, g.reason]), ...s.comments.flatMap((x) => [x.body, x.reason ?? ''])])].filter(Boolean).join('\n'),
  render: (d, c) => <ReportBody c={c} d={d} />,
  url: (id) => `/catalog/items/${id}`,
});
