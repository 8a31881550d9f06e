// The browser a person signs in with stays on the vendor's pages: another site is blocked, a pop-up is closed,
// and it carries no automation traces (the simulator's Google would refuse it otherwise).
import t from 'tap';
import { Writable } from 'node:stream';
import type { Page } from 'playwright-core';
import { createLogger } from '../../src/log.ts';
import { PROVIDERS } from '../../src/providers/index.ts';
import { RemoteSignIns } from '../../src/signin/remote.ts';
import { startSimulator } from '../../sim/server.ts';
import { purgeEnv } from '../helpers/purge.ts';
import { waitFor } from '../helpers/daemon.ts';

const sim = await startSimulator({ seed: 37, accounts: [{ id: 'g', vendor: 'google', email: 'g@example.com', password: 'pw-g-browser', mfa: 'none', recordings: 10, spanDays: 30 }] });
t.teardown(() => sim.close());

function pageOf(signIns: RemoteSignIns, id: string): Page {
  return (signIns as unknown as { sessions: Map<string, { page: Page }> }).sessions.get(id)!.page;
}

t.test('the sign-in browser stays on the vendor\'s pages: other sites blocked, pop-ups closed, no automation traces', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'g', keep_days: 30 }]);
  const log = createLogger({ level: 'fatal', destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
  const signIns = new RemoteSignIns({ config: env.config, vault: env.vault, log, providers: PROVIDERS, busy: () => false, onSignedIn: () => {}, limits: { checkMs: 200 } });
  t.teardown(() => signIns.closeAll());
  await signIns.start('g');
  const page = pageOf(signIns, 'g');
  await waitFor('the identifier field', async () => (await page.locator('#identifierId').count()) > 0);
  await t.rejects(page.goto('http://localhost:9/elsewhere'), /ERR_BLOCKED_BY_CLIENT/, 'another origin is blocked');
  await waitFor('the way back to the sign-in page', () => /\/v3\/signin\/identifier/.test(page.url()), 15_000)
    .catch((err: Error) => { throw new Error(`${err.message} (at ${page.url()})`); });
  await page.locator('#identifierId').waitFor();
  await page.evaluate(() => { window.open('/product/assistant'); });
  await waitFor('the pop-up to be closed', () => page.context().pages().length === 1, 10_000);
  t.equal(page.context().pages()[0], page, 'only the sign-in page is left');
  t.same(await page.evaluate(() => ({ webdriver: navigator.webdriver, headless: /Headless/.test(navigator.userAgent) })), { webdriver: false, headless: false });
  t.equal(signIns.view('g')!.state, 'waiting_for_person');
  // Closed here, not only in a teardown: the test's folder (its profile's parent) may be removed before a later
  // teardown runs, while Chromium still writes into it (ENOTEMPTY, seen once in CI).
  await signIns.closeAll();
});

