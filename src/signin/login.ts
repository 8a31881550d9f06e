// `voicewipe login <account>`: the same one-time sign-in as the status page's, in a visible Chromium window on
// this machine's display (a Pi with a screen, or `ssh -X`): an ordinary Chromium process (browser/person.ts),
// Amazon's through the Alexa app's sign-in that registers voicewipe as a device (person-flow.ts). The session
// goes to the vault when the provider recognises the signed-in page.
import { sleep } from '../async.ts';
import type { Config } from '../config/types.ts';
import { localeFor } from '../browser/identity.ts';
import { openPersonBrowser } from '../browser/person.ts';
import { SessionVault } from '../browser/vault.ts';
import { PROVIDERS } from '../providers/index.ts';
import { originFor } from '../purge/session.ts';
import { signInOrigins, startPersonFlow } from './person-flow.ts';
import { SignInRecords } from './record.ts';

const LIMIT_MS = 10 * 60_000;

export async function loginWithWindow(config: Config, accountId: string, out: NodeJS.WritableStream): Promise<number> {
  const account = config.accounts.find((a) => a.id === accountId);
  if (!account?.enabled) {
    out.write(`voicewipe login: no enabled account "${accountId}" in the config\n`);
    return 2;
  }
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    out.write('voicewipe login: no display here (DISPLAY is not set). Sign in from the status page instead ' +
      '(its account card has a "Sign in" button), or connect with `ssh -X` and run this again.\n');
    return 1;
  }
  const provider = PROVIDERS[account.provider];
  const origin = originFor(account, provider);
  const browser = await openPersonBrowser(config.browser, {
    stateDir: config.state_dir, accountId: account.id, headless: false, locale: localeFor(account),
    allowedOrigins: signInOrigins(account, origin), width: 1280, height: 900,
  });
  try {
    const vault = new SessionVault(config.state_dir);
    const records = new SignInRecords(vault);
    const { context, page } = browser;
    const saved = vault.load(account.id).state;
    if (saved?.cookies.length) await context.addCookies(saved.cookies as never);
    let failed: string | undefined;
    const start = await startPersonFlow(account, provider, origin, context, page, records, {
      progress: (message) => out.write(`${message}\n`),
      fail: (message) => { failed = message; },
    });
    await page.goto(start);
    out.write(`Sign in to ${account.name} in the window that opened; it closes by itself when you are done.\n`);
    const until = Date.now() + LIMIT_MS;
    while (Date.now() < until) {
      if (failed) { out.write(`Signing in failed: ${failed}\n`); return 1; }
      if (page.isClosed()) { out.write('The window was closed before signing in finished.\n'); return 1; }
      if (await provider.isSignedIn(page).catch(() => false)) {
        vault.save(account.id, await context.storageState() as never);
        if (records.load(account.id)?.method !== 'app_device') records.update(account.id, { method: 'person', renewed_at: Date.now() });
        out.write(`Signed in: the session of ${account.id} is saved (encrypted) for the nightly purges.\n`);
        return 0;
      }
      await sleep(1_000);
    }
    out.write('Signing in did not finish within 10 minutes.\n');
    return 1;
  } finally {
    await browser.close();
  }
}
