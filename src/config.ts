// Every setting gongkai reads, from environment variables, with its default.
// The README's configuration table is generated from SETTINGS (see `gongkai config`).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { isIP } from 'node:net';

export interface Setting {
  env: string;
  default: string;
  doc: string;
}

export const SETTINGS: Setting[] = [
  { env: 'PORT', default: '3000', doc: 'HTTP port' },
  { env: 'HOST', default: '127.0.0.1', doc: 'Address to listen on (0.0.0.0 behind a proxy or in a container)' },
  { env: 'GONGKAI_PROCESSES', default: '1', doc: 'HTTP server processes on this machine (node:cluster, one shared port): a number, or auto = one per CPU core; jobs and timers run in the first' },
  { env: 'GONGKAI_DATA_DIR', default: './data', doc: 'Data directory: SQLite file (and the search index\'s two shard files beside it), attachments, generated secrets, outgoing-message sink' },
  { env: 'DATABASE_URL', default: '', doc: 'PostgreSQL URL (postgres://user@host:5432/db); unset = embedded SQLite in the data directory' },
  { env: 'GONGKAI_DEMO', default: '0', doc: '1 = load the demo district into an empty database and accept demo logins (`npm start` sets it)' },
  { env: 'GONGKAI_PUBLIC_URL', default: '', doc: 'Public base URL used in feeds, sitemaps, canonical links and e-mails (default http://HOST:PORT)' },
  { env: 'GONGKAI_SECURE_COOKIES', default: '0', doc: '1 = mark cookies Secure (set when served behind TLS)' },
  { env: 'GONGKAI_TRUST_PROXY', default: '0', doc: '1 = trust X-Forwarded-* from the reverse proxy (client IP for throttling)' },
  { env: 'GONGKAI_BODY_LIMIT', default: '1048576', doc: 'Maximum request body in bytes for JSON and forms' },
  { env: 'GONGKAI_UPLOAD_LIMIT', default: '20971520', doc: 'Maximum size of one uploaded file in bytes' },
  { env: 'GONGKAI_EXTRACT_MAX_MB', default: '50', doc: 'Most MB the parts read from a DOCX/XLSX upload or import (the document; the workbook, its sheets, strings and styles), or a PDF\'s compressed streams (images aside), may inflate to; beyond it the file is refused (422)' },
  { env: 'GONGKAI_EXTRACT_MAX_ENTRIES', default: '2000', doc: 'Most entries a DOCX/XLSX (zip) upload or import may hold; beyond it the file is refused (422)' },
  { env: 'GONGKAI_EXTRACT_TIMEOUT_MS', default: '10000', doc: 'Time limit of reading one upload or import (PDF, DOCX, XLSX) in its worker thread; beyond it the worker is stopped and the file refused (422)' },
  { env: 'GONGKAI_EXTRACT_WORKERS', default: '1', doc: 'Text-extraction worker threads per process (further uploads wait their turn)' },
  { env: 'GONGKAI_EXTRACT_HEAP_MB', default: '256', doc: 'JavaScript heap limit of each text-extraction worker thread, in MB' },
  { env: 'GONGKAI_SESSION_HOURS', default: '12', doc: 'Staff session lifetime in hours (sliding)' },
  { env: 'GONGKAI_LOGIN_MAX_FAILURES', default: '5', doc: 'Failed logins per account within the window before it is throttled' },
  { env: 'GONGKAI_LOGIN_MAX_FAILURES_IP', default: '20', doc: 'Failed logins per client IP within the window before it is throttled' },
  { env: 'GONGKAI_LOGIN_WINDOW_MINUTES', default: '15', doc: 'Throttling window for failed logins, in minutes' },
  { env: 'GONGKAI_WORKER', default: 'inline', doc: 'inline = run the job worker inside the server; off = only `gongkai worker` processes run jobs' },
  { env: 'GONGKAI_WORKER_POLL_MS', default: '500', doc: 'How often an idle worker looks for due jobs' },
  { env: 'GONGKAI_METRICS', default: 'local', doc: '/metrics access: local (loopback clients only), open, off, or token:SECRET (Bearer SECRET)' },
  { env: 'GONGKAI_LOG_LEVEL', default: 'info', doc: 'pino log level (fatal, error, warn, info, debug, trace, silent)' },
  { env: 'GONGKAI_CONSOLE_LANG', default: 'zh-CN', doc: 'Language of the staff console (/admin) until a user picks one with the language switch (cookie): zh-CN, en, or browser = follow the browser\'s Accept-Language' },
  { env: 'GONGKAI_SITE_ICP', default: '', doc: 'ICP filing number shown in the footer (e.g. 辽ICP备00000000号) unless the government page (/admin/government) sets one' },
  { env: 'GONGKAI_SITE_PSB', default: '', doc: 'Public-security filing number shown in the footer unless the government page sets one' },
  { env: 'GONGKAI_SITE_CODE', default: '', doc: 'Government website identification code (政府网站标识码, 10 characters) shown in the footer unless the government page sets one' },
  { env: 'GONGKAI_SECURITY_CONTACT', default: '', doc: 'Where to report a vulnerability, published in /.well-known/security.txt (RFC 9116): an e-mail address, or a mailto:, https: or tel: URI; unset = no security.txt' },
  { env: 'GONGKAI_SMTP_URL', default: '', doc: 'SMTP server for e-mail (smtp://user:pass@host:587); unset = messages are written to DATA_DIR/outbox-mail' },
  { env: 'GONGKAI_MAIL_FROM', default: 'gongkai@localhost', doc: 'Sender address of outgoing e-mail' },
  { env: 'GONGKAI_MAIL_REPORT_TOKEN', default: '', doc: 'Bearer token of POST /api/v1/channels/mail/reports, where the mail server hands over bounce reports (DSNs) and complaints (ARF) about subscription e-mail (docs/api.md); at least 16 characters; unset = the endpoint answers 404' },
  { env: 'GONGKAI_SMS_URL', default: '', doc: 'SMS provider endpoint (http or https) that receives each text as a signed JSON POST (docs/sms-provider.md); unset = texts are written to DATA_DIR/outbox-sms' },
  { env: 'GONGKAI_SMS_SECRET', default: '', doc: 'Shared secret of the SMS provider: signs the texts sent and verifies its delivery receipts (required with GONGKAI_SMS_URL, at least 16 characters)' },
  { env: 'GONGKAI_SMS_SIGN', default: '', doc: 'SMS signature (签名) sent with each text, e.g. 示范新区; unset = the government\'s short name, or 政务公开' },
  { env: 'GONGKAI_SMS_DAILY_CAP', default: '5', doc: 'Notification texts per mobile number per Asia/Shanghai day (verification codes are not counted)' },
  { env: 'GONGKAI_PG_POOL', default: '10', doc: 'PostgreSQL connection pool size per process' },
  { env: 'GONGKAI_SQLITE_CACHE_MB', default: '16', doc: 'SQLite page cache of the main database file per process, in MB (the OS page cache holds the file as well)' },
  // Read by their modules at request time:
  { env: 'GONGKAI_APPEALS_RATE_LIMIT', default: '20', doc: 'Citizen appeal submissions per client address per minute' },
  { env: 'GONGKAI_APPEALS_LOOKUP_LIMIT', default: '60', doc: 'Query-code checks (appeal look-up page and API, rating, reopening — all together) per client address per minute, counted in the database for every process and instance' },
  { env: 'GONGKAI_MAP_TILE_URL', default: '', doc: 'Map tiles for the appeal form\'s optional location map: an http(s) URL with {z}, {x} and {y} (e.g. https://tiles.example.cn/{z}/{x}/{y}.png; the host is added to the pages\' img-src); unset = no map (the address, and "use my location" where the browser offers it)' },
  { env: 'GONGKAI_MAP_CENTER', default: '', doc: 'Where the appeal map starts: lat,lng[,zoom] (zoom 1–19, default 14); required with GONGKAI_MAP_TILE_URL' },
  { env: 'GONGKAI_MAP_ATTRIBUTION', default: '', doc: 'The tile provider\'s attribution shown under the appeal map (as its terms require)' },
  { env: 'GONGKAI_LISTS_RATE_LIMIT', default: '20', doc: 'Public ratings and policy subscriptions per client address per minute (counted in the database)' },
  { env: 'GONGKAI_REQUESTS_RATE_LIMIT', default: '20', doc: 'Disclosure requests submitted online, and query-code checks of the request status page and API, per client address per minute (each its own budget, counted in the database)' },
  { env: 'GONGKAI_WEBHOOK_ALLOW', default: '', doc: 'Addresses outside the public internet that webhook endpoints may reach (CIDRs or addresses, comma or space separated, e.g. 10.1.0.0/16); unset = public addresses only, over https. The demo adds loopback itself when the public URL is loopback' },
  { env: 'GONGKAI_BENCH', default: '0', doc: '1 = add the constant /bench/constant route used as the benchmarks\' baseline' },
];

