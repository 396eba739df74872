// The demo registers written in bulk (chunked inserts, one transaction): the entities of
// entities.ts, 40 inspectors of the four enforcement departments with the fields their matters
// need (执法证号 2102001 + department digit + serial), the demo inspector accounts
// (`<department>-inspector<n>`, org/demo.ts) linked to the department's n-th inspector (so they can
// enter results), and a few declared conflicts of interest (回避).
import type { Platform } from '../../../platform/platform.js';
import { intWith, pickWith } from '../../../platform/random.js';
import { personName } from '../../requests/demo/pool.js';
import { demoEntities, type DemoEntity } from './entities.js';
import '../schema.js';

type R = () => number;

/** Inspectors per department and the fields each holds, in order (the first ones are linked to the demo accounts). */
const INSPECTORS: Record<string, string[][]> = {
  scjg: [
    ['market', 'food'],
    ['quality', 'ip', 'market'],
    ['food', 'quality'],
    ['food'],
    ['quality', 'market'],
    ['ip', 'quality'],
    ['market', 'ip'],
    ['food', 'market', 'ip'],
    ['quality'],
    ['food', 'quality', 'market'],
    ['market'],
    ['ip', 'food'],
    ['food', 'market'],
    ['food'],
    ['quality', 'food'],
    ['market', 'ip'],
  ],
  whly: [['tourism'], ['tourism', 'market'], ['tourism'], ['tourism'], ['tourism', 'market'], ['tourism'], ['tourism'], ['tourism']],
  yjgl: [['safety'], ['safety'], ['safety'], ['safety'], ['safety'], ['safety'], ['safety'], ['safety']],
  sthj: [['environment'], ['environment'], ['environment'], ['environment'], ['environment'], ['environment'], ['environment'], ['environment']],
};
const DEPT_DIGIT: Record<string, string> = { scjg: '1', whly: '2', yjgl: '3', sthj: '4' };

const RELATION_REASONS = ['近亲属担任该企业法定代表人', '配偶在该企业任职', '曾在该企业任职（离职未满三年）', '与该企业负责人存在经济往来', '近亲属持有该企业股份'];

export interface Registers {
  entities: DemoEntity[];
  /** Cert numbers by department code, in register order. */
  certs: Map<string, string[]>;
}

export async function loadRegisters(p: Platform, r: R, depts: Map<string, number>, users: Map<string, number>): Promise<Registers> {
  const entities = demoEntities(r);
  const now = new Date().toISOString();
  const certs = new Map<string, string[]>();
  await p.tx(async (t) => {
    const rows = entities.map(({ dept, ...e }) => ({ ...e, department_id: depts.get(dept) ?? depts.get('scjg')!, created_at: now, updated_at: now }));
    for (let i = 0; i < rows.length; i += 500) await t.insertInto('enf_entities').values(rows.slice(i, i + 500)).execute();
    const inspectors = [];
    const names = new Set<string>();
    for (const [dept, list] of Object.entries(INSPECTORS)) {
      const id = depts.get(dept);
      if (!id) continue;
      const own: string[] = [];
      for (const [i, fields] of list.entries()) {
        const certNo = `2102001${DEPT_DIGIT[dept]}${String(intWith(r, 1, 9))}${String(i + 1).padStart(4, '0')}`;
        let name = personName(r);
        while (names.has(name)) name = personName(r);
        names.add(name);
        const account = users.get(`${dept}-inspector${i + 1}`);
        own.push(certNo);
        inspectors.push({ cert_no: certNo, name, department_id: id, fields: JSON.stringify(fields), active: 1, user_id: account ? String(account) : null, phone: `1390411${String(intWith(r, 0, 9999)).padStart(4, '0')}`, created_at: now, updated_at: now });
      }
      certs.set(dept, own);
    }
    if (inspectors.length) await t.insertInto('enf_inspectors').values(inspectors).execute();
    // Declared conflicts: an inspector of each department and an entity of the trades it inspects.
    const ids = new Map((await t.selectFrom('enf_inspectors').select(['id', 'cert_no']).execute()).map((x) => [x.cert_no, x.id]));
    const codes = new Map((await t.selectFrom('enf_entities').select(['id', 'credit_code']).execute()).map((x) => [x.credit_code, x.id]));
    const pairs: [string, (e: DemoEntity) => boolean][] = [
      ['scjg', (e) => e.industry.startsWith('F52')],
      ['scjg', (e) => e.industry.startsWith('H62')],
      ['scjg', (e) => e.industry.startsWith('F52')],
      ['whly', (e) => e.industry.startsWith('R90')],
      ['yjgl', (e) => e.industry.startsWith('C26')],
      ['sthj', (e) => e.industry.startsWith('C23')],
    ];
    const relations = new Map<string, { inspector_id: number; entity_id: number; reason: string; created_by: string; created_at: string }>();
    for (const [dept, fits] of pairs) {
      const cert = pickWith(r, certs.get(dept) ?? []);
      const e = pickWith(r, entities.filter((x) => x.active && fits(x)));
      if (!cert || !e) continue;
      relations.set(`${cert} ${e.credit_code}`, { inspector_id: ids.get(cert)!, entity_id: codes.get(e.credit_code)!, reason: pickWith(r, RELATION_REASONS), created_by: `user:${dept}-editor`, created_at: now });
    }
    if (relations.size) await t.insertInto('enf_relations').values([...relations.values()]).execute();
    await p.audit(t, { actor: 'demo', action: 'enforcement.demo_registers', entity: 'enf_entity', entityId: 'demo', details: { entities: rows.length, inspectors: inspectors.length, relations: relations.size } });
  });
  return { entities, certs };
}
