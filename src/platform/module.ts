// What a capability module hands the platform. app.ts assembles the product from a list of these.
import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import type { PageCtx } from './render/context.js';
import type { GkMigration } from './db/migrate.js';
import type { JobHandler } from './jobs/index.js';
import type { Platform } from './platform.js';
import type { ActionDecl } from './auth/policy.js';
import type { SitemapSource } from './sitemap.js';
import type { ReferralDesk, ReferralKind } from './referrals.js';
import type { AnnualReportSource } from './annual-report.js';
import type { DeliveryPayload } from './publication/registry.js';

export interface NavItem {
  /** Message key of the label. */
  label: string;
  href: string;
  /** For console entries: the action a user needs to see the entry. */
  permission?: string;
  order?: number;
  /** For public sections: their pages, listed under the section on the site map (网站地图). */
  pages?: { label: string; href: string }[];
}

export interface CliCommand {
  usage: string;
  run(args: string[], p: Platform): Promise<number>;
}

export interface GongkaiModule {
  name: string;
  migrations?: GkMigration[];
  /** The actions this module's routes and services check, with their labels and default roles. */
  permissions?: ActionDecl[];
  messages?: { 'zh-CN': Record<string, string>; en: Record<string, string> };
  /** public: the portal's main navigation; admin: the console's; footer: the portal footer's links. */
  nav?: { public?: NavItem[]; admin?: NavItem[]; footer?: NavItem[] };
  /** The public search page, when this module provides site search (the header's search box). */
  searchPath?: string;
  jobs?: (p: Platform) => Record<string, JobHandler>;
  /** Delivery channels of the publication spine this module serves (e-mail to subscribers,
   *  webhooks, screens…): every publication event of a platform that mounts the module becomes one
   *  `publication.deliver.<name>` job per channel, run by its handler. Mounted per platform: a
   *  platform booted without the module enqueues nothing for its channels. Handlers must be
   *  idempotent (a job may run twice). */
  channels?: (p: Platform) => Record<string, (payload: DeliveryPayload) => Promise<void>>;
  routes?: (app: FastifyInstance, p: Platform) => Promise<void> | void;
  /** Descriptions of the API document's tags this module's routes use (a route's default tag is the module's name). */
  apiTags?: Record<string, string>;
  /** Loads this module's demo data into an empty database (runs in module order). */
  demo?: (p: Platform) => Promise<void>;
  /** Extra `gongkai` sub-commands, keyed by the command word(s), e.g. 'calendar import'. */
  cli?: Record<string, CliCommand>;
  /** A section of the public home page (in module order); null = nothing to show. */
  home?: (p: Platform, c: PageCtx) => Promise<VNode | null>;
  /** The module's public pages for the XML sitemap (/sitemap.xml, platform/sitemap.ts): each
   *  source becomes one or more child sitemaps. Give every page's canonical address. */
  sitemap?: (p: Platform) => SitemapSource[];
  /** A panel of the staff dashboard for this user; null = nothing to show. */
  dashboard?: (p: Platform, c: PageCtx) => Promise<VNode | null>;
  /** Started with the server (timers such as daily digests); returns a stop function. With
   *  GONGKAI_PROCESSES > 1 it runs in one server process only (src/cluster.ts). */
  background?: (p: Platform) => () => Promise<void> | void;
  /** Like background, but started in every server process: keeping what a process holds in
   *  memory up to date with changes made by other processes. Returns a stop function. */
  everyProcess?: (p: Platform) => () => Promise<void> | void;
  /** The cases of another module this one takes (转办), by kind (platform/referrals.ts). */
  referrals?: Partial<Record<ReferralKind, ReferralDesk>>;
  /** The figures of the statutory annual report this module holds (platform/annual-report.ts). */
  annualReport?: AnnualReportSource;
}
