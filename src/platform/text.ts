// Text hygiene for everything that arrives from outside (requests, imported files).
//
// Control characters: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F). PostgreSQL
// refuses NUL in text outright; the others have no business in government text and hide
// content from readers. Requests carrying them are refused with a 400 naming the field
// (platform/http/input.ts); tab, line feed and carriage return are allowed in query values and
// body fields (multi-line text, CSV, Markdown), never in path segments or parameter names.
//
// Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) reverse how text is displayed
// ("Trojan Source"); they also come along innocently in copy-paste, so they are removed
// silently from every body field rather than refused.
export const INT_MAX = 2147483647;
export const INT_MIN = -2147483648;

/** Any control character (C0, DEL, C1) — for path segments, parameter names, single-line values. */
export const CONTROL_ANY = /[\u0000-\u001f\u007f-\u009f]/;
/** Control characters other than tab, line feed and carriage return — for multi-line text. */
export const CONTROL_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const CONTROL_ANY_G = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_TEXT_G = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
export const BIDI_CONTROL_G = /[\u202a-\u202e\u2066-\u2069]/g;

/** Removes bidi overrides and isolates. */
export function stripBidi(s: string): string {
  return s.replace(BIDI_CONTROL_G, '');
}

/** Single-line metadata (titles, names, numbers): no control characters (a line break or tab becomes a space), no bidi overrides. */
export function cleanLine(s: string): string {
  return s.replace(/[\t\n\r]+/g, ' ').replace(CONTROL_ANY_G, '').replace(BIDI_CONTROL_G, '');
}

/** Multi-line text: tab, line feed and carriage return kept; other control characters and bidi overrides removed. */
export function cleanText(s: string): string {
  return s.replace(CONTROL_TEXT_G, '').replace(BIDI_CONTROL_G, '');
}

/** A name or value shown in an error message, with its control characters written as \uXXXX. */
export function visible(s: string): string {
  return s.replace(CONTROL_ANY_G, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A whole number from text or JSON that fits the databases' integer columns (ids, versions, counts), or null. */
export function intFrom(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX ? v : null;
  if (typeof v !== 'string' || !/^\s*-?\d{1,10}\s*$/.test(v)) return null;
  const n = Number(v);
  return n >= INT_MIN && n <= INT_MAX ? n : null;
}
