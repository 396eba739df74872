// The harness's plumbing: the server under attack (start, kill -9, restart, RSS), an HTTP client
// with a cookie jar, the CSRF token and a client address (X-Forwarded-For; the server trusts it),
// and per-section tallies (hostile requests, 5xx, leaks, writes lost, notes, offending requests).
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startBenchServer } from '../server.js';

export interface Tally {
  key: string;
  title: string;
  hostile: number;
  s5xx: number;
  leaks: number;
  lost: number;
  notes: string[];
  offenders: string[];
  /** 5xx (and missing answers) per route, its variable segments blanked. */
  failingRoutes: Record<string, number>;
  seconds: number;
}

/** Offending requests kept per section (the report prints the first 8, the JSON has them all). */
export const MAX_OFFENDERS = 50;

export function tally(key: string, title: string): Tally {
  return { key, title, hostile: 0, s5xx: 0, leaks: 0, lost: 0, notes: [], offenders: [], failingRoutes: {}, seconds: 0 };
}

const short = (s: string, n = 240) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
/** A request as it appears in the report: control and invisible characters made visible. */
export const show = (s: string) => short(s.replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

// ---- the server -------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** `gongkai serve` on 127.0.0.1 with a temporary data directory (and a fresh PostgreSQL database). */
export class Server {
  child: ChildProcess | null = null;
  port = 0;
  starts = 0;
  private log: WriteStream;
  constructor(
    readonly dataDir: string,
    readonly databaseUrl: string | null,
  ) {
    this.log = createWriteStream(join(dataDir, 'server.log'), { flags: 'a' });
  }
  get base() {
    return `http://127.0.0.1:${this.port}`;
  }
  get logPath() {
    return join(this.dataDir, 'server.log');
  }
  async start(): Promise<void> {
    this.port ||= await freePort();
    const env: Record<string, string | undefined> = {
      PORT: String(this.port),
      HOST: '127.0.0.1',
      GONGKAI_DATA_DIR: this.dataDir,
      DATABASE_URL: this.databaseUrl ?? undefined,
      GONGKAI_DEMO: '1',
      GONGKAI_TRUST_PROXY: '1', // X-Forwarded-For is the client address: one machine plays many clients
      GONGKAI_PROCESSES: '1',
      GONGKAI_WORKER: 'inline',
      GONGKAI_LOG_LEVEL: 'info', // access logs: section h looks for query codes in them
    };
    for (const k of Object.keys(process.env)) if (k.startsWith('GONGKAI_') && !(k in env)) env[k] = undefined; // the defaults, whatever the caller's shell says
    const started = startBenchServer(join(import.meta.dirname, 'server.mjs'), env as Record<string, string>);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('server did not start within 120 s')), 120_000).unref());
    const { child } = await Promise.race([started, timeout]);
    child.stdout!.pipe(this.log, { end: false });
    this.child = child;
    this.starts++;
  }
  alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }
  rssMb(): number {
    if (!this.alive()) return 0;
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.child!.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  }
  private async signal(sig: NodeJS.Signals, waitMs: number): Promise<void> {
    const c = this.child;
    if (!c || !this.alive()) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(sig);
    await Promise.race([exited, new Promise((r) => setTimeout(r, waitMs))]);
  }
  async kill9(): Promise<void> {
    await this.signal('SIGKILL', 10_000);
  }
  async stop(): Promise<void> {
    await this.signal('SIGTERM', 15_000);
    await this.kill9();
    this.log.end();
  }
  readLog(): string {
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }
}

// ---- HTTP -------------------------------------------------------------------------------------

export interface Res {
  status: number; // 0 = no answer (connection refused or reset, timeout)
  headers: Headers;
  text: string;
  ms: number;
  json(): any;
}

/** One browser or API client: cookies, the CSRF token of its forms, its address. */
export class Client {
  jar = new Map<string, string>();
  csrf = '';
  constructor(
    public ip: string,
    public username = '',
  ) {}
  cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  absorb(h: Headers): void {
    for (const c of h.getSetCookie()) {
      const kv = c.split(';')[0];
      const i = kv.indexOf('=');
      const k = kv.slice(0, i).trim();
      const v = kv.slice(i + 1).trim();
      if (!v || /max-age=0\b|expires=thu, 01 jan 1970/i.test(c)) this.jar.delete(k);
      else this.jar.set(k, v);
    }
  }
}

export interface ReqOpts {
  as?: Client;
  /** Client address (X-Forwarded-For) when not the client's. */
  ip?: string;
  json?: unknown;
  form?: Record<string, string | string[]>;
  body?: string | Buffer | FormData;
  headers?: Record<string, string>;
  /** Counts as a hostile request of the section. */
  hostile?: boolean;
  /** false: do not send the client's CSRF token (the CSRF section). */
  csrf?: boolean;
  timeoutMs?: number;
  /** Do not count a 5xx or a missing answer (the kill runs expect them). */
  quiet?: boolean;
}

