// One account's state while the provider works on it: which list call the page uses, the watch on the page's
// own requests, and whether it already had to sign in again.
import { PurgeError } from '../../errors.ts';
import type { ProviderSession } from '../types.ts';
import type { Prepared } from './delete.ts';
import { SignedOut } from './history.ts';
import type { ListEndpoint, Listing } from './history.ts';
import { PATHS } from './selectors.ts';
import { onHistoryPage, openHistory, signIn } from './signin.ts';
import { PageWatch } from './watch.ts';

export interface AlexaSession {
  /** The list endpoint the page itself uses (classic or Review Alexa History); the classic one until seen. */
  endpoint: ListEndpoint;
  watch: PageWatch;
  resignedIn: boolean;
  /** What the run keeps, listed alongside the count or the verification, for the next kept() call (once). */
  kept?: { cutoff: number; listing: Listing };
  /** The delete's filter, set on the page while the count ran (once). */
  prepared?: Prepared;
  /** A delete was sent: inventory() is now verifying. */
  deleted: boolean;
}

const sessions = new WeakMap<ProviderSession, AlexaSession>();
/** How long to wait for the page's own first list call, to learn which endpoint it uses. */
const FIRST_CALL_MS = 10_000;

export function stateOf(s: ProviderSession): AlexaSession {
  let state = sessions.get(s);
  if (!state) {
    state = { endpoint: { path: PATHS.list, style: 'v2' }, watch: new PageWatch(s.page, () => s.observations), resignedIn: false, deleted: false };
    sessions.set(s, state);
  }
  return state;
}

/** Runs `fn` on the history page; when Amazon signed the session out mid-run, signs in again once. */
export async function onHistory<T>(s: ProviderSession, fn: () => Promise<T>): Promise<T> {
  const state = stateOf(s);
  if (!(await onHistoryPage(s.page))) await openHistory(s);
  try {
    if (!(await onHistoryPage(s.page))) throw new SignedOut();
    return await fn();
  } catch (err) {
    if (!(err instanceof SignedOut)) throw err;
    if (state.resignedIn) throw new PurgeError('needs_login', 'Amazon signed the session out again right after signing in');
    state.resignedIn = true;
    s.observations.notes.push('the session expired during the run; signed in again');
    await signIn(s);
    return fn();
  }
}

/** Uses whichever list call the page itself makes: waits (bounded) for its first one. */
export async function learnEndpoint(s: ProviderSession, state: AlexaSession): Promise<void> {
  const until = Date.now() + FIRST_CALL_MS;
  while (!state.watch.lastFirstCall() && Date.now() < until && !s.signal.aborted) await s.sleep(50);
  const call = state.watch.lastFirstCall();
  if (!call) { s.observations.notes.push('the page sent no list call we know; counting through the classic one'); return; }
  if (call.endpoint.path !== state.endpoint.path) s.observations.notes.push(`the page lists through ${call.endpoint.path}`);
  state.endpoint = call.endpoint;
}

