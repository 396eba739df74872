// The stages of a decision on its console page (/admin/decisions/{id}): each stage with its state,
// dates, skip reason, outcome, note and documents (public or not, each with its change and removal
// forms), and the forms of a stage — start, finish (outcome and dissent for the collective
// decision), mark not required with a public reason, upload a document. Used by console/decisions.tsx.
import type { ComponentChildren } from 'preact';
import { Csrf, Field, FileInput, Select, Zh, type PageCtx } from '../../../platform/render/index.js';
import { COLLECTIVE_OUTCOMES, LEGALITY_RULE, type DecisionRow, type Stage } from '../schema.js';
import type { DecisionView } from '../service/decisions.js';
import { blockingStage, REQUIRED_STAGES, TEXT_LIMITS } from '../service/stages.js';

const BASE = '/admin/decisions';
type Fields = Record<string, string>;

export type StageView = DecisionView['stages'][number];
export interface PageState {
  fields?: Fields;
  /** The form the errors belong to: `stage:<name>:<action>`, `submit`, `publish`, `evaluation`. */
  form?: string;
  values?: Fields;
}

function StageDates({ c, s }: { c: PageCtx; s: StageView }) {
  const dates: string[] = [];
  if (s.plannedOn) dates.push(`${c.t('decisions.stages.f.planned')} ${s.plannedOn}`);
  if (s.startedOn) dates.push(`${c.t('decisions.stages.f.started')} ${s.startedOn}`);
  if (s.finishedOn) dates.push(`${c.t('decisions.stages.f.finished')} ${s.finishedOn}`);
  return dates.length ? <p class="ev-meta">{dates.join(' · ')}</p> : null;
}

export function Line({ c, label, children }: { c: PageCtx; label: string; children: ComponentChildren }) {
  return (
    <p>
      {label}
      {c.t('common.colon')}
      {children}
    </p>
  );
}

function StageForms({ c, d, s, rows, st }: { c: PageCtx; d: DecisionRow; s: StageView; rows: { stage: string; state: string }[]; st: PageState }) {
  const action = `${BASE}/${d.id}/stages/${s.stage}`;
  const mine = (a: string) => (st.form === `stage:${s.stage}:${a}` ? st.fields ?? {} : {});
  const val = (a: string, k: string) => (st.form === `stage:${s.stage}:${a}` ? st.values?.[k] ?? '' : '');
  const open = d.status === 'open' || (d.status === 'published' && s.stage === 'evaluation');
  if (!open) return null;
  const blocking = s.state === 'pending' ? blockingStage(rows, s.stage as Stage) : null;
  const forms: ComponentChildren[] = [];
  if (s.state === 'pending' && s.stage !== 'publication' && !(s.stage === 'evaluation' && !d.item_id)) {
    if (blocking) forms.push(<p class="hint">{c.t('decisions.console.blocked', { stage: c.t(`decisions.stage.${blocking}`) })}</p>);
    else
      forms.push(
        <form method="post" action={action} class="inline">
          <Csrf c={c} />
          <input type="hidden" name="action" value="start" />
          <button type="submit">{c.t('decisions.stages.console.start')}</button>
        </form>,
      );
  }
  if (s.state === 'active' && s.stage !== 'publication' && s.stage !== 'evaluation') {
    const e = mine('finish');
    forms.push(
      <form method="post" action={action} class="stack" aria-label={c.t('decisions.console.stage_form', { stage: c.t(`decisions.stage.${s.stage}`), action: c.t('decisions.stages.console.finish') })}>
        <Csrf c={c} />
        <input type="hidden" name="action" value="finish" />
        {s.stage === 'collective_decision' && (
          <>
            <Select label={c.t('decisions.stages.f.outcome')} name="outcome" id={`f-${s.stage}-outcome`} value={val('finish', 'outcome')} blank={c.t('decisions.console.choose')} required error={e.outcome} options={COLLECTIVE_OUTCOMES.map((o) => ({ value: o, label: c.t(`decisions.stages.outcome.${o}`) }))} />
            <Field label={c.t('decisions.stages.f.dissent')} name="dissent" id={`f-${s.stage}-dissent`} value={val('finish', 'dissent')} multiline rows={3} maxLength={TEXT_LIMITS.dissent} hint={c.t('decisions.console.hint.dissent')} error={e.dissent} />
          </>
        )}
        <Field label={c.t('decisions.stages.f.note')} name="note" id={`f-${s.stage}-note`} value={val('finish', 'note')} multiline rows={2} maxLength={TEXT_LIMITS.note} hint={c.t('decisions.console.hint.note')} error={e.note} />
        <button type="submit">{c.t('decisions.stages.console.finish')}</button>
      </form>,
    );
  }
  if (s.state === 'pending' && !REQUIRED_STAGES.includes(s.stage as Stage) && s.stage !== 'evaluation') {
    const e = mine('skip');
    forms.push(
      <details open={!!e.reason}>
        <summary>{c.t('decisions.stages.console.skip')}</summary>
        <form method="post" action={action} class="stack">
          <Csrf c={c} />
          <input type="hidden" name="action" value="skip" />
          <Field label={c.t('decisions.stages.f.skip_reason')} name="reason" id={`f-${s.stage}-reason`} value={val('skip', 'reason')} multiline rows={3} maxLength={TEXT_LIMITS.reason} required hint={c.t('decisions.console.hint.skip')} error={e.reason} />
          <button type="submit">{c.t('decisions.stages.console.skip')}</button>
        </form>
      </details>,
    );
  }
  const up = mine('document');
  if (s.state === 'active' || s.state === 'done') forms.push(
    <details open={!!(up.file || up.filename)}>
      <summary>{c.t('decisions.stages.console.upload')}</summary>
      <form method="post" action={`${action}/documents`} enctype="multipart/form-data" class="stack">
        <Csrf c={c} />
        <div class={`field${up.file || up.filename ? ' has-error' : ''}`}>
          <label for={`f-${s.stage}-file`}>{c.t('decisions.stages.console.file')}</label>
          {(up.file || up.filename) && <p class="field-error">{up.file || up.filename}</p>}
          <FileInput c={c} id={`f-${s.stage}-file`} name="file" required invalid={!!(up.file || up.filename)} />
        </div>
        <label class="check">
          <input type="checkbox" name="public" value="yes" /> {c.t('decisions.console.upload_public')}
        </label>
        <button type="submit">{c.t('decisions.stages.console.upload')}</button>
      </form>
    </details>,
  );
  return <div class="stage-forms">{forms}</div>;
}

