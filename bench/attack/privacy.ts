// f. masking: appeals carrying each personal-data variant (and the standard forms) taken to the
//    public board by the demo centre account; every public output is read back for the raw value.
// g. coordinates: appeals with exact lat/long (Open311, JSON, web form) published; the exact values
//    must not appear in public output, nor be recoverable from the distances of "similar appeals".
import { Client, readable, type Res, type Run } from './core.js';
import { findOnBoard, publish, submitJson, submitOpen311, submitWeb, waitSearchable, type Published } from './appeals.js';

const joinDigits = (t: string) => readable(t).replace(/(?<=\d)[\s\-－—‐.·()（）]+(?=\d)/g, '');
const digits = (d: string) => (t: string) => joinDigits(t).includes(d);
const re = (r: RegExp) => (t: string) => r.test(readable(t));

/** The outside attack's variants first, then the standard forms. `found` reads a response as a person would. */
const VARIANTS: { name: string; text: string; found: (t: string) => boolean }[] = [
  { name: 'ID with hyphens', text: '身份证号210203-19850612-1236', found: digits('210203198506121236') },
  { name: 'ID in full-width digits', text: '身份证２１０２０３１９８５０６１２１２３６', found: digits('210203198506121236') },
  { name: 'mobile in full-width digits', text: '手机１３８１２３４５６７８', found: digits('13812345678') },
  { name: 'mobile spaced', text: '手机1 3 8 1 2 3 4 5 6 7 8', found: digits('13812345678') },
  { name: 'e-mail with full-width @', text: '邮箱zhangwei＠example.com', found: re(/zhangwei/i) },
  { name: 'plate in lower case', text: '车牌辽b12345', found: re(/辽B12345/i) },
  { name: 'house number in words', text: '住在幸福路一百二十三号', found: re(/一百二十三号/) },
  { name: 'ID', text: '身份证号210203198506121236', found: digits('210203198506121236') },
  { name: 'mobile', text: '手机13812345678', found: digits('13812345678') },
  { name: 'mobile +86 with dashes', text: '电话+86 138-1234-5678', found: digits('13812345678') },
  { name: 'landline', text: '座机0411-84567890', found: digits('84567890') },
  { name: 'e-mail', text: '邮箱zhangwei@example.com', found: re(/zhangwei/i) },
  { name: 'plate', text: '车牌辽B12345', found: re(/辽B12345/i) },
  { name: 'house number', text: '住在幸福路123号', found: re(/幸福路123号/) },
  { name: 'name after a cue word', text: '我叫王小明', found: re(/王小明/) },
];
/** The raw values behind the variants, for outputs that mix many appeals. */
const RAW: [string, (t: string) => boolean][] = [
  ['210203198506121236', digits('210203198506121236')],
  ['13812345678', digits('13812345678')],
  ['84567890', digits('84567890')],
  ['zhangwei@…', re(/zhangwei/i)],
  ['辽B12345', re(/辽B12345/i)],
  ['一百二十三号', re(/一百二十三号/)],
  ['幸福路123号', re(/幸福路123号/)],
];
const TAG = (i: number) => `PII${String.fromCharCode(65 + i)}Q`;

