// The one-time ticket of a "check your answers" page (请核对您填写的信息): the citizen's form is
// checked, its files stored, and the check page carries a ticket signed with the cookie key — a
// one-time id, the stored files' hashes, the time it was issued. 确认提交 creates the case once
// per ticket: the id is spent in the platform limiter's table (a budget of one), so a second
// 确认提交 — a double click, the back button, another process — creates nothing; a double click on
// the same process gets the same answer (the same tracking number and code), and only in the
// browser that spent the ticket. Nobody can attach stored files that are not theirs. First
// written for the appeal form; the disclosure-request form uses it too.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.js';
import { spendBudget } from './limit.js';

/** How long a check page may be confirmed; after it the answers are shown again with a new ticket. */
export const TICKET_MS = 2 * 3600_000;
/** The window in which a spent ticket is remembered (the limiter's table): longer than a ticket lives. */
const SPENT_WINDOW_MS = 24 * 3600_000;

/** What a check page's ticket carries, signed: a one-time id, the stored files' hashes, when it was issued. */
export interface Ticket {
  n: string;
  m: string[];
  t: number;
}

/** Signed (HMAC with the cookie secret). */
export function seal(app: FastifyInstance, data: object): string {
  return app.signCookie(Buffer.from(JSON.stringify(data)).toString('base64url'));
}

export function unseal(app: FastifyInstance, token: unknown): Record<string, unknown> | null {
  if (typeof token !== 'string' || token.length > 2000) return null;
  const r = app.unsignCookie(token);
  if (!r.valid || !r.value) return null;
  try {
    const v = JSON.parse(Buffer.from(r.value, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? v : null;
  } catch {
    return null;
  }
}

const hashesOf = (v: unknown, max: number): string[] | null => (Array.isArray(v) && v.length <= max && v.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h)) ? (v as string[]) : null);

/** A check page's ticket, or null when it is not ours (or carries more than `maxFiles` files). */
export function readTicket(app: FastifyInstance, token: unknown, maxFiles: number): Ticket | null {
  const v = unseal(app, token);
  const m = hashesOf(v?.m, maxFiles);
  return v && typeof v.n === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(v.n) && m && typeof v.t === 'number' ? { n: v.n, m, t: v.t } : null;
}

export const newTicket = (app: FastifyInstance, files: string[]): string => seal(app, { n: randomBytes(16).toString('base64url'), m: files, t: Date.now() } satisfies Ticket);

/** Is the ticket still within its time? */
export const ticketFresh = (t: Ticket): boolean => Date.now() - t.t >= 0 && Date.now() - t.t < TICKET_MS;

/** Files stored in an earlier step of the form: their number and the signed list that carries them back. */
export interface KeptFiles {
  n: number;
  token: string;
}
export const keptFiles = (app: FastifyInstance, files: string[]): KeptFiles | null => (files.length ? { n: files.length, token: seal(app, { m: files }) } : null);
export const keptFrom = (app: FastifyInstance, token: unknown, maxFiles: number): string[] => hashesOf(unseal(app, token)?.m, maxFiles) ?? [];

/** The browser a request comes from, for the same-answer-again rule: its CSRF cookie. */
export const browserOf = (req: FastifyRequest): string => String((req.cookies as Record<string, string | undefined>)?.gk_csrf ?? '');

/**
 * 确认提交 once per ticket: `create` runs for the first confirmation only and its result is the
 * answer; a repeat from the same browser on this process shortly after gets the same result, any
 * other repeat null (already submitted).
 */
export function confirmOnce<T>(db: Db, bucket: string): (ticket: Ticket, browser: string, create: () => Promise<T>) => Promise<T | null> {
  // In flight or just done in this process, by ticket.
  const recent = new Map<string, { run: Promise<T | null>; browser: string }>();
  return async (ticket, browser, create) => {
    const seen = recent.get(ticket.n);
    if (seen && seen.browser !== browser) return null;
    let run = seen?.run;
    if (!run) {
      run = (async () => ((await spendBudget(db, bucket, ticket.n, 1, SPENT_WINDOW_MS)) ? null : create()))();
      recent.set(ticket.n, { run, browser });
      const forget = () => setTimeout(() => recent.delete(ticket.n), 60_000).unref();
      run.then(forget, () => recent.delete(ticket.n));
    }
    return run;
  };
}
