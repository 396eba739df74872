// a. privilege: every demo staff role tries every user-changing route against the admin, the
//    supervisor and users of other departments; a change is seen through GET as another admin.
// j. login throttling: username variants (whitespace, case, full width) against one account's and
//    one address's failure budget.
import { Client, DEMO_PASSWORD, csrfOf, type Run } from './core.js';

export const CALLERS = ['supervisor', 'dzb-admin', 'dzb-editor', 'dzb-approver', 'fgj-editor', 'scjg-approver', 'operator', 'sqzx-editor'];
const NEW_PASSWORD = 'Takeover-Pass-2026-x9';

interface Grant {
  role: string;
  department: string;
  includeChildren: boolean;
}
interface Snap {
  displayName: string;
  email: string;
  active: boolean;
  roles: Grant[];
  department: string;
}

const key = (s: Snap | null) => (s ? JSON.stringify({ ...s, roles: [...s.roles].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) }) : 'missing');

async function snap(run: Run, root: Client, username: string): Promise<Snap | null> {
  const r = await run.req('GET', `/api/v1/users/${encodeURIComponent(username)}`, { as: root });
  if (r.status !== 200) return null;
  const u = r.json();
  return { displayName: u.displayName, email: u.email, active: u.active, roles: u.roles, department: u.department };
}

/** Puts a user back as it was (roles, name, e-mail, active) with the other admin's rights. */
async function restore(run: Run, root: Client, username: string, s: Snap): Promise<void> {
  await run.req('PUT', `/api/v1/users/${username}/roles`, { as: root, json: { roles: s.roles } });
  await run.req('PATCH', `/api/v1/users/${username}`, { as: root, json: { displayName: s.displayName, email: s.email } });
  const now = await snap(run, root, username);
  if (now && now.active !== s.active) await run.req('POST', `/admin/users/${username}/${s.active ? 'activate' : 'deactivate'}`, { as: root, form: { confirm: 'yes' } });
}

