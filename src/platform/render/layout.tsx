// Page layouts: the public portal and the staff console. Server-rendered; no inline scripts.
import type { ComponentChildren } from 'preact';
import type { PageCtx } from './context.js';
import { Zh, zhLang } from './components.js';

// 大字版 is set on <html> too: the root font size scales the whole rem type ramp (site.css).
function bodyClass(c: PageCtx, extra: string): string {
  return [extra, c.prefs.large && 'a11y-large', c.prefs.contrast && 'a11y-contrast', c.prefs.spacing && 'a11y-spacing'].filter(Boolean).join(' ');
}

/** The meta description as search results show it: one line of at most 150 characters. */
export function metaDescription(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > 150 ? `${s.slice(0, 149)}…` : s;
}

function Head({ c, title, description, canonical, feeds, noindex }: { c: PageCtx; title: string; description?: string; canonical?: string | null; feeds?: { href: string; type: string; title: string }[]; noindex?: boolean }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title ? `${title} - ${c.gov.name}` : c.gov.name}</title>
      {description && <meta name="description" content={metaDescription(description)} />}
      {noindex && <meta name="robots" content="noindex" />}
      {canonical && <link rel="canonical" href={`${c.base}${canonical}`} />}
      <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/static/site.css" />
      {(feeds ?? []).map((f) => (
        <link rel="alternate" type={f.type} title={f.title} href={f.href} />
      ))}
    </head>
  );
}

function prefHref(c: PageCtx, key: 'large' | 'contrast' | 'spacing'): string {
  return `/prefs?${key}=${c.prefs[key] ? '0' : '1'}&back=${encodeURIComponent(c.url)}`;
}

export function A11yTools({ c }: { c: PageCtx }) {
  const other = c.locale === 'en' ? 'zh-CN' : 'en';
  const toggle = (key: 'large' | 'contrast' | 'spacing') => (
    <a href={prefHref(c, key)} class={c.prefs[key] ? 'on' : undefined}>
      {c.t(`a11y.${key}`)}
      {c.prefs[key] && <span class="visually-hidden">{c.t('a11y.on')}</span>}
    </a>
  );
  return (
    <nav class="a11y-tools" aria-label={c.t('a11y.tools')}>
      {toggle('large')}
      {toggle('contrast')}
      {toggle('spacing')}
      <a href={`/lang/${other}?back=${encodeURIComponent(c.url)}`} lang={other}>{other === 'en' ? 'English' : '中文'}</a>
    </nav>
  );
}

/**
 * The identification lines of a gov.cn site's footer: the 党政机关 mark with the 政府网站标识码,
 * the ICP filing (linked to the MIIT register) and the public-security filing (linked to the MPS
 * register with its number). From the government settings, else the GONGKAI_SITE_* defaults.
 */
function SiteIdentification({ c }: { c: PageCtx }) {
  const code = c.gov.siteCode || c.site.code;
  const icp = c.gov.icp || c.site.icp;
  const psb = c.gov.psb || c.site.psb;
  if (!code && !icp && !psb) return null;
  const psbNo = /(\d{10,})/.exec(psb)?.[1];
  return (
    <p class="site-identification">
      {code && (
        <span>
          <span class="conac-mark">{c.t('footer.conac')}</span> {c.t('footer.siteCode')}：{code}
        </span>
      )}
      {icp && (
        <a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">
          {icp}
        </a>
      )}
      {psb && (psbNo ? <a href={`https://beian.mps.gov.cn/#/query/webSearch?code=${psbNo}`} rel="noopener noreferrer">{psb}</a> : <span>{psb}</span>)}
    </p>
  );
}

/**
 * A public page. `description` is its meta description (the item's summary, the page's purpose;
 * default: the site's, from the government's name). `canonical` is its canonical path (default:
 * this GET's path and non-empty query; null for none, e.g. an error page) — the address the XML
 * sitemap gives for it.
 */
