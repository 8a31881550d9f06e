// Plays the person who signs in to Google once (what the status page's remote sign-in lets them do), then keeps
// the browser state in the account's vault, exactly where a purge looks for it. The browser carries voicewipe's
// ordinary identity (the simulator, like Google, refuses one that gives itself away as automated); the person's
// own sign-in browser is tested in test/signin/.
import { SessionVault } from '../../src/browser/vault.ts';
import type { Simulator } from '../../sim/server.ts';
import { fileLaunch } from './shared-browser.ts';

export async function personSignsInToGoogle(sim: Simulator, stateDir: string, accountId: string, simAccount = accountId): Promise<void> {
  const account = sim.accounts.find((a) => a.id === simAccount)!;
  // One of the test file's reused Chromiums, with a context of its own, as a person's separate browser would be.
  const browser = await fileLaunch()({ headless: true, step_timeout_seconds: 30, run_timeout_minutes: 5 });
  try {
    const context = await browser.newContext({ stepTimeoutMs: 30_000 });
    const page = await context.newPage();
    await page.goto(`${sim.url}/product/assistant?hl=en`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.locator('#identifierId').fill(account.email);
    await page.locator('#identifierNext').click();
    await page.locator('#password').fill(account.password);
    await page.locator('#passwordNext').click();
    await page.waitForURL(/\/product\/assistant/);
    new SessionVault(stateDir).save(accountId, await context.storageState() as never);
    await context.close();
  } finally {
    await browser.close(); // handed back for the next run
  }
}
