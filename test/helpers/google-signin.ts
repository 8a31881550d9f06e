// Plays the person who signs in to Google once (what the status page's remote sign-in lets them do), in the
// same kind of browser: an ordinary Chromium process attached over CDP (Google, and the simulator, refuse a
// browser that gives itself away as automated). Keeps the browser state in the account's vault, exactly where a
// purge looks for it.
import { openPersonBrowser } from '../../src/browser/person.ts';
import { SessionVault } from '../../src/browser/vault.ts';
import type { Simulator } from '../../sim/server.ts';

export async function personSignsInToGoogle(sim: Simulator, stateDir: string, accountId: string, simAccount = accountId): Promise<void> {
  const account = sim.accounts.find((a) => a.id === simAccount)!;
  const browser = await openPersonBrowser({ headless: true, step_timeout_seconds: 30, run_timeout_minutes: 5 }, {
    stateDir, accountId, headless: true, locale: 'en-US', allowedOrigins: [sim.url], width: 1280, height: 900,
  });
  try {
    const page = browser.page;
    await page.goto(`${sim.url}/product/assistant?hl=en`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.locator('#identifierId').fill(account.email);
    await page.locator('#identifierNext').click();
    await page.locator('#password').fill(account.password);
    await page.locator('#passwordNext').click();
    await page.waitForURL(/\/product\/assistant/);
    new SessionVault(stateDir).save(accountId, await browser.context.storageState() as never);
  } finally {
    await browser.close();
  }
}
