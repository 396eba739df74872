// The spine item of a consultation (公开征求意见公告): published when it opens — the draft article
// by article, the explanation, the period (Asia/Shanghai) and any public reason for a shorter one.
import { Type } from '@sinclair/typebox';
import { registerItemType } from '../../../platform/publication/registry.js';
import { Dl, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';

export const CONSULTATION_ITEM = 'decision-consultation';
/** 主题分类 综合政务\政务公开. */
export const CONSULTATION_TOPIC = '0203';
/** 《条例》第二十条（十五）: other information to be disclosed by law (Decree 713 Art. 14–15). */
export const CONSULTATION_CATEGORY = 'a20-15';

export interface ConsultationItemData {
  consultationId: number;
  decisionId: number;
  decisionTitle: string;
  explanation: string;
  opensAt: string;
  closesAt: string;
  shortReason: string;
  articles: { label: string; text: string }[];
}

const Schema = Type.Object({
  consultationId: Type.Integer(),
  decisionId: Type.Integer(),
  decisionTitle: Type.String(),
  explanation: Type.String(),
  opensAt: Type.String(),
  closesAt: Type.String(),
  shortReason: Type.String(),
  articles: Type.Array(Type.Object({ label: Type.String(), text: Type.String() })),
});

/** The period in words, Asia/Shanghai. */
export const periodWords = (c: Pick<PageCtx, 't'>, opensAt: string, closesAt: string) => c.t('decisions.consultations.period_words', { from: shanghaiDateTime(opensAt), to: shanghaiDateTime(closesAt) });

registerItemType<ConsultationItemData>({
  type: CONSULTATION_ITEM,
  section: 'catalog',
  label: 'item.type.decision-consultation',
  schema: Schema,
  category: CONSULTATION_CATEGORY,
  searchText: (d) => ['公开征求意见', d.decisionTitle, d.explanation, d.shortReason, ...d.articles.map((a) => [a.label, a.text].filter(Boolean).join(' '))].filter(Boolean).join('\n'),
  render(d, c) {
    const lang = zhLang(c);
    return (
      <div class="decision-consultation">
        <Dl
          rows={[
            [c.t('decisions.consultations.decision'), <a href={`/decisions/${d.decisionId}`} lang={lang}>{d.decisionTitle}</a>],
            [c.t('decisions.consultations.period'), periodWords(c, d.opensAt, d.closesAt)],
            ...(d.shortReason ? ([[c.t('decisions.consultations.short_reason'), <span class="pre" lang={lang}>{d.shortReason}</span>]] as [string, string | preact.VNode][]) : []),
          ]}
        />
        <h2>{c.t('decisions.consultations.explanation')}</h2>
        <p class="pre" lang={lang}>{d.explanation}</p>
        <h2>{c.t('decisions.consultations.draft')}</h2>
        <ol class="articles" lang={lang}>
          {d.articles.map((a) => (
            <li>
              {a.label && <strong>{a.label}</strong>} <span class="pre">{a.text}</span>
            </li>
          ))}
        </ol>
        <p>
          <a href={`/decisions/consultations/${d.consultationId}`}>{c.t('decisions.consultations.live_page')}</a>
        </p>
      </div>
    );
  },
  url: (id) => `/catalog/items/${id}`,
});
