// The remote sign-in starts with the account's e-mail typed in: against the simulator's Amazon and Google
// sign-in pages, reached the way the remote sign-in reaches them (the provider's personSignInUrl).
import t from 'tap';
import { chromium } from 'playwright-core';
import { startSimulator } from '../../sim/server.ts';
import { CHROMIUM_ARGS, findChromium } from '../../src/browser/chromium.ts';
import { PROVIDERS } from '../../src/providers/index.ts';
import type { AccountConfig } from '../../src/config/types.ts';
import { prefillEmail } from '../../src/signin/prefill.ts';

const sim = await startSimulator({ seed: 2 });
t.teardown(() => sim.close());
const browser = await chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_ARGS });
t.teardown(() => browser.close());

for (const provider of ['alexa', 'google'] as const) {
  t.test(`${provider}: the e-mail field starts filled in`, async (t) => {
    const context = await browser.newContext();
    t.teardown(() => context.close());
    const page = await context.newPage();
    const account = { id: 'x', name: 'X', provider, marketplace: 'com', email: `${provider}@example.com`, keep_days: 7, base_url: sim.url, enabled: true, include_gemini: false } as AccountConfig;
    await page.goto(PROVIDERS[provider].personSignInUrl(account, sim.url), { waitUntil: 'domcontentloaded' });
    t.equal(await prefillEmail(page, account.email), true);
    t.equal(await page.locator('input[type=email]').inputValue(), `${provider}@example.com`);
    t.equal(await prefillEmail(page, 'other@example.com'), false, 'a filled field is left alone');
    t.equal(await prefillEmail(page, undefined), false, 'no e-mail in the config: nothing to do');
  });
}
