// The spine item types of the stages part: the published decision (major-decision, with its 政策解读
// link) and its post-decision evaluation (decision-evaluation). Both in the catalog (a20-15); their
// bodies link back to the decision's public timeline (/decisions/{id}).
import type { ComponentChildren } from 'preact';
import { Type } from '@sinclair/typebox';
import { registerItemType, type ItemLink } from '../../../platform/publication/registry.js';
import { Dl, Zh, type PageCtx } from '../../../platform/render/index.js';

export const MAJOR_DECISION = 'major-decision';
export const DECISION_EVALUATION = 'decision-evaluation';
/** 《条例》第二十条（十五）: other information laws and regulations say is to be disclosed (Decree 713 Art. 30). */
export const DECISION_CATEGORY = 'a20-15';

/** What the published decision says. */
export interface MajorDecisionData {
  decisionId: number;
  year: number;
  department: string;
  title: string;
  basis: string;
  summary: string;
  /** The decision's text (决策内容). */
  text: string;
  /** 集体讨论决定 outcome code ('' when not recorded). */
  outcome: string;
  /** 政策解读: the interpretation's spine item id, or null. */
  interpretationItemId: number | null;
  /** 政策解读 as a URL ('' for none). */
  interpretationUrl: string;
}

export interface EvaluationData {
  decisionId: number;
  title: string;
  department: string;
  /** 后评估报告: the evaluation's findings. */
  text: string;
}

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

const DecisionSchema = Type.Object(
  {
    decisionId: Id,
    year: Type.Integer({ minimum: 1990, maximum: 2299 }),
    department: Type.String({ maxLength: 200 }),
    title: Type.String({ minLength: 1, maxLength: 300 }),
    basis: Type.String({ maxLength: 4000 }),
    summary: Type.String({ maxLength: 4000 }),
    text: Type.String({ minLength: 1, maxLength: 50000 }),
    outcome: Type.String({ maxLength: 20 }),
    interpretationItemId: Type.Union([Id, Type.Null()]),
    interpretationUrl: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);

const EvaluationSchema = Type.Object(
  { decisionId: Id, title: Type.String({ minLength: 1, maxLength: 300 }), department: Type.String({ maxLength: 200 }), text: Type.String({ minLength: 1, maxLength: 50000 }) },
  { additionalProperties: false },
);

function Paragraphs({ c, text }: { c: PageCtx; text: string }) {
  return (
    <div class="decision-text">
      {text
        .split(/\n+/)
        .filter((x) => x.trim())
        .map((x) => (
          <p>
            <Zh c={c}>{x}</Zh>
          </p>
        ))}
    </div>
  );
}

registerItemType<MajorDecisionData>({
  type: MAJOR_DECISION,
  section: 'catalog',
  label: 'item.type.major-decision',
  schema: DecisionSchema,
  category: DECISION_CATEGORY,
  searchText: (d) => [d.title, d.department, d.basis, d.summary, d.text].join('\n'),
  render(d, c) {
    const rows: [string, ComponentChildren][] = [
      [c.t('decisions.stages.f.department'), <Zh c={c}>{d.department}</Zh>],
      [c.t('decisions.stages.f.year'), String(d.year)],
      [c.t('decisions.stages.f.basis'), <Zh c={c}>{d.basis}</Zh>],
    ];
    if (d.outcome) rows.push([c.t('decisions.stages.f.outcome'), c.t(`decisions.stages.outcome.${d.outcome}`)]);
    if (d.interpretationItemId) rows.push([c.t('decisions.stages.f.interpretation'), <a href={`/catalog/items/${d.interpretationItemId}`}>{c.t('decisions.stages.interpretation_link')}</a>]);
    else if (d.interpretationUrl) rows.push([c.t('decisions.stages.f.interpretation'), <a href={d.interpretationUrl}>{c.t('decisions.stages.interpretation_link')}</a>]);
    return (
      <div class="major-decision">
        <Dl rows={rows} />
        <Paragraphs c={c} text={d.text} />
        <p>
          <a href={`/decisions/${d.decisionId}`}>{c.t('decisions.stages.timeline_link')}</a>
        </p>
      </div>
    );
  },
  url: (id) => `/catalog/items/${id}`,
  links: (d): ItemLink[] => (d.interpretationItemId ? [{ to: d.interpretationItemId, kind: 'related' }] : []),
});

registerItemType<EvaluationData>({
  type: DECISION_EVALUATION,
  section: 'catalog',
  label: 'item.type.decision-evaluation',
  schema: EvaluationSchema,
  category: DECISION_CATEGORY,
  searchText: (d) => [d.title, d.department, d.text].join('\n'),
  render(d, c) {
    return (
      <div class="decision-evaluation">
        <Dl rows={[[c.t('decisions.stages.f.department'), <Zh c={c}>{d.department}</Zh>]]} />
        <Paragraphs c={c} text={d.text} />
        <p>
          <a href={`/decisions/${d.decisionId}`}>{c.t('decisions.stages.timeline_link')}</a>
        </p>
      </div>
    );
  },
  url: (id) => `/catalog/items/${id}`,
});
