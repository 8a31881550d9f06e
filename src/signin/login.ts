// `voicewipe login <account>`: the same one-time sign-in as the status page's, in a visible Chromium window on
// this machine's display (a Pi with a screen, or `ssh -X`). The session goes to the vault when the provider
// recognises the signed-in page.
import type { Config } from '../config/types.ts';
import { launchBrowser } from '../browser/launch.ts';
import { SessionVault } from '../browser/vault.ts';
import { PROVIDERS } from '../providers/index.ts';
import { originFor } from '../purge/run.ts';

const LIMIT_MS = 10 * 60_000;

export async function loginWithWindow(config: Config, accountId: string, out: NodeJS.WritableStream): Promise<number> {
  const account = config.accounts.find((a) => a.id === accountId);
  if (!account || !account.enabled) {
    out.write(`voicewipe login: no enabled account "${accountId}" in the config\n`);
    return 2;
  }
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    out.write('voicewipe login: no display here (DISPLAY is not set). Sign in from the status page instead ' +
      '(its account card has a "Sign in" button), or connect with `ssh -X` and run this again.\n');
    return 1;
  }
  const provider = PROVIDERS[account.provider];
  const browser = await launchBrowser(config.browser, { forPerson: true, headless: false });
  try {
    const vault = new SessionVault(config.state_dir);
    const context = await browser.newContext({ storageState: vault.load(account.id).state, stepTimeoutMs: 60_000, timezoneId: config.timezone });
    const page = await context.newPage();
    await page.goto(provider.personSignInUrl(account, originFor(account, provider)));
    out.write(`Sign in to ${account.name} in the window that opened; it closes by itself when you are done.\n`);
    const until = Date.now() + LIMIT_MS;
    while (Date.now() < until) {
      if (page.isClosed()) { out.write('The window was closed before signing in finished.\n'); return 1; }
      if (await provider.isSignedIn(page).catch(() => false)) {
        vault.save(account.id, await context.storageState() as never);
        out.write(`Signed in: the session of ${account.id} is saved (encrypted) for the nightly purges.\n`);
        return 0;
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
    out.write('Signing in did not finish within 10 minutes.\n');
    return 1;
  } finally {
    await browser.close();
  }
}
