// Plays the person who signs in to Google once (what the status page's remote sign-in lets them do), then keeps
// the browser state in the account's vault, exactly where a purge looks for it.
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../src/browser/chromium.ts';
import { SessionVault } from '../../src/browser/vault.ts';
import type { Simulator } from '../../sim/server.ts';

export async function personSignsInToGoogle(sim: Simulator, stateDir: string, accountId: string, simAccount = accountId): Promise<void> {
  const account = sim.accounts.find((a) => a.id === simAccount)!;
  const browser = await chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${sim.url}/product/assistant?hl=en`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.locator('#identifierId').fill(account.email);
    await page.locator('#identifierNext').click();
    await page.locator('#password').fill(account.password);
    await page.locator('#passwordNext').click();
    await page.waitForURL(/\/product\/assistant/);
    new SessionVault(stateDir).save(accountId, await context.storageState() as never);
  } finally {
    await browser.close();
  }
}
