// Release for publication with privacy: the masked draft staff review, release through the
// publication spine (with the citizen's consent, once replied), declining and withdrawing.
import type { Platform } from '../../../platform/platform.js';
import { conflict, validationError } from '../../../platform/errors.js';
import { maskText } from '../../../platform/privacy/index.js';
import { publishApproved, withdrawApproved, defaultMeta, bumpGeneration } from '../../../platform/publication/index.js';
import type { Appeal } from '../schema.js';
import { actorName, event, getSettings, loadFor, requireCentre, touch, type Actor } from '../service.js';
import { LIMITS } from './intake.js';
import { shanghaiDate } from '../../../platform/dates.js';

export function maskedDraft(a: Pick<Appeal, 'title' | 'content' | 'reply' | 'contact_name'>) {
  const names = a.contact_name ? [a.contact_name] : [];
  const title = maskText(a.title, { names });
  const content = maskText(a.content, { names });
  const reply = maskText(a.reply ?? '', { names });
  return { title: title.text, content: content.text, reply: reply.text, hits: [...title.hits, ...content.hits, ...reply.hits] };
}

/**
 * Release for publication after staff reviewed the masked text: with the citizen's consent only,
 * once replied. The text is masked again (whatever the reviewer typed) and published through the
 * spine as an `appeal` item of the handling department.
 */
export async function releaseAppeal(p: Platform, actor: Actor, id: number, input: { title: string; content: string; reply: string }): Promise<number> {
  await requireCentre(p.db, actor, 'appeal.approve');
  const f: Record<string, string> = {};
  for (const k of ['title', 'content', 'reply'] as const) if (!input[k]?.trim()) f[k] = 'err.field.required';
  if ((input.title ?? '').length > LIMITS.title) f.title = 'appeals.err.title_long';
  if (Object.keys(f).length) throw validationError(f);
  const released = await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (!a.consent) throw conflict('appeals.err.no_consent');
    if (a.status !== 'replied' && a.status !== 'closed') throw conflict('appeals.err.state', undefined, { status: a.status });
    if (a.publish_state === 'published') throw conflict('appeals.err.already_published');
    const names = a.contact_name ? [a.contact_name] : [];
    const title = maskText(input.title.trim(), { names }).text;
    const content = maskText(input.content.trim(), { names }).text;
    const reply = maskText(input.reply.trim(), { names }).text;
    const dept = a.department_id ?? (await getSettings(t)).centreId!;
    const now = new Date();
    const { id: itemId } = await publishApproved(p, t, typeof actor === 'string' ? 'system' : actor, {
        type: 'appeal',
        departmentId: dept,
        meta: defaultMeta({ title, summary: content.slice(0, 200), keywords: [a.type, a.category], formedAt: shanghaiDate(a.replied_at ?? a.created_at), writtenAt: shanghaiDate(a.created_at) }),
        data: { trackingNo: a.tracking_no, type: a.type, category: a.category, content, reply, askedAt: a.created_at, repliedAt: a.replied_at, rating: a.rating },
        publishedAt: now,
    });
    await touch(t, id, { publish_state: 'published', pub_item_id: itemId, title_masked: title, content_masked: content, reply_masked: reply, published_at: now.toISOString() });
    await event(p, t, id, actorName(actor), 'publish', '', true, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.publish', entity: 'appeal', entityId: id, details: { item: itemId } });
    return itemId;
  });
  bumpGeneration();
  return released;
}

export async function declineRelease(p: Platform, actor: Actor, id: number, reason: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.approve');
  if (!reason?.trim()) throw validationError({ reason: 'err.field.required' });
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.publish_state === 'published') throw conflict('appeals.err.already_published');
    await touch(t, id, { publish_state: 'declined' });
    await event(p, t, id, actorName(actor), 'publish_decline', reason.trim(), false, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.publish_decline', entity: 'appeal', entityId: id, details: { reason: reason.trim() } });
  });
}

/** Takes a published appeal off the board (the spine withdraws the item). */
export async function withdrawRelease(p: Platform, actor: Actor, id: number, reason: string): Promise<void> {
  await requireCentre(p.db, actor, 'appeal.approve');
  if (!reason?.trim()) throw validationError({ reason: 'err.field.required' });
  await p.tx(async (t) => {
    const a = await loadFor(p, t, actor, id);
    if (a.publish_state !== 'published' || !a.pub_item_id) throw conflict('appeals.err.not_published');
    // The centre's right was checked above; the spine withdraws in the same transaction.
    if (!(await withdrawApproved(p, t, typeof actor === 'string' ? 'system' : actor, a.pub_item_id, reason.trim()))) throw conflict('appeals.err.not_published');
    await touch(t, id, { publish_state: 'declined' });
    await event(p, t, id, actorName(actor), 'unpublish', reason.trim(), false, a.department_id);
    await p.audit(t, { actor: actorName(actor), action: 'appeal.unpublish', entity: 'appeal', entityId: id, details: { reason: reason.trim() } });
  });
  bumpGeneration();
}
