// Safe on a shared home network (issue 17): DNS rebinding (forged Host and Origin), the Host allow-list, a
// lockout that never refuses the right token, the audit trail, the private-by-default status and its public view,
// capped event streams, token rotation, a JSON `null` body, and sign-in refused over plain HTTP from elsewhere.
import t from 'tap';
import type { Test } from 'tap';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { startSimulator } from '../../sim/server.ts';
import { buildApp } from '../../src/http/app.ts';
import type { AppOptions } from '../../src/http/app.ts';
import { rotateAdminToken } from '../../src/http/admin-token.ts';
import { ADMIN_SLOTS, MAX_CLIENTS, PER_ADDRESS } from '../../src/http/routes/events.ts';
import type { ConfigOptions } from './env.ts';
import { quietLogger, seedHistory, simConfig, testContext } from './env.ts';

const sim = await startSimulator({ seed: 17 });
t.teardown(() => sim.close());

const MACHINE = () => ({ name: 'VoicePi', addresses: ['127.0.0.1', '::1', '192.168.1.20', 'fe80::1'] });

function setup(t: Test, opts: ConfigOptions & { app?: AppOptions; nights?: number } = {}) {
  const lines: string[] = [];
  const config = simConfig(sim, t.testdir(), opts);
  const context = testContext(t, config, {}, quietLogger(lines));
  const runs = seedHistory(context, opts.nights ?? 3);
  const app = buildApp(context, { machine: MACHINE, ...opts.app });
  t.teardown(() => app.close());
  const bearer = { authorization: `Bearer ${context.adminToken}` };
  const audits = () => lines.map((l) => JSON.parse(l) as { msg: string; audit?: { address: string; route: string; outcome: string } })
    .filter((l) => l.audit).map((l) => l.audit!);
  return { config, context, app, runs, bearer, lines, audits };
}

t.test('POST /api/purge with a body that is not an object is a 400 and starts nothing', async (t) => {
  const { app, context, bearer } = setup(t, { nights: 1 });
  for (const body of ['null', '"all"', 'true', '5', '[]', '[{"account":"kitchen"}]']) {
    const res = await app.inject({ method: 'POST', url: '/api/purge', headers: { ...bearer, 'content-type': 'application/json' }, payload: body });
    t.equal(res.statusCode, 400, `body ${body}`);
    t.match(res.json().error, /^body must be object/, `body ${body}: the message says what is wrong`);
    t.equal(context.purge.runner.running, undefined, `body ${body}: no run`);
  }
  const schedule = await app.inject({ method: 'POST', url: '/api/schedule', headers: { ...bearer, 'content-type': 'application/json' }, payload: 'null' });
  t.equal(schedule.statusCode, 400);
  t.equal(context.scheduler.enabled, true);
});

t.test('DNS rebinding: a forged Host is 421 everywhere; a forged Host and Origin pair changes nothing', async (t) => {
  const { app, context, bearer, audits } = setup(t, { nights: 1, http: 'public_status: true' });
  for (const url of ['/', '/healthz', '/api/status', '/api/events', '/metrics', '/app.js']) {
    const res = await app.inject({ url, headers: { host: 'rebind.evil.example:8733' } });
    t.equal(res.statusCode, 421, `${url} with a foreign Host`);
  }
  // What a rebinding page sends: its own name in both Host and Origin, which agree with each other.
  const rebound = await app.inject({
    method: 'POST', url: '/api/schedule', payload: { enabled: false },
    headers: { ...bearer, host: 'rebind.evil.example:8733', origin: 'http://rebind.evil.example:8733' }, remoteAddress: '192.168.1.50',
  });
  t.equal(rebound.statusCode, 421);
  t.match(rebound.json().error, /not reached by the name "rebind\.evil\.example:8733".*allowed_hosts/);
  t.equal(context.scheduler.enabled, true, 'nothing changed');
  t.match(audits().at(-1), { address: '192.168.1.50', route: 'POST /api/schedule', outcome: 'unknown_host' });

  // The machine's own names and addresses pass, in any case, with or without a port.
  for (const host of ['localhost', 'localhost:8733', '127.0.0.1:8733', '[::1]:8733', 'voicepi', 'VoicePi.local:8733', '192.168.1.20:8733', '[fe80::1]:8733', 'voicepi.local.']) {
    t.equal((await app.inject({ url: '/healthz', headers: { host } })).statusCode, 200, `Host ${host}`);
  }
  for (const host of ['voicepi.evil.example', '192.168.1.21', 'localhost.evil.example', 'a b', '[::2]', 'x:80:80']) {
    t.equal((await app.inject({ url: '/healthz', headers: { host } })).statusCode, 421, `Host ${JSON.stringify(host)}`);
  }
});