export async function masking(run: Run, centre: Client): Promise<void> {
  const items: { tag: string; pub: Published | null; no: string; v: (typeof VARIANTS)[number] }[] = [];
  for (const [i, v] of VARIANTS.entries()) {
    const { s } = await submitJson(run, { title: `噪音扰民 ${TAG(i)}`, content: `${TAG(i)} 夜间施工噪音扰民，${v.text}，请尽快处理。`, contactName: '张建国' }, { hostile: true });
    if (!s) {
      run.note(`${v.name}: submission refused`);
      continue;
    }
    const pub = await publish(run, centre, s.no, { reply: `已联系诉求人，${v.text}，工地已停止夜间施工。` });
    items.push({ tag: TAG(i), pub, no: s.no, v });
  }
  await findOnBoard(run, items);
  await waitSearchable(run, items.at(-1)?.tag ?? 'PII', 10_000);
  const boardJson = (await run.req('GET', '/api/v1/appeals/board?pageSize=100')).json()?.items ?? [];
  const unmasked = new Map<string, number>(); // variant → public outputs showing it
  const check = (r: Pick<Res, 'text' | 'status'>, where: string, list: typeof VARIANTS, own = true) => {
    const hits = list.filter((v) => v.found(r.text)).map((v) => v.name);
    if (own) for (const h of hits) unmasked.set(h, (unmasked.get(h) ?? 0) + 1);
    if (hits.length) run.leak(`${where} (${r.status}) shows ${hits.join('; ')}`);
  };
  let outputs = 0;
  // Each appeal's own public outputs.
  for (const it of items) {
    const own = [it.v];
    const entry = boardJson.find((b: any) => b.url === it.pub?.url);
    if (entry) outputs++, check({ text: JSON.stringify(entry), status: 200 }, `board entry ${it.tag} [${it.v.name}] «${entry.content}» «${entry.reply}»`, own);
    for (const path of [...(it.pub?.url ? [it.pub.url] : []), `/open311/v2/requests/${it.no}.json`, `/open311/v2/requests/${it.no}.xml`, `/api/v1/search?q=${it.tag}`, `/search?q=${it.tag}`]) {
      outputs++;
      check(await run.req('GET', path), `${path} [${it.v.name}]`, own);
    }
  }
  // Lists and feeds that show many appeals at once: the raw values (several variants share one).
  const global = RAW.map(([name, found]) => ({ name, text: '', found }));
  for (const path of ['/appeals/board', '/open311/v2/requests.json', '/open311/v2/requests.xml', '/api/v1/documents?pageSize=50', '/catalog', '/catalog/feed.atom', '/catalog/feed.rss', '/catalog/feed.json', '/api/v1/search?q=PII&pageSize=50', '/api/v1/appeals/similar?title=' + encodeURIComponent('噪音扰民 夜间施工')]) {
    outputs++;
    check(await run.req('GET', path), path, global, false);
  }
  // Search by the raw value: a hit means the public index holds the unmasked text.
  const ours = new Set(items.map((i) => i.pub?.url).filter(Boolean).map((u) => u!.split('/').pop()));
  for (const raw of ['210203198506121236', '13812345678', '84567890', 'zhangwei', '辽B12345', '王小明']) {
    outputs++;
    const r = await run.req('GET', `/api/v1/search?q=${encodeURIComponent(raw)}`, { hostile: true });
    const hits = r.status === 200 ? (r.json()?.items ?? []).filter((x: any) => ours.has(String(x.id))) : [];
    if (hits.length) run.leak(`search for the raw value ${raw} finds ${hits.length} published appeal(s)`);
  }
  run.summary(`${VARIANTS.length} variants, ${items.filter((i) => i.pub?.url).length} published; ${outputs} public outputs read`);
  run.note(`unmasked somewhere: ${[...unmasked].map(([k, n]) => `${k} (${n})`).join(', ') || 'none'}; masked everywhere: ${VARIANTS.filter((v) => !unmasked.has(v.name)).map((v) => v.name).join(', ') || 'none'}`);
}

// ---- g. coordinates ---------------------------------------------------------------------------

const R = 6_371_000;
const rad = Math.PI / 180;

/** Solves a point from three distances (metres) in a local plane around the first probe. */
function trilaterate(probes: [number, number][], d: number[]): [number, number] {
  const [lat0, lng0] = probes[0];
  const xy = probes.map(([la, ln]) => [(ln - lng0) * rad * R * Math.cos(lat0 * rad), (la - lat0) * rad * R]);
  const [[x1, y1], [x2, y2], [x3, y3]] = xy;
  const A = 2 * (x2 - x1), B = 2 * (y2 - y1), C = d[0] ** 2 - d[1] ** 2 - x1 ** 2 + x2 ** 2 - y1 ** 2 + y2 ** 2;
  const D = 2 * (x3 - x2), E = 2 * (y3 - y2), F = d[1] ** 2 - d[2] ** 2 - x2 ** 2 + x3 ** 2 - y2 ** 2 + y3 ** 2;
  const x = (C * E - F * B) / (E * A - B * D);
  const y = (C * D - A * F) / (B * D - A * E);
  return [lat0 + y / R / rad, lng0 + x / (R * Math.cos(lat0 * rad)) / rad];
}

