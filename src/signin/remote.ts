// Signing in by a person, through the daemon's own Chromium: Google cannot be signed in to by automation at
// all, and Amazon sometimes wants a person (captcha, an SMS code, a push approval). On a headless Pi the only
// place a person can do that is the status page: this opens the account's sign-in page in a browser on the Pi,
// streams what it shows (a screencast of JPEG frames), and passes the person's clicks, typing and scrolling
// through. The browser is an ordinary Chromium process (browser/person.ts) that Google accepts; Amazon's sign-in
// registers voicewipe as an Alexa-app device on the way (person-flow.ts). When the provider recognises the
// signed-in page, the browser state goes to the session vault and the browser closes. Nothing typed is logged.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { AccountConfig, Config } from '../config/types.ts';
import { localeFor } from '../browser/identity.ts';
import type { PersonBrowser, PersonBrowserOptions } from '../browser/person.ts';
import type { SessionVault } from '../browser/vault.ts';
import type { Logger } from '../log.ts';
import { providerNamed } from '../providers/load.ts';
import type { ProviderSource } from '../providers/load.ts';
import type { Provider } from '../providers/types.ts';
import { originFor } from '../purge/session.ts';
import { SignInRecords } from './record.ts';

export type SignInState = 'starting' | 'waiting_for_person' | 'signed_in' | 'failed' | 'timed_out' | 'cancelled';

export interface SignInView {
  account_id: string;
  state: SignInState;
  /** Where the browser is (origin and path only: query strings carry tokens). */
  at: string | null;
  message: string | null;
  started_at: number;
  /** The page's size in CSS pixels: click positions are fractions of it. */
  width: number;
  height: number;
  frames: number;
}

export type SignInInput =
  | { type: 'click'; x: number; y: number }
  | { type: 'type'; text: string }
  | { type: 'key'; key: string }
  | { type: 'scroll'; dy: number };

/** Keys a sign-in form needs; anything else (shortcuts that open devtools, print, …) is refused. */
export const ALLOWED_KEYS = ['Enter', 'Tab', 'Backspace', 'Delete', 'Escape', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'Space'];

export class SignInError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'SignInError';
    this.status = status;
  }
}

export interface RemoteSignInDeps {
  config: Config;
  vault: SessionVault;
  log: Logger;
  /** The daemon loads the providers at the first sign-in (providers/load.ts). */
  providers: ProviderSource;
  /** Opens the person's browser (default: an ordinary Chromium process, browser/person.ts). */
  openBrowser?: (config: Config['browser'], opts: PersonBrowserOptions) => Promise<PersonBrowser>;
  /** A purge is running: a second browser would not fit a 1 GB Pi. */
  busy: () => boolean;
  onSignedIn: (accountId: string) => void;
  limits?: { totalMs?: number; idleMs?: number; checkMs?: number };
}

interface Active {
  view: SignInView;
  account: AccountConfig;
  browser?: PersonBrowser;
  context?: BrowserContext;
  page?: Page;
  cdp?: CDPSession;
  frame?: Buffer;
  lastInputAt: number;
  timers: NodeJS.Timeout[];
  /** A check is under way: a slow page must not make two checks overlap (and save, and purge, twice). */
  checking: boolean;
  /** The browser closing (and its profile wiped) once the sign-in ended: closeAll() waits for it. */
  closing?: Promise<void>;
}

const WIDTH = 1280;
const HEIGHT = 900;

export class RemoteSignIns {
  private readonly deps: RemoteSignInDeps;
  private readonly sessions = new Map<string, Active>();
  private readonly limits: { totalMs: number; idleMs: number; checkMs: number };

  constructor(deps: RemoteSignInDeps) {
    this.deps = deps;
    this.limits = { totalMs: 10 * 60_000, idleMs: 5 * 60_000, checkMs: 1_000, ...deps.limits };
  }

  view(accountId: string): SignInView | undefined {
    return this.sessions.get(accountId)?.view;
  }