export interface Config {
  port: number;
  host: string;
  /** HTTP server processes for `gongkai serve` (1 = no cluster). */
  processes: number;
  dataDir: string;
  databaseUrl: string | null;
  demo: boolean;
  publicUrl: string;
  secureCookies: boolean;
  trustProxy: boolean;
  bodyLimit: number;
  uploadLimit: number;
  /** Limits of text extraction from uploads (files/pool.ts). */
  extractMaxMb: number;
  extractMaxEntries: number;
  extractTimeoutMs: number;
  extractWorkers: number;
  extractHeapMb: number;
  sessionHours: number;
  loginMaxFailures: number;
  loginMaxFailuresIp: number;
  loginWindowMinutes: number;
  worker: 'inline' | 'off';
  workerPollMs: number;
  metrics: string;
  logLevel: string;
  /** The console's language before a user picks one: a locale, or 'browser' (Accept-Language). */
  consoleLang: 'zh-CN' | 'en' | 'browser';
  site: { icp: string; psb: string; code: string };
  /** Citizen appeal submissions per client address per minute. */
  appealsRateLimit: number;
  /** Query-code checks per client address per minute, every code-checking route together. */
  appealsLookupLimit: number;
  /** Public ratings and policy subscriptions per client address per minute. */
  listsRateLimit: number;
  /** Disclosure requests submitted online, and their query-code checks, per client address per minute (each). */
  requestsRateLimit: number;
  /** The appeal form's location map (GONGKAI_MAP_*), or null when no tile URL is configured. */
  map: MapConfig | null;
  /** GONGKAI_WEBHOOK_ALLOW: CIDRs webhook endpoints may reach although not public (net-guard's allow-list). */
  webhookAllow: string[];
  /** Adds the benchmarks' constant baseline route. */
  bench: boolean;
  /** The vulnerability-report contact as a URI (mailto:, https:, tel:), or null. */
  securityContact: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  /** Bearer token of the mail report endpoint (GONGKAI_MAIL_REPORT_TOKEN); null = the endpoint is off. */
  mailReportToken: string | null;
  /** The SMS provider (GONGKAI_SMS_*): url null = the development sink. */
  sms: SmsConfig;
  pgPool: number;
  /** SQLite page cache of the main database file, MB per process (connection). */
  sqliteCacheMb: number;
  secrets: Secrets;
}

