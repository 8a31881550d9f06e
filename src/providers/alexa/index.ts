// The Amazon Alexa provider: sign in (saved session first), count through the page's own list request, delete
// through the page, and observe the delete requests the page sends (their path is not public).
import { PurgeError } from '../../purge/errors.ts';
import type { Inventory, Provider, ProviderSession } from '../types.ts';
import { deleteThroughPage, isDeleteResponse } from './delete.ts';
import { HISTORY_START, SignedOut, endpointFromUrl, listRecords } from './history.ts';
import type { ListEndpoint } from './history.ts';
import { PATHS } from './selectors.ts';
import { onHistoryPage, openHistory, signIn } from './signin.ts';

interface AlexaSession {
  /** The list endpoint the page itself used (classic or "new Alexa"); the classic one until seen. */
  endpoint: ListEndpoint;
  /** Timestamps of the records in scope at the last count, for progress per range. */
  inScope: number[];
  resignedIn: boolean;
}

const sessions = new WeakMap<ProviderSession, AlexaSession>();

function stateOf(s: ProviderSession): AlexaSession {
  let state = sessions.get(s);
  if (!state) {
    const created: AlexaSession = { endpoint: { path: PATHS.list, style: 'v2' }, inScope: [], resignedIn: false };
    state = created;
    sessions.set(s, created);
    s.page.on('request', (request) => {
      const seen = endpointFromUrl(request.url());
      if (seen && request.method() === 'POST') created.endpoint = seen;
    });
    s.page.on('response', (response) => {
      if (!isDeleteResponse(response)) return;
      const request = response.request();
      s.observations.delete_requests.push({ method: request.method(), path: new URL(request.url()).pathname, status: response.status() });
    });
  }
  return state;
}

/** Runs `fn` on the history page; when Amazon signed the session out mid-run, signs in again once. */
async function onHistory<T>(s: ProviderSession, fn: () => Promise<T>): Promise<T> {
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

export const alexa: Provider = {
  name: 'alexa',
  // Every marketplace is www.amazon.<marketplace> (the config validates the list).
  origin: (account) => `https://www.amazon.${account.marketplace}`,
  personSignInUrl: (_account, origin) => `${origin}${PATHS.rvh}`,
  isSignedIn: onHistoryPage,
  // Amazon hides deleted records at once but its backend may take a while; re-count for up to two minutes.
  settleMs: 120_000,

  async signIn(s) {
    stateOf(s);
    return signIn(s);
  },

  async inventory(s, cutoff): Promise<Inventory> {
    const state = stateOf(s);
    const records = await onHistory(s, () => listRecords(s, state.endpoint, HISTORY_START, cutoff - 1));
    state.inScope = [...records.values()].filter((ts) => ts < cutoff);
    let oldest: number | null = null;
    let newest: number | null = null;
    for (const ts of state.inScope) {
      if (oldest === null || ts < oldest) oldest = ts;
      if (newest === null || ts > newest) newest = ts;
    }
    return { count: state.inScope.length, exact: true, oldest_at: oldest, newest_at: newest };
  },

  async delete(s, cutoff, _found, onProgress) {
    const state = stateOf(s);
    if (state.inScope.length === 0) return;
    await onHistory(s, () => deleteThroughPage(s, {
      cutoff,
      everything: s.account.keep_days === 0,
      timestamps: state.inScope,
    }, onProgress));
  },
};
