// The JSON endpoints the Review Voice History page calls: the list (`customer-history-records-v2`, and the 2026
// "new Alexa" variant `alexa-history-records-v2`), the CSRF token, and the delete request. The real delete
// request is undocumented, so its path is the simulator's choice (SimOptions.deletePath).
import { json, jsonBody, stall, text } from '../http.ts';
import type { Ctx, Route } from '../http.ts';
import type { Recording } from '../data.ts';
import { token } from '../state.ts';
import type { AccountState } from '../state.ts';

export const LIST_PATH = '/alexa-privacy/apd/rvh/customer-history-records-v2';
export const RAH_LIST_PATH = '/alexa-privacy/apd/rah/alexa-history-records-v2';
export const CSRF_PATH = '/alexa-privacy/apd/csrf-token';
export const DEFAULT_DELETE_PATH = '/alexa-privacy/apd/rvh/delete-customer-history-records';
export const PAGE_SIZE = 10;

/** The record shape of vendors/alexa.md. */
export function recordJson(r: Recording) {
  const items = [{
    recordItemKey: `${r.key}#${r.utteranceId}#CUSTOMER_TRANSCRIPT`,
    recordItemType: 'CUSTOMER_TRANSCRIPT',
    utteranceId: r.utteranceId,
    timestamp: r.ts,
    transcriptText: r.transcript,
    agentVisualName: 'Alexa',
  }];
  if (r.response) {
    items.push({
      recordItemKey: `${r.key}#${r.utteranceId}#ALEXA_RESPONSE`,
      recordItemType: 'ALEXA_RESPONSE',
      utteranceId: r.utteranceId,
      timestamp: r.ts + 900,
      transcriptText: r.response,
      agentVisualName: 'Alexa',
    });
  }
  return {
    recordKey: r.key,
    recordType: 'VOICE_HISTORY',
    timestamp: r.ts,
    device: { deviceName: r.deviceName, deviceType: r.deviceType, serialNumber: r.deviceSerial },
    utteranceType: r.utteranceType,
    intent: r.intent,
    personName: r.person,
    voiceHistoryRecordItems: items,
  };
}

interface Cursor { b: number; s: number; e: number }

function encodeCursor(c: Cursor): string { return Buffer.from(JSON.stringify(c)).toString('base64url'); }
function decodeCursor(s: unknown): Cursor | undefined {
  if (typeof s !== 'string' || !s) return undefined;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return typeof c.b === 'number' ? c : undefined;
  } catch { return undefined; }
}

function csrfOk(ctx: Ctx): boolean {
  const sent = ctx.req.headers['anti-csrftoken-a2z'];
  return typeof sent === 'string' && sent === ctx.account!.csrfToken;
}

function forbidden(ctx: Ctx): void {
  ctx.kind = `${ctx.kind ?? 'amazon'}.csrf_rejected`;
  json(ctx, { message: 'Invalid CSRF token' }, 403);
}


interface ListResult { records: Recording[]; next: string | null; first: boolean }

/** One page, newest first. A next page starts with the last record of this one (pages overlap, as the real
 *  endpoint's do), so clients must de-duplicate by recordKey. */
async function listPage(ctx: Ctx, previous: unknown): Promise<ListResult | undefined> {
  const acct = ctx.account!;
  const q = ctx.url.searchParams;
  const cursor = decodeCursor(previous);
  if (previous !== null && previous !== undefined && previous !== '' && !cursor) {
    json(ctx, { message: 'Invalid request token' }, 400);
    return undefined;
  }
  const start = Number(q.get('startTime') ?? cursor?.s ?? 0);
  const end = Number(q.get('endTime') ?? cursor?.e ?? ctx.state.now());
  if (!Number.isFinite(start) || !Number.isFinite(end)) { json(ctx, { message: 'startTime and endTime must be numbers' }, 400); return undefined; }
  const size = Math.min(200, Math.max(1, Number(q.get('maxRecordSize')) || PAGE_SIZE));
  const stallFault = acct.faults.lazyLoadStall;
  if (cursor && stallFault) {
    ctx.kind += '.stalled';
    await stall(ctx, typeof stallFault === 'number' ? stallFault : 2 ** 31 - 1);
    if (ctx.res.destroyed) return undefined;
  }
  acct.store.settle(ctx.state.now());
  const records = acct.store.page(start, end, size, cursor?.b);
  let next: string | null = null;
  if (records.length === size) {
    const last = records[records.length - 1];
    if (acct.store.page(start, end, 1, last.ts).length > 0) next = encodeCursor({ b: size > 1 ? last.ts + 1 : last.ts, s: start, e: end });
  }
  if (acct.faults.csrfRotation) { delete acct.faults.csrfRotation; acct.csrfToken = token(); }
  return { records, next, first: !cursor };
}

