// Staff sign-in, second factor, sign-out, and the account page (password, 2FA, sessions, API tokens).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../platform.js';
import { AdminLayout, Csrf, ErrorSummary, Field, Notice, ConfirmForm, TableWrap, type PageCtx } from '../render/index.js';
import { clearLoginFailures, createApiToken, createSession, normalizeUsername, recordLoginFailure, throttledFor } from './identity.js';
import { verifyDummy, verifyPassword } from './passwords.js';
import { checkTotp, newTotpSecret, totpFor } from './totp.js';
import { clientIp, cookieOptions, SESSION_COOKIE } from '../http/auth.js';
import { safeBack } from '../http/system.js';
import { validateForm } from '../http/validation.js';
import { HttpError, notFound } from '../errors.js';
import { setPassword } from '../../modules/org/service.js';
import { shanghaiDate, shanghaiDateTime } from '../dates.js';

const LoginForm = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 128 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
});

function LoginPage({ c, error, username, next }: { c: PageCtx; error?: string; username?: string; next?: string }) {
  return (
    <AdminLayout c={c} title={c.t('auth.login')}>
      <div class="narrow">
        <h1>{c.t('auth.login')}</h1>
        {error && <Notice kind="error">{error}</Notice>}
        <form method="post" action="/admin/login" class="stack">
          <Csrf c={c} />
          <input type="hidden" name="next" value={next ?? ''} />
          <Field label={c.t('auth.username')} name="username" value={username} required autocomplete="username" maxLength={64} />
          <Field label={c.t('auth.password')} name="password" type="password" required autocomplete="current-password" maxLength={128} />
          <button type="submit" class="primary">{c.t('auth.login')}</button>
        </form>
      </div>
    </AdminLayout>
  );
}

/**
 * The device cookie: the (signed) usernames that have signed in from this browser. A login from an
 * address that is throttled — an office behind one NAT address where someone mistyped too often —
 * still goes through for these accounts; a stranger guessing from that address has no such cookie.
 */
const DEVICE_COOKIE = 'gk_device';
const DEVICE_DAYS = 90;

function knownDevice(req: FastifyRequest, username: string): boolean {
  const raw = req.cookies?.[DEVICE_COOKIE];
  if (!raw) return false;
  const v = req.unsignCookie(raw);
  return v.valid && !!v.value && v.value.split(',').includes(username);
}

function rememberDevice(req: FastifyRequest, reply: FastifyReply, p: Platform, username: string): void {
  const raw = req.cookies?.[DEVICE_COOKIE];
  const v = raw ? req.unsignCookie(raw) : null;
  const names = v?.valid && v.value ? v.value.split(',').filter((n) => n && n !== username) : [];
  const value = [username, ...names].slice(0, 5).join(',');
  reply.setCookie(DEVICE_COOKIE, value, { ...cookieOptions(p, DEVICE_DAYS * 86400), path: '/admin/login', signed: true });
}

