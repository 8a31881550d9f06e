// Listing through the page's own batchexecute RPC, with the tokens the page carries in WIZ_global_data
// (SNlM0e → at, FdrFJe → f.sid, cfb2h → bl). Read-only; the reply's shape is checked before it is trusted,
// and a reply that does not check out sends the caller back to reading the page.
import { PurgeError } from '../../purge/errors.ts';
import { retryAfterMs } from '../document-status.ts';
import type { ProviderSession } from '../types.ts';
import { PATHS, RPC } from './selectors.ts';

export interface WizTokens { at: string; fsid: string; bl: string }

/** A bound on paging: 5,000 pages of 100 is half a million items. */
const MAX_PAGES = 5_000;

export async function wizTokens(s: ProviderSession): Promise<WizTokens | undefined> {
  const wiz = await s.page.evaluate(() => (window as unknown as { WIZ_global_data?: Record<string, unknown> }).WIZ_global_data ?? null);
  if (!wiz || typeof wiz.SNlM0e !== 'string' || typeof wiz.FdrFJe !== 'string' || typeof wiz.cfb2h !== 'string') return undefined;
  return { at: wiz.SNlM0e, fsid: wiz.FdrFJe, bl: wiz.cfb2h };
}

/** Parses `)]}'` + length-prefixed frames and returns the JSON payload of the `wrb.fr` entry for `rpc`. */
export function rpcPayload(body: string, rpc: string): unknown {
  if (!body.startsWith(")]}'")) return undefined;
  for (const line of body.split('\n')) {
    if (!line.startsWith('[')) continue;
    let frame: unknown;
    try { frame = JSON.parse(line); } catch { continue; }
    if (!Array.isArray(frame)) continue;
    for (const entry of frame) {
      if (Array.isArray(entry) && entry[0] === 'wrb.fr' && entry[1] === rpc && typeof entry[2] === 'string') {
        try { return JSON.parse(entry[2]); } catch { return undefined; }
      }
    }
  }
  return undefined;
}

/** Every listed item as token → time (ms), or undefined when the reply's shape does not check out. */
export async function listViaRpc(s: ProviderSession, sourcePath: string): Promise<Map<string, number> | undefined> {
  const tokens = await wizTokens(s);
  if (!tokens) return undefined;
  const items = new Map<string, number>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ rpcids: RPC.list, 'source-path': sourcePath, 'f.sid': tokens.fsid, bl: tokens.bl, hl: 'en', rt: 'c' });
    const form = new URLSearchParams({ 'f.req': JSON.stringify([[[RPC.list, JSON.stringify([null, cursor]), null, 'generic']]]), at: tokens.at });
    const res = await s.step('list activity', () => s.page.request.post(`${s.origin}${PATHS.batchexecute}?${query}`, {
      data: form.toString(), failOnStatusCode: false, maxRedirects: 0,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', 'x-same-domain': '1', origin: s.origin, referer: `${s.origin}${sourcePath}` },
    }));
    const status = res.status();
    if (status !== 200) await res.dispose();
    if (status === 401) throw new PurgeError('needs_login', 'Google signed this session out: sign in again from the status page');
    if (status === 429 || status === 403) {
      // Google's answer to too much: back off hard (hours), and tell the person.
      throw new PurgeError('rate_limited', `Google refused the list request (${status})`, { retryAfterMs: retryAfterMs(res.headers()['retry-after']) ?? 6 * 3_600_000 });
    }
    if (status >= 500) throw new PurgeError('vendor_error', `Google's list request failed with ${status}`);
    if (status !== 200) return undefined;
    const body = await res.text();
    await res.dispose(); // Playwright keeps answers' bodies until disposed
    const payload = rpcPayload(body, RPC.list);
    if (!Array.isArray(payload) || !Array.isArray(payload[0])) return undefined;
    for (const item of payload[0] as unknown[]) {
      if (!Array.isArray(item) || typeof item[4] !== 'number' || typeof item[5] !== 'string') return undefined;
      items.set(item[5], Math.floor(item[4] / 1000));
    }
    cursor = typeof payload[1] === 'string' && payload[1] ? payload[1] : null;
    if (!cursor) return items;
  }
  throw new PurgeError('vendor_error', `the activity list did not end after ${MAX_PAGES} pages`);
}
