// One entry point for the staff actions on an appeal, shared by the JSON API and the console forms.
import type { Platform } from '../../../platform/platform.js';
import type { Principal } from '../../../platform/auth/policy.js';
import { notFound } from '../../../platform/errors.js';
import * as s from '../service.js';

export const STAFF_ACTIONS = ['dispatch', 'redispatch', 'assist', 'return', 'return-review', 'extension', 'extension-review', 'urge', 'reply', 'close', 'callback', 'merge', 'release', 'decline', 'unpublish', 'note'] as const;
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
      return s.dispatchAppeal(p, user, id, { department: b.department ?? '', assisting: ([] as string[]).concat(b.assisting ?? []).filter(Boolean), note: b.note });
    case 'redispatch':
      return s.redispatchAppeal(p, user, id, { department: b.department ?? '', reason: b.reason ?? '' });
    case 'assist':
      return s.addAssist(p, user, id, b.department ?? '');
    case 'return':
      return s.requestReturn(p, user, id, b.reason ?? '');
    case 'return-review':
      return s.reviewReturn(p, user, id, yes(b.approve), b.note ?? '');
    case 'extension':
      return s.requestExtension(p, user, id, Number(b.workdays), b.reason ?? '');
    case 'extension-review':
      return s.reviewExtension(p, user, id, yes(b.approve), b.note ?? '');
    case 'urge':
      return s.urgeAppeal(p, user, id, b.note ?? '');
    case 'reply':
      return s.replyAppeal(p, user, id, { reply: b.reply ?? '', resolved: yes(b.resolved) });
    case 'close':
      return s.closeAppeal(p, user, id, b.callback);
    case 'callback':
      return s.recordCallback(p, user, id, b.callback ?? '');
    case 'merge':
      return s.mergeAppeal(p, user, id, b.into ?? '');
    case 'release':
      await s.releaseAppeal(p, user, id, { title: b.title ?? '', content: b.content ?? '', reply: b.reply ?? '' });
      return;
    case 'decline':
      return s.declineRelease(p, user, id, b.reason ?? '');
    case 'unpublish':
      return s.withdrawRelease(p, user, id, b.reason ?? '');
    case 'note':
      return s.addNote(p, user, id, b.note ?? '');
    default:
      throw notFound();
  }
}
