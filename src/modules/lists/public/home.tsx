// The home-page section: the lists, the market-access lookup and policy matching.
import type { PageCtx } from '../../../platform/render/context.js';

export function homeSection(c: PageCtx) {
  return (
    <section aria-labelledby="home-lists" class="home-lists">
      <h2 id="home-lists">{c.t('lists.home_title')}</h2>
      <ul class="tiles">
        <li>
          <a href="/lists/power">{c.t('lists.type.power')}</a>
        </li>
        <li>
          <a href="/lists/service-guide">{c.t('lists.type.service-guide')}</a>
        </li>
        <li>
          <a href="/negative-lists/lookup">{c.t('lists.lookup_title')}</a>
        </li>
        <li>
          <a href="/policies/match">{c.t('lists.match_title')}</a>
        </li>
      </ul>
    </section>
  );
}
