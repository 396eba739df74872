// The decisions module's demo (module.ts `demo`): a year of major decisions in several states
// (demoDecisions), one consultation open now with comments on several articles — some awaiting
// moderation — one closed with every comment moderated, its adoption report and the decision
// published; a hearing held weeks ago with its drawn participants and record, and one announced
// that the public can still register for. Deterministic: fixed seeds, dates relative to today.
import type { Platform } from '../../../platform/platform.js';
import { demoDecisions, demoPublishDecision, DEMO_CONSULTATION_SEEDS } from './decisions.js';
import { demoConsultation } from './consultations.js';
import { demoComments, demoModerateAll } from './comments.js';
import { demoAdoptionReport } from './report.js';
import { demoHearing, demoPastHearing } from './hearings.js';

export async function loadDemoDecisions(p: Platform): Promise<void> {
  const dec = await demoDecisions(p);
  const open = await demoConsultation(p, dec.openConsultation, { state: 'open', seed: DEMO_CONSULTATION_SEEDS.openConsultation });
  await demoComments(p, open.id, { seed: 19, count: 30 });
  const closed = await demoConsultation(p, dec.closedConsultation, { state: 'closed', seed: DEMO_CONSULTATION_SEEDS.closedConsultation });
  await demoComments(p, closed.id, { seed: 23, count: 26 });
  await demoModerateAll(p, closed.id);
  if (!(await demoAdoptionReport(p, closed.id))) throw new Error('demo decisions: the adoption report could not be made');
  await demoPastHearing(p, dec.closedConsultation);
  await demoPublishDecision(p, dec.closedConsultation);
  await demoHearing(p, dec.hearing);
}
