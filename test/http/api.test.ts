// The HTTP API through app.inject(): every route, the admin rules, the bad inputs. A real context (SQLite file,
// purge runner, scheduler) on a temp state directory; history seeded through the recorder.
import t from 'tap';
import type { Test } from 'tap';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startSimulator } from '../../sim/server.ts';
import { buildApp } from '../../src/http/app.ts';
import { PER_ADDRESS } from '../../src/http/routes/events.ts';
import type { AppOptions } from '../../src/http/app.ts';
import { ERROR_HELP } from '../../src/purge/report.ts';
import type { ConfigOptions } from './env.ts';
import { seedHistory, simConfig, testContext } from './env.ts';

const sim = await startSimulator({ seed: 7 });
t.teardown(() => sim.close());

function setup(t: Test, opts: ConfigOptions & { app?: AppOptions; nights?: number } = {}) {
  const config = simConfig(sim, t.testdir(), opts);
  const context = testContext(t, config);
  const runs = seedHistory(context, opts.nights ?? 10);
  const app = buildApp(context, opts.app);
  t.teardown(() => app.close());
  const bearer = { authorization: `Bearer ${context.adminToken}` };
  return { config, context, app, runs, bearer };
}

async function waitIdle(context: { purge: { runner: { running?: unknown } } }, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (context.purge.runner.running) {
    if (Date.now() > deadline) throw new Error('the run did not finish');
    await new Promise((r) => setTimeout(r, 100));
  }
}

t.test('GET /api/status: schedule, accounts with their last result, version, uptime', async (t) => {
  const { app, context, bearer } = setup(t, { accounts: [{ sim: 'alexa', id: 'kitchen' }, { sim: 'alexa-uk', id: 'bedroom' }, { sim: 'google', id: 'nest', enabled: false }] });
  context.scheduler.start();
  const res = await app.inject({ url: '/api/status', headers: bearer });
  t.equal(res.statusCode, 200);
  const s = res.json();
  t.match(s, { version: context.version, admin: true, public_status: false, mqtt: 'disabled', running: null });
  t.type(s.uptime_seconds, 'number');
  t.match(s.schedule, { enabled: true, cron: '30 3 * * *', timezone: 'UTC', jitter_minutes: 0 });
  t.ok(Date.parse(s.schedule.next_run_at) > Date.now(), 'next_run_at is an ISO time in the future');
  t.same(s.accounts.map((a: { id: string }) => a.id), ['kitchen', 'bedroom', 'nest'], 'every configured account, in config order');
  const [kitchen, bedroom, nest] = s.accounts;
  t.match(kitchen, { state: 'ok', enabled: true, headline: null, help: null, last_result: { status: 'ok', remaining: 0 } });
  t.ok(kitchen.total_deleted > 0);
  t.ok(Date.parse(kitchen.last_success_at));
  t.match(bedroom, { state: 'ok' });
  t.match(nest, { state: 'disabled', total_deleted: 0, last_result: null, last_success_at: null });
  t.match(s.last_run, { status: 'ok', dry_run: false });
});

t.test('an account whose last run hit a captcha says so, with what to do', async (t) => {
  const { app, context, bearer } = setup(t, { nights: 2 });
  // Night 2 (the older) had the captcha; drop the newer night so it is the last.
  context.db.prepare('DELETE FROM runs WHERE id = (SELECT max(id) FROM runs)').run();
  context.db.prepare("UPDATE accounts SET last_status = 'failed', last_error_kind = 'captcha', last_run_id = 1 WHERE id = 'kitchen'").run();
  const s = (await app.inject({ url: '/api/status', headers: bearer })).json();
  t.match(s.accounts[0], { id: 'kitchen', state: 'needs_person', last_error_kind: 'captcha', headline: 'Captcha to solve', help: ERROR_HELP.captcha, last_result: { error_kind: 'captcha' } });
});