/** Accepts a TOTP code once: the step is stored only if it is later than the last one accepted. */
async function acceptTotp(p: Platform, userId: number, secret: string, code: string): Promise<boolean> {
  const row = await p.db.selectFrom('users').select('totp_last_step').where('id', '=', userId).executeTakeFirstOrThrow();
  const step = checkTotp(secret, code, row.totp_last_step == null ? null : Number(row.totp_last_step));
  if (step == null) return false;
  const r = await p.db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function authRoutes(app: FastifyInstance, p: Platform): Promise<void> {
  const limits = { maxPerUser: p.config.loginMaxFailures, maxPerIp: p.config.loginMaxFailuresIp, windowMinutes: p.config.loginWindowMinutes };

  app.get<{ Querystring: { next?: string } }>('/admin/login', { config: { permission: 'public' } }, async (req, reply) => {
    return reply.html(<LoginPage c={req.ctx(reply)} next={safeBack(req.query.next, '/admin')} />);
  });

  app.post('/admin/login', { config: { permission: 'public' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const form = validateForm(LoginForm, req.body, req.locale);
    if (!form.ok) return reply.html(<LoginPage c={c} error={c.t('auth.fill_both')} />, 400);
    const { password } = form.value;
    const username = normalizeUsername(form.value.username);
    const next = safeBack(form.value.next, '/admin');
    const ip = clientIp(req);
    const wait = await throttledFor(p.db, username, ip, limits, knownDevice(req, username));
    if (wait > 0) return reply.header('retry-after', String(wait * 60)).html(<LoginPage c={c} username={username} error={c.t('auth.throttled', { minutes: wait })} />, 429);
    const user = await p.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    const fail = async (messageKey: string) => {
      await p.tx(async (t) => {
        await recordLoginFailure(t, username, ip, limits.windowMinutes);
        await p.audit(t, { actor: `anonymous@${ip}`, action: 'auth.login_failed', entity: 'user', entityId: user?.id ?? username.slice(0, 64), details: { username: username.slice(0, 64), ip } });
      });
      return reply.html(<LoginPage c={c} username={username} next={next} error={c.t(messageKey)} />, 401);
    };
    if (!user || !user.active) {
      await verifyDummy(password);
      return fail('auth.bad_credentials');
    }
    if (!(await verifyPassword(user.password_hash, password))) return fail('auth.bad_credentials');
    if (user.is_demo && !p.config.demo) return fail('auth.demo_disabled');
    const session = await p.tx(async (t) => {
      await clearLoginFailures(t, username);
      const s = await createSession(t, user.id, p.config.sessionHours, ip, String(req.headers['user-agent'] ?? ''), !!user.totp_enabled);
      await p.audit(t, { actor: `user:${user.username}`, action: 'auth.login', entity: 'session', entityId: s.id.slice(0, 16), details: { ip, mfa: !!user.totp_enabled } });
      return s;
    });
    reply.setCookie(SESSION_COOKIE, session.token, cookieOptions(p));
    rememberDevice(req, reply, p, username);
    if (user.totp_enabled) return reply.redirect(`/admin/login/2fa?next=${encodeURIComponent(next)}`);
    return reply.redirect(next);
  });

  app.get<{ Querystring: { next?: string } }>('/admin/login/2fa', { config: { permission: 'mfa' } }, async (req, reply) => {
    const c = req.ctx(reply);
    return reply.html(<TotpPage c={c} next={safeBack(req.query.next, '/admin')} />);
  });

  app.post<{ Body: { code?: string; next?: string } }>('/admin/login/2fa', { config: { permission: 'mfa' } }, async (req, reply) => {
    const c = req.ctx(reply);
    const user = req.user!;
    const next = safeBack(req.body?.next, '/admin');
    const ip = clientIp(req);
    const wait = await throttledFor(p.db, user.username, ip, limits, knownDevice(req, user.username));
    if (wait > 0) return reply.html(<TotpPage c={c} next={next} error={c.t('auth.throttled', { minutes: wait })} />, 429);
    const row = await p.db.selectFrom('users').select(['totp_secret']).where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!row.totp_secret || !(await acceptTotp(p, user.id, row.totp_secret, String(req.body?.code ?? '')))) {
      await p.tx(async (t) => {
        await recordLoginFailure(t, user.username, ip, limits.windowMinutes);
        await p.audit(t, { actor: `user:${user.username}`, action: 'auth.totp_failed', entity: 'user', entityId: user.id, details: { ip } });
      });
      return reply.html(<TotpPage c={c} next={next} error={c.t('auth.bad_code')} />, 401);
    }
    await p.tx(async (t) => {
      await t.updateTable('sessions').set({ mfa_pending: 0 }).where('id', '=', user.sessionId!).execute();
      await p.audit(t, { actor: `user:${user.username}`, action: 'auth.totp_ok', entity: 'user', entityId: user.id, details: { ip } });
    });
    return reply.redirect(next);
  });

  app.post('/admin/logout', { config: { permission: 'mfa' } }, async (req, reply) => {
    const user = req.user!;
    await p.tx(async (t) => {
      await t.updateTable('sessions').set({ revoked_at: new Date().toISOString() }).where('id', '=', user.sessionId ?? '').execute();
      await p.audit(t, { actor: `user:${user.username}`, action: 'auth.logout', entity: 'user', entityId: user.id });
    });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/admin/login');
  });

  // ---- account ----
  app.get<{ Querystring: { done?: string } }>('/admin/account', { config: { permission: 'authenticated' } }, async (req, reply) => {
    return reply.html(await accountPage(p, req, reply, {}));
  });

  app.post('/admin/account/password', { config: { permission: 'authenticated' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const user = req.user!;
    const row = await p.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(row.password_hash, String(body.current ?? '')))) {
      return reply.html(await accountPage(p, req, reply, { fields: { current: req.t('auth.bad_current') } }), 400);
    }
    if (body.password !== body.confirm) return reply.html(await accountPage(p, req, reply, { fields: { confirm: req.t('auth.mismatch') } }), 400);
    try {
      await setPassword(p, user, user.username, String(body.password ?? ''));
    } catch (err) {
      if (err instanceof HttpError && err.fields) {
        return reply.html(await accountPage(p, req, reply, { fields: Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v)])) }), 400);
      }
      throw err;
    }
    return reply.redirect('/admin/account?done=password');
  });

  app.post('/admin/account/2fa/start', { config: { permission: 'authenticated' } }, async (req, reply) => {
    const user = req.user!;
    const secret = newTotpSecret();
    await p.db.updateTable('users').set({ totp_secret: secret, totp_enabled: 0 }).where('id', '=', user.id).where('totp_enabled', '=', 0).execute();
    return reply.redirect('/admin/account#twofactor');
  });

  app.post<{ Body: { code?: string } }>('/admin/account/2fa/confirm', { config: { permission: 'authenticated' } }, async (req, reply) => {
    const user = req.user!;
    const row = await p.db.selectFrom('users').select(['totp_secret', 'totp_enabled']).where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!row.totp_secret || row.totp_enabled || !(await acceptTotp(p, user.id, row.totp_secret, String(req.body?.code ?? '')))) {
      return reply.html(await accountPage(p, req, reply, { fields: { code: req.t('auth.bad_code') } }), 400);
    }
    await p.tx(async (t) => {
      await t.updateTable('users').set({ totp_enabled: 1 }).where('id', '=', user.id).execute();
      await p.audit(t, { actor: `user:${user.username}`, action: 'user.totp_enable', entity: 'user', entityId: user.id });
    });
    return reply.redirect('/admin/account?done=2fa');
  });

  app.post<{ Body: { password?: string } }>('/admin/account/2fa/disable', { config: { permission: 'authenticated' } }, async (req, reply) => {
    const user = req.user!;
    const row = await p.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(row.password_hash, String(req.body?.password ?? '')))) {
      return reply.html(await accountPage(p, req, reply, { fields: { disablePassword: req.t('auth.bad_current') } }), 400);
    }
    await p.tx(async (t) => {
      await t.updateTable('users').set({ totp_enabled: 0, totp_secret: null }).where('id', '=', user.id).execute();
      await p.audit(t, { actor: `user:${user.username}`, action: 'user.totp_disable', entity: 'user', entityId: user.id });
    });
    return reply.redirect('/admin/account?done=2fa-off');
  });

  app.post<{ Body: { session?: string } }>('/admin/account/sessions/revoke', { config: { permission: 'authenticated' } }, async (req, reply) => {
    const user = req.user!;
    const which = String(req.body?.session ?? '');
    await p.tx(async (t) => {
      const now = new Date().toISOString();
      let q = t.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', user.id).where('revoked_at', 'is', null);
      q = which === 'others' ? q.where('id', '!=', user.sessionId ?? '') : q.where('id', 'like', `${which.replace(/[^0-9a-f]/g, '')}%`);
      const r = await q.executeTakeFirst();
      await p.audit(t, { actor: `user:${user.username}`, action: 'auth.sessions_revoke', entity: 'user', entityId: user.id, details: { which: which.slice(0, 16), count: Number(r.numUpdatedRows) } });
    });
    return reply.redirect('/admin/account?done=sessions');
  });

  app.post<{ Body: { name?: string } }>('/admin/account/tokens', { config: { permission: 'authenticated' } }, async (req, reply) => {
    const user = req.user!;
    const name = String(req.body?.name ?? '').trim();
    if (!name || name.length > 100) return reply.html(await accountPage(p, req, reply, { fields: { tokenName: req.t(name ? 'err.field.too_long' : 'err.field.required') } }), 400);
    const created = await p.tx(async (t) => {
      const tok = await createApiToken(t, user.id, name);
      await p.audit(t, { actor: `user:${user.username}`, action: 'token.create', entity: 'api_token', entityId: tok.id, details: { name } });
      return tok;
    });
    return reply.html(await accountPage(p, req, reply, { newToken: created.token }));
  });

  app.post<{ Params: { id: string } }>('/admin/account/tokens/:id/revoke', { config: { permission: 'authenticated' } }, async (req, reply) => {
    const user = req.user!;
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) throw notFound();
    await p.tx(async (t) => {
      const r = await t.updateTable('api_tokens').set({ revoked_at: new Date().toISOString() }).where('id', '=', id).where('user_id', '=', user.id).where('revoked_at', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound();
      await p.audit(t, { actor: `user:${user.username}`, action: 'token.revoke', entity: 'api_token', entityId: id });
    });
    return reply.redirect('/admin/account?done=token');
  });
}