const metres = (a: [number, number], b: [number, number]) => Math.hypot((a[0] - b[0]) * rad * R, (a[1] - b[1]) * rad * R * Math.cos(a[0] * rad));

export async function coordinates(run: Run, centre: Client, openKey: string): Promise<void> {
  const points: { tag: string; lat: number; lng: number; door: string; pub: Published | null; no?: string }[] = [
    { tag: 'GEOAQ', lat: 38.914321, lng: 121.614987, door: 'Open311', pub: null },
    { tag: 'GEOBQ', lat: 38.923456, lng: 121.634567, door: 'JSON', pub: null },
    { tag: 'GEOCQ', lat: 38.931234, lng: 121.645678, door: 'web form', pub: null },
  ];
  for (const p of points) {
    const title = `路灯损坏 ${p.tag}`;
    const content = `${p.tag} 路口路灯损坏多日，夜间出行不便。`;
    const { s } =
      p.door === 'Open311'
        ? await submitOpen311(run, openKey, { 'attribute[title]': title, description: content, lat: String(p.lat), long: String(p.lng) })
        : p.door === 'JSON'
          ? await submitJson(run, { title, content, lat: p.lat, lng: p.lng }, { hostile: true })
          : await submitWeb(run, new Client(run.newIp()), { title, content, lat: String(p.lat), lng: String(p.lng) });
    if (!s) {
      run.note(`${p.door}: submission refused`);
      continue;
    }
    p.no = s.no;
    p.pub = await publish(run, centre, s.no, { reply: '已安排维修。' });
  }
  await findOnBoard(run, points);
  const exact = (p: (typeof points)[number]) => [p.lat, p.lng].map((v) => v.toFixed(6).slice(0, -1)); // five decimals ≈ 1 m
  const paths = ['/open311/v2/requests.json', '/open311/v2/requests.xml', '/api/v1/appeals/board?pageSize=100', '/appeals/board', '/api/v1/documents?pageSize=50', '/catalog/feed.json', ...points.flatMap((p) => [...(p.no ? [`/open311/v2/requests/${p.no}.json`, `/open311/v2/requests/${p.no}.xml`] : []), ...(p.pub?.url ? [p.pub.url] : [])])];
  for (const path of paths) {
    const r = await run.req('GET', path, { hostile: path.startsWith('/open311') });
    const shown = points.filter((p) => exact(p).some((v) => r.text.includes(v)));
    if (shown.length) run.leak(`${path} shows the exact location of ${shown.map((p) => `${p.tag} (${p.door})`).join(', ')}`);
  }
  // "Similar appeals" gives the distance to each published appeal, rounded to a metre: three
  // probes about 300 m away locate it.
  for (const p of points.filter((x) => x.pub?.url)) {
    const probes: [number, number][] = [
      [p.lat + 0.0027, p.lng],
      [p.lat - 0.0013, p.lng + 0.003],
      [p.lat - 0.0013, p.lng - 0.003],
    ];
    const d: number[] = [];
    for (const [la, ln] of probes) {
      const r = await run.req('GET', `/api/v1/appeals/similar?title=${encodeURIComponent(p.pub!.title)}&lat=${la}&lng=${ln}`, { hostile: true });
      const hit = r.status === 200 ? (r.json()?.items ?? []).find((i: any) => i.url === p.pub!.url) : null;
      if (typeof hit?.distance === 'number') d.push(hit.distance);
    }
    if (d.length < 3) continue;
    const got = trilaterate(probes, d);
    const off = metres(got, [p.lat, p.lng]);
    if (off < 10) run.leak(`/api/v1/appeals/similar distances locate ${p.tag} (${p.door}) within ${off.toFixed(1)} m`);
    run.note(`${p.tag}: three "similar appeals" distances (${d.join(', ')} m) locate it within ${off.toFixed(1)} m`);
  }
  run.summary(`${points.filter((p) => p.pub?.url).length} of ${points.length} located appeals published; exact = the value to 5 decimals (≈1 m)`);
}