t.test('GET /api/runs: newest first, paged with before', async (t) => {
  const { app, runs, bearer } = setup(t);
  const first = (await app.inject({ url: '/api/runs?limit=4', headers: bearer })).json();
  t.same(first.runs.map((r: { id: number }) => r.id), runs.slice(-4).reverse());
  t.equal(first.next_before, runs.at(-4));
  t.match(first.runs[0], { trigger: 'schedule', status: 'ok', dry_run: false, accounts: [{ account_id: 'kitchen', status: 'ok' }, { account_id: 'bedroom' }] });
  t.ok(Date.parse(first.runs[0].started_at));
  t.type(first.runs[0].duration_ms, 'number');
  const second = (await app.inject({ url: `/api/runs?limit=4&before=${first.next_before}`, headers: bearer })).json();
  t.same(second.runs.map((r: { id: number }) => r.id), runs.slice(-8, -4).reverse());
  const last = (await app.inject({ url: `/api/runs?limit=4&before=${second.next_before}`, headers: bearer })).json();
  t.equal(last.runs.length, 2);
  t.equal(last.next_before, null, 'no more pages');
  t.equal((await app.inject({ url: '/api/runs', headers: bearer })).json().runs.length, 10, 'all ten runs fit in one default page');
});

t.test('GET /api/runs without a limit gives 20 runs and a next page', async (t) => {
  const { app, runs, bearer } = setup(t, { nights: 25 });
  const page = (await app.inject({ url: '/api/runs', headers: bearer })).json();
  t.equal(page.runs.length, 20, 'default limit 20');
  t.equal(page.next_before, runs.at(-20), 'the rest on the next page');
});

t.test('GET /api/runs/:id: each account with its error in plain words; evidence links only for the admin', async (t) => {
  const { app, runs, bearer } = setup(t);
  const captchaRun = runs.at(-2)!;
  t.equal((await app.inject(`/api/runs/${captchaRun}`)).statusCode, 401, 'the history (counts, times) is the admin\'s');
  const admin = (await app.inject({ url: `/api/runs/${captchaRun}`, headers: bearer })).json();
  t.match(admin, { id: captchaRun, status: 'needs_person' });
  const k = admin.accounts.find((a: { account_id: string }) => a.account_id === 'kitchen');
  t.match(k, { status: 'failed', error_kind: 'captcha', help: ERROR_HELP.captcha, has_evidence: true, error_message: 'Amazon showed a captcha' });
  t.same(k.evidence, { screenshot: `/api/runs/${captchaRun}/evidence/kitchen/screenshot.png`, html: `/api/runs/${captchaRun}/evidence/kitchen/page.html` });
  t.match(k.details, { notes: ['signed in with the saved session'] });
  t.match(admin.accounts.find((a: { account_id: string }) => a.account_id === 'bedroom'), { status: 'ok', has_evidence: false, evidence: { screenshot: null, html: null } });
  t.equal((await app.inject({ url: '/api/runs/9999', headers: bearer })).statusCode, 404);
});

t.test('evidence files: admin only, two names only, no way out of the evidence folder', async (t) => {
  const { app, runs, bearer } = setup(t);
  const run = runs.at(-2)!;
  const url = `/api/runs/${run}/evidence/kitchen`;
  t.equal((await app.inject(`${url}/screenshot.png`)).statusCode, 401, 'not for visitors');
  const png = await app.inject({ url: `${url}/screenshot.png`, headers: bearer });
  t.equal(png.statusCode, 200);
  t.equal(png.headers['content-type'], 'image/png');
  t.same(png.rawPayload.subarray(1, 4).toString(), 'PNG');
  t.equal(png.headers['cache-control'], 'private, no-store');
  const html = await app.inject({ url: `${url}/page.html`, headers: bearer });
  t.equal(html.statusCode, 200);
  t.match(html.headers['content-type'], /^text\/html/);
  t.match(html.headers['content-security-policy'], /^sandbox; default-src 'none'/, 'the vendor page runs nothing, in an origin of its own');
  for (const bad of [`${url}/admin-token`, `${url}/..%2f..%2f..%2fadmin-token`, `/api/runs/${run}/evidence/..%2f..%2f/screenshot.png`, `/api/runs/${run}/evidence/KITCHEN/screenshot.png`]) {
    const res = await app.inject({ url: bad, headers: bearer });
    t.equal(res.statusCode, 400, bad);
    t.match(res.json().error, /^params\.(file|account) /);
  }
  t.equal((await app.inject({ url: `/api/runs/${run}/evidence/bedroom/screenshot.png`, headers: bearer })).statusCode, 404, 'no evidence kept');
  t.equal((await app.inject({ url: `/api/runs/9999/evidence/kitchen/page.html`, headers: bearer })).statusCode, 404);
});