export async function privilege(run: Run, root: Client, setup: { ctl: string; off: string }): Promise<void> {
  const depts = new Map<string, string | null>(((await run.req('GET', '/api/v1/departments')).json()?.items ?? []).map((d: any) => [d.code, d.parent]));
  const covers = (g: Grant, dept: string) => {
    for (let d: string | null | undefined = dept; d; d = g.includeChildren ? depts.get(d) : null) if (d === g.department) return true;
    return false;
  };
  // The rule: a user may be changed only by a caller who may grant every role the user holds —
  // admins always; a dept-admin inside its departments; admin and supervisor roles by admins only.
  const mayChange = (caller: Grant[], target: Snap) =>
    caller.some((g) => g.role === 'admin') ||
    (!target.roles.some((r) => r.role === 'admin' || r.role === 'supervisor') &&
      [target.department, ...target.roles.map((r) => r.department)].every((d) => caller.some((g) => g.role === 'dept-admin' && covers(g, d))));

  // Targets: canonical name → the names tried in the path (case and full-width variants too).
  const targets: Record<string, string[]> = { admin: ['admin', 'ADMIN', 'ａｄｍｉｎ'], supervisor: ['supervisor'], 'fgj-editor': ['fgj-editor'], 'sqzx-editor': ['sqzx-editor'], [setup.ctl]: [setup.ctl], [setup.off]: [setup.off] };
  const before = new Map<string, Snap>();
  for (const t of Object.keys(targets)) {
    const s = await snap(run, root, t);
    if (s) before.set(t, s);
  }
  let controls = 0;
  let controlsOk = 0;
  for (const caller of CALLERS) {
    if (run.timeLeft() <= 0) break;
    const c = await run.login(caller);
    if (!c) {
      run.note(`could not sign in as ${caller}`);
      continue;
    }
    const me = (await run.req('GET', '/api/v1/me', { as: c })).json() ?? {};
    const grants: Grant[] = me.grants ?? [];
    const home = me.department ?? 'dzb';
    for (const [canon, names] of Object.entries(targets)) {
      const was = before.get(canon);
      if (!was) continue;
      const allowed = mayChange(grants, was);
      for (const name of names) {
        const u = encodeURIComponent(name);
        const attempts: [string, () => Promise<number>, (s: Snap | null) => boolean][] = [
          ['profile (form)', async () => (await run.req('POST', `/admin/users/${u}/profile`, { as: c, form: { displayName: `pwned by ${caller}`, email: '' }, hostile: true })).status, (s) => s?.displayName === `pwned by ${caller}`],
          ['PATCH /api/v1/users', async () => (await run.req('PATCH', `/api/v1/users/${u}`, { as: c, json: { displayName: `pwned by ${caller} (api)` }, hostile: true })).status, (s) => s?.displayName === `pwned by ${caller} (api)`],
          ['roles (form)', async () => (await run.req('POST', `/admin/users/${u}/roles`, { as: c, form: { count: '1', role0: 'reviewer', dept0: home }, hostile: true })).status, (s) => key(s) !== key(was)],
          ['PUT /api/v1/users/…/roles', async () => (await run.req('PUT', `/api/v1/users/${u}/roles`, { as: c, json: { roles: [{ role: 'operator', department: home }] }, hostile: true })).status, (s) => key(s) !== key(was)],
          [was.active ? 'deactivate' : 'activate', async () => (await run.req('POST', `/admin/users/${u}/${was.active ? 'deactivate' : 'activate'}`, { as: c, form: { confirm: 'yes' }, hostile: true })).status, (s) => s?.active !== was.active],
        ];
        for (const [what, attempt, changed] of attempts) {
          const status = await attempt();
          if (status < 200 || status >= 400) continue;
          const now = await snap(run, root, canon);
          const did = changed(now);
          if (allowed) {
            controls++;
            if (did) controlsOk++;
          } else if (did) run.leak(`${caller} → ${what} of ${name}: ${status}, the user changed`);
          if (key(now) !== key(was)) await restore(run, root, canon, was);
        }
        // Password reset: a success answer is checked by signing in with the new password.
        const pw = await run.req('POST', `/admin/users/${u}/password`, { as: c, form: { password: NEW_PASSWORD }, hostile: true });
        if (pw.status >= 200 && pw.status < 400) {
          const took = !!(await run.login(canon, NEW_PASSWORD));
          if (allowed) {
            controls++;
            if (took) controlsOk++;
          } else if (took) run.leak(`${caller} → password of ${name}: ${pw.status}, the new password signs in`);
          if (took) await run.req('POST', `/admin/users/${canon}/password`, { as: root, form: { password: DEMO_PASSWORD } });
        }
      }
    }
    // Escalation: the admin role for oneself, and for a user of one's own department.
    for (const [name, send] of [
      [caller, () => run.req('PUT', `/api/v1/users/${caller}/roles`, { as: c, json: { roles: [{ role: 'admin', department: home }, ...grants] }, hostile: true })],
      [setup.ctl, () => run.req('POST', `/admin/users/${setup.ctl}/roles`, { as: c, form: { count: '1', role0: 'admin', dept0: home }, hostile: true })],
    ] as const) {
      const was = await snap(run, root, name);
      const r = await send();
      const now = await snap(run, root, name);
      if (was && now?.roles.some((g) => g.role === 'admin') && !grants.some((g) => g.role === 'admin')) run.leak(`${caller} made ${name} an admin: ${r.status}`);
      if (was && key(now) !== key(was)) await restore(run, root, name, was);
    }
    // Creating users: an admin, and a user of a department the caller does not manage.
    for (const [suffix, body] of [
      ['a', { department: 'dzb', roles: ['admin'] }],
      ['f', { department: 'fgj', roles: ['editor'] }],
    ] as const) {
      const username = `atk-${caller.replace(/[^a-z]/g, '')}-${suffix}`;
      const allowed = mayChange(grants, { displayName: '', email: '', active: true, department: body.department, roles: body.roles.map((r) => ({ role: r, department: body.department, includeChildren: false })) });
      const api = await run.req('POST', '/api/v1/users', { as: c, json: { username, password: NEW_PASSWORD, ...body }, hostile: true });
      const form = await run.req('POST', '/admin/users', { as: c, form: { username: `${username}2`, displayName: 'x', password: NEW_PASSWORD, department: body.department, roles: body.roles[0] }, hostile: true });
      for (const [name, st] of [[username, api.status], [`${username}2`, form.status]] as const) {
        const made = await snap(run, root, name);
        if (made && !allowed) run.leak(`${caller} created ${name} (${body.roles[0]}@${body.department}): ${st}`);
        if (made) await run.req('POST', `/admin/users/${name}/deactivate`, { as: root, form: { confirm: 'yes' } });
      }
    }
  }
  // Anything that changed although no request said so.
  for (const [t, was] of before) {
    const now = await snap(run, root, t);
    if (key(now) !== key(was)) {
      run.leak(`${t} differs from before the section: ${key(now)}`);
      await restore(run, root, t, was);
    }
  }
  run.summary(`${CALLERS.length} callers × ${Object.values(targets).flat().length} target names × 6 routes, 2 escalations and 4 creations each; changes verified as another admin`);
  run.note(`control (dzb-admin on its own department's user): ${controlsOk} of ${controls} allowed changes took effect${controls && !controlsOk ? ' — CHECK THE HARNESS' : ''}`);
}