const jsonOf = (text: string) => () => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};
const formBody = (data: Record<string, string | string[]>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(data)) for (const x of Array.isArray(v) ? v : [v]) u.append(k, x);
  return u.toString();
};

/** One run against one server: the current section's tally, its time budget, requests. */
export class Run {
  sec: Tally = tally('-', 'setup');
  sectionDeadline = Infinity;
  private ipSeq = 0;
  constructor(
    readonly server: Server,
    readonly runDeadline: number,
  ) {}

  get base() {
    return this.server.base;
  }
  /** A fresh client address (10.x.y.z), never used before in this run. */
  newIp(): string {
    const n = ++this.ipSeq;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  }
  timeLeft(): number {
    return Math.min(this.sectionDeadline, this.runDeadline) - Date.now();
  }
  note(s: string): void {
    this.sec.notes.push(s);
  }
  /** The section's one-line summary (first among its notes: the table shows it). */
  summary(s: string): void {
    this.sec.notes.unshift(s);
  }
  offend(s: string): void {
    if (this.sec.offenders.length < MAX_OFFENDERS) this.sec.offenders.push(show(s));
  }
  leak(what: string, n = 1): void {
    this.sec.leaks += n;
    this.offend(`LEAK ${what}`);
  }
  lost(what: string, n = 1): void {
    this.sec.lost += n;
    this.offend(`LOST ${what}`);
  }

  async req(method: string, path: string, o: ReqOpts = {}): Promise<Res> {
    const headers: Record<string, string> = { 'x-forwarded-for': o.ip ?? o.as?.ip ?? '10.255.255.254', ...(o.headers ?? {}) };
    if (o.as?.jar.size) headers.cookie = o.as.cookie();
    let body: string | Buffer | FormData | undefined = o.body;
    const unsafe = !['GET', 'HEAD'].includes(method);
    const token = unsafe && o.csrf !== false && o.as?.csrf ? o.as.csrf : '';
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['content-type'] = 'application/json';
      if (token) headers['x-csrf-token'] = token;
    } else if (o.form) {
      body = formBody(token ? { ...o.form, _csrf: token } : o.form);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (token) headers['x-csrf-token'] = token;
    if (o.hostile) this.sec.hostile++;
    const t0 = performance.now();
    let res: Res;
    try {
      const r = await fetch(this.base + path, { method, headers, body: body as any, redirect: 'manual', signal: AbortSignal.timeout(o.timeoutMs ?? 30_000) });
      const text = await r.text();
      o.as?.absorb(r.headers);
      res = { status: r.status, headers: r.headers, text, ms: performance.now() - t0, json: jsonOf(text) };
    } catch (err: any) {
      res = { status: 0, headers: new Headers(), text: String(err?.cause?.code ?? err?.name ?? err), ms: performance.now() - t0, json: () => null };
    }
    if (!o.quiet && (res.status >= 500 || res.status === 0)) {
      this.sec.s5xx++;
      const route = `${res.status || 'no answer'} ${method} ${path.split('?')[0].replace(/\/(?:\d+|SQ\d+|[^/]*%[^/]*|[^/]{60,}|-1)(?=\/|$)/g, '/…')}${path.includes('?') ? `?${[...new URLSearchParams(path.split('?')[1]).keys()].join('&')}` : ''}`;
      this.sec.failingRoutes[route] = (this.sec.failingRoutes[route] ?? 0) + 1;
      this.offend(`${res.status || 'no answer'} ${method} ${path}${o.json !== undefined ? ` ${JSON.stringify(o.json)}` : ''} → ${res.text.slice(0, 80)}`);
    }
    return res;
  }

  /** Signs a staff user in through the login form (the CSRF token of the page, a fresh address). */
  async login(username: string, password = DEMO_PASSWORD, ip = this.newIp()): Promise<Client | null> {
    const c = new Client(ip, username);
    const page = await this.req('GET', '/admin/login', { as: c });
    c.csrf = csrfOf(page.text);
    const r = await this.req('POST', '/admin/login', { as: c, form: { username, password } });
    return r.status === 302 && c.jar.has('gk_session') ? c : null;
  }
}

export const DEMO_PASSWORD = 'Demo-2026-gongkai';

export function csrfOf(html: string): string {
  const field = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const inUrl = /[?&](?:amp;)?_csrf=([^"&]+)/.exec(html)?.[1];
  return field ?? (inUrl ? decodeURIComponent(inUrl) : '');
}

/** Runs fn over items, n at a time, until done or the section's time is up (then says so). */
export async function pool<T>(run: Run, items: T[], n: number, fn: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length && run.timeLeft() > 0) {
      const item = items[next++];
      await fn(item);
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (done < items.length) run.note(`time budget reached: ${done} of ${items.length} probes sent`);
  return done;
}

/** Text as a reader sees it: HTML entities decoded, then NFKC (full-width → ASCII). */
export function readable(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .normalize('NFKC');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
