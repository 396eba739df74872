// Migration names (docs/architecture.md, "Data"): a 4- or 5-digit number and a kebab-case name
// (`1005-clock-kind-amount-hours`); each module numbers its migrations in its own thousand; no two
// migrations share a name or a number. They run in name order, and a name once shipped never
// changes (a database records the names it applied: a renamed migration would run again).
import { describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules/index.js';
import { withParts } from '../../src/platform/parts.js';
import type { GongkaiModule } from '../../src/platform/module.js';

/** Each module's thousand: its migrations are numbered RANGE×1000 + 1 … RANGE×1000 + 999. */
const RANGES: Record<string, number> = {
  platform: 0, // the platform parts: core and messaging share 0xxx
  messaging: 0,
  deadlines: 1, // the calendar and the deadline engine (platform part)
  calendar: 1, // the calendar's pages
  publication: 2, // the publication spine (platform part)
  catalog: 2,
  search: 3,
  appeals: 4,
  lists: 5,
  supervision: 6,
  requests: 7,
  'annual-reports': 8,
  // 9: examples/notices (not mounted)
  enforcement: 10,
  decisions: 11,
  subscriptions: 12,
  webhooks: 13,
  outlets: 14,
};

/** Shipped before the rule was checked; they keep their names (see above). */
const SHIPPED_EXCEPTIONS: Record<string, string> = {
  '1003-supervision': "supervision's first migration, in the calendar's thousand (both came with issue 3)",
  '5001_lists': 'an underscore instead of a hyphen',
  '0002-rate-limit-hits': 'the same number as 0002-totp-last-step (both the platform’s)',
};

const NAME = /^(\d{4,5})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** What is wrong with the migrations of these modules (empty: nothing), less the shipped exceptions. */
function migrationProblems(modules: Pick<GongkaiModule, 'name' | 'migrations'>[], exceptions: Record<string, string> = {}): string[] {
  const problems: string[] = [];
  const byName = new Map<string, string>();
  const byNumber = new Map<string, string>();
  for (const m of modules) {
    for (const { name } of m.migrations ?? []) {
      if (byName.has(name)) problems.push(`${name} (${m.name}): the name is taken by ${byName.get(name)}`);
      byName.set(name, m.name);
      if (!NAME.test(name)) problems.push(`${name} (${m.name}): not a 4- or 5-digit number and a kebab-case name, like 1005-clock-kind-amount-hours`);
      const number = /^(\d{4,5})(?!\d)/.exec(name)?.[1];
      if (number === undefined) continue;
      if (byNumber.has(number)) problems.push(`${name} (${m.name}): number ${number} is taken by ${byNumber.get(number)}`);
      else byNumber.set(number, name);
      const range = RANGES[m.name];
      const thousand = Math.floor(Number(number) / 1000);
      if (range === undefined) problems.push(`${name}: module ${m.name} has no thousand of its own yet (add it to the ranges in docs/architecture.md and here)`);
      else if (thousand !== range) {
        const owner = Object.entries(RANGES).find(([, r]) => r === thousand)?.[0];
        problems.push(`${name} (${m.name}): outside ${m.name}'s ${range}xxx${owner ? `, in ${owner}'s range` : ''}`);
      }
    }
  }
  return problems.filter((p) => !Object.keys(exceptions).some((n) => p.startsWith(`${n} `)));
}

const mod = (name: string, ...names: string[]) => ({ name, migrations: names.map((n) => ({ name: n, up: async () => {} })) });

describe('migration names', () => {
  it('the rule finds a module in another’s range, a taken name or number, a bad name and a module without a range', () => {
    expect(migrationProblems([mod('appeals', '4001-appeals'), mod('lists', '5001-lists')])).toEqual([]);
    expect(migrationProblems([mod('appeals', '4001-appeals', '1006-appeal-clocks')])).toEqual(["1006-appeal-clocks (appeals): outside appeals's 4xxx, in deadlines's range"]);
    expect(migrationProblems([mod('appeals', '4001-appeals'), mod('lists', '4001-appeals')])).toEqual([
      '4001-appeals (lists): the name is taken by appeals',
      '4001-appeals (lists): number 4001 is taken by 4001-appeals',
      "4001-appeals (lists): outside lists's 5xxx, in appeals's range",
    ]);
    expect(migrationProblems([mod('lists', '5001-lists', '5001-list-items')])).toEqual(['5001-list-items (lists): number 5001 is taken by 5001-lists']);
    expect(migrationProblems([mod('lists', '5001_lists', '501-x', '5002-Items')]).map((p) => p.split(':')[0])).toEqual(['5001_lists (lists)', '501-x (lists)', '5002-Items (lists)']);
    // A shipped exception waives its own problems only.
    expect(migrationProblems([mod('lists', '5001_lists', '5001-x')], { '5001_lists': 'shipped' })).toEqual(['5001-x (lists): number 5001 is taken by 5001_lists']);
    expect(migrationProblems([mod('org', '7001-org')])[0]).toMatch(/module org has no thousand/);
  });

  it('every module keeps to it', () => {
    const all = withParts(MODULES);
    expect(migrationProblems(all, SHIPPED_EXCEPTIONS)).toEqual([]);
    // The exceptions are real (a stale one would hide nothing and should go).
    const names = new Set(all.flatMap((m) => (m.migrations ?? []).map((x) => x.name)));
    for (const n of Object.keys(SHIPPED_EXCEPTIONS)) expect(names.has(n), n).toBe(true);
  });
});
