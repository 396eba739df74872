// One dispatcher for the staff steps on a request: the JSON API and the console's forms share it.
import type { Platform } from '../../../platform/platform.js';
import { badRequest, notFound } from '../../../platform/errors.js';
import type { Actor } from '../service.js';
import { askCorrection, askExtension, confirmReceipt, decideExtension, recordCorrection } from './steps.js';
import { answerConsultation, openConsultation } from './consult.js';
import { referComplaint } from './referral.js';
import { isReviewAction, REVIEW_ACTIONS, runReviewAction } from './reviews.js';
import { decideReply, deliverReply, draftReply, signReply, submitReply, type DraftInput } from './replies.js';
import { noticeFee, recordFeePaid, withdrawFee } from './fees.js';

export const STAFF_ACTIONS = ['confirm-receipt', 'correction', 'corrected', 'extension', 'extension-decision', 'consult', 'consultation-answer', 'refer', 'reply', 'reply-submit', 'reply-decision', 'reply-sign', 'reply-deliver', 'fee-notice', 'fee-paid', 'fee-withdraw', ...REVIEW_ACTIONS] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
const yesNo = (v: unknown) => (typeof v === 'string' ? (v === '1' ? true : v === '0' ? false : undefined) : v);

/**
 * The console's reply form, flat: `type`, `fields.<name>`, `withheld.<n>.part|ground|reason` (rows
 * left empty are dropped), `itemIds` (numbers separated by commas or spaces), `body`,
 * `regenerate=1`, `remove=<hash>`.
 */
export function draftFromForm(b: Record<string, unknown>): DraftInput {
  const fields: Record<string, unknown> = {};
  const rows = new Map<number, Record<string, string>>();
  for (const [k, v] of Object.entries(b)) {
    if (k.startsWith('fields.')) fields[k.slice(7)] = v;
    const m = /^withheld\.(\d{1,2})\.(part|ground|reason)$/.exec(k);
    if (m && typeof v === 'string') rows.set(Number(m[1]), { ...rows.get(Number(m[1])), [m[2]]: v });
  }
  const withheld = [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r).filter((r) => Object.values(r).some((v) => v.trim()));
  const ids = typeof b.itemIds === 'string' ? b.itemIds.split(/[\s,，、]+/).filter(Boolean).map((x) => (/^\d{1,10}$/.test(x) ? Number(x) : NaN)) : b.itemIds;
  return { type: b.type, fields, withheld, itemIds: ids ?? [], body: b.body, regenerate: b.regenerate === '1' };
}

/** Runs a step; the body's fields as the step names them (forms send text, the API typed values). */
export async function runAction(p: Platform, actor: Actor, id: number, action: string, b: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (isReviewAction(action)) return runReviewAction(p, actor, id, action, b);
  switch (action as StaffAction) {
    case 'confirm-receipt':
      return confirmReceipt(p, actor, id, { on: s(b.on), how: s(b.how) });
    case 'correction':
      return askCorrection(p, actor, id, { items: b.items, due: s(b.due) || undefined, on: s(b.on) });
    case 'corrected':
      return recordCorrection(p, actor, id, { on: s(b.on), note: s(b.note) });
    case 'extension': {
      const w = typeof b.workdays === 'string' ? (/^\d{1,4}$/.test(b.workdays) ? Number(b.workdays) : NaN) : b.workdays;
      await askExtension(p, actor, id, { workdays: w, reason: s(b.reason), on: s(b.on) });
      return {};
    }
    case 'extension-decision':
      return decideExtension(p, actor, id, { approve: yesNo(b.approve), note: s(b.note), on: s(b.on) });
    case 'consult':
      return openConsultation(p, actor, id, { kind: s(b.kind), party: s(b.party), on: s(b.on), note: s(b.note) });
    case 'consultation-answer': {
      const cid = typeof b.consultation === 'string' ? Number(b.consultation) : b.consultation;
      if (typeof cid !== 'number' || !Number.isInteger(cid) || cid < 1 || cid > 2147483647) throw badRequest('err.validation', { consultation: 'err.field.invalid' });
      return answerConsultation(p, actor, id, cid, { answer: s(b.answer), on: s(b.on), note: s(b.note) });
    }
    case 'refer':
      return referComplaint(p, actor, id, { note: s(b.note), on: s(b.on) });
    case 'reply':
      return draftReply(p, actor, id, draftFromForm(b));
    case 'reply-submit':
      return submitReply(p, actor, id, { on: s(b.on) });
    case 'reply-decision':
      return decideReply(p, actor, id, { approve: yesNo(b.approve), note: b.note, on: s(b.on) });
    case 'reply-sign':
      return signReply(p, actor, id, { letterNo: b.letterNo, on: s(b.on) });
    case 'reply-deliver':
      return deliverReply(p, actor, id, { channel: b.channel, on: b.on, ref: b.ref });
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
