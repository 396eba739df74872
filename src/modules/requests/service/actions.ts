// One dispatcher for the staff steps on a request: the JSON API and the console's forms share it.
import type { Platform } from '../../../platform/platform.js';
import { badRequest, notFound } from '../../../platform/errors.js';
import type { Actor } from '../service.js';
import { askCorrection, askExtension, confirmReceipt, decideExtension, recordCorrection } from './steps.js';
import { answerConsultation, openConsultation } from './consult.js';
import { referComplaint } from './referral.js';
import { noticeFee, recordFeePaid, withdrawFee } from './fees.js';

export const STAFF_ACTIONS = ['confirm-receipt', 'correction', 'corrected', 'extension', 'extension-decision', 'consult', 'consultation-answer', 'refer', 'fee-notice', 'fee-paid', 'fee-withdraw'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

const s = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Runs a step; the body's fields as the step names them (forms send text, the API typed values). */
export async function runAction(p: Platform, actor: Actor, id: number, action: string, b: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (action as StaffAction) {
    case 'confirm-receipt':
      return confirmReceipt(p, actor, id, { on: s(b.on), how: s(b.how) });
    case 'correction':
      return askCorrection(p, actor, id, { items: b.items, due: s(b.due) || undefined, on: s(b.on) });
    case 'corrected':
      return recordCorrection(p, actor, id, { on: s(b.on), note: s(b.note) });
    case 'extension': {
      const w = typeof b.workdays === 'string' ? (/^\d{1,4}$/.test(b.workdays) ? Number(b.workdays) : NaN) : b.workdays;
      await askExtension(p, actor, id, { workdays: w, reason: s(b.reason) });
      return {};
    }
    case 'extension-decision': {
      const approve = typeof b.approve === 'string' ? (b.approve === '1' ? true : b.approve === '0' ? false : undefined) : b.approve;
      return decideExtension(p, actor, id, { approve, note: s(b.note) });
    }
    case 'consult':
      return openConsultation(p, actor, id, { kind: s(b.kind), party: s(b.party), on: s(b.on), note: s(b.note) });
    case 'consultation-answer': {
      const cid = typeof b.consultation === 'string' ? Number(b.consultation) : b.consultation;
      if (typeof cid !== 'number' || !Number.isInteger(cid) || cid < 1 || cid > 2147483647) throw badRequest('err.validation', { consultation: 'err.field.invalid' });
      return answerConsultation(p, actor, id, cid, { answer: s(b.answer), on: s(b.on), note: s(b.note) });
    }
    case 'refer':
      return referComplaint(p, actor, id, { note: s(b.note) });
    case 'fee-notice': {
      // Forms send text: an empty pages field is no pages; anything but digits is refused by the step.
      const pages = typeof b.pages === 'string' ? (b.pages.trim() === '' ? undefined : /^\d{1,9}$/.test(b.pages.trim()) ? Number(b.pages) : NaN) : b.pages;
      return noticeFee(p, actor, id, { method: b.method, pages, how: s(b.how), on: s(b.on) });
    }
    case 'fee-paid':
      return recordFeePaid(p, actor, id, { on: s(b.on) });
    case 'fee-withdraw':
      return withdrawFee(p, actor, id, { reason: s(b.reason), on: s(b.on) });
  }
  throw notFound();
}
