// The demo's webhook endpoints: "区政务微信公众号同步" (active) posts to the in-app demo receiver
// (receiver.tsx) — loopback, which allowOf() lets through only in the demo with a loopback public
// URL — and "市政务新媒体平台" (paused) names an outside address it is never sent to: the demo
// calls nothing on the internet. Secrets come from the demo seed, the same on every machine.
import type { Platform } from '../../../platform/platform.js';
import { seededRandom } from '../../../platform/random.js';
import { createEndpoint } from '../service/endpoints.js';

export const DEMO_SEED = 20_2026;
export const RECEIVER_PATH = '/demo/webhook-receiver';
export const DEMO_NAME = '区政务微信公众号同步';

/** A deterministic demo secret (never a real one: the demo seed is public). */
export function demoSecret(n: number): string {
  const r = seededRandom(DEMO_SEED + n);
  return `whsec_demo_${Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('')}`;
}

export async function loadDemoWebhooks(p: Platform): Promise<void> {
  // No lookup needed: the receiver's URL is the (loopback) public URL; a public URL that is not
  // loopback must resolve to an allowed address, else the demo skips the endpoint.
  try {
    await createEndpoint(p, 'demo', { name: DEMO_NAME, url: `${p.config.publicUrl}${RECEIVER_PATH}`, events: ['published', 'changed', 'withdrawn'] }, { secret: demoSecret(1) });
  } catch (e) {
    p.log.warn({ err: e }, 'demo webhook endpoint skipped: the public URL is not reachable under the outbound guard');
  }
  await createEndpoint(p, 'demo', { name: '市政务新媒体平台', url: 'https://newmedia.example.gov.cn/hooks/gongkai', events: ['published', 'changed', 'withdrawn', 'expired', 'repealed'] }, { secret: demoSecret(2), state: 'paused', unvetted: true }).catch((e) => p.log.warn({ err: e }, 'demo webhook endpoint skipped'));
}
