// Referrals (转办): one module hands a case to another without knowing it. A module that takes
// cases of a kind declares a desk (`GongkaiModule.referrals`); a module with a case of that kind
// asks `referralDesk(p, kind)` and, when no mounted module has a desk, records the referral
// without one. So either module can be removed and the other keeps working. First use: a
// disclosure request that is really a complaint (信访举报投诉, 条例第三十九条) goes to the appeals
// centre, which takes it as an appeal.
import type { Platform } from './platform.js';

/** The kinds of case a desk may take. */
export type ReferralKind = 'complaint';

/** A case handed over: what the citizen wrote and how to reach them. */
export interface Referral {
  title: string;
  content: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  /** Where it came from, in words for the receiving staff (e.g. 政府信息公开申请 YS…). */
  source: string;
}

/** What the receiving desk gave the case: its own tracking number and query code for the citizen. */
export interface ReferralReceipt {
  trackingNo: string;
  queryCode: string;
  /** Where the citizen follows it. */
  trackUrl: string;
}

export interface ReferralDesk {
  /** Message key naming the desk for people (e.g. 市民诉求服务中心). */
  label: string;
  /** Takes the case in its own transaction; throws on refusal. */
  receive(p: Platform, referral: Referral): Promise<ReferralReceipt>;
}

/** The desk of a mounted module taking `kind`, or null when none does. */
export function referralDesk(p: Platform, kind: ReferralKind): ReferralDesk | null {
  for (const m of p.modules) {
    const d = m.referrals?.[kind];
    if (d) return d;
  }
  return null;
}
