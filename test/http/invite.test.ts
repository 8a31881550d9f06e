// One-time sign-in links and sessions that outlive a restart: a link made by the admin (API or CLI) opens once,
// within 15 minutes, and lets its browser do that one account's remote sign-in and nothing else. Secrets are
// stored hashed only.
import t from 'tap';
import type { Test } from 'tap';
import { Writable } from 'node:stream';
import { startSimulator } from '../../sim/server.ts';
import { buildApp } from '../../src/http/app.ts';
import { createInvite } from '../../src/http/invite-cli.ts';
import { INVITE_LIFETIME_MS, INVITE_SESSION_MS, Invites } from '../../src/http/invite.ts';
import { SessionStore } from '../../src/http/sessions.ts';
import { simConfig, testContext } from './env.ts';

const sim = await startSimulator({ seed: 11 });
t.teardown(() => sim.close());

function setup(t: Test) {
  const config = simConfig(sim, t.testdir(), { accounts: [{ sim: 'alexa', id: 'kitchen' }, { sim: 'alexa-uk', id: 'bedroom' }, { sim: 'google', id: 'nest', enabled: false }] });
  const context = testContext(t, config);
  const app = buildApp(context);
  t.teardown(() => app.close());
  return { config, context, app, bearer: { authorization: `Bearer ${context.adminToken}` } };
}

const cookieOf = (header: string | string[] | undefined) => String(header).split(';')[0];

t.test('the admin makes a link; it opens once and allows only that account\'s sign-in', async (t) => {
  const { app, context, bearer } = setup(t);
  t.equal((await app.inject({ method: 'POST', url: '/api/invite', payload: { account: 'kitchen' } })).statusCode, 401, 'admin only');
  t.equal((await app.inject({ method: 'POST', url: '/api/invite', headers: bearer, payload: { account: 'nobody' } })).statusCode, 404);
  const off = await app.inject({ method: 'POST', url: '/api/invite', headers: bearer, payload: { account: 'nest' } });
  t.equal(off.statusCode, 409);
  t.match(off.json().error, /switched off/);

  const made = await app.inject({ method: 'POST', url: '/api/invite', headers: bearer, payload: { account: 'kitchen' } });
  t.equal(made.statusCode, 201);
  const { url, expires_at, qr_svg } = made.json();
  t.ok(url.startsWith(`${context.publicUrl}#invite=`), url);
  const token = url.split('#invite=')[1];
  t.match(token, /^[\w-]{43}$/);
  t.ok(Math.abs(Date.parse(expires_at) - (Date.now() + INVITE_LIFETIME_MS)) < 5_000, 'valid 15 minutes');
  t.match(qr_svg, /^<svg /);
  const rows = context.db.prepare('SELECT * FROM sessions').all() as Record<string, unknown>[];
  t.notOk(JSON.stringify(rows).includes(token), 'only a hash of the link is stored');

  const opened = await app.inject({ method: 'POST', url: '/api/invite/redeem', payload: { token } });
  t.equal(opened.statusCode, 200);
  t.match(opened.json(), { account_id: 'kitchen', provider: 'alexa' });
  const setCookie = String(opened.headers['set-cookie']);
  t.match(setCookie, /^voicewipe_invite=[\w-]+; Path=\/api\/; Max-Age=\d+; HttpOnly; SameSite=Strict/);
  const cookie = cookieOf(setCookie);
  const again = await app.inject({ method: 'POST', url: '/api/invite/redeem', payload: { token } });
  t.equal(again.statusCode, 410, 'a link works once');
  t.match(again.json().error, /already opened/);
  t.equal((await app.inject({ method: 'POST', url: '/api/invite/redeem', payload: { token: 'x'.repeat(43) } })).statusCode, 410);

  const headers = { cookie };
  t.match((await app.inject({ url: '/api/invite', headers })).json(), { account_id: 'kitchen' });
  t.equal((await app.inject({ url: '/api/invite' })).statusCode, 404);
  const own = await app.inject({ url: '/api/signin/kitchen', headers });
  t.equal(own.statusCode, 404, 'past the door: its own account\'s sign-in (none started yet)');
  t.match(own.json().error, /no sign-in for "kitchen"/);
  t.equal((await app.inject({ url: '/api/signin/bedroom', headers })).statusCode, 401, 'not another account');
  t.equal((await app.inject({ method: 'DELETE', url: '/api/signin/bedroom', headers })).statusCode, 401);
  t.equal((await app.inject({ method: 'POST', url: '/api/purge', headers, payload: {} })).statusCode, 401, 'no purges');
  t.equal((await app.inject({ method: 'POST', url: '/api/schedule', headers, payload: { enabled: false } })).statusCode, 401, 'no settings');
  t.equal((await app.inject({ method: 'POST', url: '/api/invite', headers, payload: { account: 'kitchen' } })).statusCode, 401, 'no new links');
  t.equal((await app.inject({ url: '/api/status', headers })).statusCode, 401, 'no private status either (public_status is off by default)');
});

