// The demo 权责清单 of every department: the hand-written items of data.ts (which the tests and
// the 市场监管局 adjustment refer to by code) followed by the items of offices.ts and bureaus.ts,
// each with the responsibilities, process and accountability of its power type.
import type { ListItem } from '../../service/engine.js';
import { POWER_LISTS } from '../data.js';
import { OFFICES } from './offices.js';
import { BUREAUS } from './bureaus.js';
import { powerItem } from './item.js';

const PREFIX: Record<string, string> = { licensing: 'XK', penalty: 'CF', coercion: 'QZ', levy: 'ZS', payment: 'GF', inspection: 'JC', confirmation: 'QR', reward: 'JL', adjudication: 'CJ', other: 'QT', 'public-service': 'GG' };

/** The items of every department of `departments` (code → name) that the demo has items for. */
export function demoPowerLists(departments: Map<string, string>): Record<string, ListItem[]> {
  const out: Record<string, ListItem[]> = {};
  const specs = { ...OFFICES, ...BUREAUS };
  for (const [dept, name] of departments) {
    const hand = POWER_LISTS[dept] ?? [];
    const spec = specs[dept] ?? [];
    if (!hand.length && !spec.length) continue;
    // Generated codes start at 011 where hand-written items exist, leaving 001–010 to those
    // (and to the codes the adjustment and the tests add).
    const serial = new Map<string, number>();
    const start = hand.length ? 10 : 0;
    const generated = spec.map(([type, itemName, basis]) => {
      const n = (serial.get(type) ?? start) + 1;
      serial.set(type, n);
      return powerItem(dept, `${PREFIX[type]}-${dept.toUpperCase()}-${String(n).padStart(3, '0')}`, itemName, type, basis, `示范新区${name}`);
    });
    out[dept] = [...hand, ...generated];
  }
  return out;
}
