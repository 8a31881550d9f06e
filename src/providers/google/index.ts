// The Google Assistant (and Gemini) provider. Google blocks automated sign-in, so this provider never touches a
// sign-in form: it reuses the browser state a person left behind when signing in once from the status page,
// and reports `needs_login` when that state no longer works. Counting goes through the page's own list RPC
// when its reply checks out, else through the page; deleting goes through the page.
import { PurgeError } from '../../purge/errors.ts';
import { documentProblem, watchDocuments } from '../document-status.ts';
import type { Inventory, Provider, ProviderSession } from '../types.ts';
import { deleteThroughPage, listViaPage } from './activity.ts';
import { listViaRpc } from './rpc.ts';
import { MARKERS, PATHS } from './selectors.ts';

interface GoogleSession { inScope: Map<string, number[]> }
const sessions = new WeakMap<ProviderSession, GoogleSession>();
function stateOf(s: ProviderSession): GoogleSession {
  let state = sessions.get(s);
  if (!state) { state = { inScope: new Map() }; sessions.set(s, state); }
  return state;
}

function products(s: ProviderSession): string[] {
  return s.account.include_gemini ? [PATHS.assistant, PATHS.gemini] : [PATHS.assistant];
}

/** Opens a product page and checks it is the signed-in app; anything else needs a person or is unknown. */
async function openProduct(s: ProviderSession, path: string): Promise<void> {
  watchDocuments(s.page);
  await s.step(`open My Activity ${path}`, () => s.page.goto(`${s.origin}${path}?hl=en`, { waitUntil: 'domcontentloaded' }));
  const problem = documentProblem(s.page, 'Google');
  if (problem) throw problem;
  const html = await s.page.content();
  if (html.includes(MARKERS.signedOut) || /\/(v3\/)?signin\/|ServiceLogin/.test(new URL(s.page.url()).pathname)) {
    throw new PurgeError('needs_login', 'Google is signed out: a person must sign in once from the status page (Google blocks automated sign-in)');
  }
  if (html.includes(MARKERS.identityCheck)) {
    throw new PurgeError('needs_login', 'Google wants a person to confirm it is them ("Verify it\'s you"): sign in from the status page');
  }
  if (!html.includes(MARKERS.app)) throw new PurgeError('page_changed', `My Activity at ${path} is not the page voicewipe knows`);
}

async function listProduct(s: ProviderSession, path: string): Promise<Map<string, number>> {
  const viaRpc = await listViaRpc(s, path);
  if (viaRpc) return viaRpc;
  s.observations.notes.push(`the list RPC's reply did not check out on ${path}; read the page instead`);
  return listViaPage(s);
}

export const google: Provider = {
  name: 'google',
  origin: () => 'https://myactivity.google.com',
  // Straight to the sign-in page, which comes back to My Activity (minting its OSID cookie on the way).
  personSignInUrl: (account, origin) => {
    const activity = `${origin}${PATHS.assistant}?hl=en`;
    const accounts = account.base_url ? origin : 'https://accounts.google.com';
    return `${accounts}/ServiceLogin?continue=${encodeURIComponent(account.base_url ? `${PATHS.assistant}?hl=en` : activity)}&hl=en`;
  },
  async isSignedIn(page) {
    const path = new URL(page.url()).pathname;
    if (path !== PATHS.assistant && path !== PATHS.gemini) return false;
    return (await page.content()).includes(MARKERS.app);
  },
  // Google says a deletion "can take up to a day" to show everywhere: items still listed after a short wait
  // are reported as pending and re-checked by the next run, not failed.
  settleMs: 15_000,
  eventual: true,

  async signIn(s) {
    for (const path of products(s)) await openProduct(s, path);
    return 'session_reused';
  },

  async inventory(s, cutoff): Promise<Inventory> {
    const state = stateOf(s);
    let oldest: number | null = null;
    let newest: number | null = null;
    let count = 0;
    for (const path of products(s)) {
      if (new URL(s.page.url()).pathname !== path) await openProduct(s, path);
      const times = [...(await listProduct(s, path)).values()].filter((ts) => ts < cutoff);
      state.inScope.set(path, times);
      count += times.length;
      for (const ts of times) {
        if (oldest === null || ts < oldest) oldest = ts;
        if (newest === null || ts > newest) newest = ts;
      }
    }
    return { count, exact: true, oldest_at: oldest, newest_at: newest };
  },

  async delete(s, cutoff, _found, onProgress) {
    const state = stateOf(s);
    let before = 0;
    for (const path of products(s)) {
      const timestamps = state.inScope.get(path) ?? [];
      if (timestamps.length === 0) continue;
      await openProduct(s, path);
      const done = before;
      await deleteThroughPage(s, { cutoff, everything: s.account.keep_days === 0, timestamps }, (n) => onProgress(done + n));
      before += timestamps.length;
    }
  },
};
