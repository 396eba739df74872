// The groundwork of webhooks (issue 20, ADR 0010 § 8): the outbound request guard refuses every
// address outside the public internet — by literal or by a DNS name, IPv4, IPv6 and IPv4-mapped —
// unless allow-listed, and the delivery signature is verifiable by a receiver that uses nothing of
// ours (node:crypto alone, and openssl where the machine has it).
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { allowList, isForbiddenAddress, OutboundRefused, vetOutboundUrl } from '../../src/platform/channels/net-guard.js';
import { verifyWebhookSignature, webhookSignature } from '../../src/platform/channels/webhook-signature.js';

const refused = async (url: string, opts = {}) => {
  try {
    await vetOutboundUrl(url, opts);
    return 'allowed';
  } catch (e) {
    expect(e).toBeInstanceOf(OutboundRefused);
    return (e as OutboundRefused).reason;
  }
};

describe('the outbound request guard', () => {
  it('refuses loopback, private, CGNAT, link-local (cloud metadata), documentation, multicast and unique-local addresses', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '10.0.0.5', '172.16.3.4', '172.31.255.255', '192.168.1.1', '100.100.100.200', '169.254.169.254', '0.0.0.0', '192.0.2.7', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd12:3456::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1', '2002:7f00:1::1'])
      expect(isForbiddenAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '114.114.114.114', '172.32.0.1', '100.128.0.1', '2400:3200::1', '2001:4860:4860::8888']) expect(isForbiddenAddress(a), a).toBe(false);
    expect(isForbiddenAddress('not-an-ip')).toBe(true);
  });

  it('refuses a DNS name resolving to 127.0.0.1 unless allow-listed; every resolved address counts', async () => {
    expect(await refused('http://localhost:8080/hook')).toBe('address');
    const toLoopback = async () => [{ address: '127.0.0.1', family: 4 }];
    expect(await refused('https://hooks.example.com/x', { lookup: toLoopback })).toBe('address');
    // One public and one private answer: refused (a rebinding name may hand out either).
    const mixed = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.1.2.3', family: 4 }];
    expect(await refused('https://hooks.example.com/x', { lookup: mixed })).toBe('address');
    // The tests' allow-list (127.0.0.1/32) lets the local receiver through, over http too; nothing else.
    const allow = allowList('127.0.0.1/32');
    const ok = await vetOutboundUrl('http://127.0.0.1:3999/hook', { allow });
    expect(ok).toMatchObject({ address: '127.0.0.1', family: 4 });
    expect((await vetOutboundUrl('https://hooks.example.com/x', { allow, lookup: toLoopback })).address).toBe('127.0.0.1');
    expect(await refused('http://127.0.0.2/hook', { allow })).toBe('address');
    expect(await refused('http://[::1]/hook', { allow })).toBe('address');
  });

  it('refuses other schemes, credentials, plain http to the internet, names that do not resolve', async () => {
    const publicDns = async () => [{ address: '93.184.216.34', family: 4 }];
    expect(await refused('ftp://example.com/x')).toBe('scheme');
    expect(await refused('file:///etc/passwd')).toBe('scheme');
    expect(await refused('https://user:pw@example.com/x', { lookup: publicDns })).toBe('credentials');
    expect(await refused('not a url')).toBe('url');
    expect(await refused('http://example.com/x', { lookup: publicDns })).toBe('https');
    expect(await vetOutboundUrl('https://example.com/x', { lookup: publicDns })).toMatchObject({ address: '93.184.216.34' });
    expect(await refused('https://nowhere.invalid/x', { lookup: async () => { throw new Error('ENOTFOUND'); } })).toBe('unresolvable');
  });

  it('the allow-list takes CIDRs and single addresses, and refuses anything else', () => {
    const a = allowList('10.1.0.0/16, fd00::/8 192.168.5.5');
    expect(a.check('10.1.200.3', 'ipv4')).toBe(true);
    expect(a.check('10.2.0.1', 'ipv4')).toBe(false);
    expect(a.check('fd00::7', 'ipv6')).toBe(true);
    expect(a.check('192.168.5.5', 'ipv4')).toBe(true);
    for (const bad of ['10.0.0.0/33', 'localhost', '10.0.0.0/x', '::1/129']) expect(() => allowList(bad), bad).toThrow();
  });
});

describe('the webhook signature', () => {
  const secret = 'whsec-示范-2026';
  const body = JSON.stringify({ event: 'published', item: { id: 7, title: '关于公开征求意见的公告' }, version: 2 });

  it('is verifiable by a receiver using node:crypto alone', () => {
    const t = 1796266000;
    const header = webhookSignature(secret, body, t);
    // The independent snippet: parse the header, recompute HMAC-SHA256 over "<t>.<raw body>".
    const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
    expect(createHmac('sha256', secret).update(`${ts}.${body}`, 'utf8').digest('hex')).toBe(v1);
    expect(verifyWebhookSignature(secret, header, body, { now: t + 10 })).toBe(true);
  });

  it('matches openssl where the machine has it', () => {
    let out = '';
    try {
      out = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret], { input: `1796266000.${body}` }).toString();
    } catch {
      return; // no openssl here: the node:crypto snippet above stands
    }
    expect(out.trim().split(/\s+/).pop()).toBe(webhookSignature(secret, body, 1796266000).split('v1=')[1]);
  });

  it('refuses another secret, a changed body, an old timestamp and a malformed header; accepts a rotated pair', () => {
    const t = 1796266000;
    const header = webhookSignature(secret, body, t);
    expect(verifyWebhookSignature('other', header, body, { now: t })).toBe(false);
    expect(verifyWebhookSignature(secret, header, body.replace('2}', '3}'), { now: t })).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, { now: t + 301 })).toBe(false);
    expect(verifyWebhookSignature(secret, 'v1=abc', body, { now: t })).toBe(false);
    expect(verifyWebhookSignature(secret, '', body, { now: t })).toBe(false);
    const rotated = `t=${t},v1=${webhookSignature('old-secret', body, t).split('v1=')[1]},v1=${header.split('v1=')[1]}`;
    expect(verifyWebhookSignature(secret, rotated, body, { now: t })).toBe(true);
    expect(() => webhookSignature('', body)).toThrow();
  });
});
