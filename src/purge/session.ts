// The session a provider works in (a fresh browser context and page, bounded steps, cancellable sleeps): one
// factory for the purge run and check-site, so both present the same browser identity and wait, time out and
// close the same way.
import type { RunBrowser } from '../browser/launch.ts';
import { localeFor } from '../browser/identity.ts';
import type { StorageState } from '../browser/vault.ts';
import type { AccountConfig, Config } from '../config/types.ts';
import type { Logger } from '../log.ts';
import type { Observations, Provider, ProviderSession } from '../providers/types.ts';
import { bounded, sleep, withDeadline } from '../async.ts';

/** A context that will not close within this is taken down with the whole browser. */
const CLOSE_DEADLINE_MS = 10_000;

export interface SessionRequest {
  config: Config;
  account: AccountConfig;
  provider: Provider;
  /** The saved session to start from, if any. */
  storageState?: StorageState;
  log: Logger;
  observations: Observations;
  /** The run's cancellation (shutdown, run deadline); check-site has none. */
  signal?: AbortSignal;
  now: () => number;
}

export interface OpenedSession {
  session: ProviderSession;
  /** Closes the context, bounded: past the deadline the browser is killed (a wedged page cannot hold the run). */
  close(): Promise<void>;
}

/** The vendor origin an account talks to: its base_url (simulator, odd marketplaces) or the provider's. */
export function originFor(account: AccountConfig, provider: Provider): string {
  return account.base_url ? new URL(account.base_url).origin : provider.origin(account);
}

/** Opens a fresh context (the account's language, the household's time zone) and its page, as a session. */
export async function openProviderSession(browser: RunBrowser, req: SessionRequest): Promise<OpenedSession> {
  const { config, account } = req;
  const stepTimeoutMs = config.browser.step_timeout_seconds * 1000;
  const signal = req.signal ?? new AbortController().signal;
  const context = await browser.newContext({ storageState: req.storageState, stepTimeoutMs, timezoneId: config.timezone, locale: localeFor(account) });
  const close = async () => { await withDeadline(context.close(), CLOSE_DEADLINE_MS, () => browser.kill()).catch(() => {}); };
  let page: ProviderSession['page'];
  try {
    page = await context.newPage();
  } catch (err) {
    await close();
    throw err;
  }
  const session: ProviderSession = {
    account, origin: originFor(account, req.provider), context, page, log: req.log, observations: req.observations, signal,
    now: req.now,
    sleep: (ms) => sleep(ms, signal),
    step: (what, fn, timeoutMs = stepTimeoutMs) => bounded(what, fn, timeoutMs, signal),
  };
  return { session, close };
}
