// The spine item type of the hearings part: 听证公告 (`decision-hearing`), the notice announcing a
// hearing on a major decision — the decision, time, place, how participants are chosen, when
// registration closes and the attendance seats. The hearing's own page, /decisions/hearings/{hid},
// carries the registration, the draw, materials and the record.
import { Type } from '@sinclair/typebox';
import { registerItemType } from '../../../platform/publication/registry.js';
import { Dl, zhLang, type PageCtx } from '../../../platform/render/index.js';
import { shanghaiDateTime } from '../../../platform/dates.js';

export const DECISION_HEARING = 'decision-hearing';

export interface HearingNoticeData {
  hearingId: number;
  decisionId: number;
  /** The decision's title. */
  decision: string;
  department: string;
  startsAt: string;
  place: string;
  selectionMethod: string;
  participants: number;
  stratified: boolean;
  registrationClosesAt: string;
  attendanceCapacity: number;
  /** Set when the hearing was cancelled (the notice's revision): when, and the public reason. */
  cancelledAt?: string;
  cancelReason?: string;
}

export function HearingNoticeBody({ c, d }: { c: PageCtx; d: HearingNoticeData }) {
  return (
    <div class="hearing-notice">
      {d.cancelledAt && (
        <div class="notice" role="status">
          <p>
            <strong>{c.t('decisions.hearings.cancelled_notice', { at: shanghaiDateTime(d.cancelledAt) })}</strong>
          </p>
          <p lang={zhLang(c)} class="pre-line">
            {d.cancelReason}
          </p>
        </div>
      )}
      <Dl
        rows={[
          [c.t('decisions.hearings.decision'), <a href={`/decisions/${d.decisionId}`} lang={zhLang(c)}>{d.decision}</a>],
          [c.t('decisions.hearings.department'), <span lang={zhLang(c)}>{d.department}</span>],
          [c.t('decisions.hearings.starts_at'), shanghaiDateTime(d.startsAt)],
          [c.t('decisions.hearings.place'), <span lang={zhLang(c)}>{d.place}</span>],
          [c.t('decisions.hearings.participants'), String(d.participants)],
          [c.t('decisions.hearings.selection'), c.t(d.stratified ? 'decisions.hearings.stratified' : 'decisions.hearings.not_stratified')],
          [c.t('decisions.hearings.registration_closes'), shanghaiDateTime(d.registrationClosesAt)],
          [c.t('decisions.hearings.attendance_capacity'), d.attendanceCapacity ? String(d.attendanceCapacity) : c.t('decisions.hearings.no_attendance')],
        ]}
      />
      <h2>{c.t('decisions.hearings.selection_method')}</h2>
      <p lang={zhLang(c)} class="pre-line">
        {d.selectionMethod}
      </p>
      <p>
        <a href={`/decisions/hearings/${d.hearingId}`}>{c.t('decisions.hearings.page_link')}</a>
      </p>
    </div>
  );
}

registerItemType<HearingNoticeData>({
  type: DECISION_HEARING,
  // 听证公告 of a major decision: information Decree 713 asks to publish (Art. 20 (十五)).
  section: 'catalog',
  label: 'item.type.decision-hearing',
  schema: Type.Object({ hearingId: Type.Integer(), decisionId: Type.Integer(), startsAt: Type.String(), place: Type.String() }, { additionalProperties: true }),
  category: 'a20-15',
  searchText: (d) => [d.decision, d.department, d.place, d.selectionMethod].join('\n'),
  render: (d, c) => <HearingNoticeBody c={c} d={d} />,
  url: (id) => `/catalog/items/${id}`,
});