t.test('the cross-site check compares Origin with the allow-list, not with Host', async (t) => {
  const { app, context, bearer, audits } = setup(t, { nights: 1, http: 'allowed_hosts: [voicewipe.home.arpa]' });
  const post = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: false }, headers: { ...bearer, ...headers }, remoteAddress: '192.168.1.60' });
  // An allowed Host, but the page that sent it is elsewhere.
  t.equal((await post({ host: '192.168.1.20:8733', origin: 'http://evil.example:8733' })).statusCode, 403);
  t.match(audits().at(-1), { address: '192.168.1.60', route: 'POST /api/schedule', outcome: 'cross_site' });
  t.equal((await post({ host: 'voicewipe.home.arpa:8733', origin: 'http://voicewipe.home.arpa:9999' })).statusCode, 403, 'another port');
  t.equal(context.scheduler.enabled, true);
  t.equal((await post({ host: 'voicewipe.home.arpa:8733', origin: 'http://voicewipe.home.arpa:8733' })).statusCode, 200, 'a configured name');
  t.equal((await post({ host: '192.168.1.20:8733', origin: 'http://voicepi.local:8733' })).statusCode, 200, 'the page opened by another of the machine\'s names');
});

t.test('lockout per address: wrong tokens slow down that address, the right token always works; every refusal audited', async (t) => {
  const { app, context, audits } = setup(t, { nights: 1 });
  const attacker = '192.168.1.66';
  const tryToken = (token: string, remoteAddress = attacker) =>
    app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: !context.scheduler.enabled }, headers: { authorization: `Bearer ${token}` }, remoteAddress });
  for (let i = 0; i < 5; i++) t.equal((await tryToken(`wrong-${i}`)).statusCode, 401);
  const locked = await tryToken('wrong-5');
  t.equal(locked.statusCode, 429);
  t.ok(Number(locked.headers['retry-after']) > 0);
  t.equal((await tryToken(context.adminToken)).statusCode, 200, 'the admin on the same address (a shared NAT, a rebinding page in their own browser) gets in');
  t.equal((await tryToken('wrong-6')).statusCode, 429, 'the wrong tries from there are still refused …');
  const cookieTry = await app.inject({ method: 'POST', url: '/api/session', payload: { token: context.adminToken }, remoteAddress: attacker });
  t.equal(cookieTry.statusCode, 200, '… and the sign-in form takes the right token too');
  const outcomes = audits().filter((a) => a.address === attacker).map((a) => a.outcome);
  t.same(outcomes, [...Array(5).fill('wrong_token'), 'locked_out', 'locked_out']);
  t.ok(audits().every((a) => /^(POST|GET) \/api\//.test(a.route)), 'each line names the route');
  t.notOk(JSON.stringify(audits()).includes('wrong-'), 'the tried token is never logged');
});

t.test('public_status: false by default: a visitor sees nothing but the sign-in', async (t) => {
  const { app, config } = setup(t, { nights: 1 });
  t.equal(config.http.public_status, false);
  t.equal((await app.inject('/api/status')).statusCode, 401);
  t.equal((await app.inject('/api/runs')).statusCode, 401);
  t.equal((await app.inject('/metrics')).statusCode, 401);
  t.equal((await app.inject('/')).statusCode, 401);
});

