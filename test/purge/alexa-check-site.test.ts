// `voicewipe check-site` and its admin route: a page it does not know is a failure with the locator that was not
// found; the CLI's table and exit codes; the evidence bundle holds the sanitised page, a screenshot, the table and
// the request paths. (Every sampled page variant is checked in alexa-matrix.test.ts, right before its purge.)
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SessionVault } from '../../src/browser/vault.ts';
import { buildApp } from '../../src/http/app.ts';
import { PROVIDERS } from '../../src/providers/index.ts';
import { checkSites, formatSiteChecks, readBundle } from '../../src/purge/check-site.ts';
import { startSimulator } from '../../sim/server.ts';
import { sharedBrowser } from '../helpers/alexa-matrix.ts';
import { runCli } from '../helpers/cli.ts';
import { loadSimConfig } from '../helpers/purge.ts';
import { quietLogger, testContext } from '../http/env.ts';

// Real Chromium, and two CLI processes with their own: generous for a loaded machine.
t.setTimeout(400_000);
const sim = await startSimulator({
  seed: 19,
  accounts: [
    { id: 'c0', vendor: 'amazon', email: 'c0@example.com', marketplace: 'co.uk', recordings: 30, spanDays: 20 },
    { id: 'future', vendor: 'amazon', email: 'future@example.com', recordings: 30, spanDays: 20, faults: { redesign: 2 } },
  ],
});
t.teardown(() => sim.close());
const launch = sharedBrowser(t);

t.test('a page it does not know: not ok, the missing locator named; the bundle is kept and sanitised', async (t) => {
  const { config } = loadSimConfig(sim, { dir: t.testdir(), accounts: [{ sim: 'future', keep_days: 7 }] });
  const [check] = await checkSites({ config, log: quietLogger(), vault: new SessionVault(config.state_dir), providers: PROVIDERS, launch }, 'future');
  t.notOk(check.ok);
  t.equal(check.error_kind, 'page_changed');
  t.ok(check.locators.some((l) => l.matched === 'none'), formatSiteChecks([check]));
  const dir = join(config.state_dir, check.bundle_dir!);
  for (const f of ['page.html', 'screenshot.png', 'report.json']) t.ok(existsSync(join(dir, f)), f);
  t.notMatch(readFileSync(join(dir, 'page.html')).toString('latin1'), /<html|csrf/i, 'sealed at rest with the vault key');
  const bundle = readBundle(config.state_dir, 'future');
  t.ok(bundle?.html?.includes('<html'), 'opened for the download');
  t.notMatch(bundle?.html ?? '', /<meta name="anti-csrftoken-a2z" content="(?!\[redacted\])/, 'CSRF token stripped');
  const report = bundle?.report as { version: string; locators: unknown[] };
  t.ok(report.version && report.locators.length > 0, 'version and locator table in the bundle');
});

t.test('the CLI: a table, exit 0 when all found, 1 otherwise, 2 for an unknown account', async (t) => {
  sim.control.setSignin({ style: 'email-first', emailField: 'ap_email' });
  const { configPath } = loadSimConfig(sim, { dir: t.testdir(), accounts: [{ sim: 'c0', keep_days: 7 }, { sim: 'future', keep_days: 7 }] });
  const good = await runCli(['check-site', '--account', 'c0', '--config', configPath], { timeoutMs: 90_000 });
  t.equal(good.code, 0, good.stderr);
  t.match(good.stdout, /c0 \(alexa\): all found/);
  t.match(good.stdout, /rvh\.delete_all\s+class#\d/);
  t.match(good.stdout, /delete requests: none \(the dialog was cancelled\)/);
  const all = await runCli(['check-site', '--config', configPath], { timeoutMs: 120_000 });
  t.equal(all.code, 1, 'one page not recognised → exit 1');
  t.match(all.stdout, /future \(alexa\): PROBLEM: page_changed/);
  const unknown = await runCli(['check-site', '--account', 'nobody', '--config', configPath]);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /account "nobody" is not in the config/);
});

t.test('the admin route answers the table and serves the bundle', async (t) => {
  const { config } = loadSimConfig(sim, { dir: t.testdir(), accounts: [{ sim: 'c0', id: 'kitchen', keep_days: 7 }] });
  const context = testContext(t, config);
  const app = buildApp(context);
  t.teardown(() => app.close());
  const bearer = { authorization: `Bearer ${context.adminToken}` };
  t.equal((await app.inject({ method: 'POST', url: '/api/accounts/kitchen/check-site' })).statusCode, 401, 'admin only');
  t.equal((await app.inject({ method: 'GET', url: '/api/accounts/kitchen/check-site/bundle', headers: bearer })).statusCode, 404, 'no bundle before a check');
  t.equal((await app.inject({ method: 'POST', url: '/api/accounts/nobody/check-site', headers: bearer })).statusCode, 404);
  const res = await app.inject({ method: 'POST', url: '/api/accounts/kitchen/check-site', headers: bearer });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { account_id: 'kitchen', ok: true, delete_requests: [] });
  const bundle = await app.inject({ method: 'GET', url: '/api/accounts/kitchen/check-site/bundle', headers: bearer });
  t.equal(bundle.statusCode, 200);
  t.match(bundle.headers['content-disposition'], /attachment; filename="voicewipe-check-site-kitchen.json"/);
  const body = bundle.json() as { report: { locators: unknown[] }; html: string; screenshot_png_base64: string; version: string };
  t.ok(body.html.includes('<html') && body.screenshot_png_base64.length > 100 && body.report.locators.length > 0 && body.version, 'html, screenshot, table, version');
  const cookies = (await context.purge.vault.load('kitchen')).state?.cookies as { value: string }[] | undefined;
  for (const c of cookies ?? []) if (c.value.length >= 8) t.notOk(bundle.body.includes(c.value), 'no cookie value in the bundle');
});
