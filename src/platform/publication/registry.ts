// The item-type registry of the publication spine. A module registers a type once (at import
// time); the spine then gives items of that type the review workflow, immutable versions,
// 索引号, audit events, search indexing, feeds and channel delivery.
import type { VNode } from 'preact';
import type { TSchema } from '@sinclair/typebox';
import type { PageCtx } from '../render/context.js';
import type { Db } from '../db/index.js';

/** 公开方式 (glossary): 主动公开, 依申请公开, 不予公开. */
export const DISCLOSURES = ['proactive', 'on-request', 'withheld'] as const;
export type Disclosure = (typeof DISCLOSURES)[number];

/** The metadata every published item carries (REGULATIONS.md §3), whatever its type. */
export interface ItemMeta {
  title: string;
  /** 文号, e.g. 示范新区发〔2025〕12号 ('' when none). */
  docNo: string;
  /** 主题分类 code (State Council topic classification), e.g. '0203'. */
  topic: string | null;
  /** 体裁/公文种类, e.g. 通知. */
  genre: string | null;
  /** Art. 20 category code, e.g. 'a20-01'. */
  category: string | null;
  /** 成文日期 YYYY-MM-DD. */
  writtenAt: string | null;
  effectiveAt: string | null;
  expiresAt: string | null;
  keywords: string[];
  /** 内容概述. */
  summary: string;
  /** 公开方式: 主动公开 / 依申请公开 / 不予公开. */
  disclosure: Disclosure;
  /** 不予公开的法律依据: the legal ground when `disclosure` is 'withheld'. */
  withholdGround: string;
  /** Co-publishing department codes (联合发文). */
  coPublishers: string[];
  /** 定时发布: publish at this instant (ISO) once signed; null = immediately. */
  publishAt: string | null;
  /** When the information was formed or changed (Art. 26 clock start), YYYY-MM-DD. */
  formedAt: string;
}

export interface ItemLink {
  to: number;
  kind: 'related' | 'interprets';
}

/**
 * The public sections (栏目) of the portal an item type's items belong to (ADR 0008). `catalog`
 * is the 政府信息公开目录: its items get a 索引号 and make up the catalog's lists, its "latest"
 * list on the home page, its feeds and the open-data exports. `interaction` is 互动交流 (citizen
 * appeals and their replies…): published, hashed, searchable, but no 索引号 and never in the
 * catalog. A new section is a new entry here with its zh/en label (messages.ts).
 */
export const SECTIONS = {
  catalog: { indexNo: true, label: 'publication.section.catalog' },
  interaction: { indexNo: false, label: 'publication.section.interaction' },
} as const satisfies Record<string, { indexNo: boolean; label: string }>;
export type Section = keyof typeof SECTIONS;

export interface ItemType<D = any> {
  /** Type name, e.g. 'document', 'penalty', 'list-edition'. */
  type: string;
  /** The public section its items belong to: 'catalog' (政府信息公开目录, with 索引号) or
   *  'interaction' (互动交流, no 索引号). See SECTIONS. */
  section: Section;
  /** Message key of the type's name as the public reads it (search results), e.g. 'appeals.item_type'. */
  label: string;
  /** TypeBox schema of the type's payload. */
  schema: TSchema;
  /** Art. 20 category used when the item names none (required in the catalog section; other
   *  sections' items count under no Art. 20 category). */
  category?: string;
  /** Normalises the payload and checks the metadata (e.g. sanitises HTML). Returns field errors (message keys). */
  prepare?(data: D, meta: ItemMeta): { data: D; fields: Record<string, string> } | Promise<{ data: D; fields: Record<string, string> }>;
  /** Plain text of the payload for search (attachments' text included). */
  searchText(data: D, meta: ItemMeta, db: Db): string | Promise<string>;
  /** The public rendering of the payload (the body block of the item page). */
  render(data: D, c: PageCtx, item: { id: number }): VNode<any>;
  /** Public URL path of an item of this type. */
  url(id: number): string;
  /** Links from this item to others (related items, 政策解读 → policy). */
  links?(data: D): ItemLink[];
  /** Facets of the type's own that the public may subscribe to (e.g. a penalty's enforcement
   *  domain): name → the item's values. Subscription targets name them `x.<name>`. */
  facets?: {
    values(data: D, meta: ItemMeta): Record<string, string[]>;
    /** The facets' names and values as people read them; null = not a value of this facet. */
    label(name: string, value: string, t: (key: string) => string): string | null;
    names: string[];
  };
}

const types = new Map<string, ItemType>();

export function registerItemType<D>(t: ItemType<D>): void {
  if (!Object.hasOwn(SECTIONS, t.section)) throw new Error(`item type ${t.type}: unknown section ${String(t.section)} (one of ${Object.keys(SECTIONS).join(', ')})`);
  if (!t.label) throw new Error(`item type ${t.type}: a label (message key) is required`);
  if (t.section === 'catalog' && !t.category) throw new Error(`item type ${t.type}: a catalog type needs a default Art. 20 category`);
  types.set(t.type, t as ItemType);
}

/** The registered type, or null (e.g. items left by a module that is no longer mounted). */
export function findItemType(type: string): ItemType | null {
  return types.get(type) ?? null;
}

/** Whether items of this type carry a 索引号 (their section numbers its items). */
export function carriesIndexNo(type: string): boolean {
  return SECTIONS[itemType(type).section].indexNo;
}

/** The registered types of a section (e.g. the catalog's), by name. */
export function typesOf(section: Section): string[] {
  return [...types.values()].filter((t) => t.section === section).map((t) => t.type);
}

export function itemType(type: string): ItemType {
  const t = types.get(type);
  if (!t) throw new Error(`unknown item type ${type}`);
  return t;
}

export function itemTypes(): ItemType[] {
  return [...types.values()];
}

/** Delivery channels: each gets a job kind `publication.deliver.<name>` enqueued with every publication event. */
export type PublicationEvent = 'published' | 'changed' | 'withdrawn' | 'expired' | 'repealed';
export interface DeliveryPayload {
  id: number;
  /** The item's type (e.g. 'document', 'appeal', 'list-edition'). */
  type: string;
  version: number | null;
  event: PublicationEvent;
}
const channels = new Set<string>();
export function registerChannel(name: string): string {
  channels.add(name);
  return channelJob(name);
}
export function channelJob(name: string): string {
  return `publication.deliver.${name}`;
}
export function deliveryChannels(): string[] {
  return [...channels];
}