  /** The latest picture of the page (JPEG), or undefined before the first frame. */
  frame(accountId: string): Buffer | undefined {
    return this.sessions.get(accountId)?.frame;
  }

  /** Opens the account's sign-in page. One sign-in at a time (one browser is what a Pi can spare). */
  async start(accountId: string): Promise<SignInView> {
    const account = this.deps.config.accounts.find((a) => a.id === accountId);
    if (!account) throw new SignInError(`no account "${accountId}" in the config`, 404);
    if (!account.enabled) throw new SignInError(`account "${accountId}" is disabled in the config`, 409);
    const running = [...this.sessions.values()].find((s) => s.view.state === 'starting' || s.view.state === 'waiting_for_person');
    if (running) {
      if (running.account.id === accountId) return running.view;
      throw new SignInError(`a sign-in for "${running.account.id}" is open; finish or cancel it first`, 409);
    }
    if (this.deps.busy()) throw new SignInError('a purge is running; sign in when it has finished', 409);
    let provider: Provider | undefined;
    try {
      provider = await providerNamed(this.deps.providers, account.provider);
    } catch (err) {
      throw new SignInError((err as Error).message, 500);
    }
    if (!provider) throw new SignInError(`no provider for "${account.provider}"`, 400);
    const active: Active = {
      account, lastInputAt: Date.now(), timers: [], checking: false,
      view: { account_id: accountId, state: 'starting', at: null, message: null, started_at: Date.now(), width: WIDTH, height: HEIGHT, frames: 0 },
    };
    this.sessions.set(accountId, active);
    this.deps.log.info({ account: accountId }, 'remote sign-in started');
    try {
      await this.open(active, provider);
    } catch (err) {
      await this.finish(active, 'failed', `the sign-in page could not be opened: ${(err as Error).message.split('\n')[0]}`);
    }
    return active.view;
  }

  private async open(active: Active, provider: Provider): Promise<void> {
    const { config } = this.deps;
    // The sign-in browser and the page's flow, loaded at the first sign-in rather than held by an idle daemon.
    const [{ openPersonBrowser }, { signInOrigins, startPersonFlow }, { prefillEmail }] = await Promise.all([
      import('../browser/person.ts'), import('./person-flow.ts'), import('./prefill.ts'),
    ]);
    const origin = originFor(active.account, provider);
    active.browser = await (this.deps.openBrowser ?? openPersonBrowser)(config.browser, {
      stateDir: config.state_dir, accountId: active.account.id, headless: true, locale: localeFor(active.account),
      allowedOrigins: signInOrigins(active.account, origin), width: WIDTH, height: HEIGHT,
    });
    if (active.view.state !== 'starting') { await active.browser.close(); return; } // cancelled meanwhile
    this.deps.log.info({ account: active.account.id, sandboxed: active.browser.sandboxed }, 'sign-in browser open');
    active.context = active.browser.context;
    active.page = active.browser.page;
    active.context.setDefaultTimeout(30_000);
    const saved = this.deps.vault.load(active.account.id).state;
    if (saved?.cookies.length) await active.context.addCookies(saved.cookies as never);
    const records = new SignInRecords(this.deps.vault);
    const start = await startPersonFlow(active.account, provider, origin, active.context, active.page, records, {
      progress: (message) => { if (active.view.state === 'waiting_for_person') active.view.message = message; },
      fail: (message) => { void this.finish(active, 'failed', message); },
    });
    active.cdp = await active.context.newCDPSession(active.page);
    active.cdp.on('Page.screencastFrame', (event: { data: string; sessionId: number }) => {
      // Frames still arriving while the browser closes are dropped: a finished sign-in keeps no picture.
      if (active.view.state !== 'starting' && active.view.state !== 'waiting_for_person') return;
      active.frame = Buffer.from(event.data, 'base64');
      active.view.frames++;
      active.cdp?.send('Page.screencastFrameAck', { sessionId: event.sessionId }).catch(() => {});
    });
    await active.cdp.send('Page.startScreencast', { format: 'jpeg', quality: 70, maxWidth: WIDTH, maxHeight: HEIGHT });
    await active.page.goto(start, { waitUntil: 'domcontentloaded' });
    // The person (often on a phone) starts at the password: the account's e-mail is typed where the page asks.
    await prefillEmail(active.page, active.account.email).catch(() => false);
    if (active.view.state !== 'starting') return; // cancelled while the page opened
    active.view.state = 'waiting_for_person';
    active.view.message = 'waiting for you to sign in';
    const check = setInterval(() => { void this.check(active, provider); }, this.limits.checkMs);
    const deadline = setTimeout(() => { void this.finish(active, 'timed_out', `not finished within ${Math.round(this.limits.totalMs / 60_000)} minutes`); }, this.limits.totalMs);
    active.timers.push(check, deadline);
  }

