// The outlets' demo: the district service hall's screen (every department, the newest 12, one
// pinned item), a subdistrict service station's screen (one department) and the government's
// notice board. Deterministic: fixed names, tokens derived from fixed strings, the pinned item
// the oldest public catalog document of 党政办公室.
import { createHash } from 'node:crypto';
import type { Platform } from '../../platform/platform.js';
import { typesOf } from '../../platform/publication/registry.js';

const demoToken = (n: string) => createHash('sha256').update(`gongkai-demo-outlet:${n}`).digest('hex').slice(0, 32);

export const DEMO_OUTLETS = [
  { key: 'hall', kind: 'screen', name: '区政务服务中心大厅电子屏', location: '政务服务中心一楼大厅', owner: 'dzb', departments: [] as string[], newest: 12, rotate: 15, pin: true },
  { key: 'station', kind: 'screen', name: '街道便民服务站电子屏', location: '海滨街道便民服务站', owner: 'dzb', departments: ['fgj'], newest: 8, rotate: 20, pin: false },
  { key: 'board', kind: 'board', name: '区政府公开栏', location: '区政府大院东门', owner: 'dzb', departments: [] as string[], newest: 12, rotate: 15, pin: false },
] as const;

export async function loadDemoOutlets(p: Platform): Promise<void> {
  const depts = new Map((await p.db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, Number(d.id)]));
  const catalog = typesOf('catalog');
  const pin = catalog.length
    ? await p.db.selectFrom('pub_items').select('id').where('public', '=', 1).where('validity', '=', 'valid').where('type', '=', 'document').where('department_id', '=', depts.get('dzb') ?? -1).orderBy('id').limit(1).executeTakeFirst()
    : undefined;
  const now = new Date().toISOString();
  await p.tx(async (t) => {
    for (const o of DEMO_OUTLETS) {
      const owner = depts.get(o.owner);
      if (!owner) continue;
      const r = await t
        .insertInto('out_outlets')
        .values({
          kind: o.kind,
          name: o.name,
          location: o.location,
          token: demoToken(o.key),
          selection: JSON.stringify({ departments: o.departments.map((c) => depts.get(c)).filter((x) => x !== undefined), types: [], newest: o.newest }),
          rotate_seconds: o.rotate,
          department_id: owner,
          last_seen_at: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (o.pin && pin) await t.insertInto('out_pins').values({ outlet_id: Number(r.id), item_id: Number(pin.id), position: 1 }).execute();
    }
  });
}
