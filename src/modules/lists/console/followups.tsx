// 差评 follow-ups: call back the citizen, record the fix.
import { ratingLabel } from '../../../platform/ratings.js';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import { AdminLayout, Csrf, Empty, Field } from '../../../platform/render/index.js';
import { listFollowups, recordFollowup } from '../service/ratings.js';
import { str } from '../views.js';
import { shanghaiDate, shanghaiDateTime } from '../../../platform/dates.js';

export async function followupConsole(app: FastifyInstance, p: Platform): Promise<void> {
  // 差评 follow-ups
  app.get('/admin/lists/followups', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const rows = await listFollowups(p, req.user!);
    return reply.html(
      <AdminLayout c={c} title={c.t('lists.followups')}>
        <h1>{c.t('lists.followups')}</h1>
        <p>{c.t('lists.followups_intro')}</p>
        {rows.length === 0 ? (
          <Empty>{c.t('lists.followups_none')}</Empty>
        ) : (
          rows.map((f) => (
            <section class="card followup" aria-labelledby={`fu-${f.id}`}>
              <h2 id={`fu-${f.id}`}>
                {f.guideCode} · {c.t(ratingLabel(f.level))}
              </h2>
              <p>
                {f.name}（{f.phone}）· {shanghaiDate(f.createdAt)} · {c.t('lists.fix_due', { date: f.fixDue })}
              </p>
              <p class="pre">{f.comment}</p>
              {f.callbackAt && <p>{c.t('lists.called_back', { at: shanghaiDateTime(f.callbackAt), by: f.callbackBy ?? '', note: f.callbackNote ?? '' })}</p>}
              {f.fixedAt ? (
                <p>{c.t('lists.fixed', { at: shanghaiDate(f.fixedAt), note: f.fixNote ?? '' })}</p>
              ) : (
                <form method="post" action={`/admin/lists/followups/${f.id}`} class="stack">
                  <Csrf c={c} />
                  <Field label={c.t('lists.callback_note')} name="callbackNote" multiline rows={2} maxLength={1000} required={!f.callbackAt} />
                  <Field label={c.t('lists.fix_note')} name="fixNote" multiline rows={2} maxLength={1000} />
                  <label class="checkbox">
                    <input type="checkbox" name="fixed" value="1" /> {c.t('lists.mark_fixed')}
                  </label>
                  <button type="submit">{c.t('lists.save')}</button>
                </form>
              )}
            </section>
          ))
        )}
      </AdminLayout>,
    );
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/admin/lists/followups/:id', { config: { permission: 'list.edit' } }, async (req, reply) => {
    const b = req.body ?? {};
    await recordFollowup(p, req.user!, Number(req.params.id) || 0, { callbackNote: str(b.callbackNote).slice(0, 1100), fixNote: str(b.fixNote).slice(0, 1100), fixed: b.fixed === '1' });
    return reply.redirect('/admin/lists/followups', 303);
  });
}