  private async check(active: Active, provider: Provider): Promise<void> {
    if (active.view.state !== 'waiting_for_person' || !active.page || active.checking) return;
    active.checking = true;
    try {
      const url = new URL(active.page.url());
      active.view.at = `${url.origin}${url.pathname}`;
      if (Date.now() - active.lastInputAt > this.limits.idleMs) {
        await this.finish(active, 'timed_out', 'nobody typed or clicked for a while');
        return;
      }
      if (!(await provider.isSignedIn(active.page)) || active.view.state !== 'waiting_for_person') return;
      this.deps.vault.save(active.account.id, await active.context!.storageState() as never);
      const records = new SignInRecords(this.deps.vault);
      if (records.load(active.account.id)?.method !== 'app_device') records.update(active.account.id, { method: 'person', renewed_at: Date.now() });
      // The state turns `signed_in` at once; the daemon is told before the browser has finished closing.
      const closing = this.finish(active, 'signed_in', 'signed in; the session is saved');
      this.deps.onSignedIn(active.account.id);
      await closing;
    } catch (err) {
      // A page mid-navigation cannot be read; the next check will.
      this.deps.log.debug({ err: (err as Error).message, account: active.account.id }, 'sign-in check skipped');
    } finally {
      active.checking = false;
    }
  }

  /** Passes one action of the person to the page. */
  async input(accountId: string, action: SignInInput): Promise<void> {
    const active = this.sessions.get(accountId);
    if (active?.view.state !== 'waiting_for_person' || !active.page) throw new SignInError('no sign-in is open for this account', 409);
    active.lastInputAt = Date.now();
    const page = active.page;
    switch (action.type) {
      case 'click': await page.mouse.click(action.x * WIDTH, action.y * HEIGHT); break;
      case 'type': await page.keyboard.type(action.text); break;
      case 'key':
        if (!ALLOWED_KEYS.includes(action.key)) throw new SignInError(`key "${action.key}" is not one a sign-in needs`, 400);
        await page.keyboard.press(action.key === 'Space' ? ' ' : action.key);
        break;
      case 'scroll': await page.mouse.wheel(0, action.dy); break;
    }
  }

  async cancel(accountId: string): Promise<void> {
    const active = this.sessions.get(accountId);
    if (active && (active.view.state === 'starting' || active.view.state === 'waiting_for_person')) await this.finish(active, 'cancelled', 'cancelled');
  }

  private async finish(active: Active, state: SignInState, message: string): Promise<void> {
    if (active.view.state !== 'starting' && active.view.state !== 'waiting_for_person') return;
    active.view.state = state;
    active.view.message = message;
    for (const timer of active.timers) { clearInterval(timer); clearTimeout(timer); }
    active.frame = undefined;
    this.deps.log.info({ account: active.account.id, state }, 'remote sign-in ended');
    active.closing = (active.browser?.close() ?? Promise.resolve()).catch(() => {});
    await active.closing;
  }

  /** Ends every open sign-in and waits until each browser has closed (and its profile is wiped). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.cancel(id)));
    await Promise.all([...this.sessions.values()].map((active) => active.closing));
  }
}
