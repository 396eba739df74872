// One entry point for the staff actions on an appeal, shared by the JSON API and the console forms.
import type { Platform } from '../../../platform/platform.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { notFound } from '../../../platform/errors.js';
import { addAssist, addNote, closeAppeal, dispatchAppeal, mergeAppeal, recordCallback, redispatchAppeal, replyAppeal, requestExtension, requestReturn, reviewExtension, reviewReturn, urgeAppeal } from './workflow.js';
import { declineRelease, releaseAppeal, withdrawRelease } from './release.js';
import { reviewReply } from './review.js';

export const STAFF_ACTIONS = ['dispatch', 'redispatch', 'assist', 'return', 'return-review', 'extension', 'extension-review', 'urge', 'reply', 'reply-review', 'close', 'callback', 'merge', 'release', 'decline', 'unpublish', 'note'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

export interface ActionBody {
  department?: string;
  assisting?: string[] | string;
  reason?: string;
  note?: string;
  workdays?: number | string;
  approve?: boolean | string;
  reply?: string;
  resolved?: boolean | string;
  into?: string;
  callback?: string;
  title?: string;
  content?: string;
}

const yes = (v: unknown) => v === true || v === 'true' || v === '1' || v === 'yes' || v === 'on';

export async function runAction(p: Platform, user: Principal, id: number, action: string, b: ActionBody): Promise<void> {
  switch (action as StaffAction) {
    case 'dispatch':
      return dispatchAppeal(p, user, id, { department: b.department ?? '', assisting: ([] as string[]).concat(b.assisting ?? []).filter(Boolean), note: b.note });
    case 'redispatch':
      return redispatchAppeal(p, user, id, { department: b.department ?? '', reason: b.reason ?? '' });
    case 'assist':
      return addAssist(p, user, id, b.department ?? '');
    case 'return':
      return requestReturn(p, user, id, b.reason ?? '');
    case 'return-review':
      return reviewReturn(p, user, id, yes(b.approve), b.note ?? '');
    case 'extension':
      return requestExtension(p, user, id, Number(b.workdays), b.reason ?? '');
    case 'extension-review':
      return reviewExtension(p, user, id, yes(b.approve), b.note ?? '');
    case 'urge':
      return urgeAppeal(p, user, id, b.note ?? '');
    case 'reply':
      return replyAppeal(p, user, id, { reply: b.reply ?? '', resolved: yes(b.resolved) });
    case 'reply-review':
      return reviewReply(p, user, id, yes(b.approve), b.note ?? '');
    case 'close':
      return closeAppeal(p, user, id, b.callback);
    case 'callback':
      return recordCallback(p, user, id, b.callback ?? '');
    case 'merge':
      return mergeAppeal(p, user, id, b.into ?? '');
    case 'release':
      await releaseAppeal(p, user, id, { title: b.title ?? '', content: b.content ?? '', reply: b.reply ?? '' });
      return;
    case 'decline':
      return declineRelease(p, user, id, b.reason ?? '');
    case 'unpublish':
      return withdrawRelease(p, user, id, b.reason ?? '');
    case 'note':
      return addNote(p, user, id, b.note ?? '');
    default:
      throw notFound();
  }
}