async function list(ctx: Ctx): Promise<void> {
  ctx.kind = 'amazon.list';
  if (ctx.account!.faults.redesign === 2) { json(ctx, { message: 'Not Found' }, 404); return; }
  if (!csrfOk(ctx)) { forbidden(ctx); return; }
  const body = jsonBody(ctx) as { previousRequestToken?: unknown } | undefined;
  const page = await listPage(ctx, body?.previousRequestToken);
  if (!page) return;
  json(ctx, {
    customerHistoryRecords: page.records.map(recordJson),
    encodedRequestToken: page.next,
    noDataFoundWithinTimeLimit: page.first && page.records.length === 0,
    lastRecordTimestamp: page.records.length ? page.records[page.records.length - 1].ts : null,
  });
}

async function listRah(ctx: Ctx): Promise<void> {
  ctx.kind = 'amazon.list_rah';
  if (!csrfOk(ctx)) { forbidden(ctx); return; }
  const body = jsonBody(ctx) as { paginationToken?: unknown } | undefined;
  const page = await listPage(ctx, body?.paginationToken);
  if (!page) return;
  json(ctx, { alexaHistoryRecords: page.records.map(recordJson), paginationToken: page.next });
}

function csrfToken(ctx: Ctx): void {
  ctx.kind = 'amazon.csrf';
  text(ctx, ctx.account!.csrfToken);
}

/** Applies a delete to an account's store, honouring the silent no-op and eventual-consistency faults. */
export function applyDelete(acct: AccountState, nowMs: number, keys: string[]): number {
  if (acct.faults.silentDelete) return 0;
  const later = acct.faults.eventualConsistencyMs;
  if (later) return acct.store.deleteLater(keys, nowMs + later);
  return acct.store.deleteKeys(keys);
}

/** `POST <deletePath>` with `{"recordKeys": [...]}` (per item) or `{"startTime": ms, "endTime": ms}` (the
 *  filtered range, both ends inclusive). Answers `{"success": true}` whatever it did, like a backend that
 *  accepts work it finishes later. */
function remove(ctx: Ctx): void {
  ctx.kind = 'amazon.delete';
  const acct = ctx.account!;
  if (!csrfOk(ctx)) { forbidden(ctx); return; }
  const body = jsonBody(ctx) as { recordKeys?: unknown; startTime?: unknown; endTime?: unknown } | undefined;
  ctx.logBody = body;
  const now = ctx.state.now();
  acct.store.settle(now);
  let keys: string[];
  if (body && Array.isArray(body.recordKeys) && body.recordKeys.every((k) => typeof k === 'string')) {
    keys = body.recordKeys as string[];
  } else if (body && typeof body.startTime === 'number' && typeof body.endTime === 'number') {
    const f = acct.faults;
    // Fast path for the common case: one splice over the sorted array.
    if (!f.silentDelete && !f.eventualConsistencyMs) { acct.store.deleteRange(body.startTime, body.endTime); json(ctx, { success: true }); return; }
    keys = acct.store.keysInRange(body.startTime, body.endTime);
  } else {
    json(ctx, { success: false, message: 'Expected recordKeys or startTime/endTime' }, 400);
    return;
  }
  applyDelete(acct, now, keys);
  json(ctx, { success: true });
}

function unauthenticated(ctx: Ctx): void {
  ctx.kind = 'amazon.api.signed_out';
  json(ctx, { message: 'Unauthenticated' }, 401);
}

export function apiRoutes(deletePath: string): Route[] {
  const r = (method: Route['method'], path: string, handle: Route['handle']): Route =>
    ({ method, path, vendor: 'amazon', signedIn: true, signedOut: unauthenticated, handle });
  return [
    r('POST', LIST_PATH, list),
    r('POST', RAH_LIST_PATH, listRah),
    r('GET', CSRF_PATH, csrfToken),
    r('POST', deletePath, remove),
  ];
}