t.test('public_status: true: visitors get states only, no counts, times or history', async (t) => {
  const { app, bearer, runs, context } = setup(t, { nights: 3, http: 'public_status: true' });
  // The bedroom's last run met a captcha: a visitor reads the same headline as the admin, not a guess.
  context.db.prepare("UPDATE accounts SET last_status = 'failed', last_error_kind = 'captcha' WHERE id = 'bedroom'").run();
  const res = await app.inject('/api/status');
  t.equal(res.statusCode, 200);
  const s = res.json();
  t.same(Object.keys(s).sort(), ['accounts', 'admin', 'mqtt', 'public_status', 'schedule', 'version']);
  t.same(s.schedule, { enabled: true });
  t.same(Object.keys(s.accounts[0]).sort(), ['enabled', 'headline', 'help', 'id', 'keep_days', 'name', 'provider', 'state', 'who']);
  t.match(s.accounts, [{ id: 'kitchen', state: 'ok', headline: null, help: null }, { id: 'bedroom', state: 'needs_person', headline: 'Captcha to solve', help: /captcha/ }]);
  t.notMatch(res.body, /found|deleted|_at"|remaining|run_id|uptime/, 'no counts or times anywhere');
  for (const url of ['/api/runs', `/api/runs/${runs[0]}`, '/metrics']) t.equal((await app.inject(url)).statusCode, 401, `${url}: the admin's`);
  const admin = (await app.inject({ url: '/api/status', headers: bearer })).json();
  t.match(admin, { admin: true, accounts: [{ total_deleted: Number, last_result: { found: Number } }] }, 'the admin sees everything');
});

function openStream(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(`${url}/api/events`, { headers }, resolve).on('error', reject).end());
}

