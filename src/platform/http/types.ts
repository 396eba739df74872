import type { Locale, Translate } from '../i18n/index.js';
import type { Principal } from '../auth/policy.js';
import type { Platform } from '../platform.js';

/** Display preferences chosen with the accessibility tools (cookies; no JavaScript needed). */
export interface Prefs {
  large: boolean; // 大字版
  contrast: boolean; // high contrast
  spacing: boolean; // wider line spacing
}

declare module 'fastify' {
  interface FastifyRequest {
    user: Principal | null;
    locale: Locale;
    t: Translate;
    prefs: Prefs;
  }
  interface FastifyContextConfig {
    /** 'public', 'authenticated', or an action checked with can(user, action). Required on every route. */
    permission?: string;
    /**
     * false = this unsafe route authenticates by other means (API key) and skips CSRF.
     * 'multipart' = an upload form: the token may come as the form's first field (`_csrf`, the
     * `Csrf` component placed first), checked when the handler reads the parts — so it never
     * travels in the URL. The handler must read the parts (req.parts()) before acting.
     */
    csrf?: boolean | 'multipart';
    /** The route answers conditional GETs with 304 (cachedPublic): the API document declares it. */
    conditional?: boolean;
    /** The module that registered the route (set by the platform; the default tag in the API document). */
    module?: string;
  }
  interface FastifyInstance {
    gk: Platform;
  }
  interface FastifySchema {
    /**
     * Parameters and bodies described in the API document but read and checked by the handler
     * itself (its own errors, its own format): the document shows them, Fastify does not
     * validate them. For routes whose checks predate their description (Open311, feeds).
     */
    doc?: { params?: unknown; querystring?: unknown; body?: unknown };
  }
}