t.test('GET /metrics: Prometheus text', async (t) => {
  const { app, context, bearer } = setup(t);
  const res = await app.inject({ url: '/metrics', headers: bearer });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'text/plain; version=0.0.4');
  const text = res.body;
  t.match(text, /^# HELP voicewipe_runs .+\n# TYPE voicewipe_runs gauge\n/m);
  t.match(text, /^voicewipe_runs\{status="ok"\} 8$/m);
  t.match(text, /^voicewipe_runs\{status="needs_person"\} 1$/m);
  t.match(text, /^voicewipe_runs\{status="failed"\} 1$/m);
  const total = (context.db.prepare("SELECT total_deleted FROM accounts WHERE id = 'kitchen'").get() as { total_deleted: number }).total_deleted;
  t.match(text, new RegExp(`^voicewipe_deleted_total\\{account="kitchen",provider="alexa"\\} ${total}$`, 'm'));
  t.match(text, /^# TYPE voicewipe_deleted_total counter$/m);
  t.match(text, /^voicewipe_last_success_timestamp_seconds\{account="kitchen",provider="alexa"\} \d{10}(\.\d+)?$/m);
  t.match(text, /^voicewipe_last_run_duration_seconds 85$/m);
  t.match(text, /^voicewipe_running 0$/m);
  t.match(text, /^voicewipe_info\{version="[^"]+"\} 1$/m);
  for (const line of text.trim().split('\n')) {
    t.ok(/^(# (HELP|TYPE) \w+ .+|\w+(\{(\w+="[^"]*",?)+\})? -?[\d.e+]+)$/.test(line), `valid line: ${line}`);
  }
});

t.test('bad input: 400 with a message naming the field', async (t) => {
  const { app, bearer } = setup(t, { nights: 1 });
  const cases: [string, string, unknown, RegExp][] = [
    ['GET', '/api/runs?limit=0', undefined, /querystring\.limit must be >= 1/],
    ['GET', '/api/runs?limit=500', undefined, /querystring\.limit must be <= 200/],
    ['GET', '/api/runs?limit=lots', undefined, /querystring\.limit must be integer/],
    ['GET', '/api/runs?before=-3', undefined, /querystring\.before must be >= 1/],
    ['GET', '/api/runs/abc', undefined, /params\.id must be integer/],
    ['GET', '/api/runs/0', undefined, /params\.id must be >= 1/],
    ['POST', '/api/purge', { force: true }, /body has an unknown field "force"/],
    ['POST', '/api/purge', { dry_run: 'yes' }, /body\.dry_run must be boolean/],
    ['POST', '/api/purge', { dry_run: 1 }, /body\.dry_run must be boolean/],
    ['POST', '/api/purge', { account: 'Not An Id' }, /body\.account must be an account id/],
    ['POST', '/api/purge', { account: 5 }, /body\.account must be string/],
    ['POST', '/api/purge', [], /body must be object/],
    ['POST', '/api/schedule', {}, /body\.enabled is required/],
    ['POST', '/api/schedule', { enabled: 'on' }, /body\.enabled must be boolean/],
    ['POST', '/api/schedule', { enabled: true, cron: '* * * * *' }, /body has an unknown field "cron"/],
    ['POST', '/api/session', {}, /body\.token is required/],
    ['POST', '/api/session', { token: 12 }, /body\.token must be string/],
    ['POST', '/api/session', { token: '' }, /body\.token must NOT have fewer than 1 characters/],
    ['POST', '/api/session', { token: 'x', remember: true }, /body has an unknown field "remember"/],
  ];
  for (const [method, url, body, message] of cases) {
    const res = await app.inject({ method: method as 'GET', url, headers: bearer, ...(body === undefined ? {} : { payload: body as object }) });
    t.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(body)}`);
    t.match(res.json(), { status: 400, error: message });
  }
  const text = await app.inject({ method: 'POST', url: '/api/schedule', headers: { ...bearer, 'content-type': 'text/plain' }, payload: 'enabled=true' });
  t.equal(text.statusCode, 400);
  t.match(text.json().error, /^body must be object/);
  const form = await app.inject({ method: 'POST', url: '/api/schedule', headers: { ...bearer, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'enabled=true' });
  t.equal(form.statusCode, 415, 'no form posts');
  const broken = await app.inject({ method: 'POST', url: '/api/schedule', headers: { ...bearer, 'content-type': 'application/json' }, payload: '{"enabled":' });
  t.equal(broken.statusCode, 400);
  const unknown = await app.inject({ method: 'POST', url: '/api/purge', headers: bearer, payload: { account: 'attic' } });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json().error, /body\.account: no account "attic" in the config/);
});

t.test('admin routes: no token 401, wrong token 401 then 429 with Retry-After', async (t) => {
  const { app, context } = setup(t, { nights: 1 });
  for (const [method, url, payload] of [['POST', '/api/purge', {}], ['POST', '/api/schedule', { enabled: false }], ['GET', '/api/runs/1/evidence/kitchen/screenshot.png', undefined]] as const) {
    const res = await app.inject({ method, url, payload, remoteAddress: '10.0.0.1' });
    t.equal(res.statusCode, 401, `${method} ${url} without a token`);
    t.equal(res.headers['www-authenticate'], 'Bearer realm="voicewipe"');
  }
  t.equal(context.scheduler.enabled, true, 'nothing changed');
  const wrong = { authorization: 'Bearer not-the-token' };
  for (let i = 1; i <= 5; i++) {
    const res = await app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: false }, headers: wrong, remoteAddress: '10.0.0.2' });
    t.equal(res.statusCode, 401, `wrong token, attempt ${i}`);
    t.match(res.json().error, /wrong admin token/);
  }
  const limited = await app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: false }, headers: wrong, remoteAddress: '10.0.0.2' });
  t.equal(limited.statusCode, 429);
  t.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60, `Retry-After ${limited.headers['retry-after']}`);
  const right = await app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: false }, headers: { authorization: `Bearer ${context.adminToken}` }, remoteAddress: '10.0.0.2' });
  t.equal(right.statusCode, 200, 'the right token is never refused: wrong tries cannot lock the admin out');
  await app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: true }, headers: { authorization: `Bearer ${context.adminToken}` }, remoteAddress: '10.0.0.2' });
  const otherAddress = await app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: false }, headers: { authorization: `Bearer ${context.adminToken}` }, remoteAddress: '10.0.0.3' });
  t.equal(otherAddress.statusCode, 200, 'another address is not affected');
  t.equal(context.scheduler.enabled, false);
  const malformed = await app.inject({ url: '/api/status', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' }, remoteAddress: '10.0.0.4' });
  t.equal(malformed.statusCode, 401, 'a wrong credential on a read route is refused, not ignored');
});

t.test('the sign-in form: token → HttpOnly SameSite=Strict cookie, which works until sign-out', async (t) => {
  const { app, context } = setup(t, { nights: 1 });
  const wrong = await app.inject({ method: 'POST', url: '/api/session', payload: { token: 'guess' }, remoteAddress: '10.1.0.1' });
  t.equal(wrong.statusCode, 401);
  t.notOk(wrong.headers['set-cookie']);
  for (let i = 0; i < 4; i++) await app.inject({ method: 'POST', url: '/api/session', payload: { token: `guess${i}` }, remoteAddress: '10.1.0.1' });
  t.equal((await app.inject({ method: 'POST', url: '/api/session', payload: { token: 'guess5' }, remoteAddress: '10.1.0.1' })).statusCode, 429,
    'the sign-in form is rate-limited too');
  t.equal((await app.inject({ method: 'POST', url: '/api/session', payload: { token: context.adminToken }, remoteAddress: '10.1.0.1' })).statusCode, 200,
    '… but never for the right token');

  const ok = await app.inject({ method: 'POST', url: '/api/session', payload: { token: context.adminToken }, remoteAddress: '10.1.0.2', headers: { origin: 'http://localhost:80', host: 'localhost:80' } });
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { admin: true });
  const setCookie = String(ok.headers['set-cookie']);
  t.match(setCookie, /^voicewipe_session=[\w-]{43}; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Strict$/);
  t.notOk(setCookie.includes(context.adminToken), 'the cookie is not the token');
  const cookie = setCookie.split(';')[0];
  t.match((await app.inject({ url: '/api/status', headers: { cookie } })).json(), { admin: true });
  t.equal((await app.inject({ url: '/api/status' })).statusCode, 401, 'private without the cookie');
  const sched = await app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: false }, headers: { cookie } });
  t.equal(sched.statusCode, 200);
  t.match(sched.json(), { enabled: false, next_run_at: null });
  const out = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
  t.equal(out.statusCode, 200);
  t.match(String(out.headers['set-cookie']), /^voicewipe_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
  t.equal((await app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: true }, headers: { cookie } })).statusCode, 401, 'the old cookie is dead');
  t.equal((await app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: true }, headers: { cookie: 'voicewipe_session=forged' } })).statusCode, 401);
});

t.test('cross-origin POSTs are refused, whatever the credentials', async (t) => {
  const { app, context, bearer } = setup(t, { nights: 1, http: 'allowed_hosts: [voicewipe.local]' });
  const host = { host: 'voicewipe.local:8733' };
  const cases: [string, Record<string, string>][] = [
    ['Origin of another site', { ...host, origin: 'http://evil.example' }],
    ['Origin on another port', { ...host, origin: 'http://voicewipe.local:9999' }],
    ['Origin null (sandboxed frame)', { ...host, origin: 'null' }],
    ['Sec-Fetch-Site cross-site', { ...host, 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site same-site', { ...host, 'sec-fetch-site': 'same-site' }],
  ];
  for (const [what, headers] of cases) {
    for (const [method, url, payload] of [['POST', '/api/schedule', { enabled: false }], ['POST', '/api/session', { token: context.adminToken }], ['DELETE', '/api/session', undefined]] as const) {
      const res = await app.inject({ method, url, payload, headers: { ...bearer, ...headers } });
      t.equal(res.statusCode, 403, `${what}: ${method} ${url}`);
    }
  }
  t.equal(context.scheduler.enabled, true);
  const same = await app.inject({ method: 'POST', url: '/api/schedule', payload: { enabled: false }, headers: { ...bearer, ...host, origin: 'http://voicewipe.local:8733', 'sec-fetch-site': 'same-origin' } });
  t.equal(same.statusCode, 200, 'the page itself may');
  t.equal((await app.inject({ method: 'GET', url: '/api/status', headers: { ...host, ...bearer, origin: 'http://evil.example' } })).statusCode, 200, 'reads are not state changes');
  t.equal((await app.inject({ method: 'GET', url: '/api/purge', headers: bearer })).statusCode, 404, 'no state change on GET');
});

t.test('public_status: false closes every read route to visitors', async (t) => {
  const { app, bearer } = setup(t, { nights: 2, http: 'public_status: false' });
  for (const url of ['/api/status', '/api/runs', '/api/runs/1', '/api/events', '/metrics']) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 401, url);
    t.match(res.json().error, /private|admin only/);
    t.equal((await app.inject({ url: url === '/api/events' ? '/api/status' : url, headers: bearer })).statusCode, 200, `${url} for the admin`);
  }
  const page = await app.inject('/');
  t.equal(page.statusCode, 401, 'the page answers 401 …');
  t.match(page.body, /<title>voicewipe<\/title>/, '… and still shows its sign-in form');
  t.equal((await app.inject({ url: '/', headers: bearer })).statusCode, 200);
  t.equal((await app.inject('/app.js')).statusCode, 200, 'the page\'s own files stay reachable');
  t.equal((await app.inject('/healthz')).statusCode, 200);
  t.match((await app.inject({ url: '/api/status', headers: bearer })).json(), { admin: true, public_status: false });
});

t.test('security headers on every response; frame_ancestors for a Home Assistant card', async (t) => {
  const { app } = setup(t, { nights: 1, http: 'public_status: true' });
  for (const url of ['/', '/app.js', '/api/status', '/api/runs/999', '/nope', '/healthz', '/metrics']) {
    const res = await app.inject(url);
    t.match(res.headers, {
      'content-security-policy': /default-src 'self'; script-src 'self'; style-src 'self'.*frame-ancestors 'none'/,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    }, url);
  }
  const framed = setup(t, { nights: 1, http: 'frame_ancestors: ["http://homeassistant.local:8123"]' });
  const res = await framed.app.inject('/');
  t.match(res.headers['content-security-policy'], /frame-ancestors http:\/\/homeassistant\.local:8123(;|$)/);
  t.notOk(res.headers['x-frame-options'], 'no X-Frame-Options when framing is allowed');
});

t.test('the page and its files: gzip, revalidated, nothing else from web/', async (t) => {
  const { app } = setup(t, { nights: 1, http: 'public_status: true' });
  const page = await app.inject('/');
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /^text\/html/);
  t.equal(page.headers['cache-control'], 'no-cache');
  t.notMatch(page.body, /<script>|\son\w+=|style="/, 'no inline script, handler or style (the CSP would refuse them)');
  const js = await app.inject({ url: '/app.js', headers: { 'accept-encoding': 'gzip, br' } });
  t.equal(js.statusCode, 200);
  t.equal(js.headers['content-encoding'], 'gzip');
  t.match(gunzipSync(js.rawPayload).toString(), /from '\.\/page\/load\.js'/);
  const live = await app.inject({ url: '/page/live.js', headers: { 'accept-encoding': 'gzip' } });
  t.match(live.headers['content-type'], /^(text|application)\/javascript/, 'a module, served as JavaScript');
  t.match(gunzipSync(live.rawPayload).toString(), /EventSource\('\/api\/events'\)/);
  t.equal((await app.inject('/style.css')).statusCode, 200);
  t.equal((await app.inject('/favicon.svg')).statusCode, 200);
  t.equal((await app.inject('/docs/status-desktop.png')).statusCode, 404, 'the README pictures are not served');
  t.equal((await app.inject('/index.html')).statusCode, 404, 'the page only at /');
  t.equal((await app.inject('/%2e%2e/package.json')).statusCode, 404);
});

t.test('POST /api/purge: 202 with the run id, 409 while it runs, then the schedule switch', async (t) => {
  const { app, context, bearer } = setup(t, { nights: 1 });
  const started = await app.inject({ method: 'POST', url: '/api/purge', headers: bearer, payload: { account: 'bedroom', dry_run: true } });
  t.equal(started.statusCode, 202);
  const runId = started.json().run_id;
  t.type(runId, 'number');
  const busy = await app.inject({ method: 'POST', url: '/api/purge', headers: bearer });
  t.equal(busy.statusCode, 409, 'busy');
  t.match(busy.json(), { run_id: runId, error: /already running/ });
  const status = (await app.inject({ url: '/api/status', headers: bearer })).json();
  t.match(status.running, { run_id: runId, trigger: 'api', dry_run: true, accounts: [{ account_id: 'bedroom' }] });
  t.equal(status.running.accounts.length, 1);
  t.match((await app.inject({ url: '/metrics', headers: bearer })).body, /^voicewipe_running 1$/m);
  await waitIdle(context);
  const run = (await app.inject({ url: `/api/runs/${runId}`, headers: bearer })).json();
  t.match(run, { status: 'ok', dry_run: true, trigger: 'api', accounts: [{ account_id: 'bedroom', status: 'ok', deleted: 0 }] });
  t.ok(run.accounts[0].found > 0, 'counted');
  t.equal((await app.inject({ url: '/api/status', headers: bearer })).json().running, null);

  const off = await app.inject({ method: 'POST', url: '/api/schedule', headers: bearer, payload: { enabled: false } });
  t.equal(off.statusCode, 200);
  t.match(off.json(), { enabled: false, next_run_at: null, cron: '30 3 * * *' });
  t.match((await app.inject({ url: '/api/status', headers: bearer })).json().schedule, { enabled: false });
  t.match((await app.inject({ url: '/metrics', headers: bearer })).body, /^voicewipe_schedule_enabled 0$/m);
  const on = await app.inject({ method: 'POST', url: '/api/schedule', headers: bearer, payload: { enabled: true } });
  t.match(on.json(), { enabled: true });
  const disabled = setup(t, { nights: 0, accounts: [{ sim: 'alexa', id: 'kitchen' }, { sim: 'google', id: 'nest', enabled: false }] });
  const refused = await disabled.app.inject({ method: 'POST', url: '/api/purge', headers: disabled.bearer, payload: { account: 'nest' } });
  t.equal(refused.statusCode, 400);
  t.match(refused.json().error, /disabled in the config/);
});

function readEvents(res: IncomingMessage): { text: () => string; waitFor: (re: RegExp, ms?: number) => Promise<void> } {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => { text += chunk; });
  return {
    text: () => text,
    async waitFor(re, ms = 5_000) {
      const deadline = Date.now() + ms;
      while (!re.test(text)) {
        if (Date.now() > deadline) throw new Error(`no ${re} in ${JSON.stringify(text)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

t.test('GET /api/events: the run\'s events as SSE, a heartbeat, the live view in /api/status, closed by app.close()', async (t) => {
  const { app, context, bearer } = setup(t, { nights: 1, app: { heartbeatSeconds: 0.2 } });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const res = await new Promise<IncomingMessage>((resolve, reject) => request(`${url}/api/events`, { headers: bearer }, resolve).on('error', reject).end());
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'text/event-stream');
  t.match(res.headers['content-security-policy'], /default-src 'self'/, 'security headers on the stream too');
  const stream = readEvents(res);
  await stream.waitFor(/^retry: 5000$/m);
  await stream.waitFor(/^: heartbeat$/m);

  const { events, recorder } = context.purge;
  const at = Date.now();
  const runId = recorder.createRun('api', false, [{ id: 'kitchen', provider: 'alexa' }, { id: 'bedroom', provider: 'alexa' }], at);
  events.emit('run_started', { run_id: runId, trigger: 'api', dry_run: false, accounts: ['kitchen', 'bedroom'], at });
  events.emit('account_started', { run_id: runId, account_id: 'kitchen', at });
  events.emit('account_progress', { run_id: runId, account_id: 'kitchen', phase: 'deleting', found: 120, deleted: 40, at });
  await stream.waitFor(/event: account_progress\ndata: \{[^\n]*"deleted":40/);
  t.match(stream.text(), new RegExp(`event: run_started\\ndata: \\{"run_id":${runId},"trigger":"api","dry_run":false,"accounts":\\["kitchen","bedroom"\\],"at":"\\d{4}-`));
  const live = (await app.inject({ url: '/api/status', headers: bearer })).json();
  t.match(live.running, { run_id: runId, accounts: [{ account_id: 'kitchen', status: 'running', phase: 'deleting', found: 120, deleted: 40 }, { account_id: 'bedroom', status: 'pending' }] });
  t.match(live.accounts, [{ id: 'kitchen', state: 'running' }, { id: 'bedroom', state: 'waiting' }]);
  events.emit('needs_login', { run_id: runId, account_id: 'bedroom', error_kind: 'captcha', message: 'captcha', at });
  events.emit('account_finished', {
    run_id: runId, at,
    result: { account_id: 'kitchen', provider: 'alexa', status: 'ok', found: 120, deleted: 120, remaining: 0, oldest_at: null, newest_at: null, error_kind: null, error_message: null, attempts: 1, started_at: at, finished_at: at, evidence_dir: 'evidence/x', details: { secret_path: '/x' } },
  });
  await stream.waitFor(/event: account_finished/);
  t.notMatch(stream.text(), /secret_path|evidence_dir/, 'diagnostics stay out of the stream');
  t.match((await app.inject({ url: '/api/status', headers: bearer })).json().running.accounts[0], { status: 'ok', deleted: 120, phase: null });
  events.emit('run_finished', { run_id: runId, status: 'ok', dry_run: false, found: 120, deleted: 120, remaining: 0, duration_ms: 5, at, message: null });
  await stream.waitFor(/event: run_finished/);
  t.equal((await app.inject({ url: '/api/status', headers: bearer })).json().running, null);

  const ended = new Promise<void>((resolve) => res.on('end', resolve));
  const closing = Date.now();
  await app.close();
  await ended;
  t.ok(Date.now() - closing < 2_000, 'an open stream does not hold the shutdown');
});

t.test('an event stream client that goes away is forgotten: its slot is free for the next client', async (t) => {
  const { app, context, bearer } = setup(t, { nights: 1, app: { heartbeatSeconds: 0.1 } });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  /** Opens a stream; resolves with its status and, when it is open, a way to hang up like a closed tab. */
  const open = async () => {
    const req = request(`${url}/api/events`, { headers: bearer });
    const res = await new Promise<IncomingMessage>((resolve, reject) => req.on('response', resolve).on('error', reject).end());
    if (res.statusCode === 200) await readEvents(res).waitFor(/retry/);
    else res.resume();
    return { status: res.statusCode, hangUp: () => req.destroy() };
  };
  // Every slot this address may hold, taken; one more is refused while they are open.
  const first = [];
  for (let i = 0; i < PER_ADDRESS.admin; i++) first.push(await open());
  t.same(first.map((s) => s.status), first.map(() => 200), `${PER_ADDRESS.admin} streams open`);
  t.equal((await open()).status, 503, 'the address is at its limit');
  for (const s of first) s.hangUp();
  // The server forgets each client that went away: as many new streams are allowed again (each close is seen
  // a moment after the hang-up, so a refusal in between is retried until a bound).
  const again: { status?: number; hangUp: () => void }[] = [];
  const deadline = Date.now() + 5_000;
  while (again.length < PER_ADDRESS.admin && Date.now() < deadline) {
    const s = await open();
    if (s.status === 200) again.push(s);
    else await new Promise((r) => setTimeout(r, 50));
  }
  t.equal(again.length, PER_ADDRESS.admin, 'every slot of the clients that left is free again');
  for (const s of again) s.hangUp();
  await new Promise((r) => setTimeout(r, 300));
  // Emitting to closed clients must neither throw nor write to dead sockets.
  const at = Date.now();
  context.purge.events.emit('run_started', { run_id: 999, trigger: 'api', dry_run: false, accounts: [], at });
  context.purge.events.emit('run_finished', { run_id: 999, status: 'ok', dry_run: false, found: 0, deleted: 0, remaining: 0, duration_ms: 0, at, message: null });
  const closing = Date.now();
  await app.close();
  t.ok(Date.now() - closing < 2_000, 'no forgotten stream holds the shutdown');
});
