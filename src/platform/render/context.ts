// What every view receives: the caller's language, user, display preferences and site data.
import { withoutSecrets } from '../http/logging.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Locale, Translate } from '../i18n/index.js';
import type { Principal } from '../auth/policy.js';
import { can } from '../auth/policy.js';
import type { Prefs } from '../http/types.js';
import type { NavItem } from '../module.js';

export interface Government {
  name: string;
  shortName: string;
  orgCode: string;
  address: string;
  phone: string;
  /** 政府网站标识码 (10 characters), ICP 备案号 and 公安机关备案号 shown in the portal's footer
   *  (government settings; the GONGKAI_SITE_* variables are the defaults). */
  siteCode?: string;
  icp?: string;
  psb?: string;
}

export interface PageCtx {
  t: Translate;
  locale: Locale;
  user: Principal | null;
  prefs: Prefs;
  path: string;
  /** Current URL (path + query) for "back" links. */
  url: string;
  /** The public base URL (GONGKAI_PUBLIC_URL, no trailing slash): canonical links, sitemaps. */
  base: string;
  /** This page's canonical path (the path and its non-empty query parameters) for a GET, else
   *  null. A page whose address has variants (a list kept in the query) passes its own. */
  canonical: string | null;
  gov: Government;
  site: { icp: string; psb: string; code: string };
  publicNav: NavItem[];
  adminNav: NavItem[];
  /** The portal footer's links (网站地图, 联系我们 …): the modules' `nav.footer`. */
  footerLinks: NavItem[];
  searchPath: string | null;
  csrf(): string;
  can(action: string, resource?: { departmentId?: number | null }): boolean;
}

let government: Government = { name: 'gongkai', shortName: 'gongkai', orgCode: '', address: '', phone: '' };
export function setGovernment(g: Government): void {
  government = g;
}
export function getGovernment(): Government {
  return government;
}

export interface SiteChrome {
  publicNav: NavItem[];
  adminNav: NavItem[];
  footerLinks: NavItem[];
  searchPath: string | null;
  site: { icp: string; psb: string; code: string };
  publicUrl: string;
}

/** A path with its query, dropping empty parameters (?q=&page=2 → ?page=2). */
export function canonicalPath(url: string): string {
  const i = url.indexOf('?');
  if (i < 0) return url;
  const q = new URLSearchParams(url.slice(i + 1));
  const kept = new URLSearchParams([...q].filter(([, v]) => v !== ''));
  const s = kept.toString();
  return s ? `${url.slice(0, i)}?${s}` : url.slice(0, i);
}

export function pageCtx(req: FastifyRequest, reply: FastifyReply, chrome: SiteChrome): PageCtx {
  let token: string | null = null;
  // Links back to this page (language, display preferences) never carry a secret onwards.
  const url = withoutSecrets(req.url);
  return {
    t: req.t,
    locale: req.locale,
    user: req.user,
    prefs: req.prefs,
    path: url.split('?')[0],
    url,
    base: chrome.publicUrl,
    canonical: req.method === 'GET' ? canonicalPath(url) : null,
    gov: government,
    site: chrome.site,
    publicNav: chrome.publicNav,
    adminNav: chrome.adminNav.filter((n) => !n.permission || can(req.user, n.permission)),
    footerLinks: chrome.footerLinks,
    searchPath: chrome.searchPath,
    csrf: () => (token ??= reply.generateCsrf()),
    can: (action, resource) => can(req.user, action, resource ?? undefined),
  };
}
