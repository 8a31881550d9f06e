// What a vendor provider offers the run (shared/DESIGN.md, "Provider contract"). A provider drives one
// account's pages in a fresh browser context and throws PurgeError with a kind from the closed list.
import type { BrowserContext, Page } from 'playwright-core';
import type { AccountConfig } from '../config/types.ts';
import type { Logger } from '../log.ts';

export interface Inventory {
  /** Recordings older than the cut-off that the vendor still lists ("at least" when not exact). */
  count: number;
  /** False when counting stopped early (time bound, repeated cursor, page limit): `count` is a lower bound.
   *  Counting never stands in the way of deleting: the runner deletes when `count > 0 || !exact`. */
  exact: boolean;
  oldest_at: number | null;
  newest_at: number | null;
  /** Key → timestamp (ms) of every counted item. Required from `eventual` providers: the runner ages the items
   *  still listed after deleting (pending) by key across runs. */
  items?: Map<string, number>;
}

/** What the run must not delete, as far as the provider can list it cheaply (for the survivor check). */
export interface KeptList {
  /** Key → timestamp (ms). Keys are stable across listings and never collide between products. */
  items: Map<string, number>;
  /** False when the listing was cut short; listings run newest first, so it then covers the newest part. */
  complete: boolean;
}

/** What the provider saw, kept with the result as diagnostics (never secrets). */
export interface Observations {
  /** Locator name → which of its fallbacks matched (class, role, text). */
  locators: Record<string, string>;
  /** Requests the page sent when deleting: method, path (no query), status. */
  delete_requests: { method: string; path: string; status: number | null }[];
  /** Free-form notes: "signed in with saved session", "csrf refreshed", … */
  notes: string[];
  /** Milliseconds spent in each phase of the last attempt: browser, sign_in, count, delete, verify. */
  timings: Record<string, number>;
}

/** A delete that stopped at its bound on purpose: `capped` deletes at most a run. */
export interface DeleteOutcome { capped: number }

export interface ProviderSession {
  account: AccountConfig;
  /** Origin of the vendor site for this account (marketplace, or base_url). */
  origin: string;
  context: BrowserContext;
  page: Page;
  log: Logger;
  observations: Observations;
  /** Runs one bounded step: past the step timeout the whole browser is killed and a `timeout` is thrown. */
  step<T>(what: string, fn: () => Promise<T>, timeoutMs?: number): Promise<T>;
  /** Cancelled (shutdown, run deadline). Long loops check it. */
  signal: AbortSignal;
  /** Sleeps that end early when the run is cancelled. */
  sleep(ms: number): Promise<void>;
  now(): number;
}

export interface Provider {
  readonly name: string;
  /** The vendor's site for this account (the marketplace's, for Amazon). */
  origin(account: AccountConfig): string;
  /** Where a person starts signing in (remote sign-in from the status page, `voicewipe login`). */
  personSignInUrl(account: AccountConfig, origin: string): string;
  /** True once the page shows the signed-in privacy page: the person is done. */
  isSignedIn(page: Page): Promise<boolean>;
  /** Ensures the context is signed in, using the saved session when it still works. Returns what it did. */
  signIn(s: ProviderSession): Promise<'session_reused' | 'signed_in'>;
  /** Counts the recordings older than `cutoff` (ms) still stored at the vendor. */
  inventory(s: ProviderSession, cutoff: number): Promise<Inventory>;
  /** Lists what the run must keep: everything at or after `cutoff` (and other products' items where the
   *  provider can see them). The runner compares a listing before deleting with one after verifying, and
   *  fails the account with `over_deleted` when anything it meant to keep is gone. */
  kept?(s: ProviderSession, cutoff: number): Promise<KeptList>;
  /** Deletes the recordings older than `cutoff`; calls onProgress with the number deleted so far. Returns
   *  `{ capped }` when it deleted only part on purpose (a bounded fallback: at most `capped` a run), so the rest
   *  is left for the next run rather than waited for. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a provider that never stops early returns nothing
  delete(s: ProviderSession, cutoff: number, found: Inventory, onProgress: (deleted: number) => void): Promise<void | DeleteOutcome>;
  /** How long deleted items may still be listed before it counts as a failure (eventual consistency). */
  readonly settleMs: number;
  /** The vendor says deletion takes a while to show (Google: up to a day): items still listed after the settle
   *  time are reported as pending and re-checked by the next run, not as a verification failure. */
  readonly eventual?: boolean;
}