export interface Secrets {
  cookieSecret: string;
}

export class ConfigError extends Error {}

export interface SmsConfig {
  url: string | null;
  secret: string;
  /** '' = the government's short name, or 政务公开 (channels/sms-http.ts smsSign). */
  sign: string;
  dailyCap: number;
}

/** GONGKAI_MAIL_REPORT_TOKEN: unset = off; else at least 16 visible characters (it goes in a header). */
function mailReportToken(raw: string): string | null {
  if (!raw) return null;
  if (raw.length < 16 || raw.length > 200 || !/^[\x21-\x7e]+$/.test(raw)) throw new ConfigError('GONGKAI_MAIL_REPORT_TOKEN must be 16 to 200 visible ASCII characters');
  return raw;
}

/** GONGKAI_SMS_*: a secret is required with a URL (it signs texts and verifies receipts). */
function smsConfig(env: NodeJS.ProcessEnv): SmsConfig {
  const raw = str(env, 'GONGKAI_SMS_URL').trim();
  const secret = str(env, 'GONGKAI_SMS_SECRET');
  let url: string | null = null;
  if (raw) {
    try {
      const u = new URL(raw);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocol');
      url = u.toString();
    } catch {
      throw new ConfigError(`GONGKAI_SMS_URL must be an http(s) URL, got "${raw}"`);
    }
    if (secret.length < 16) throw new ConfigError('GONGKAI_SMS_SECRET is required with GONGKAI_SMS_URL (at least 16 characters)');
  }
  const sign = str(env, 'GONGKAI_SMS_SIGN').trim();
  if (sign.length > 20 || /[【】\p{Cc}]/u.test(sign)) throw new ConfigError(`GONGKAI_SMS_SIGN must be at most 20 characters without 【】 or control characters, got "${sign}"`);
  return { url, secret, sign, dailyCap: int(env, 'GONGKAI_SMS_DAILY_CAP', 1, 1000) };
}

export interface MapConfig {
  /** Tile URL template with {z}, {x}, {y}. */
  tileUrl: string;
  /** The tiles' origin, allowed in the pages' img-src. */
  origin: string;
  attribution: string;
  center: { lat: number; lng: number; zoom: number };
}