async function readUntil(res: IncomingMessage, re: RegExp, ms = 10_000): Promise<string> {
  let text = '';
  res.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${re} in ${JSON.stringify(text)}`)), ms);
    res.on('data', (chunk: string) => {
      text += chunk;
      if (re.test(text)) { clearTimeout(timer); resolve(text); }
    });
  });
}

t.test('event streams: states only for visitors; capped per address, the last slots kept for the admin; refusals logged once', async (t) => {
  // trust_proxy lets the test speak from many addresses (X-Forwarded-For) over real sockets on loopback.
  const { app, context, bearer, lines } = setup(t, { nights: 1, http: 'public_status: true, trust_proxy: true', app: { heartbeatSeconds: 30 } });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const open: IncomingMessage[] = [];
  t.teardown(() => { for (const res of open) res.destroy(); });

  const visitor = await openStream(url, from('192.168.2.1'));
  t.equal(visitor.statusCode, 200);
  open.push(visitor);
  const seen = readUntil(visitor, /event: run_finished\ndata: [^\n]*\n\n/);
  const at = Date.now();
  const { events } = context.purge;
  events.emit('run_started', { run_id: 77, trigger: 'api', dry_run: false, accounts: ['kitchen'], at });
  events.emit('account_progress', { run_id: 77, account_id: 'kitchen', phase: 'deleting', found: 120, deleted: 40, at });
  events.emit('account_finished', {
    run_id: 77, at,
    result: { account_id: 'kitchen', provider: 'alexa', status: 'ok', found: 120, deleted: 120, remaining: 0, oldest_at: at, newest_at: at, error_kind: null, error_message: null, attempts: 1, started_at: at, finished_at: at, evidence_dir: null, details: {} },
  });
  events.emit('run_finished', { run_id: 77, status: 'ok', dry_run: false, found: 120, deleted: 120, remaining: 0, duration_ms: 5, at, message: null });
  const text = await seen;
  t.match(text, /event: account_finished\ndata: \{"account_id":"kitchen","status":"ok","error_kind":null\}/);
  t.notMatch(text, /account_progress|found|deleted|"at"|run_id|120/, 'no counts, times or progress for a visitor');

  for (let i = 1; i < PER_ADDRESS.visitor; i++) {
    const res = await openStream(url, from('192.168.2.1'));
    open.push(res);
    t.equal(res.statusCode, 200);
  }
  for (let i = 0; i < 3; i++) {
    const extra = await openStream(url, from('192.168.2.1'));
    t.equal(extra.statusCode, 503, 'one address cannot take more');
    extra.resume();
  }
  const refusals = lines.filter((l) => l.includes('"too_many_streams"'));
  t.equal(refusals.length, 1, 'logged once a minute per address');
  t.notMatch(refusals[0], /stack|"err"/, 'a warning, not an error with a stack');

  // Visitors from many addresses fill every slot but the admin's.
  let address = 10;
  while (open.length < MAX_CLIENTS - ADMIN_SLOTS) {
    const ip = `192.168.3.${address++ >> 2}`;
    const res = await openStream(url, from(ip));
    t.equal(res.statusCode, 200);
    open.push(res);
  }
  const late = await openStream(url, from('192.168.4.1'));
  t.equal(late.statusCode, 503, 'no more visitors');
  late.resume();
  const admin = await openStream(url, { ...bearer, ...from('192.168.4.2') });
  t.equal(admin.statusCode, 200, 'the admin still gets a stream');
  open.push(admin);
  await readUntil(admin, /retry: 5000/);
});

t.test('voicewipe token --rotate: the old token and every session end at once', async (t) => {
  const { app, context, config } = setup(t, { nights: 1 });
  const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { token: context.adminToken } });
  const cookie = String(signIn.headers['set-cookie']).split(';')[0];
  t.equal((await app.inject({ url: '/api/status', headers: { cookie } })).statusCode, 200);
  const fresh = rotateAdminToken(config.state_dir);
  t.not(fresh, context.adminToken);
  // The daemon looks at the token file at most once a second.
  await new Promise((r) => setTimeout(r, 1_100));
  t.equal((await app.inject({ url: '/api/status', headers: { authorization: `Bearer ${fresh}` } })).statusCode, 200, 'the new token works');
  t.equal((await app.inject({ url: '/api/status', headers: { cookie } })).statusCode, 401, 'the session made before is over');
  t.equal((await app.inject({ url: '/api/status', headers: { authorization: `Bearer ${context.adminToken}` } })).statusCode, 401, 'the old token is refused');
});

t.test('remote sign-in: refused over plain HTTP from another machine, allowed from this one or over HTTPS', async (t) => {
  const { app, bearer, audits } = setup(t, { nights: 1 });
  const remote = await app.inject({ url: '/api/signin/kitchen', headers: bearer, remoteAddress: '192.168.1.70' });
  t.equal(remote.statusCode, 403);
  t.match(remote.json().error, /needs HTTPS/);
  t.match(audits().at(-1), { address: '192.168.1.70', outcome: 'plain_http_refused' });
  const post = await app.inject({ method: 'POST', url: '/api/signin/kitchen/input', headers: bearer, payload: { type: 'type', text: 'hunter2' }, remoteAddress: '192.168.1.70' });
  t.equal(post.statusCode, 403, 'typed text never crosses the LAN in clear');
  const local = await app.inject({ url: '/api/signin/kitchen', headers: bearer });
  t.not(local.statusCode, 403, 'from the Pi itself (127.0.0.1) plain HTTP is fine');
});

t.test('behind a TLS proxy (trust_proxy): sign-in allowed and the session cookie is Secure', async (t) => {
  const { app, context } = setup(t, { nights: 1, http: 'trust_proxy: true, allowed_hosts: [voicewipe.example.org]' });
  const proxied = { 'x-forwarded-for': '192.168.1.80', 'x-forwarded-proto': 'https', host: 'voicewipe.example.org', origin: 'https://voicewipe.example.org' };
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { token: context.adminToken }, headers: proxied });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['set-cookie']), /; Secure$/);
  const signin = await app.inject({ url: '/api/signin/kitchen', headers: { ...proxied, authorization: `Bearer ${context.adminToken}` } });
  t.not(signin.statusCode, 403);
  const plain = await app.inject({ url: '/api/signin/kitchen', headers: { ...proxied, 'x-forwarded-proto': 'http', authorization: `Bearer ${context.adminToken}` } });
  t.equal(plain.statusCode, 403, 'the proxy said the visitor came over plain HTTP');
});

t.test('published error texts carry no URL queries (the history and the admin\'s stream)', async (t) => {
  const { app, context, bearer, runs } = setup(t, { nights: 1 });
  context.db.prepare("UPDATE account_results SET error_message = ? WHERE run_id = ? AND account_id = 'kitchen'")
    .run('net::ERR_ABORTED at https://www.amazon.com/ap/signin?openid.return_to=abc&session-id=147-999', runs[0]);
  const detail = (await app.inject({ url: `/api/runs/${runs[0]}`, headers: bearer })).json();
  const kitchen = detail.accounts.find((a: { account_id: string }) => a.account_id === 'kitchen');
  t.equal(kitchen.error_message, 'net::ERR_ABORTED at https://www.amazon.com/ap/signin?…');
  const { eventPayload } = await import('../../src/http/routes/events.ts');
  const at = Date.now();
  const payload = eventPayload('run_finished', { run_id: 1, status: 'failed', dry_run: false, found: 0, deleted: 0, remaining: 0, duration_ms: 1, at, message: 'kitchen: https://x.example/a?token=zzz' });
  t.equal(payload.message, 'kitchen: https://x.example/a?…');
});