export function StageItem({ c, d, s, rows, edit, st }: { c: PageCtx; d: DecisionRow; s: StageView; rows: { stage: string; state: string }[]; edit: boolean; st: PageState }) {
  const docBase = `${BASE}/${d.id}/stages/${s.stage}/documents`;
  return (
    <li class={`stage stage-${s.state}`} id={`stage-${s.stage}`}>
      <h3>
        {c.t(`decisions.stage.${s.stage}`)} <span class={`badge state-${s.state}`}>{c.t(`decisions.stage_state.${s.state}`)}</span>
        {REQUIRED_STAGES.includes(s.stage as Stage) && <span class="muted"> · {c.t('decisions.console.required')}</span>}
      </h3>
      <StageDates c={c} s={s} />
      {s.stage === 'legality_review' && s.state === 'active' && s.minimumUntil && <p class="hint">{c.t('decisions.console.earliest', { date: s.minimumUntil, days: LEGALITY_RULE.amount })}</p>}
      {s.state === 'skipped' && (
        <Line c={c} label={c.t('decisions.stages.f.skip_reason')}>
          <Zh c={c}>{s.skipReason}</Zh>
        </Line>
      )}
      {s.stage === 'collective_decision' && s.outcome && <Line c={c} label={c.t('decisions.stages.f.outcome')}>{c.t(`decisions.stages.outcome.${s.outcome}`)}</Line>}
      {s.stage === 'collective_decision' && s.dissent && (
        <Line c={c} label={c.t('decisions.stages.f.dissent')}>
          <Zh c={c}>{s.dissent}</Zh>
        </Line>
      )}
      {s.note && (
        <Line c={c} label={c.t('decisions.stages.f.note')}>
          <Zh c={c}>{s.note}</Zh>
        </Line>
      )}
      {s.documents.length > 0 && (
        <ul class="documents" aria-label={c.t('decisions.stages.f.documents')}>
          {s.documents.map((doc) => (
            <li>
              <a href={`${docBase}/${doc.index}`}>
                <Zh c={c}>{doc.name}</Zh>
              </a>{' '}
              <span class="muted">{doc.public ? c.t('decisions.console.doc_public') : c.t('decisions.console.doc_private')}</span>
              {edit && (
                <>
                  <form method="post" action={`${docBase}/${doc.index}`} class="inline">
                    <Csrf c={c} />
                    <input type="hidden" name="change" value={doc.public ? 'private' : 'public'} />
                    <button type="submit" class="link">{doc.public ? c.t('decisions.console.make_private') : c.t('decisions.console.make_public')}</button>
                  </form>
                  <form method="post" action={`${docBase}/${doc.index}`} class="inline">
                    <Csrf c={c} />
                    <input type="hidden" name="change" value="remove" />
                    <label class="confirm">
                      <input type="checkbox" name="confirm" value="yes" required /> {c.t('decisions.console.remove_confirm')}
                    </label>
                    <button type="submit" class="link danger">{c.t('decisions.console.remove')}</button>
                  </form>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {edit && <StageForms c={c} d={d} s={s} rows={rows} st={st} />}
    </li>
  );
}

