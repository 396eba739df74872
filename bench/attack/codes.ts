// h. query codes (查询码): guesses at one tracking number across every route that checks a code,
//    from one address and from many (X-Forwarded-For; the server trusts the proxy); whether an
//    unknown tracking number answers differently from a wrong code (an existence oracle); whether
//    the codes end up in the server's access log.
import { Client, csrfOf, type Res, type Run } from './core.js';
import { submitJson, type Submitted } from './appeals.js';

/** README default of GONGKAI_APPEALS_LOOKUP_LIMIT: look-ups per address per minute. Guesses at one
 *  tracking number answered beyond it, whatever the number of addresses, are counted as leaks. */
const BUDGET = 60;
const GUESSES = 300;

type Guess = (no: string, code: string, ip: string) => Promise<Res>;

function routes(run: Run): [string, Guess][] {
  const tokens = new Map<string, Client>(); // one browser (cookie + token) per address
  const browser = async (ip: string) => {
    let c = tokens.get(ip);
    if (!c) {
      c = new Client(ip);
      c.csrf = csrfOf((await run.req('GET', '/appeals/new', { as: c })).text);
      tokens.set(ip, c);
    }
    return c;
  };
  return [
    ['GET /api/v1/appeals/:no', (no, code, ip) => run.req('GET', `/api/v1/appeals/${no}?code=${code}`, { ip, hostile: true })],
    ['GET /appeals/track', (no, code, ip) => run.req('GET', `/appeals/track?no=${no}&code=${code}`, { ip, hostile: true })],
    ['POST /api/v1/appeals/:no/rating', (no, code, ip) => run.req('POST', `/api/v1/appeals/${no}/rating`, { ip, json: { code, rating: 'satisfied' }, hostile: true })],
    ['POST /api/v1/appeals/:no/reopen', (no, code, ip) => run.req('POST', `/api/v1/appeals/${no}/reopen`, { ip, json: { code, reason: '仍未解决' }, hostile: true })],
    ['POST /appeals/track/rate', async (no, code, ip) => run.req('POST', '/appeals/track/rate', { as: await browser(ip), form: { no, code, rating: 'satisfied' }, hostile: true })],
    ['POST /appeals/track/reopen', async (no, code, ip) => run.req('POST', '/appeals/track/reopen', { as: await browser(ip), form: { no, code, reason: '仍未解决' }, hostile: true })],
  ];
}

const wrongCode = (right: string) => {
  for (;;) {
    const c = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
    if (c !== right) return c;
  }
};
/** 404 = a wrong code; 429 = refused before checking; anything else means the code was taken. */
const accepted = (r: Res) => r.status !== 404 && r.status !== 429 && r.status !== 400 && r.status !== 403 && r.status < 500 && r.status !== 0;

async function guessing(run: Run, target: Submitted, addresses: string[], label: string): Promise<number> {
  const rs = routes(run);
  let answered = 0;
  let hits = 0;
  const perRoute = new Map<string, number>();
  for (let i = 0; i < GUESSES && run.timeLeft() > 0; i++) {
    const [name, guess] = rs[i % rs.length];
    const r = await guess(target.no, wrongCode(target.code), addresses[i % addresses.length]);
    if (r.status === 429) continue;
    answered++;
    perRoute.set(name, (perRoute.get(name) ?? 0) + 1);
    if (accepted(r)) {
      hits++;
      run.leak(`${name} took a wrong code for ${target.no} → ${r.status}`);
    }
  }
  if (answered > BUDGET) run.leak(`${label}: ${answered} of ${GUESSES} guesses at one tracking number answered (not 429); budget ${BUDGET}`, answered - BUDGET);
  run.note(`${label}: ${answered} of ${GUESSES} guesses answered without 429 (${[...perRoute].map(([k, v]) => `${k.replace(/^(GET|POST) /, '')} ${v}`).join(', ')})${hits ? `, ${hits} wrong codes taken` : ''}`);
  return answered;
}

/** Status and body with what legitimately differs (numbers, tokens, ids) blanked. */
const shape = (r: Res) => `${r.status} ${r.text.replace(/SQ\d{15}/g, 'SQ').replace(/name="_csrf" value="[^"]+"|_csrf=[^"&]+/g, '').replace(/"(?:reqId|requestId)":"[^"]*"/g, '')}`;

export async function queryCodes(run: Run, openKey: string): Promise<void> {
  const subs: Submitted[] = [];
  for (let i = 0; i < 3; i++) {
    const { s } = await submitJson(run, { title: `噪音 查询码测试${i}` });
    if (s) subs.push(s);
  }
  if (subs.length < 3) return run.note('could not submit the appeals to guess at');
  const [oracle, one, many] = subs;
  // Existence oracle: a real number with a wrong code vs a number that does not exist, each
  // from a fresh address (no throttling in the way).
  const unknown = `${oracle.no.slice(0, 10)}9999999`;
  const rs = routes(run);
  const bad = wrongCode(oracle.code); // the same wrong code on both sides (pages echo it)
  const checks: [string, (no: string) => Promise<Res>][] = [
    ...rs.map(([name, g]) => [name, (no: string) => g(no, bad, run.newIp())] as [string, (no: string) => Promise<Res>]),
    ['GET /open311/v2/requests/:id.json', (no) => run.req('GET', `/open311/v2/requests/${no}.json`, { ip: run.newIp(), hostile: true })],
    ['GET /open311/v2/requests/:id.xml', (no) => run.req('GET', `/open311/v2/requests/${no}.xml`, { ip: run.newIp(), hostile: true })],
    ['GET /open311/v2/requests.json?service_request_id=', (no) => run.req('GET', `/open311/v2/requests.json?service_request_id=${no}`, { ip: run.newIp(), hostile: true })],
    ['GET /open311/v2/requests/:id.json with an api_key', (no) => run.req('GET', `/open311/v2/requests/${no}.json?api_key=${openKey}`, { ip: run.newIp(), hostile: true })],
  ];
  let oracles = 0;
  for (const [name, check] of checks) {
    const [a, b] = [await check(oracle.no), await check(unknown)];
    if (shape(a) !== shape(b)) oracles++, run.leak(`${name}: a real tracking number answers ${a.status}, an unknown one ${b.status} (bodies differ: existence oracle)`);
  }
  const fromOne = await guessing(run, one, [run.newIp()], 'one address');
  const fromMany = await guessing(run, many, Array.from({ length: 30 }, () => run.newIp()), '30 addresses');
  // Codes in the access log: the citizen's own look-up carries the code in the URL.
  await run.req('GET', `/api/v1/appeals/${oracle.no}?code=${oracle.code}`, { ip: run.newIp() });
  await run.req('GET', `/appeals/track?no=${oracle.no}&code=${oracle.code}`, { ip: run.newIp() });
  await new Promise((r) => setTimeout(r, 300)); // the log stream reaches the file
  const codes = new Set(subs.map((s) => s.code));
  const lines = run.server.readLog().split('\n').filter((l) => /code=\d{6}/.test(l));
  const withReal = lines.filter((l) => [...codes].some((c) => l.includes(`code=${c}`)));
  if (lines.length) run.leak(`${lines.length} access-log lines carry a query code (code=NNNNNN)${withReal.length ? `, ${withReal.length} of them a real one` : ''}`);
  run.summary(`${GUESSES} wrong codes at one tracking number: ${fromOne} answered (not 429) from one address, ${fromMany} from 30 addresses (budget ${BUDGET}); existence oracles: ${oracles} of ${checks.length} routes; access-log lines with a code: ${lines.length}`);
}