/** GONGKAI_MAP_TILE_URL, GONGKAI_MAP_CENTER and GONGKAI_MAP_ATTRIBUTION: null without a tile URL. */
function mapConfig(env: NodeJS.ProcessEnv): MapConfig | null {
  const tileUrl = str(env, 'GONGKAI_MAP_TILE_URL').trim();
  if (!tileUrl) return null;
  let origin: string;
  try {
    const u = new URL(tileUrl.replace(/\{[xyz]\}/g, '0'));
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocol');
    origin = u.origin;
  } catch {
    throw new ConfigError(`GONGKAI_MAP_TILE_URL must be an http(s) URL, got "${tileUrl}"`);
  }
  if (!['{z}', '{x}', '{y}'].every((k) => tileUrl.includes(k))) throw new ConfigError(`GONGKAI_MAP_TILE_URL must contain {z}, {x} and {y}, got "${tileUrl}"`);
  const raw = str(env, 'GONGKAI_MAP_CENTER').trim();
  const m = /^(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)(?:\s*,\s*(\d{1,2}))?$/.exec(raw);
  const center = m ? { lat: Number(m[1]), lng: Number(m[2]), zoom: m[3] ? Number(m[3]) : 14 } : null;
  if (!center || Math.abs(center.lat) > 85 || Math.abs(center.lng) > 180 || center.zoom < 1 || center.zoom > 19) {
    throw new ConfigError(`GONGKAI_MAP_CENTER must be lat,lng[,zoom] (zoom 1–19) when GONGKAI_MAP_TILE_URL is set, got "${raw}"`);
  }
  return { tileUrl, origin, attribution: str(env, 'GONGKAI_MAP_ATTRIBUTION').trim(), center };
}

/** GONGKAI_WEBHOOK_ALLOW: each entry an IPv4/IPv6 address or CIDR. */
function webhookAllow(raw: string): string[] {
  const items = raw.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
  for (const item of items) {
    const [addr, bits] = item.split('/');
    const v = isIP(addr);
    const max = v === 4 ? 32 : 128;
    if (!v || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))) throw new ConfigError(`GONGKAI_WEBHOOK_ALLOW must list addresses or CIDRs (10.1.0.0/16, fd00::/8), got "${item}"`);
  }
  return items;
}

/** GONGKAI_SECURITY_CONTACT as the URI security.txt needs: a bare address becomes mailto:. */
function securityContact(raw: string): string | null {
  const v = raw.trim();
  if (!v) return null;
  if (/^[^@\s:/]+@[^@\s]+\.[^@\s]+$/.test(v)) return `mailto:${v}`;
  if (/^(mailto:[^@\s]+@[^@\s]+|https:\/\/[^\s]+|tel:\+?[0-9-]+)$/.test(v)) return v;
  throw new ConfigError(`GONGKAI_SECURITY_CONTACT must be an e-mail address or a mailto:, https: or tel: URI, got "${raw}"`);
}

