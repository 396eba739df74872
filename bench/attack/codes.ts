// h. query codes (查询码): guesses at one tracking number across every route that checks a code,
//    from one address and from many (X-Forwarded-For; the server trusts the proxy); whether an
//    unknown tracking number answers differently from a wrong code (an existence oracle); whether
//    the codes end up in the server's access log.
import { Client, csrfOf, type Res, type Run } from './core.js';
import { submitJson, type Submitted } from './appeals.js';

/** README default of GONGKAI_APPEALS_LOOKUP_LIMIT: look-ups per address per minute. Wrong codes
 *  checked beyond it at one tracking number, whatever the number of addresses, are leaks. */
const BUDGET = 60;
const GUESSES = 300;

type Guess = (no: string, code: string, ip: string) => Promise<Res>;

/** Every way to try a code (a route that does not exist, or ignores the code, is left out below). */
function routes(run: Run): [string, Guess][] {
  const browsers = new Map<string, Client>(); // one browser (cookie + CSRF token) per address
  const browser = async (ip: string) => {
    let c = browsers.get(ip);
    if (!c) {
      c = new Client(ip);
      c.csrf = csrfOf((await run.req('GET', '/appeals/new', { as: c })).text);
      browsers.set(ip, c);
    }
    return c;
  };
  const form = (path: string, extra: Record<string, string>): Guess => async (no, code, ip) => run.req('POST', path, { as: await browser(ip), form: { no, code, ...extra }, hostile: true });
  return [
    ['GET /api/v1/appeals/:no', (no, code, ip) => run.req('GET', `/api/v1/appeals/${no}?code=${code}`, { ip, hostile: true })],
    ['GET /appeals/track', (no, code, ip) => run.req('GET', `/appeals/track?no=${no}&code=${code}`, { ip, hostile: true })],
    ['POST /appeals/track', form('/appeals/track', {})],
    ['POST /api/v1/appeals/:no/rating', (no, code, ip) => run.req('POST', `/api/v1/appeals/${no}/rating`, { ip, json: { code, rating: 'satisfied' }, hostile: true })],
    ['POST /api/v1/appeals/:no/reopen', (no, code, ip) => run.req('POST', `/api/v1/appeals/${no}/reopen`, { ip, json: { code, reason: '仍未解决' }, hostile: true })],
    ['POST /appeals/track/rate', form('/appeals/track/rate', { rating: 'satisfied' })],
    ['POST /appeals/track/reopen', form('/appeals/track/reopen', { reason: '仍未解决' })],
  ];
}

const wrongCode = (right: string) => {
  for (;;) {
    const c = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
    if (c !== right) return c;
  }
};

/** How a route answers the right code and a wrong one (fresh addresses; appeals not yet handled, so
 *  the right code changes nothing: rating and reopening a received appeal are refused). */
interface Checker {
  name: string;
  guess: Guess;
  right: number;
  wrong: number;
}

async function checkers(run: Run, probe: Submitted): Promise<Checker[]> {
  const out: Checker[] = [];
  for (const [name, guess] of routes(run)) {
    const right = (await guess(probe.no, probe.code, run.newIp())).status;
    const wrong = (await guess(probe.no, wrongCode(probe.code), run.newIp())).status;
    if (right !== wrong) out.push({ name, guess, right, wrong });
    else run.note(`${name}: the right and a wrong code both answer ${right}: not a way to check codes, left out`);
  }
  return out;
}

async function guessing(run: Run, cs: Checker[], target: Submitted, addresses: string[], label: string): Promise<{ checked: number; locked: boolean }> {
  let checked = 0; // answered as a wrong code: the guess was checked
  let refused = 0;
  const perRoute = new Map<string, number>();
  for (let i = 0; i < GUESSES && run.timeLeft() > 0; i++) {
    const c = cs[i % cs.length];
    const r = await c.guess(target.no, wrongCode(target.code), addresses[i % addresses.length]);
    if (r.status === c.wrong) {
      checked++;
      perRoute.set(c.name, (perRoute.get(c.name) ?? 0) + 1);
    } else if (r.status === c.right) run.leak(`${c.name} took a wrong code for ${target.no} → ${r.status}`);
    else refused++;
  }
  // A lock on the number (rather than on addresses) refuses even the right code from a new address.
  const first = cs[0];
  const locked = (await first.guess(target.no, target.code, run.newIp())).status !== first.right;
  if (checked > BUDGET && !locked) run.leak(`${label}: ${checked} of ${GUESSES} wrong codes at one tracking number were checked; budget ${BUDGET}`, checked - BUDGET);
  run.note(`${label}: ${checked} of ${GUESSES} wrong codes checked, ${refused} refused; the right code afterwards ${locked ? 'refused (the number is locked)' : 'still accepted'} (${[...perRoute].map(([k, v]) => `${k.replace(/^(GET|POST) /, '')} ${v}`).join(', ')})`);
  return { checked, locked };
}

/** Status and body with what legitimately differs (numbers, tokens, ids) blanked. */
const shape = (r: Res) => `${r.status} ${r.text.replace(/SQ\d{15}/g, 'SQ').replace(/name="_csrf" value="[^"]+"|_csrf=[^"&]+/g, '').replace(/"(?:reqId|requestId)":"[^"]*"/g, '')}`;

export async function queryCodes(run: Run, openKey: string): Promise<void> {
  const subs: Submitted[] = [];
  for (let i = 0; i < 4; i++) {
    const { s } = await submitJson(run, { title: `噪音 查询码测试${i}` });
    if (s) subs.push(s);
  }
  if (subs.length < 4) return run.note('could not submit the appeals to guess at');
  const [probe, oracle, one, many] = subs;
  const cs = await checkers(run, probe);
  if (!cs.length) return run.note('no route told the right code from a wrong one: nothing to measure');
  // Existence oracle: a real number with a wrong code vs a number that does not exist, each
  // from a fresh address (no throttling in the way), the same wrong code on both sides (pages echo it).
  const unknown = `${oracle.no.slice(0, 10)}9999999`;
  const bad = wrongCode(oracle.code);
  const checks: [string, (no: string) => Promise<Res>][] = [
    ...cs.map((c) => [c.name, (no: string) => c.guess(no, bad, run.newIp())] as [string, (no: string) => Promise<Res>]),
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
  const fromOne = await guessing(run, cs, one, [run.newIp()], 'one address');
  const fromMany = await guessing(run, cs, many, Array.from({ length: 30 }, () => run.newIp()), '30 addresses');
  // Codes in the access log: the citizen's own look-ups (the probes above included) carry them in URLs.
  await new Promise((r) => setTimeout(r, 300)); // the log stream reaches the file
  const codes = new Set(subs.map((s) => s.code));
  const lines = run.server.readLog().split('\n').filter((l) => /code=\d{6}/.test(l));
  const withReal = lines.filter((l) => [...codes].some((c) => l.includes(`code=${c}`)));
  if (lines.length) run.leak(`${lines.length} access-log lines carry a query code (code=NNNNNN)${withReal.length ? `, ${withReal.length} of them a real one` : ''}`);
  run.summary(`${GUESSES} wrong codes at one tracking number over ${cs.length} routes: ${fromOne.checked} checked from one address, ${fromMany.checked} from 30 addresses (budget ${BUDGET}); existence oracles: ${oracles} of ${checks.length} routes; access-log lines with a code: ${lines.length}`);
}
