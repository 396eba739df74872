// Progress that is not a publication (platform/channels/announce.ts): an appeal's steps reach the
// followers of its target at once, whatever their frequency, by e-mail or text, each with the
// preference centre. Not in the delivery ledger (which records item versions).
import type { Platform } from '../../../platform/platform.js';
import { sendMessage } from '../../../platform/channels/index.js';
import { smsNotice, smsSign } from '../../../platform/channels/sms-http.js';
import type { Announcement } from '../../../platform/channels/announce.js';
import { t as tr } from '../../../platform/i18n/index.js';
import { manageToken } from './subscribe.js';

export async function deliverAnnouncement(p: Platform, a: Announcement): Promise<number> {
  if (typeof a?.target !== 'string' || typeof a.key !== 'string') return 0;
  const rows = await p.db
    .selectFrom('sub_lists as l')
    .innerJoin('sub_subscriptions as s', 's.list_id', 'l.id')
    .innerJoin('sub_subscribers as r', 'r.id', 's.subscriber_id')
    .select(['r.id', 'r.channel', 'r.address', 'r.locale', 'r.link_version'])
    .where('l.facet_key', '=', a.target)
    .where('l.n_terms', '=', 0)
    .where('s.state', '=', 'active')
    .where('r.state', '=', 'active')
    .execute();
  if (!rows.length) return 0;
  const url = `${p.config.publicUrl}${a.url}`;
  await p.tx(async (t) => {
    for (const r of rows) {
      const key = `progress:${a.key}:${r.id}`;
      if (r.channel === 'sms') {
        await sendMessage(p, t, { channel: 'sms', to: r.address, text: smsNotice({ sign: smsSign(p.config), title: a.text, link: url }) }, key);
        continue;
      }
      const manage = `${p.config.publicUrl}/subscriptions/manage/${manageToken(p, r)}`;
      const L = r.locale === 'en' ? 'en' : 'zh-CN';
      await sendMessage(p, t, { channel: 'email', to: r.address, subject: a.subject, text: `${a.text}\n\n${url}\n\n${tr(L, 'subscriptions.progress.manage')}${manage}` }, key);
    }
  });
  return rows.length;
}