function int(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number {
  const s = SETTINGS.find((x) => x.env === name)!;
  const raw = env[name] ?? s.default;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function str(env: NodeJS.ProcessEnv, name: string): string {
  const s = SETTINGS.find((x) => x.env === name)!;
  return env[name] ?? s.default;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = str(env, name).toLowerCase();
  return v === '1' || v === 'true' || v === 'yes' || v === 'on';
}

/** GONGKAI_PROCESSES: a positive integer, or auto = the number of CPU cores available. */
function processes(env: NodeJS.ProcessEnv): number {
  const raw = str(env, 'GONGKAI_PROCESSES').trim();
  if (raw.toLowerCase() === 'auto') return availableParallelism();
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 1024) throw new ConfigError(`GONGKAI_PROCESSES must be auto or an integer between 1 and 1024, got "${raw}"`);
  return n;
}

/** Reads (or creates on first run) the secrets file in the data directory. */
export function loadSecrets(dataDir: string): Secrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
    if (typeof parsed.cookieSecret === 'string' && parsed.cookieSecret.length >= 32) {
      return { cookieSecret: parsed.cookieSecret };
    }
  }
  const secrets: Secrets = { cookieSecret: randomBytes(32).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

/** What command-line switches ask for (`gongkai serve --demo`): used where the environment does not set the variable. */
export interface ConfigDefaults {
  demo?: boolean;
}

/** The configuration from this process's environment, with the command line's defaults. */
export function configFromEnv(defaults: ConfigDefaults = {}): Config {
  return loadConfig(process.env, {}, defaults);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}, defaults: ConfigDefaults = {}): Config {
  const dataDir = resolve(overrides.dataDir ?? str(env, 'GONGKAI_DATA_DIR'));
  mkdirSync(dataDir, { recursive: true });
  const port = int(env, 'PORT', 0, 65535);
  const host = str(env, 'HOST');
  const worker = str(env, 'GONGKAI_WORKER');
  if (worker !== 'inline' && worker !== 'off') throw new ConfigError(`GONGKAI_WORKER must be inline or off, got "${worker}"`);
  const metrics = str(env, 'GONGKAI_METRICS');
  if (!['local', 'open', 'off'].includes(metrics) && !metrics.startsWith('token:')) {
    throw new ConfigError(`GONGKAI_METRICS must be local, open, off or token:SECRET, got "${metrics}"`);
  }
  const consoleLang = str(env, 'GONGKAI_CONSOLE_LANG');
  if (consoleLang !== 'zh-CN' && consoleLang !== 'en' && consoleLang !== 'browser') throw new ConfigError(`GONGKAI_CONSOLE_LANG must be zh-CN, en or browser, got "${consoleLang}"`);
  const databaseUrl = str(env, 'DATABASE_URL') || null;
  const config: Config = {
    port,
    host,
    processes: processes(env),
    dataDir,
    databaseUrl,
    demo: env.GONGKAI_DEMO === undefined && defaults.demo !== undefined ? defaults.demo : flag(env, 'GONGKAI_DEMO'),
    publicUrl: (str(env, 'GONGKAI_PUBLIC_URL') || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/$/, ''),
    secureCookies: flag(env, 'GONGKAI_SECURE_COOKIES'),
    trustProxy: flag(env, 'GONGKAI_TRUST_PROXY'),
    bodyLimit: int(env, 'GONGKAI_BODY_LIMIT', 1024, 100 * 1024 * 1024),
    uploadLimit: int(env, 'GONGKAI_UPLOAD_LIMIT', 1024, 1024 * 1024 * 1024),
    extractMaxMb: int(env, 'GONGKAI_EXTRACT_MAX_MB', 1, 1024),
    extractMaxEntries: int(env, 'GONGKAI_EXTRACT_MAX_ENTRIES', 10, 1_000_000),
    extractTimeoutMs: int(env, 'GONGKAI_EXTRACT_TIMEOUT_MS', 100, 600_000),
    extractWorkers: int(env, 'GONGKAI_EXTRACT_WORKERS', 1, 64),
    extractHeapMb: int(env, 'GONGKAI_EXTRACT_HEAP_MB', 32, 16384),
    sessionHours: int(env, 'GONGKAI_SESSION_HOURS', 1, 24 * 30),
    loginMaxFailures: int(env, 'GONGKAI_LOGIN_MAX_FAILURES', 1, 1000),
    loginMaxFailuresIp: int(env, 'GONGKAI_LOGIN_MAX_FAILURES_IP', 1, 100000),
    loginWindowMinutes: int(env, 'GONGKAI_LOGIN_WINDOW_MINUTES', 1, 24 * 60),
    worker,
    workerPollMs: int(env, 'GONGKAI_WORKER_POLL_MS', 10, 60000),
    metrics,
    logLevel: str(env, 'GONGKAI_LOG_LEVEL'),
    consoleLang,
    site: { icp: str(env, 'GONGKAI_SITE_ICP'), psb: str(env, 'GONGKAI_SITE_PSB'), code: str(env, 'GONGKAI_SITE_CODE') },
    appealsRateLimit: int(env, 'GONGKAI_APPEALS_RATE_LIMIT', 1, 1_000_000_000),
    appealsLookupLimit: int(env, 'GONGKAI_APPEALS_LOOKUP_LIMIT', 1, 1_000_000_000),
    listsRateLimit: int(env, 'GONGKAI_LISTS_RATE_LIMIT', 1, 1_000_000_000),
    requestsRateLimit: int(env, 'GONGKAI_REQUESTS_RATE_LIMIT', 1, 1_000_000_000),
    map: mapConfig(env),
    webhookAllow: webhookAllow(str(env, 'GONGKAI_WEBHOOK_ALLOW')),
    bench: flag(env, 'GONGKAI_BENCH'),
    securityContact: securityContact(str(env, 'GONGKAI_SECURITY_CONTACT')),
    smtpUrl: str(env, 'GONGKAI_SMTP_URL') || null,
    mailFrom: str(env, 'GONGKAI_MAIL_FROM'),
    mailReportToken: mailReportToken(str(env, 'GONGKAI_MAIL_REPORT_TOKEN')),
    sms: smsConfig(env),
    pgPool: int(env, 'GONGKAI_PG_POOL', 1, 500),
    sqliteCacheMb: int(env, 'GONGKAI_SQLITE_CACHE_MB', 1, 65536),
    secrets: loadSecrets(dataDir),
    ...overrides,
  };
  return config;
}