// ---- j. login throttling ----------------------------------------------------------------------

/** README defaults: GONGKAI_LOGIN_MAX_FAILURES (per account) and GONGKAI_LOGIN_MAX_FAILURES_IP. */
const PER_ACCOUNT = 5;
const PER_IP = 20;

export async function loginThrottle(run: Run, account: string, password: string): Promise<void> {
  const variants = [account, ` ${account}`, `${account} `, `\t${account}`, `${account}\u3000`, `\u00a0${account}`, account.toUpperCase(), account.replace(/^./, (c) => c.toUpperCase()), account.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), `${account}\u200b`];
  const attempt = async (username: string, pw: string, ip = run.newIp()) => {
    const c = new Client(ip);
    c.csrf = csrfOf((await run.req('GET', '/admin/login', { as: c })).text);
    return (await run.req('POST', '/admin/login', { as: c, form: { username, password: pw }, hostile: true })).status;
  };
  // Which spellings reach the account: they sign in with its password (each success clears its failures).
  const same = new Set<string>();
  for (const v of variants) if ((await attempt(v, password)) === 302) same.add(v);
  // Wrong passwords, every spelling, each from a fresh address (the address budget plays no part):
  // the guesses that reach the account and are still checked beyond its budget are the bypass.
  let checked = 0;
  let tries = 0;
  for (let round = 0; round < 3; round++)
    for (const v of variants) {
      tries++;
      if ((await attempt(v, `wrong-password-${tries}`)) !== 429 && same.has(v)) checked++;
    }
  if (checked > PER_ACCOUNT) run.leak(`${checked} wrong passwords for ${account} were checked (not 429) through ${same.size} spellings; its budget is ${PER_ACCOUNT}`, checked - PER_ACCOUNT);
  const right = await attempt([...same].at(-1) ?? account, password);
  if (right === 302) run.leak(`the right password with another spelling signed in to ${account} while it is throttled`);
  // One address, accounts that do not exist: the address's own budget.
  const ip = run.newIp();
  let ipChecked = 0;
  for (let i = 0; i < PER_IP + 10; i++) if ((await attempt(`nobody-${i}`, `wrong-${i}`, ip)) !== 429) ipChecked++;
  if (ipChecked > PER_IP) run.leak(`${ipChecked} wrong logins from one address were checked (not 429); its budget is ${PER_IP}`, ipChecked - PER_IP);
  run.summary(`${variants.length} spellings of ${account}, ${same.size} of them sign in; ${tries} wrong passwords → ${checked} checked (budget ${PER_ACCOUNT}); the right one afterwards → ${right}; ${PER_IP + 10} from one address → ${ipChecked} checked (budget ${PER_IP})`);
}
