// Message catalogues. Views and errors use keys; zh-CN is the default, en the second language.
// Modules add their own keys with addMessages().
import { zhCN } from './zh-CN.js';
import { en } from './en.js';
import { RATING_MESSAGES } from '../ratings.js';
import { NOTICE_MAIL_MESSAGES } from '../channels/email-messages.js';
import { LEDGER_MESSAGES } from '../channels/ledger-messages.js';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const catalogs: Record<Locale, Record<string, string>> = {
  'zh-CN': { ...zhCN, ...RATING_MESSAGES['zh-CN'], ...NOTICE_MAIL_MESSAGES['zh-CN'], ...LEDGER_MESSAGES['zh-CN'] },
  en: { ...en, ...RATING_MESSAGES.en, ...NOTICE_MAIL_MESSAGES.en, ...LEDGER_MESSAGES.en },
};

export function addMessages(locale: Locale, messages: Record<string, string>): void {
  Object.assign(catalogs[locale], messages);
}

export function hasMessage(key: string): boolean {
  return key in catalogs['zh-CN'] || key in catalogs.en;
}

/** Translates `key`; unknown keys are returned unchanged so plain text passes through. */
export function t(locale: Locale, key: string, params?: Record<string, string | number>): string {
  let s = catalogs[locale][key] ?? catalogs[DEFAULT_LOCALE][key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m));
  return s;
}

/** Parameters of an error or notice that are themselves message keys (a state's label) in `locale`. */
export function localParams(locale: Locale, params?: Record<string, string | number>): Record<string, string | number> | undefined {
  return params && Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && v.includes('.') && hasMessage(v) ? t(locale, v) : v]));
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;
export const translator = (locale: Locale): Translate => (key, params) => t(locale, key, params);

/** Every key of the default catalogue that the other language lacks (a test keeps this empty). */
export function missingKeys(): { locale: Locale; key: string }[] {
  const out: { locale: Locale; key: string }[] = [];
  for (const k of Object.keys(catalogs['zh-CN'])) if (!(k in catalogs.en)) out.push({ locale: 'en', key: k });
  for (const k of Object.keys(catalogs.en)) if (!(k in catalogs['zh-CN'])) out.push({ locale: 'zh-CN', key: k });
  return out;
}

/**
 * The language of a request: the switch's cookie, else `fixed` when given (the staff console of a
 * government deployment: GONGKAI_CONSOLE_LANG), else the browser's Accept-Language, else zh-CN.
 */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | undefined, fixed?: Locale): Locale {
  if (cookie === 'en' || cookie === 'zh-CN') return cookie;
  if (fixed) return fixed;
  if (acceptLanguage && /^en\b/i.test(acceptLanguage.trim())) return 'en';
  return DEFAULT_LOCALE;
}