function TotpPage({ c, next, error }: { c: PageCtx; next: string; error?: string }) {
  return (
    <AdminLayout c={c} title={c.t('auth.totp')}>
      <div class="narrow">
        <h1>{c.t('auth.totp')}</h1>
        {error && <Notice kind="error">{error}</Notice>}
        <form method="post" action="/admin/login/2fa" class="stack">
          <Csrf c={c} />
          <input type="hidden" name="next" value={next} />
          <Field label={c.t('auth.code')} name="code" required inputMode="numeric" autocomplete="one-time-code" maxLength={6} pattern="[0-9]{6}" />
          <button type="submit" class="primary">{c.t('auth.verify')}</button>
        </form>
      </div>
    </AdminLayout>
  );
}

async function accountPage(p: Platform, req: FastifyRequest, reply: FastifyReply, opts: { fields?: Record<string, string>; newToken?: string }) {
  const c = req.ctx(reply);
  const user = req.user!;
  const row = await p.db.selectFrom('users').select(['totp_secret', 'totp_enabled', 'password_changed_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
  const sessions = await p.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).where('revoked_at', 'is', null).where('expires_at', '>', new Date().toISOString()).orderBy('last_seen_at', 'desc').execute();
  const tokens = await p.db.selectFrom('api_tokens').selectAll().where('user_id', '=', user.id).orderBy('id', 'desc').execute();
  const done = (req.query as Record<string, string>).done;
  const f = opts.fields ?? {};
  const uri = row.totp_secret && !row.totp_enabled ? totpFor(row.totp_secret, user.username, c.gov.shortName || 'gongkai').toString() : null;
  return (
    <AdminLayout c={c} title={c.t('account.title')}>
      <h1>{c.t('account.title')}</h1>
      {done && <Notice kind="success">{c.t('account.saved')}</Notice>}
      <ErrorSummary c={c} fields={f} />
      <section>
        <h2>{c.t('account.password')}</h2>
        <form method="post" action="/admin/account/password" class="stack narrow">
          <Csrf c={c} />
          <Field label={c.t('auth.current_password')} name="current" type="password" required autocomplete="current-password" error={f.current} />
          <Field label={c.t('auth.new_password')} name="password" type="password" required autocomplete="new-password" hint={c.t('auth.password_rule')} error={f.password} />
          <Field label={c.t('auth.confirm_password')} name="confirm" type="password" required autocomplete="new-password" error={f.confirm} />
          <button type="submit" class="primary">{c.t('account.change_password')}</button>
        </form>
      </section>
      <section id="twofactor">
        <h2>{c.t('account.2fa')}</h2>
        {row.totp_enabled ? (
          <form method="post" action="/admin/account/2fa/disable" class="stack narrow">
            <Csrf c={c} />
            <p>{c.t('account.2fa_on')}</p>
            <Field label={c.t('auth.current_password')} name="password" type="password" required error={f.disablePassword} />
            <button type="submit" class="danger">{c.t('account.2fa_disable')}</button>
          </form>
        ) : uri ? (
          <form method="post" action="/admin/account/2fa/confirm" class="stack narrow">
            <Csrf c={c} />
            <p>{c.t('account.2fa_scan')}</p>
            <p>
              <code class="secret">{row.totp_secret}</code>
            </p>
            <p class="hint">
              <code>{uri}</code>
            </p>
            <Field label={c.t('auth.code')} name="code" required inputMode="numeric" maxLength={6} error={f.code} />
            <button type="submit" class="primary">{c.t('account.2fa_confirm')}</button>
          </form>
        ) : (
          <form method="post" action="/admin/account/2fa/start">
            <Csrf c={c} />
            <p>{c.t('account.2fa_off')}</p>
            <button type="submit">{c.t('account.2fa_start')}</button>
          </form>
        )}
      </section>
      <section>
        <h2>{c.t('account.sessions')}</h2>
        <TableWrap label={c.t('account.sessions')}>
        <table>
          <thead>
            <tr>
              <th>{c.t('account.session_started')}</th>
              <th>{c.t('account.session_seen')}</th>
              <th>IP</th>
              <th>{c.t('account.session_agent')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr>
                <td>{shanghaiDateTime(s.created_at)}</td>
                <td>{shanghaiDateTime(s.last_seen_at)}</td>
                <td>{s.ip}</td>
                <td>{s.user_agent.slice(0, 60)}</td>
                <td>
                  {s.id === user.sessionId ? (
                    c.t('account.this_session')
                  ) : (
                    <form method="post" action="/admin/account/sessions/revoke" class="inline">
                      <Csrf c={c} />
                      <input type="hidden" name="session" value={s.id.slice(0, 16)} />
                      <button type="submit" class="link">{c.t('account.revoke')}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableWrap>
        {sessions.length > 1 && (
          <form method="post" action="/admin/account/sessions/revoke">
            <Csrf c={c} />
            <input type="hidden" name="session" value="others" />
            <button type="submit">{c.t('account.revoke_others')}</button>
          </form>
        )}
      </section>
      <section>
        <h2>{c.t('account.tokens')}</h2>
        {opts.newToken && (
          <Notice kind="success">
            {c.t('account.token_once')} <code class="secret">{opts.newToken}</code>
          </Notice>
        )}
        <TableWrap label={c.t('account.tokens')}>
        <table>
          <thead>
            <tr>
              <th>{c.t('account.token_name')}</th>
              <th>{c.t('account.token_prefix')}</th>
              <th>{c.t('account.token_created')}</th>
              <th>{c.t('account.token_used')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((tk) => (
              <tr>
                <td>{tk.name}</td>
                <td>
                  <code>gk_{tk.prefix}…</code>
                </td>
                <td>{shanghaiDate(tk.created_at)}</td>
                <td>{tk.last_used_at ? shanghaiDateTime(tk.last_used_at) : c.t('account.never')}</td>
                <td>
                  {tk.revoked_at ? (
                    c.t('account.revoked')
                  ) : (
                    <ConfirmForm c={c} action={`/admin/account/tokens/${tk.id}/revoke`} label={c.t('account.revoke')} confirm={c.t('account.confirm_revoke')} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableWrap>
        <form method="post" action="/admin/account/tokens" class="stack narrow">
          <Csrf c={c} />
          <Field label={c.t('account.token_name')} name="name" required maxLength={100} error={f.tokenName} />
          <button type="submit">{c.t('account.token_create')}</button>
        </form>
      </section>
    </AdminLayout>
  );
}