export function PublicLayout(props: {
  c: PageCtx;
  title: string;
  description?: string;
  canonical?: string | null;
  noindex?: boolean;
  feeds?: { href: string; type: string; title: string }[];
  children: ComponentChildren;
  head?: ComponentChildren;
}) {
  const { c } = props;
  const canonical = props.canonical === undefined ? c.canonical : props.canonical;
  return (
    <html lang={c.locale} class={c.prefs.large ? 'a11y-large' : undefined}>
      <Head c={c} title={props.title} description={props.description || c.t('site.description', { name: c.gov.name })} canonical={props.noindex ? null : canonical} noindex={props.noindex} feeds={props.feeds} />
      <body class={bodyClass(c, 'portal')}>
        <a class="skip" href="#main">{c.t('a11y.skip')}</a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/">
              <span class="brand-emblem" aria-hidden="true">公</span>
              <span lang={zhLang(c)}>{c.gov.name}</span>
            </a>
            <A11yTools c={c} />
          </div>
          <div class="wrap nav-row">
            <nav class="main-nav" aria-label={c.t('nav.main')}>
              <a href="/" aria-current={c.path === '/' ? 'page' : undefined}>{c.t('nav.home')}</a>
              {c.publicNav.map((n) => (
                <a href={n.href} aria-current={c.path.startsWith(n.href) ? 'page' : undefined}>{c.t(n.label)}</a>
              ))}
            </nav>
            {c.searchPath && (
              <form class="search-box" role="search" method="get" action={c.searchPath}>
                <label for="site-q" class="visually-hidden">{c.t('search.label')}</label>
                <input id="site-q" name="q" type="search" maxLength={100} placeholder={c.t('search.placeholder')} />
                <button type="submit">{c.t('search.button')}</button>
              </form>
            )}
          </div>
        </header>
        <main id="main" class="wrap" tabIndex={-1}>
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>
              {c.t('footer.sponsor')}：<Zh c={c}>{c.gov.name}</Zh>
              {c.gov.address && <> · {c.t('footer.address')}：<Zh c={c}>{c.gov.address}</Zh></>}
              {c.gov.phone && <> · {c.t('footer.phone')}：{c.gov.phone}</>}
            </p>
            <SiteIdentification c={c} />
            <nav class="footer-links" aria-label={c.t('footer.links')}>
              {c.footerLinks.map((l) => (
                <a href={l.href}>{c.t(l.label)}</a>
              ))}
              <a href="/admin">{c.t('footer.staff')}</a>
            </nav>
          </div>
        </footer>
      </body>
    </html>
  );
}

export function AdminLayout(props: { c: PageCtx; title: string; children: ComponentChildren }) {
  const { c } = props;
  return (
    <html lang={c.locale} class={c.prefs.large ? 'a11y-large' : undefined}>
      <Head c={c} title={`${props.title} · ${c.t('admin.console')}`} noindex />
      <body class={bodyClass(c, 'console')}>
        <a class="skip" href="#main">{c.t('a11y.skip')}</a>
        <header class="console-header">
          <div class="wrap header-row">
            <a class="brand" href="/admin">
              <span class="brand-emblem" aria-hidden="true">公</span>
              <span>{c.t('admin.console')}</span>
            </a>
            <A11yTools c={c} />
            {c.user && (
              <div class="whoami">
                <a href="/admin/account">{c.user.displayName}</a>
                <form method="post" action="/admin/logout" class="inline">
                  <input type="hidden" name="_csrf" value={c.csrf()} />
                  <button type="submit" class="link">{c.t('auth.logout')}</button>
                </form>
              </div>
            )}
          </div>
          {c.user && (
            <nav class="wrap main-nav" aria-label={c.t('nav.console')}>
              <a href="/admin" aria-current={c.path === '/admin' ? 'page' : undefined}>{c.t('admin.dashboard')}</a>
              {c.adminNav.map((n) => (
                <a href={n.href} aria-current={c.path.startsWith(n.href) ? 'page' : undefined}>{c.t(n.label)}</a>
              ))}
            </nav>
          )}
        </header>
        <main id="main" class="wrap" tabIndex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  );
}
