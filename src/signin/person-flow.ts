// What a person's sign-in starts on and where it may go, per provider, for the status page's remote sign-in
// and `voicewipe login`. Amazon: the Alexa app's OAuth page; when Amazon lands on /ap/maplanding with the
// code, voicewipe registers its device, keeps the refresh token (vault, encrypted), mints web cookies and opens
// the history page, where the usual "signed in" check takes over. Google: its own sign-in page, nothing more.
import type { BrowserContext, Page } from 'playwright-core';
import type { AccountConfig } from '../config/types.ts';
import type { Provider } from '../providers/types.ts';
import { amazonHosts, authorizationCode, exchangeForCookies, newPkce, newSerial, oauthSignInUrl, registerDevice } from './app-device.ts';
import { defaultMethod } from './record.ts';
import type { SignInRecords } from './record.ts';

/** The origins a person's sign-in page may navigate to (top level). */
export function signInOrigins(account: AccountConfig, origin: string): string[] {
  if (account.base_url) return [new URL(account.base_url).origin];
  if (account.provider === 'alexa') {
    // The marketplace's sign-in and privacy pages; some marketplaces' sign-ins pass through amazon.com.
    return [...new Set([amazonHosts(account).www, 'https://www.amazon.com'])];
  }
  // Sign-in, the "verify it's you"/recovery prompts, and My Activity (OSID is minted through accounts.google.com).
  return ['https://accounts.google.com', 'https://myactivity.google.com', 'https://www.google.com', 'https://gds.google.com', origin];
}

export interface PersonFlowHooks {
  /** A step the person should know about ("registering voicewipe as a device…"). */
  progress(message: string): void;
  /** The flow cannot finish (Amazon refused the registration): the sign-in ends with this message. */
  fail(message: string): void;
}

/** Sets the flow up in the person's browser and returns the page to open first. */
export async function startPersonFlow(account: AccountConfig, provider: Provider, origin: string, context: BrowserContext, page: Page,
  records: SignInRecords, hooks: PersonFlowHooks): Promise<string> {
  if (account.provider !== 'alexa') return provider.personSignInUrl(account, origin);
  const record = records.load(account.id);
  // One serial per account, for good: every later sign-in re-registers the same device.
  const serial = record?.device?.serial ?? newSerial();
  if (!record?.device) records.update(account.id, { method: record?.method ?? defaultMethod(account), device: { serial } });
  const pkce = newPkce();
  let landed = false;
  // Amazon reaches the landing page by a redirect, which a Playwright route never sees: watch the requests.
  context.on('request', (request) => {
    const code = request.isNavigationRequest() ? authorizationCode(request.url()) : undefined;
    if (!code || landed) return;
    landed = true;
    void register(code);
  });
  const register = async (code: string) => {
    hooks.progress('registering voicewipe as a device on the account');
    try {
      const refreshToken = await registerDevice(account, serial, code, pkce);
      const now = Date.now();
      records.update(account.id, { method: 'app_device', renewed_at: now, device: { serial, refresh_token: refreshToken, registered_at: now } });
      await context.addCookies(await exchangeForCookies(account, refreshToken));
      hooks.progress('device registered; opening the history page');
      // The landing page may still be loading: going on before it has would be cut short by it.
      await page.waitForURL((u) => authorizationCode(u.href) !== undefined, { waitUntil: 'domcontentloaded', timeout: 15_000 }).catch(() => {});
      await page.goto(provider.personSignInUrl(account, origin), { waitUntil: 'domcontentloaded' });
    } catch (err) {
      hooks.fail((err as Error).message);
    }
  };
  return oauthSignInUrl(account, serial, pkce);
}