t.test('expiry: a link not opened in 15 minutes, and the sign-in session after 30, are refused', async (t) => {
  const { context } = setup(t);
  let now = Date.UTC(2026, 11, 1, 1);
  const invites = new Invites(new SessionStore(context.db, () => now), context.config.accounts);
  const late = invites.create('kitchen', 'http://pi.local:8733/');
  now += INVITE_LIFETIME_MS + 1;
  t.throws(() => invites.redeem(late.url.split('#invite=')[1]), { message: /not valid any more/ }, 'too late');
  const timely = invites.create('kitchen', 'http://pi.local:8733/');
  now += INVITE_LIFETIME_MS - 1_000;
  const opened = invites.redeem(timely.url.split('#invite=')[1]);
  const req = (account: string) => ({ headers: { cookie: `voicewipe_invite=${opened.secret}` }, params: { account } }) as never;
  t.ok(invites.allows(req('kitchen')));
  t.notOk(invites.allows(req('bedroom')));
  now += INVITE_SESSION_MS + 1;
  t.notOk(invites.allows(req('kitchen')), 'the sign-in session ends too');
});

t.test('voicewipe invite: a link with a QR code that the running daemon accepts', async (t) => {
  const { app, config } = setup(t);
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) => new Writable({ write(chunk, _e, cb) { add(String(chunk)); cb(); } });
  t.equal(createInvite(config, 'bedroom', sink((s) => { out += s; }), sink((s) => { err += s; })), 0);
  t.match(out, /█/, 'a QR code of block characters');
  const url = /(http:\/\/\S+#invite=[\w-]+)/.exec(out)?.[1];
  t.ok(url, 'the link is printed');
  t.match(out, /works once, until \d\d:\d\d/);
  const opened = await app.inject({ method: 'POST', url: '/api/invite/redeem', payload: { token: url!.split('#invite=')[1] } });
  t.match(opened.json(), { account_id: 'bedroom' });
  t.equal(createInvite(config, 'nest', sink(() => {}), sink((s) => { err += s; })), 2);
  t.match(err, /switched off/);
});

t.test('an admin session survives a restart; signing out ends it; only its hash is kept', async (t) => {
  const { app, context } = setup(t);
  const signedIn = await app.inject({ method: 'POST', url: '/api/session', payload: { token: context.adminToken } });
  const cookie = cookieOf(signedIn.headers['set-cookie']);
  await app.close();
  const restarted = buildApp(context);
  t.teardown(() => restarted.close());
  t.match((await restarted.inject({ url: '/api/status', headers: { cookie } })).json(), { admin: true }, 'still signed in');
  t.notOk(JSON.stringify(context.db.prepare('SELECT * FROM sessions').all()).includes(cookie.split('=')[1]));
  await restarted.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
  t.equal((await restarted.inject({ url: '/api/status', headers: { cookie } })).statusCode, 401, 'signed out: the private status is closed again');
});
