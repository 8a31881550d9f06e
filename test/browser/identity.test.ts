// One ordinary browser identity: the purge browser says it is plain Chromium in its User-Agent, its client
// hints and its scripts (pop-ups too), in the account's language, with navigator.webdriver false. The simulator's
// automation check (Amazon: a captcha; Google: "This browser or app may not be secure") catches a browser that
// gives itself away, and lets voicewipe's purge sign in.
import t from 'tap';
import { chromium } from 'playwright-core';
import { findChromium } from '../../src/browser/chromium.ts';
import { launchBrowser } from '../../src/browser/launch.ts';
import { localeFor } from '../../src/browser/identity.ts';
import { startSimulator } from '../../sim/server.ts';
import { purgeEnv } from '../helpers/purge.ts';

const sim = await startSimulator({
  seed: 47,
  detectAutomation: true,
  accounts: [
    { id: 'totp', vendor: 'amazon', email: 'totp@example.com', password: 'pw-totp-id', mfa: 'totp', recordings: 80, spanDays: 60 },
    { id: 'g', vendor: 'google', email: 'g@example.com', password: 'pw-g-id', mfa: 'none', recordings: 20, spanDays: 30 },
  ],
});
t.teardown(() => sim.close());

t.test('the purge browser: plain Chromium everywhere, the marketplace language, no webdriver', async (t) => {
  const browser = await launchBrowser({ headless: true, step_timeout_seconds: 30, run_timeout_minutes: 5 });
  t.teardown(() => browser.close());
  const context = await browser.newContext({ stepTimeoutMs: 10_000, timezoneId: 'Europe/London', locale: localeFor({ provider: 'alexa', marketplace: 'co.uk' }) });
  const page = await context.newPage();
  const headers: Record<string, string>[] = [];
  context.on('request', (r) => { if (r.url().includes('/ap/signin')) void r.allHeaders().then((h) => headers.push(h)); });
  await page.goto(`${sim.url}/ap/signin`);
  const seen = () => ({
    ua: navigator.userAgent, webdriver: navigator.webdriver, language: navigator.language,
    brands: (navigator as unknown as { userAgentData: { brands: { brand: string }[] } }).userAgentData.brands.map((b) => b.brand),
    zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  });
  const own = await page.evaluate(seen);
  t.notMatch(own.ua, /Headless/, 'User-Agent');
  t.match(own.ua, /Chrome\/\d+\.0\.0\.0/);
  t.equal(own.webdriver, false, 'navigator.webdriver');
  t.ok(own.brands.includes('Chromium') && !own.brands.some((b) => /Headless/.test(b)), `client-hint brands: ${own.brands}`);
  t.equal(own.language, 'en-GB', 'the marketplace language');
  t.equal(own.zone, 'Europe/London', 'the configured time zone');
  t.notMatch(headers[0]['sec-ch-ua'], /Headless/, 'Sec-CH-UA header');
  t.match(headers[0]['sec-ch-ua'], /"Chromium"/);
  t.match(headers[0]['accept-language'], /^en-GB/);
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.evaluate((url) => { window.open(url); }, `${sim.url}/ap/signin?popup=1`)]);
  await popup.waitForLoadState();
  await new Promise((r) => setTimeout(r, 300));
  const other = await popup.evaluate(seen);
  t.notMatch(other.ua, /Headless/, 'a pop-up carries the identity too');
  t.notOk(other.brands.some((b) => /Headless/.test(b)));
  t.equal(other.webdriver, false);
});

t.test('the check works: a browser that gives itself away meets a captcha (Amazon) or a refusal (Google)', async (t) => {
  // Playwright's defaults: --enable-automation, the headless shell's "HeadlessChrome".
  const browser = await chromium.launch({ executablePath: findChromium().path });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`${sim.url}/ap/signin`);
  await page.locator('#ap_email').fill('totp@example.com');
  await page.locator('#continue').click();
  await page.locator('#ap_password').fill('pw-totp-id');
  await page.locator('#signInSubmit').click();
  await page.locator('#captchacharacters').waitFor({ timeout: 10_000 });
  t.pass('Amazon shows a captcha');
  t.match(sim.control.requests({ kind: 'amazon.signin.automation_seen' })[0]?.body, { automation: /HeadlessChrome|webdriver/ });

  await page.goto(`${sim.url}/v3/signin/identifier?continue=/product/assistant`);
  await page.locator('#identifierId').fill('g@example.com');
  await page.locator('#identifierNext').click();
  await page.locator('#not-secure').waitFor({ timeout: 10_000 });
  t.match(await page.locator('#not-secure').innerText(), /This browser or app may not be secure/);
  t.equal(sim.control.requests({ kind: 'google.signin.refused_automation' }).length, 1);
});

t.test('a purge signs in with password and code under the automation check: no captcha', async (t) => {
  sim.control.clearRequests();
  const env = purgeEnv(t, sim, [{ sim: 'totp', keep_days: 30 }]);
  const run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  t.match(run.results[0], { attempts: 1, remaining: 0 });
  t.equal(sim.control.requests({ kind: 'amazon.signin.automation_seen' }).length, 0, 'nothing gave the browser away');
  t.equal(sim.control.requests({ kind: 'amazon.signin.captcha' }).length, 0, 'no captcha');
  t.equal(sim.control.requests({ kind: 'amazon.signin.done' }).length, 1, 'signed in on the web');
});
